import { posix } from 'node:path';
import type { Instruction } from '../../dockerfile/model.js';
import { type BuildRead, buildReads, GIT_READ } from './build-reads.js';
import type { AuditContext, RuleHit } from './context.js';
import { copiesFromContext, copySources } from './context.js';

export const id = 'dockerignore-excludes-needed';

export const examples = {
  bad: '.dockerignore:\n*.mod\n\nDockerfile:\nCOPY go.mod go.sum ./',
  good: '.dockerignore:\n.git\nbin/\n\nDockerfile:\nCOPY go.mod go.sum ./',
};

const GLOB = /[*?[\]]/;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A directory the ignore file excludes still reaches the builder with what an exception pattern
 * lets through below it (`readme` then `!readme/*.go`): a COPY of it copies those files.
 */
function sendsSomethingBelow(ctx: AuditContext, dir: string): boolean {
  const inv = ctx.context.inventory;
  const prefix = `${dir}/`;
  if (inv) return inv.isDir(dir) && inv.files.some((f) => f.startsWith(prefix) && !inv.excluded.has(f));
  // Without the walk, an exception pattern below the directory may let something through.
  return (ctx.context.dockerignore?.text ?? '').split('\n').some((line) => {
    const t = line.trim();
    return t.startsWith('!') && t.slice(1).replace(/^\/+/, '').startsWith(prefix);
  });
}

export function check(ctx: AuditContext): RuleHit[] {
  const di = ctx.context.dockerignore;
  if (!di) return [];
  const hits: RuleHit[] = [];
  const named = new Set<string>();
  // Sources a COPY/ADD names literally: the instruction fails when they are excluded (in the
  // stages a default build runs).
  for (const ins of ctx.facts.builtStages().flatMap((s) => s.instructions)) {
    if (!copiesFromContext(ins)) continue;
    for (const src of copySources(ins).sources) {
      if (GLOB.test(src) || /^[a-z]+:\/\//.test(src) || src.includes('$')) continue;
      const path = posix
        .normalize(src)
        .replace(/^\.?\/+/, '')
        .replace(/\/+$/, '');
      if (path === '' || path === '.' || path.startsWith('..')) continue;
      if (ctx.context.isExcluded(path) && !sendsSomethingBelow(ctx, path) && !named.has(path)) {
        named.add(path);
        hits.push({
          message: `${di.file} excludes ${path}, which this ${ins.keyword} needs: the build fails or uses a stale file`,
          span: ins.span,
        });
      }
    }
  }
  // What the build's commands read (Go packages it compiles, make files, scripts, .git),
  // one finding per responsible pattern.
  const inv = ctx.context.inventory;
  if (!inv) return hits;
  const reads = ctx.facts.cached('buildReads', () => buildReads(ctx.facts, ctx.project, ctx.context));
  const byPattern = new Map<
    string,
    { line: number; pattern: string; paths: Set<string>; example: string; why: string }
  >();
  for (const r of reads.reads) {
    if (!r.certain || r.why.endsWith(' source') || named.has(r.path)) continue;
    const excluded = r.tree ? inv.excluded.has(r.path) || inv.isExcluded(r.path) : inv.excluded.has(r.path);
    if (!excluded) continue;
    const culprit = inv.culprit(r.path);
    const key = culprit ? `${culprit.line}` : '?';
    let g = byPattern.get(key);
    if (!g) {
      g = {
        line: culprit?.line ?? 1,
        pattern: culprit?.pattern ?? '',
        paths: new Set(),
        example: r.path,
        why: r.why,
      };
      byPattern.set(key, g);
    }
    g.paths.add(r.path);
  }
  hits.push(...gitWithoutRepository(ctx, reads.reads, di.file));
  for (const g of [...byPattern.values()].sort((a, b) => a.line - b.line)) {
    const n = g.paths.size;
    const what =
      n === 1
        ? `${g.example} (${g.why})`
        : `${plural(n, 'path', 'paths')} the build reads, such as ${g.example} (${g.why})`;
    hits.push({
      message: `${di.file} excludes ${what}${g.pattern ? ` through the pattern ${g.pattern}` : ''}: the build fails without it`,
      file: di.file,
      line: g.line,
    });
  }
  return hits;
}

/**
 * git run inside a command's text (`-X main.version=$(git describe)`) on a checkout whose .git
 * the .dockerignore excludes: git fails, the RUN goes on, and what it printed is empty. A warning:
 * the build succeeds, with a wrong stamp. A fallback written out (`|| echo dev`) is deliberate.
 */
function gitWithoutRepository(ctx: AuditContext, reads: readonly BuildRead[], file: string): RuleHit[] {
  const inv = ctx.context.inventory;
  const hits: RuleHit[] = [];
  // A RUN whose git command fails it is reported as an error already.
  const seen = new Set<Instruction>(reads.filter((r) => r.certain && r.why === GIT_READ).map((r) => r.ins));
  for (const r of reads) {
    if (r.certain || r.guess || r.why !== GIT_READ || seen.has(r.ins)) continue;
    if (!inv?.isDir(r.path) || !(inv.excluded.has(r.path) || inv.isExcluded(r.path))) continue;
    if (/\|\||2>\s*\/dev\/null/.test(r.ins.argsText)) continue;
    seen.add(r.ins);
    hits.push({
      message: `${file} excludes ${r.path}, which git in this RUN reads: git fails, and what it prints (a version stamp) comes out empty; keep ${r.path} in the context or pass the version as a build argument`,
      span: r.ins.span,
      severity: 'warning',
    });
  }
  return hits;
}
