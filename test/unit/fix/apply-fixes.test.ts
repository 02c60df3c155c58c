/**
 * applyFixes on real files: grouped edits, created files only when absent, CRLF kept, dry runs
 * change nothing, colliding fixes wait, and a round trip through the real audit engine reaches
 * a fixed point where recomputed fixes change nothing.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { auditDockerfile } from '../../../src/audit/engine.js';
import type { Fix } from '../../../src/fix/index.js';
import { applyFixes } from '../../../src/fix/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-applyfixes-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, `p${n++}-`));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const insertAt = (file: string, at: number, text: string): Fix['edits'][number] => ({
  kind: 'replace',
  file,
  start: at,
  end: at,
  text,
});

test('applyFixes groups edits per file, writes them and returns one diff', async () => {
  const df = 'FROM golang:1.22\nRUN go build -o /app .\n';
  const dir = project({ Dockerfile: df });
  const at = df.indexOf('go build') + 'go build'.length;
  const fixes: Fix[] = [
    { description: 'trimpath', edits: [insertAt('Dockerfile', at, ' -trimpath')] },
    { description: 'dockerignore', edits: [{ kind: 'create', file: '.dockerignore', text: '.git\n' }] },
    { description: 'cgo', edits: [insertAt('Dockerfile', df.indexOf('go build'), 'CGO_ENABLED=0 ')] },
  ];
  const result = await applyFixes(dir, fixes, { dryRun: false });
  assert.deepEqual(
    result.files.map((f) => [f.file, f.created]),
    [
      ['.dockerignore', true],
      ['Dockerfile', false],
    ],
  );
  assert.equal(
    readFileSync(join(dir, 'Dockerfile'), 'utf8'),
    'FROM golang:1.22\nRUN CGO_ENABLED=0 go build -trimpath -o /app .\n',
  );
  assert.equal(readFileSync(join(dir, '.dockerignore'), 'utf8'), '.git\n');
  assert.match(result.diff, /^--- \/dev\/null\n\+\+\+ b\/\.dockerignore\n/);
  assert.match(result.diff, /\n--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n/);
  assert.equal(result.applied.length, 3);
  assert.equal(result.skipped.length, 0);
});

test('applyFixes --dry-run computes the diff and writes nothing', async () => {
  const df = 'FROM golang\n';
  const dir = project({ Dockerfile: df });
  const result = await applyFixes(
    dir,
    [
      { description: 'pin', edits: [insertAt('Dockerfile', 11, ':1.22')] },
      { description: 'ignore', edits: [{ kind: 'create', file: '.dockerignore', text: '.git\n' }] },
    ],
    { dryRun: true },
  );
  assert.equal(result.files.length, 2);
  assert.match(result.diff, /\+FROM golang:1\.22/);
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), df);
  assert.throws(() => statSync(join(dir, '.dockerignore')), /ENOENT/);
});

test('applyFixes never overwrites an existing file with a create edit', async () => {
  const dir = project({ Dockerfile: 'FROM scratch\n', '.dockerignore': '# mine\n' });
  const result = await applyFixes(
    dir,
    [{ description: 'x', edits: [{ kind: 'create', file: '.dockerignore', text: '.git\n' }] }],
    {
      dryRun: false,
    },
  );
  assert.deepEqual(result.files, []);
  assert.equal(result.diff, '');
  assert.equal(readFileSync(join(dir, '.dockerignore'), 'utf8'), '# mine\n');
});

test('applyFixes keeps CRLF line endings and the file mode', async () => {
  const df = 'FROM golang:1.22\r\n# builder\r\nRUN go build -o /app .\r\n';
  const dir = project({ Dockerfile: df });
  chmodSync(join(dir, 'Dockerfile'), 0o600);
  const at = df.indexOf('go build') + 'go build'.length;
  await applyFixes(dir, [{ description: 't', edits: [insertAt('Dockerfile', at, ' -trimpath')] }], {
    dryRun: false,
  });
  assert.equal(
    readFileSync(join(dir, 'Dockerfile'), 'utf8'),
    'FROM golang:1.22\r\n# builder\r\nRUN go build -trimpath -o /app .\r\n',
  );
  assert.equal(statSync(join(dir, 'Dockerfile')).mode & 0o777, 0o600);
});

test('applyFixes skips a fix that collides with an earlier one and merges identical edits', async () => {
  const dir = project({ Dockerfile: 'RUN go build .\n' });
  const same = insertAt('Dockerfile', 4, 'CGO_ENABLED=0 ');
  const a: Fix = { description: 'a', edits: [same] };
  const b: Fix = { description: 'b (same edit)', edits: [same] };
  const c: Fix = {
    description: 'c (overlaps)',
    edits: [{ kind: 'replace', file: 'Dockerfile', start: 0, end: 6, text: 'run' }],
  };
  const d: Fix = {
    description: 'd (other create)',
    edits: [{ kind: 'create', file: '.dockerignore', text: 'x\n' }],
  };
  const e: Fix = {
    description: 'e (conflicting create)',
    edits: [{ kind: 'create', file: '.dockerignore', text: 'y\n' }],
  };
  const result = await applyFixes(dir, [a, b, c, d, e], { dryRun: true });
  assert.deepEqual(
    result.applied.map((f) => f.description),
    ['a', 'b (same edit)', 'd (other create)'],
  );
  assert.deepEqual(
    result.skipped.map((f) => f.description),
    ['c (overlaps)', 'e (conflicting create)'],
  );
  assert.equal(result.files.find((f) => f.file === 'Dockerfile')?.after, 'RUN CGO_ENABLED=0 go build .\n');
});

test('applyFixes refuses paths outside the root and files that are not UTF-8', async () => {
  const dir = project({ Dockerfile: 'FROM scratch\n' });
  await assert.rejects(
    applyFixes(dir, [{ description: 'x', edits: [{ kind: 'create', file: '../escape', text: 'x' }] }], {
      dryRun: true,
    }),
    /outside/,
  );
  writeFileSync(join(dir, 'latin1'), Buffer.from([0x46, 0xe9, 0x0a]));
  await assert.rejects(
    applyFixes(dir, [{ description: 'x', edits: [insertAt('latin1', 0, '#')] }], { dryRun: true }),
    /not valid UTF-8/,
  );
});

/** Audits `dir`'s Dockerfile with the real engine and returns the fixes it offers. */
function fixesOf(dir: string): Fix[] {
  const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  return auditDockerfile({ file: 'Dockerfile', text, now: new Date('2025-06-01') }).flatMap((f) =>
    f.fix ? [f.fix] : [],
  );
}

test('round trip: fixes recomputed on the fixed files change nothing', async () => {
  for (const eol of ['\n', '\r\n']) {
    const df = [
      'FROM golang:latest',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o /app .',
      'FROM alpine',
      'COPY --from=0 /app /app',
      'ADD config.yaml /etc/app/',
      'CMD /app',
      '',
    ].join(eol);
    const dir = project({ Dockerfile: df, 'config.yaml': 'a: 1\n' });
    let rounds = 0;
    for (;;) {
      const fixes = fixesOf(dir);
      const result = await applyFixes(dir, fixes, { dryRun: false });
      if (result.files.length === 0) break;
      rounds++;
      assert.ok(rounds < 8, `no fixed point after ${rounds} rounds:\n${result.diff}`);
    }
    assert.ok(rounds >= 1, 'the seed Dockerfile had fixes to apply');
    const fixed = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    assert.notEqual(fixed, df);
    // The file keeps its line-ending style: no bare LF in a CRLF file, no CR in an LF file.
    if (eol === '\r\n') assert.doesNotMatch(fixed, /[^\r]\n/);
    else assert.doesNotMatch(fixed, /\r/);
    const again = await applyFixes(dir, fixesOf(dir), { dryRun: true });
    assert.equal(again.diff, '');
  }
});
