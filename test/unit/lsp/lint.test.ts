/**
 * Linting through the language server's model on a real project (a copy of the seed article):
 * unsaved texts, inline ignores, .goimg.yaml rule levels and a broken config, a .dockerignore's
 * own findings, which changes drop the cached model, and fix-all on the unsaved text.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fixAll } from '../../../src/lsp/fix-all.js';
import { lintDocument } from '../../../src/lsp/lint.js';
import { ProjectModels } from '../../../src/lsp/project-models.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-lsp-lint-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function seed(name: string): { dir: string; dockerfile: string; text: string } {
  const dir = join(scratch, name);
  cpSync(join(REPO_ROOT, 'examples/seed-article'), dir, { recursive: true });
  const dockerfile = join(dir, 'Dockerfile');
  return { dir, dockerfile, text: readFileSync(dockerfile, 'utf8') };
}

const rules = (r: Awaited<ReturnType<typeof lintDocument>>, file: string) =>
  (r.byFile.get(file) ?? []).map((f) => f.rule);

test('the unsaved text is linted, inline ignores included', async () => {
  const p = seed('overlay');
  const models = new ProjectModels();
  const saved = await lintDocument(models, p.dockerfile, 'dockerfile', new Map());
  assert.ok(rules(saved, p.dockerfile).includes('libc-mismatch'));
  const ignored = p.text.replace('RUN go build', '# goimg-ignore libc-mismatch -- checked\nRUN go build');
  const edited = await lintDocument(models, p.dockerfile, 'dockerfile', new Map([[p.dockerfile, ignored]]));
  assert.ok(!rules(edited, p.dockerfile).includes('libc-mismatch'));
  assert.ok(rules(edited, p.dockerfile).includes('no-trimpath'));
});

test('.goimg.yaml rule levels apply; a broken config is an error until it is fixed', async () => {
  const p = seed('config');
  const models = new ProjectModels();
  const config = join(p.dir, '.goimg.yaml');
  writeFileSync(config, 'rules:\n  no-trimpath: off\n  no-strip-flags: error\n');
  const r = await lintDocument(models, p.dockerfile, 'dockerfile', new Map());
  assert.ok(!rules(r, p.dockerfile).includes('no-trimpath'));
  assert.equal(r.byFile.get(p.dockerfile)!.find((f) => f.rule === 'no-strip-flags')?.severity, 'error');
  writeFileSync(config, 'rules:\n  no-trimpaht: off\n');
  // Until the change is reported, the settings read before stay.
  assert.ok(
    !rules(await lintDocument(models, p.dockerfile, 'dockerfile', new Map()), p.dockerfile).includes(
      'no-trimpath',
    ),
  );
  assert.deepEqual(models.invalidate(config), [p.dir]);
  await assert.rejects(
    lintDocument(models, p.dockerfile, 'dockerfile', new Map()),
    /\.goimg\.yaml:2:3: unknown rule "no-trimpaht".*no-trimpath/,
  );
  writeFileSync(config, 'ignore:\n  - Dockerfile\n');
  // A rejected config is read again without being reported changed.
  const none = await lintDocument(models, p.dockerfile, 'dockerfile', new Map());
  assert.deepEqual(rules(none, p.dockerfile), []);
});

test('a .dockerignore shows its own findings; a change under the project drops the model', async () => {
  const p = seed('ignore');
  const models = new ProjectModels();
  const ignore = join(p.dir, '.dockerignore');
  writeFileSync(ignore, '.git\nstore.go\n');
  const r = await lintDocument(models, ignore, 'dockerignore', new Map());
  assert.deepEqual([...r.byFile.keys()], [ignore]);
  const excluded = r.byFile.get(ignore)!.find((f) => f.rule === 'dockerignore-excludes-needed');
  assert.equal(excluded?.line, 2, rules(r, ignore).join());
  // The unsaved text counts: without the pattern the finding goes.
  const fixed = await lintDocument(models, ignore, 'dockerignore', new Map([[ignore, '.git\n']]));
  assert.ok(!rules(fixed, ignore).includes('dockerignore-excludes-needed'));
  assert.deepEqual(models.invalidate(join(scratch, 'elsewhere', 'x.go')), []);
  assert.deepEqual(models.invalidate(join(p.dir, 'main.go')), [p.dir]);
  assert.deepEqual(models.directories(), []);
});

test('fix-all works on the unsaved text and reaches the fixed point', async () => {
  const p = seed('fixall');
  const models = new ProjectModels();
  const unsaved = p.text.replace('EXPOSE 8080', 'EXPOSE 9090');
  const outcome = (await fixAll(models, p.dockerfile, 'dockerfile', new Map([[p.dockerfile, unsaved]])))!;
  const df = outcome.files.find((f) => f.path === p.dockerfile)!;
  assert.equal(df.before, unsaved);
  assert.match(df.after, /EXPOSE 9090/);
  assert.match(df.after, /CGO_ENABLED=0 go build/);
  assert.ok(outcome.files.some((f) => f.path === join(p.dir, '.dockerignore') && f.created));
  const again = await lintDocument(models, p.dockerfile, 'dockerfile', new Map([[p.dockerfile, df.after]]));
  assert.deepEqual(
    (again.byFile.get(p.dockerfile) ?? [])
      .filter((f) => f.fixable && f.rule !== 'missing-dockerignore')
      .map((f) => f.rule),
    [],
  );
  assert.equal(readFileSync(p.dockerfile, 'utf8'), p.text, 'nothing is written');
});
