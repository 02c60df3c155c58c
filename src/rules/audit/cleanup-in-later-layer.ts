import type { Instruction, Stage } from '../../dockerfile/model.js';
import { isShell } from '../../dockerfile/shell.js';
import type { AuditContext, RuleHit } from './context.js';
import { copySources } from './context.js';
import { runsGo } from './support.js';

export const id = 'cleanup-in-later-layer';

export const examples = {
  bad: 'RUN apt-get update && apt-get install -y ca-certificates\nRUN rm -rf /var/lib/apt/lists/*',
  good: 'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \\\n && rm -rf /var/lib/apt/lists/*',
};

/** The first word after the command name that is not an option. */
function subcommand(words: string[]): string | undefined {
  return words.slice(1).find((w) => !w.startsWith('-'));
}

/** What an apt-get (or apt) command does (`install`, `clean`, `dist-clean`); undefined for other commands. */
function aptDoes(words: string[]): string | undefined {
  return words[0] === 'apt-get' || words[0] === 'apt' ? subcommand(words) : undefined;
}

function cacheMounted(ins: Instruction, prefix: string): boolean {
  return ins.flags.some(
    (f) => f.name === 'mount' && f.options.type === 'cache' && (f.options.target ?? '').startsWith(prefix),
  );
}

/** Paths an instruction creates, as far as words tell. */
function created(ins: Instruction): string[] {
  if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    const { dest } = copySources(ins);
    return dest ? [dest] : [];
  }
  const out: string[] = [];
  for (const c of ins.commands) {
    const w = c.words.map((x) => x.value);
    for (let k = 1; k < w.length; k++) {
      if ((w[0] === 'wget' && (w[k] === '-O' || w[k] === '-P')) || (w[0] === 'curl' && w[k] === '-o'))
        out.push(w[k + 1] ?? '');
    }
    if (w[0] === 'git' && w[1] === 'clone') out.push(w[w.length - 1] ?? '');
    if (w[0] === 'apt-get' || w[0] === 'apt') out.push('/var/lib/apt/lists', '/var/cache/apt');
    if (w[0] === 'tar' || w[0] === 'unzip' || w[0] === 'mkdir')
      out.push(...w.slice(1).filter((x) => x.startsWith('/')));
  }
  return out.filter(Boolean);
}

/** Whether an rm argument removes what is in `dir`: a path inside it, `dir/*`, or a parent (`/var/lib/apt/*`). */
function removesIn(arg: string, dir: string): boolean {
  if (arg.startsWith(dir)) return true;
  const parent = arg.replace(/\/\*$/, '').replace(/\/+$/, '');
  return parent.startsWith('/') && parent.length > 1 && dir.startsWith(`${parent}/`);
}

/** An index-fetching flag: `apk -U add`, `apk --update upgrade`. */
const APK_UPDATE_FLAGS = new Set(['-U', '--update', '--update-cache']);

/**
 * Why a RUN leaves apk's package index in its layer, or undefined. The index goes to
 * /var/cache/apk when apk fetches it without --no-cache: `apk add` does when it has none, and
 * `apk update` (or -U on any command) always does. --no-cache on a later command does not remove
 * what an update stored. With `indexPresent` (an earlier layer left one), a plain `apk add`
 * reads that one and writes no index of its own.
 */
function apkIndexLeft(ins: Instruction, indexPresent: boolean): string | undefined {
  if (cacheMounted(ins, '/var/cache/apk')) return undefined;
  const cleaned = ins.commands.some(
    (d) => d.words[0]?.value === 'rm' && d.words.some((x) => removesIn(x.value, '/var/cache/apk')),
  );
  if (cleaned) return undefined;
  for (const c of ins.commands) {
    const w = c.words.map((x) => x.value);
    if (w[0] !== 'apk' || w.includes('--no-cache')) continue;
    const sub = subcommand(w);
    const flag = w.find((x) => APK_UPDATE_FLAGS.has(x));
    if (sub === 'add' && !flag && indexPresent) continue;
    if (sub === 'add') return 'apk add without --no-cache leaves the package index in the layer';
    if (sub === 'update' || flag)
      return `${sub === 'update' || !sub ? 'apk update' : `apk ${sub} ${flag}`} stores the package index in /var/cache/apk, which stays in the layer: apk add --no-cache fetches its own, or rm -rf /var/cache/apk/* in the same RUN`;
  }
  return undefined;
}

function removed(ins: Instruction): { path: string; at: Instruction }[] {
  const out: { path: string; at: Instruction }[] = [];
  for (const c of ins.commands) {
    const w = c.words.map((x) => x.value);
    if (w[0] === 'rm')
      out.push(
        ...w
          .slice(1)
          .filter((x) => !x.startsWith('-'))
          .map((path) => ({ path, at: ins })),
      );
    if (aptDoes(w) === 'clean') out.push({ path: '/var/cache/apt', at: ins });
    // `apt-get dist-clean` (apt 2.7.8 and later) removes the package lists as well as the cache.
    if (aptDoes(w) === 'dist-clean')
      out.push({ path: '/var/lib/apt/lists', at: ins }, { path: '/var/cache/apt', at: ins });
  }
  return out;
}

function overlaps(a: string, b: string): boolean {
  const x = a.replace(/\/?\*$/, '').replace(/\/+$/, '');
  const y = b.replace(/\/?\*$/, '').replace(/\/+$/, '');
  if (!x || !y || x === '.' || y === '.') return false;
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}

function checkStage(stage: Stage): RuleHit[] {
  const hits: RuleHit[] = [];
  const earlier: { path: string; ins: Instruction }[] = [];
  let apkIndex = false;
  for (const ins of stage.instructions) {
    if (ins.keyword === 'RUN') {
      const own = created(ins);
      for (const r of removed(ins)) {
        const src = earlier.find((e) => overlaps(e.path, r.path) && !own.some((o) => overlaps(o, r.path)));
        if (src) {
          hits.push({
            message: `${r.path} is removed here but was created by line ${src.ins.span.line}: a later layer cannot shrink an earlier one; clean up in the same RUN`,
            span: ins.span,
          });
          break;
        }
      }
      const apkLeft = apkIndexLeft(ins, apkIndex);
      if (apkLeft) hits.push({ message: apkLeft, span: ins.span });
      if (apkLeft) apkIndex = true;
      else if (removed(ins).some((r) => overlaps(r.path, '/var/cache/apk'))) apkIndex = false;
    }
    for (const path of created(ins)) earlier.push({ path, ins });
  }
  return hits;
}

/** A command that runs a script: `./cleanup.sh`, `/scripts/cleanup`, `sh cleanup.sh`. */
function runsScript(words: string[]): boolean {
  const [name = '', first = ''] = words;
  if (isShell(name)) return first !== '' && !first.startsWith('-');
  return /\.(sh|bash)$/.test(name) || (name.includes('/') && !/^\/(usr\/)?s?bin\//.test(name));
}

/** What the apt commands of a RUN do: fetch the lists, install, remove the lists. */
function aptUse(ins: Instruction): {
  update: string | undefined;
  install: string | undefined;
  cleaned: boolean;
} {
  let update: string | undefined;
  let install: string | undefined;
  let cleaned = false;
  for (const c of ins.commands) {
    const w = c.words.map((x) => x.value);
    const does = aptDoes(w);
    if (does === 'update') update ??= w[0];
    if (does === 'install') install ??= w[0];
    if (does === 'dist-clean' || (w[0] === 'rm' && w.some((x) => removesIn(x, '/var/lib/apt/lists'))))
      cleaned = true;
    // A script run after the update may remove the lists itself (a cleanup.sh): goimg cannot tell.
    if (update && runsScript(w)) cleaned = true;
  }
  return { update, install, cleaned };
}

/**
 * RUN steps whose `apt-get update` leaves the package lists in their layer. apt-get install
 * alone writes no lists; a later RUN that installs without its own update uses the earlier
 * lists, so cleaning them where they were fetched would break it: the advice is then one RUN.
 */
function aptListsLeft(runs: Instruction[]): RuleHit[] {
  const hits: RuleHit[] = [];
  const uses = runs.map(aptUse);
  runs.forEach((ins, k) => {
    const u = uses[k]!;
    if (!u.update || u.cleaned || cacheMounted(ins, '/var/lib/apt')) return;
    const relying: number[] = [];
    for (let j = k + 1; j < runs.length && !uses[j]!.update; j++) {
      if (uses[j]!.install) relying.push(runs[j]!.span.line);
      if (uses[j]!.cleaned) break;
    }
    const message =
      relying.length > 0
        ? `${u.update} update leaves the package lists in this layer, and the install on ${relying.length === 1 ? 'line' : 'lines'} ${relying.join(', ')} uses them: update, install and rm -rf /var/lib/apt/lists/* in one RUN`
        : `${u.install ?? u.update} ${u.install ? 'install' : 'update'} without rm -rf /var/lib/apt/lists/* (or apt-get dist-clean) in the same RUN leaves the package lists in the layer`;
    hits.push({ message, span: ins.span });
  });
  return hits;
}

export function check(ctx: AuditContext): RuleHit[] {
  // Only layers that ship count: builder stages are thrown away.
  const final = ctx.facts.finalStage;
  // A test runner (an entry point running go) is not shipped: its layers' size does not matter.
  if (!final || runsGo(ctx, final)) return [];
  const lineage = ctx.facts.lineage(final);
  const runs = lineage.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN');
  const hits = [...lineage.flatMap(checkStage), ...aptListsLeft(runs)];
  return hits.sort((a, b) => (a.span?.line ?? 0) - (b.span?.line ?? 0));
}
