/**
 * Differential test against BuildKit's own parser (bkdump, built from the oracle folder): on
 * BuildKit's parser test files, targeted cases for every class of input the parser must get
 * right, and seeded mutants, goimg must read the same instructions (keyword, lines, flags,
 * arguments, JSON form, heredocs), directives and escape token, the same number of stages,
 * and give the same verdict (accepted, rejected by the parser, rejected by the instruction
 * parser). GOIMG_ORACLE_SEED=<n> replays a run; GOIMG_ORACLE_MUTANTS=<n> sets the count.
 *
 * Deliberate differences (none shows up in the compared fields):
 * - messages are compared for parser errors; for the instruction parser only the verdict is
 *   (BuildKit adds "did you mean" suggestions and wraps them with "dockerfile parse error on line N");
 * - `${a:-${a:-...}}` nested thousands deep on a RUN/COPY/ADD line: BuildKit's lexer recurses
 *   without limit; goimg stops looking for heredocs on that line instead of overflowing its stack;
 * - RUN --device values: only their CSV syntax is checked (BuildKit's device options are not
 *   modelled), HEALTHCHECK duration errors use Go's wording approximately.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: plain JavaScript module shared with the benchmarks
import { corpus } from '../../../../bench/audit-corpus.mjs';
import { type ParsedTrigger, parseDockerfile } from '../../../src/dockerfile/api.js';
import { goQuote, goTrimSpace } from '../../../src/dockerfile/text.js';
import { need } from '../../helpers/requirements.js';
import { type BkResult, buildBkdump, goBinary, oracleDir, runBkdump } from './bkdump.js';
import { TARGETED } from './buildkit-cases.js';

/** A deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  '\\\n',
  '\\',
  '\n',
  ' ',
  '\t',
  '\f',
  '\r',
  '\u00a0',
  '"',
  "'",
  '`',
  '#',
  '# escape=`\n',
  '# syntax=x\n',
  '<<',
  '<<EOF',
  '<<-EOF',
  "<<'EOF'",
  '<< EOF',
  '\nEOF\n',
  'EOF',
  '\tEOF\n',
  '$',
  '${',
  '}',
  '$((',
  '))',
  '[',
  ']',
  '["a", "b"]',
  ',',
  '1',
  '{}',
  '=',
  '--',
  '--from=x ',
  '--mount=type=cache,target=/x ',
  '--link ',
  'RUN ',
  'COPY ',
  'ADD ',
  'ONBUILD ',
  'ENV ',
  'ARG ',
  'LABEL ',
  'FROM ',
  'HEALTHCHECK CMD ',
  'SHELL ',
  'VOLUME ',
  'EXPOSE ',
  'CMD ',
  'AS ',
  'x',
  'a=b ',
  '\\ ',
  '\u00e9',
  '\nRUN --mount=type=secret,id=x cat /run/secrets/x\n',
  '\nCOPY --chown=1:1 --chmod=644 a b\n',
  '\nARG V=1\n',
  '\nENV A=1 B="2 3"\n',
  '\nRUN <<EOF\nset -e\nEOF\n',
  '\nUSER 1000\n',
  '\nHEALTHCHECK --interval=30s CMD ["/app", "-health"]\n',
  '\nONBUILD COPY . .\n',
  '\u2003',
  '\ufeff',
];

function mutate(base: string, rnd: () => number): string {
  let s = base;
  const edits = 1 + Math.floor(rnd() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const r = rnd();
    if (r < 0.6) {
      s = s.slice(0, at) + FRAGMENTS[Math.floor(rnd() * FRAGMENTS.length)]! + s.slice(at);
    } else if (r < 0.8) {
      s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 4));
    } else {
      const lines = s.split('\n');
      const i = Math.floor(rnd() * lines.length);
      const j = Math.floor(rnd() * lines.length);
      lines.splice(j, 0, lines[i]!);
      s = lines.join('\n');
    }
  }
  return s;
}

function dumpTrigger(t: ParsedTrigger): string {
  let out = t.keyword.toLowerCase();
  if (t.flags.length > 0) out += ` [${t.flags.map(goQuote).join(' ')}]`;
  for (const a of t.args) out += ` ${goQuote(a)}`;
  if (t.trigger) out += ` (${dumpTrigger(t.trigger)})`;
  return goTrimSpace(out);
}

/** goimg's parse in bkdump's terms. */
function ours(text: string) {
  const p = parseDockerfile(text);
  return {
    parsed: p,
    children: p.instructions.map((i) => ({
      keyword: i.keyword,
      flags: i.flags,
      json: i.json,
      heredocs: i.heredocs.map((h) => ({
        name: h.name,
        expand: h.expand,
        chomp: h.chomp,
        content: h.content,
      })),
      startLine: i.startLine,
      endLine: i.endLine,
      args: i.trigger ? [`(${dumpTrigger(i.trigger)})`] : i.args,
    })),
  };
}

/** Differences between goimg's and BuildKit's reading of one file (empty: they agree). */
function compare(text: string, bk: BkResult): string[] {
  const diffs: string[] = [];
  let o: ReturnType<typeof ours>;
  try {
    o = ours(text);
  } catch (e) {
    return [`goimg threw: ${(e as Error).stack}`];
  }
  if (bk.panic) return [`bkdump panicked: ${bk.panic}`];
  const verdict = !bk.ok ? 'parser' : bk.buildOk ? 'ok' : 'instruction';
  const err = o.parsed.errors[0];
  const ourVerdict = err ? err.source : 'ok';
  if (verdict !== ourVerdict) {
    diffs.push(
      `verdict: goimg ${ourVerdict} (${err?.message}), BuildKit ${verdict} (${bk.error ?? bk.buildError})`,
    );
  } else if (verdict === 'parser' && err!.message !== bk.error) {
    diffs.push(`parser error: goimg ${JSON.stringify(err!.message)}, BuildKit ${JSON.stringify(bk.error)}`);
  }
  if (!bk.ok) return diffs;
  if ((bk.escape ?? '\\') !== o.parsed.escapeToken)
    diffs.push(`escape ${o.parsed.escapeToken} vs ${bk.escape}`);
  const dirs: Record<string, string> = {};
  for (const d of [...o.parsed.directives].sort((x, y) => (x.name < y.name ? -1 : 1))) dirs[d.name] = d.value;
  const theirDirs: Record<string, string> = {};
  for (const k of Object.keys(bk.directives ?? {}).sort()) theirDirs[k] = bk.directives![k]!;
  if (JSON.stringify(dirs) !== JSON.stringify(theirDirs)) {
    diffs.push(`directives ${JSON.stringify(dirs)} vs ${JSON.stringify(bk.directives ?? {})}`);
  }
  if (verdict === 'ok' && o.parsed.stages.length !== bk.stages) {
    diffs.push(`stages ${o.parsed.stages.length} vs ${bk.stages}`);
  }
  const theirs = bk.children ?? [];
  if (o.children.length !== theirs.length)
    diffs.push(`${o.children.length} instructions vs ${theirs.length}`);
  for (let i = 0; i < Math.min(o.children.length, theirs.length); i++) {
    const a = o.children[i]!;
    const b = theirs[i]!;
    const bn = {
      keyword: b.keyword,
      flags: b.flags ?? [],
      json: b.json,
      heredocs: b.heredocs ?? [],
      startLine: b.startLine,
      endLine: b.endLine,
      args: b.args ?? [],
    };
    if (JSON.stringify(a) !== JSON.stringify(bn)) {
      diffs.push(`instruction ${i + 1}:\n  goimg    ${JSON.stringify(a)}\n  BuildKit ${JSON.stringify(bn)}`);
      break;
    }
  }
  return diffs;
}

function testfiles(oracle: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const kind of ['positive', 'negative']) {
    const dir = join(oracle, 'testfiles', kind);
    for (const name of readdirSync(dir).sort()) {
      try {
        out.push({ name: `${kind}/${name}`, text: readFileSync(join(dir, name, 'Dockerfile'), 'latin1') });
      } catch {
        // A test folder without a Dockerfile.
      }
    }
  }
  return out;
}

test('BuildKit parser oracle: testfiles, targeted cases and seeded mutants read the same', (t) => {
  const oracle = oracleDir();
  const go = goBinary();
  if (!need(t, oracle !== undefined && go !== undefined, "BuildKit's parser oracle folder and Go 1.23"))
    return;
  const bin = buildBkdump(oracle!, go!);
  const work = mkdtempSync(join(tmpdir(), 'goimg-oracle-'));
  try {
    const seed = Number(process.env.GOIMG_ORACLE_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const count = Number(process.env.GOIMG_ORACLE_MUTANTS ?? 3000);
    process.stdout.write(
      `# oracle seed ${seed} (GOIMG_ORACLE_SEED=${seed} replays this run), ${count} mutants\n`,
    );
    const rnd = prng(seed);
    const cases: { name: string; text: string }[] = [];
    // Test files are bytes; read as Latin-1 they would differ from goimg's UTF-8 reading, so
    // they are decoded as UTF-8 like the audit does.
    for (const f of testfiles(oracle!)) {
      const text = readFileSync(join(oracle!, 'testfiles', f.name, 'Dockerfile'), 'utf8');
      cases.push({ name: f.name, text });
    }
    TARGETED.forEach((text, i) => {
      cases.push({ name: `targeted #${i}`, text });
    });
    // Realistic Go service Dockerfiles (generated), so that many mutants stay valid.
    (corpus(60, seed) as string[]).forEach((text, i) => {
      cases.push({ name: `generated #${i}`, text });
    });
    const pool = cases.map((c) => c.text).filter((s) => s.length < 4000);
    for (let i = 0; i < count; i++) {
      cases.push({ name: `mutant #${i}`, text: mutate(pool[Math.floor(rnd() * pool.length)]!, rnd) });
    }
    mkdirSync(join(work, 'cases'));
    const paths = cases.map((c, i) => {
      const p = join(work, 'cases', String(i));
      writeFileSync(p, c.text, 'utf8');
      return p;
    });
    const results = runBkdump(bin, paths);
    assert.equal(results.length, cases.length);
    const failures: string[] = [];
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < cases.length; i++) {
      const r = results[i]!;
      if (r.ok && r.buildOk) accepted++;
      else rejected++;
      const diffs = compare(cases[i]!.text, r);
      if (diffs.length > 0)
        failures.push(
          `${cases[i]!.name} ${JSON.stringify(cases[i]!.text.slice(0, 300))}\n  ${diffs.join('\n  ')}`,
        );
    }
    process.stdout.write(
      `# oracle: ${cases.length} files, ${accepted} accepted and ${rejected} rejected by BuildKit, ${failures.length} differ\n`,
    );
    assert.equal(
      failures.length,
      0,
      `${failures.length} files read differently (seed ${seed}):\n${failures.slice(0, 25).join('\n')}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(join(bin, '..'), { recursive: true, force: true });
  }
});
