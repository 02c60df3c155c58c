/**
 * Differential test against BuildKit's own parser (bkdump, built from the oracle folder): on
 * BuildKit's parser test files, targeted cases for every class of input the parser must get
 * right, and seeded mutants, goimg must read the same instructions (keyword, lines, flags,
 * arguments, JSON form, heredocs), directives and escape token, the same number of stages,
 * and give the same verdict (accepted, rejected by the parser, rejected by the instruction
 * parser). GOIMG_ORACLE_SEED=<n> replays a run; GOIMG_ORACLE_MUTANTS=<n> sets the count.
 *
 * Deliberate differences: none are expected. Messages are compared for parser errors;
 * for the instruction parser only the verdict is (BuildKit adds "did you mean" suggestions).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ParsedTrigger, parseDockerfile } from '../../../src/dockerfile/api.js';
import { goQuote } from '../../../src/dockerfile/text.js';
import { need } from '../../helpers/requirements.js';
import { type BkResult, buildBkdump, goBinary, oracleDir, runBkdump } from './bkdump.js';

/** Inputs for every class of difference the parser must get right. */
export const TARGETED: string[] = [
  // heredocs BuildKit detects
  'FROM a\nRUN <<EOF\necho hi\nEOF\n',
  'FROM a\nRUN << EOF\necho hi\nEOF\n',
  'FROM a\nRUN <<-EOF\n\techo hi\n\tEOF\n',
  'FROM a\nRUN <<\\EOF\necho $x\nEOF\n',
  "FROM a\nRUN <<'MY EOF'\necho hi\nMY EOF\n",
  'FROM a\nRUN <<"EOF"\necho hi\nEOF\n',
  'FROM a\nRUN <<E"O"F\necho hi\nEOF\n',
  'FROM a\nRUN <<$EOF\necho hi\n$EOF\n',
  'FROM a\nRUN <<EOF:x\necho hi\nEOF:x\n',
  'FROM a\nRUN 3<<EOF cat /dev/fd/3\nhi\nEOF\n',
  'FROM a\nRUN <<A <<B\na\nA\nb\nB\n',
  'FROM a\nCOPY <<EOF /x\ncontent\nEOF\n',
  'FROM a\nADD --chmod=755 <<EOF /x\ncontent\nEOF\n',
  'FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\n',
  'FROM a\nRUN python3 <<EOF\nprint(1)\nEOF\nRUN echo after\n',
  'FROM a\nRUN <<EOF \\\n  && echo more\nbody\nEOF\n',
  'FROM a\r\nRUN <<EOF\r\necho hi\r\nEOF\r\n',
  // not heredocs
  'FROM a\nRUN echo "<<EOF"\nRUN echo two\n',
  'FROM a\nRUN cat<<EOF\nRUN echo two\n',
  'FROM a\nRUN echo $((1<<EOF))\nRUN echo two\n',
  'FROM a\nRUN ["sh","-c","cat <<EOF"]\nRUN echo two\n',
  'FROM a\nCOPY ["<<EOF","/x"]\n',
  'FROM a\nRUN sed -i "s/<<VERSION>>/1.2.3/" f\nFROM b AS two\nRUN echo two\n',
  "FROM a\nRUN echo it's <<EOF\nRUN echo two\n",
  'FROM a\nCMD <<EOF\nCMD two\n',
  'FROM a\nONBUILD ONBUILD RUN <<EOF\nRUN x\n',
  // unterminated heredoc
  'FROM a\nRUN <<EOF\necho hi\nEOF \n',
  'FROM a\nRUN <<EOF\necho hi\n',
  // directives
  '# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN echo `\n  hi\n',
  '# escape=`\n# escape=\\\nFROM a\n',
  '# escape=x\nFROM a\n',
  '   # escape=`\nFROM a\nRUN a `\n b\n',
  '# foo=bar\n# escape=`\nFROM a\nRUN a `\n b\n',
  '\n# escape=`\nFROM a\nRUN a \\\n b\n',
  '# comment\n# syntax=x\nFROM a\n',
  '#x=a      b\nFROM a\n',
  '# check=skip=all\n# syntax = docker/dockerfile:1.7 \nFROM a\n',
  '# SYNTAX=x\n#syntax=y\nFROM a\n',
  '# escape=   \nFROM a\n',
  '\ufeff# escape=`\nFROM a\nRUN a `\n b\n',
  // continuations
  'FROM a\n\\\nRUN echo hi\n',
  'FR\\\nOM a\nRUN x\n',
  'FROM a\nRUN echo a \\\n# comment\n  \n  b\n',
  'FROM a\nRUN echo a \\\\\nRUN b\n',
  'FROM a\nRUN echo a \\  \t\n b\n',
  'FROM a\nRUN echo \\',
  'FROM a\nRUN x\n\\',
  '# escape=`\nFROM a\nRUN c:\\path `\n b\n',
  // JSON forms
  'FROM a\nCOPY --from=b [1, "/x"]\n',
  'FROM a\nCOPY [".", ".", 1]\n',
  'FROM a\nCOPY ["go.mod","go.sum",{},"./"]\n',
  'FROM a\nRUN ["a", ["b"]]\n',
  'FROM a\nRUN ["a", "b"\n',
  'FROM a\nCMD ["a", 1e999]\n',
  'FROM a\nSHELL ["/bin/bash", "-c"]\nVOLUME ["/a", "/b"]\nHEALTHCHECK CMD ["x", "y"]\n',
  'FROM a\nSHELL /bin/bash -c\n',
  'FROM a\nVOLUME [""]\n',
  'FROM a\nONBUILD RUN ["a"]\n',
  'FROM a\nCOPY [ "a", \\\n  "b" ]\n',
  'FROM a\nENTRYPOINT []\nCMD ["\\ud800"]\n',
  // flags
  'FROM a\nCOPY --FROM=build /a /b\n',
  'FROM a\nCOPY -- --x /b\n',
  'FROM a\nRUN --network=host --security=insecure echo\n',
  'FROM a\nRUN --network=bad echo\n',
  'FROM a\nENV --x=1 A=b\n',
  'FROM a\nARG --x=1 A\nSTOPSIGNAL --x 9\n',
  'FROM --platform=$BUILDPLATFORM a AS b\n',
  'FROM a\nCOPY --link --link /a /b\n',
  'FROM a\nCOPY --link=maybe /a /b\n',
  'FROM a\nCOPY --exclude=x --exclude=y /a /b\n',
  'FROM a\nRUN --mount=type=cache,target="/x /y" echo\n',
  'FROM a\nRUN --mount=from=$X,target=/x echo\n',
  'FROM a\nCOPY --chown="a b" /a /b\n',
  'FROM a\nHEALTHCHECK --interval=5s --retries=-1 CMD true\n',
  'FROM a\nHEALTHCHECK --interval=5 CMD true\n',
  'FROM a\nHEALTHCHECK --foo NONE\n',
  'FROM a\nHEALTHCHECK NONE x\n',
  'FROM a\nHEALTHCHECK CMD\n',
  'FROM a\nHEALTHCHECK FOO x\n',
  // ENV / LABEL / ARG arity
  'FROM a\nENV PATH\n',
  'FROM a\nENV A=1 B\n',
  'FROM a\nENV A 1 2 3\n',
  'FROM a\nENV =x\n',
  'FROM a\nLABEL a\n',
  'FROM a\nLABEL "a b"=c d="e f"\n',
  'FROM a\nARG =x\n',
  'FROM a\nARG\n',
  'FROM a\nENV A="x \\" y" B=\'q r\'\n',
  // FROM / COPY / EXPOSE words
  'FROM "a b"\n',
  'FROM a AS "b"\n',
  'FROM a AS 1b\n',
  'FROM a as\n',
  'FROM a AS B\nFROM b\n',
  'FROM a\nCOPY "a b" /c\n',
  'FROM a\nEXPOSE "80 81"\n',
  'FROM a\nEXPOSE\n',
  'FROM a\nWORKDIR\n',
  'FROM a\nUSER a b\n',
  // line endings and blanks
  'FROM a\rRUN b\r',
  'FROM a\fRUN b\n',
  'FROM\fa\nRUN\tb\n',
  'FROM a\nRUN\u00a0echo\n',
  'FROM\u00a0a\n',
  'FROM a\nENV A=\u00a0b\n',
  'FROM a\nRUN --mount=type=cache\u00a0echo\n',
  'FROM a\nRUN echo \u00e9\u00a0\u2003x\n',
  '\u00a0FROM a\n',
  // structure
  'RUN x\nFROM a\n',
  'ARG A=1\nFROM a\n',
  'ARG A=1\n',
  '# only a comment\n',
  '',
  '\n\n',
  'FOO bar\n',
  'FROM a\nONBUILD\n',
  'FROM a\nONBUILD ONBUILD RUN x\n',
  'FROM a\nONBUILD FROM b\n',
  'FROM a\nONBUILD --x RUN y\n',
  'FROM a\nMAINTAINER me\n',
  'FROM a\nRUN\n',
  'from a\nrun echo lower\ncopy . .\n',
];

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
  '\\\n', '\\', '\n', ' ', '\t', '\f', '\r', '\u00a0', '"', "'", '`', '#', '# escape=`\n', '# syntax=x\n',
  '<<', '<<EOF', '<<-EOF', "<<'EOF'", '<< EOF', '\nEOF\n', 'EOF', '\tEOF\n', '$', '${', '}', '$((', '))',
  '[', ']', '["a", "b"]', ',', '1', '{}', '=', '--', '--from=x ', '--mount=type=cache,target=/x ', '--link ',
  'RUN ', 'COPY ', 'ADD ', 'ONBUILD ', 'ENV ', 'ARG ', 'LABEL ', 'FROM ', 'HEALTHCHECK CMD ', 'SHELL ',
  'VOLUME ', 'EXPOSE ', 'CMD ', 'AS ', 'x', 'a=b ', '\\ ', '\u00e9',
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
  return out.trim();
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
      heredocs: i.heredocs.map((h) => ({ name: h.name, expand: h.expand, chomp: h.chomp, content: h.content })),
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
    diffs.push(`verdict: goimg ${ourVerdict} (${err?.message}), BuildKit ${verdict} (${bk.error ?? bk.buildError})`);
  } else if (verdict === 'parser' && err!.message !== bk.error) {
    diffs.push(`parser error: goimg ${JSON.stringify(err!.message)}, BuildKit ${JSON.stringify(bk.error)}`);
  }
  if (!bk.ok) return diffs;
  if ((bk.escape ?? '\\') !== o.parsed.escapeToken) diffs.push(`escape ${o.parsed.escapeToken} vs ${bk.escape}`);
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
  if (o.children.length !== theirs.length) diffs.push(`${o.children.length} instructions vs ${theirs.length}`);
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
  if (!need(t, oracle !== undefined && go !== undefined, "BuildKit's parser oracle folder and Go 1.23")) return;
  const bin = buildBkdump(oracle!, go!);
  const work = mkdtempSync(join(tmpdir(), 'goimg-oracle-'));
  try {
    const seed = Number(process.env.GOIMG_ORACLE_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const count = Number(process.env.GOIMG_ORACLE_MUTANTS ?? 3000);
    process.stdout.write(`# oracle seed ${seed} (GOIMG_ORACLE_SEED=${seed} replays this run), ${count} mutants\n`);
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
      if (diffs.length > 0) failures.push(`${cases[i]!.name} ${JSON.stringify(cases[i]!.text.slice(0, 300))}\n  ${diffs.join('\n  ')}`);
    }
    process.stdout.write(`# oracle: ${cases.length} files, ${accepted} accepted and ${rejected} rejected by BuildKit, ${failures.length} differ\n`);
    assert.equal(failures.length, 0, `${failures.length} files read differently (seed ${seed}):\n${failures.slice(0, 25).join('\n')}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(join(bin, '..'), { recursive: true, force: true });
  }
});
