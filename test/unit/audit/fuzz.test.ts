/**
 * Property tests: mutated Dockerfiles, go.mod and .dockerignore files never crash the audit.
 * The only acceptable outcomes are findings (a parse-error among them) or a GoimgError.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
// @ts-expect-error: plain JavaScript module shared with the benchmark
import { corpus } from '../../../../bench/audit-corpus.mjs';
import { auditDockerfile } from '../../../src/audit/engine.js';
import { auditDirectory } from '../../../src/audit/load.js';
import { isGoimgError } from '../../../src/core/errors.js';
import { splitShell } from '../../../src/dockerfile/shell.js';
import { context, GOOD_DOCS_GUIDE, project, SEED_ARTICLE } from './helpers.js';

const SEEDS: string[] = [SEED_ARTICLE, GOOD_DOCS_GUIDE, ...(corpus(20, 3) as string[])];
const TOKENS = [
  '\\\n',
  '\n',
  '\r\n',
  '"',
  "'",
  '`',
  '$',
  '${',
  '}',
  '<<EOF\n',
  'EOF\n',
  '#',
  '# goimg-ignore x\n',
  '--mount=',
  ',',
  '=',
  '&&',
  '|',
  ';',
  '(',
  ')',
  '[',
  ']',
  ' ',
  '\t',
  'FROM ',
  'RUN ',
  'COPY --from=',
  'AS ',
  'go build ',
  'CGO_ENABLED=',
  '\u0000',
  '\uFEFF',
  'é',
];

/** A seed file with random slices deleted, duplicated or replaced by tricky tokens. */
const mutated = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat({ max: 12 }),
        fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })),
      ),
      {
        maxLength: 8,
      },
    ),
  )
  .map(([seed, edits]) => {
    let text = seed;
    for (const [pos, len, insert] of edits) {
      const at = pos % (text.length + 1);
      text = text.slice(0, at) + insert + text.slice(at + len);
    }
    return text;
  });

test('audit never throws on mutated Dockerfiles', () => {
  fc.assert(
    fc.property(mutated, fc.boolean(), (text, withIgnore) => {
      const found = auditDockerfile({
        file: 'Dockerfile',
        text,
        project: project({ localReplaceDirs: ['lib'], usesTls: true, loadsTimeZones: true }),
        context: withIgnore ? context(['.git', 'go.sum']) : context(null),
      });
      for (const f of found) {
        assert.ok(f.line >= 1 && f.column >= 1, 'positions are 1-based');
        if (f.fix)
          for (const e of f.fix.edits)
            if (e.kind === 'replace') assert.ok(e.start <= e.end && e.end <= text.length);
      }
    }),
    { numRuns: 4000 },
  );
});

test('the word splitter never throws and its offsets stay inside the text', () => {
  fc.assert(
    fc.property(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('\\', '`'),
      fc.boolean(),
      (text, escapeChar, dockerfileLines) => {
        for (const c of splitShell(text, { escape: escapeChar, dockerfileLines })) {
          for (const w of c.words) assert.ok(w.start >= 0 && w.end <= text.length && w.start <= w.end);
        }
      },
    ),
    { numRuns: 3000 },
  );
});

const GOMOD_SEEDS = [
  'module example.com/x\n\ngo 1.22\n\nrequire github.com/a/b v1.0.0\n\nreplace github.com/a/b => ./lib\n',
  'module example.com/x\ngo 1.21\ntoolchain go1.23.1\nrequire (\n\tgithub.com/c/d v0.1.0 // indirect\n)\n',
];
const IGNORE_SEEDS = ['.git\n*.md\n!README.md\n', '**/testdata\n/bin\n# c\n', '*\n!go.mod\n!go.sum\n!*.go\n'];

test('whole directories with mutated go.mod and .dockerignore give findings or a clear error', async () => {
  const tokens = [...TOKENS, '=>', '!', '**', '/'];
  const mutate = (seeds: string[]) =>
    fc
      .tuple(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.constantFrom(...tokens)), { maxLength: 5 }),
      )
      .map(([s, edits]) => {
        let text = s;
        for (const [pos, len, ins] of edits) {
          const at = pos % (text.length + 1);
          text = text.slice(0, at) + ins + text.slice(at + len);
        }
        return text;
      });
  await fc.assert(
    fc.asyncProperty(
      mutated,
      mutate(GOMOD_SEEDS),
      mutate(IGNORE_SEEDS),
      async (dockerfile, gomod, ignore) => {
        const dir = mkdtempSync(join(tmpdir(), 'goimg-fuzz-'));
        try {
          writeFileSync(join(dir, 'Dockerfile'), dockerfile);
          writeFileSync(join(dir, 'go.mod'), gomod);
          writeFileSync(join(dir, '.dockerignore'), ignore);
          writeFileSync(
            join(dir, 'main.go'),
            'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
          );
          try {
            const r = await auditDirectory(dir);
            assert.ok(Array.isArray(r.findings));
          } catch (err) {
            assert.ok(isGoimgError(err), `not a clear error: ${(err as Error).stack}`);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    ),
    { numRuns: 300 },
  );
});
