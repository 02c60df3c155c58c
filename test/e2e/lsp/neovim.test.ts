/**
 * A real editor: Neovim's built-in LSP client, headless, with a small Lua config, attaches to
 * `goimg lsp` on a copy of examples/seed-article, receives the libc-mismatch diagnostic at the
 * `go build` line, picks that diagnostic's code action through vim.lsp.buf.code_action() (the
 * menu answered by the config), and writes the file. `goimg audit` then finds no libc mismatch.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GOIMG_BIN, goimgEnv, REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { hasNvim, need } from '../../helpers/requirements.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-e2e-nvim-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// Everything the editor does, then the result as JSON; any failure is reported the same way.
const CONFIG = `
local env = vim.env
local function finish(result)
  local f = assert(io.open(env.GOIMG_NVIM_RESULT, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end
local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(env.GOIMG_NVIM_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({ name = 'goimg', cmd = { env.GOIMG_BIN, 'lsp' }, root_dir = env.GOIMG_NVIM_ROOT })
  assert(client, 'the client did not start')
  assert(vim.lsp.buf_attach_client(bufnr, client), 'the client did not attach')
  local found
  local got = vim.wait(60000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'libc-mismatch' then found = d return true end
    end
    return false
  end, 50)
  assert(got, 'no libc-mismatch diagnostic')
  vim.api.nvim_win_set_cursor(0, { found.lnum + 1, found.col })
  local chosen
  vim.ui.select = function(items, _, on_choice)
    for _, item in ipairs(items) do
      local action = item[2]
      if action.kind == 'quickfix' and action.diagnostics and action.diagnostics[1].code == 'libc-mismatch' then
        chosen = action.title
        return on_choice(item)
      end
    end
    chosen = false
    on_choice(nil)
  end
  vim.lsp.buf.code_action()
  assert(vim.wait(60000, function() return chosen ~= nil end, 50), 'no code actions came')
  assert(chosen, 'no code action for the libc-mismatch diagnostic')
  vim.cmd('write')
  finish({ lnum = found.lnum, col = found.col, end_col = found.end_col, source = found.source, action = chosen })
end)
if not ok then finish({ error = tostring(err) }) end
`;

test('neovim attaches, shows libc-mismatch at go build, applies its fix, and the file audits clean of it', (t) => {
  if (!need(t, hasNvim(), 'Neovim 0.7 or later (nvim)')) return;
  const dir = join(scratch, 'seed');
  cpSync(join(REPO_ROOT, 'examples/seed-article'), dir, { recursive: true });
  const dockerfile = join(dir, 'Dockerfile');
  const before = readFileSync(dockerfile, 'utf8');
  const home = join(scratch, 'home');
  mkdirSync(home, { recursive: true });
  const config = join(home, 'init.lua');
  writeFileSync(config, CONFIG);
  const result = join(scratch, 'result.json');
  const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', config], {
    cwd: dir,
    env: goimgEnv({
      GOIMG_BIN,
      GOIMG_NVIM_FILE: dockerfile,
      GOIMG_NVIM_ROOT: dir,
      GOIMG_NVIM_RESULT: result,
      XDG_CONFIG_HOME: home,
      XDG_DATA_HOME: home,
      XDG_STATE_HOME: home,
      XDG_CACHE_HOME: home,
    }),
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(r.status, 0, `nvim: ${r.stderr}${r.stdout}`);
  const got = JSON.parse(readFileSync(result, 'utf8')) as Record<string, unknown>;
  assert.equal(got.error, undefined, String(got.error));

  const lines = before.split('\n');
  const line = lines.findIndex((l) => l.startsWith('RUN go build'));
  assert.equal(got.lnum, line);
  assert.equal(got.col, lines[line]!.indexOf('go build'));
  assert.equal(got.end_col, lines[line]!.length);
  assert.equal(got.source, 'goimg');

  const after = readFileSync(dockerfile, 'utf8');
  assert.notEqual(after, before);
  assert.match(after, /^RUN CGO_ENABLED=0 go build -o main \.$/m);
  const audit = runGoimg(['audit', dir, '--format', 'json', '--fail-on', 'never']);
  assert.equal(audit.status, 0, audit.stderr);
  const rules = (JSON.parse(audit.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
  assert.ok(!rules.includes('libc-mismatch'), rules.join(', '));
  assert.ok(
    rules.includes('no-trimpath'),
    'the other findings are still there: only the one fix was applied',
  );
});
