/** `--output FORMAT=FILE`: one audit run writes the other formats, identical to separate runs. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runGoimg } from '../../helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-output-files-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const SEED = 'examples/seed-article';

test('goimg audit --output writes each format as a separate run prints it', () => {
  const formats = ['json', 'sarif', 'gitlab', 'junit', 'checkstyle', 'text'];
  const r = runGoimg([
    'audit',
    SEED,
    '--format',
    'github',
    ...formats.flatMap((f) => ['--output', `${f}=${join(scratch, `report.${f}`)}`]),
  ]);
  const github = runGoimg(['audit', SEED, '--format', 'github']);
  assert.equal(r.status, github.status, r.stderr);
  assert.equal(r.stdout, github.stdout);
  for (const f of formats) {
    const alone = runGoimg(['audit', SEED, '--format', f]);
    assert.equal(readFileSync(join(scratch, `report.${f}`), 'utf8'), alone.stdout, f);
  }
});

test('goimg audit --output: a bad value or an unwritable file is exit 2, never a stack trace', () => {
  for (const [args, message] of [
    [['--output', 'json'], /--output takes FORMAT=FILE, got "json"/],
    [['--output', 'xml=out.xml'], /--output format must be one of .*, got "xml"/],
    [['--output', `json=${join(scratch, 'x.json')}`, '--fix-dry-run'], /--output and --fix-dry-run exclude/],
    [['--output', `json=${join(scratch, 'no', 'such', 'dir.json')}`], /cannot write .*dir\.json: ENOENT/],
  ] as const) {
    const r = runGoimg(['audit', SEED, ...args]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});
