#!/usr/bin/env node
// `goimg lsp` after a one-character edit against its anchor, side by side in one run:
//   didChange → publishDiagnostics of that version (the server keeps the project model)
//   vs  `goimg audit DIR` (the CLI reading the same project from scratch)
// on a generated Go project of ~2,300 files (a main package serving HTTP and 230 packages it
// imports), the seed article's Dockerfile and no .dockerignore. Two series of edits: a character in
// and out of the EXPOSE line, and typing into the go build line (each keystroke a new text). Prints
// each series' median and p95, the cold first lint, the CLI's median, the ratio, and the server's
// resident memory.
// Usage: node bench/lsp.mjs [EDITS] [CLI_RUNS]   (run `npm run build` first)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const edits = Number(process.argv[2] ?? 200);
const cliRuns = Number(process.argv[3] ?? 5);
const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin/goimg.js');
const PACKAGES = 230;
const FILES_PER_PACKAGE = 10;

function generate(dir) {
  writeFileSync(join(dir, 'go.mod'), 'module example.com/big\n\ngo 1.21\n');
  writeFileSync(join(dir, 'go.sum'), '');
  const imports = [];
  for (let p = 0; p < PACKAGES; p++) {
    const pkg = `pkg${p}`;
    mkdirSync(join(dir, 'internal', pkg), { recursive: true });
    imports.push(`\t_ "example.com/big/internal/${pkg}"`);
    for (let f = 0; f < FILES_PER_PACKAGE; f++) {
      const dep = p > 0 && f === 0 ? `import _ "example.com/big/internal/pkg${p - 1}"\n\n` : '';
      const body = Array.from(
        { length: 20 },
        (_, i) => `func F${f}_${i}(x int) int { return x*${i} + ${f} }`,
      ).join('\n');
      writeFileSync(join(dir, 'internal', pkg, `f${f}.go`), `package ${pkg}\n\n${dep}${body}\n`);
    }
  }
  writeFileSync(
    join(dir, 'main.go'),
    `package main\n\nimport (\n\t"net/http"\n${imports.join('\n')}\n)\n\nfunc main() {\n\t_ = http.ListenAndServe(":8080", nil)\n}\n`,
  );
  writeFileSync(join(dir, 'Dockerfile'), readFileSync(join(repo, 'examples/seed-article/Dockerfile')));
  return PACKAGES * FILES_PER_PACKAGE + 1;
}

const percentile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

/** CPU time (user + system) the process has used, in ms: less disturbed by a busy machine than wall time. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

const dir = mkdtempSync(join(tmpdir(), 'goimg-bench-lsp-'));
try {
  const goFiles = generate(dir);
  const dockerfile = join(dir, 'Dockerfile');
  const uri = pathToFileURL(dockerfile).href;
  const text = readFileSync(dockerfile, 'utf8');
  const child = spawn(process.execPath, [bin, 'lsp'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const waiting = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    const w = waiting.get(p.version);
    if (p.uri === uri && w) {
      waiting.delete(p.version);
      w(p);
    }
  });
  conn.listen();
  const published = (version) => new Promise((resolve) => waiting.set(version, resolve));
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: {},
  });
  await conn.sendNotification('initialized', {});

  let t = performance.now();
  let done = published(1);
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'dockerfile', version: 1, text },
  });
  const first = await done;
  const cold = performance.now() - t;

  let version = 1;
  const edit = async (change) => {
    version++;
    done = published(version);
    t = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [change],
    });
    await done;
    return performance.now() - t;
  };
  const at = (line, character) => ({ line, character });
  const lines = text.split('\n');
  // A: one character in and out at the end of the EXPOSE line (what the build reads is unchanged).
  const expose = lines.findIndex((l) => l.startsWith('EXPOSE'));
  const e = lines[expose].length;
  const series = { expose: [], typing: [] };
  const cpu = {};
  let cpuStart = cpuMs(child.pid);
  for (let i = 0; i < edits; i++) {
    const change =
      i % 2 === 0
        ? { range: { start: at(expose, e), end: at(expose, e) }, text: '0' }
        : { range: { start: at(expose, e), end: at(expose, e + 1) }, text: '' };
    series.expose.push(await edit(change));
  }
  cpu.expose = (cpuMs(child.pid) - cpuStart) / edits;
  cpuStart = cpuMs(child.pid);
  // B: typing into the go build line, each keystroke a text not seen before (the build's reads
  // are worked out again); every 20 characters the typed word is deleted in one edit.
  const build = lines.findIndex((l) => l.startsWith('RUN go build'));
  const b = lines[build].indexOf(' -o main') + ' -o main'.length;
  let typed = 0;
  for (let i = 0; i < edits; i++) {
    if (typed === 20) {
      series.typing.push(await edit({ range: { start: at(build, b), end: at(build, b + typed) }, text: '' }));
      typed = 0;
      continue;
    }
    const ch = String.fromCharCode(97 + ((i * 7) % 26));
    series.typing.push(
      await edit({ range: { start: at(build, b + typed), end: at(build, b + typed) }, text: ch }),
    );
    typed++;
  }
  cpu.typing = (cpuMs(child.pid) - cpuStart) / edits;
  const rss = rssMb(child.pid);
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();

  const cli = [];
  for (let i = 0; i < cliRuns; i++) {
    t = performance.now();
    const r = spawnSync(process.execPath, [bin, 'audit', dir, '--format', 'json', '--fail-on', 'never'], {
      encoding: 'utf8',
    });
    cli.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`goimg audit failed: ${r.stderr}`);
  }
  const cliMedian = percentile(cli, 0.5);
  console.log(
    `# ${new Date().toISOString()} node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `project: ${goFiles} .go files; ${first.diagnostics.length} diagnostics; ${edits} edits per series`,
  );
  console.log(
    `first lint (project scan included): ${cold.toFixed(0)} ms; server RSS after the edits ${rss.toFixed(0)} MB`,
  );
  console.log(`goimg audit (CLI, ${cliRuns} runs): median ${cliMedian.toFixed(0)} ms`);
  for (const [name, times] of Object.entries(series)) {
    const median = percentile(times, 0.5);
    console.log(
      `didChange → publishDiagnostics, ${name === 'expose' ? 'EXPOSE line' : 'typing in go build'}: median ${median.toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms, server CPU ${cpu[name].toFixed(1)} ms per edit | ratio lsp/cli ${(median / cliMedian).toFixed(4)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
