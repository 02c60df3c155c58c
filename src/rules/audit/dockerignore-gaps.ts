import { posix } from 'node:path';
import { scopeAt } from '../../dockerfile/instruction.js';
import { substitute } from '../../dockerfile/parse.js';
import {
  type AuditContext,
  copiesFromContext,
  copySources,
  isContextMount,
  isRemoteSource,
  type RuleHit,
} from './context.js';

export const id = 'dockerignore-gaps';

export const examples = {
  bad: '.dockerignore:\nbin/',
  good: '.dockerignore:\n.git\nbin/\n**/testdata\n.env\n*.pem\n.idea\n.vscode\nnode_modules',
};

/**
 * Below this many bytes a leak costs nothing worth a finding (a few .gitignore files, an
 * editor folder); secrets are reported whatever their size.
 */
const NEGLIGIBLE_BYTES = 4 * 1024;

/**
 * The context paths the Dockerfile's COPY/ADD sources and bind mounts name, or null when one of
 * them is the whole context (`.`, a variable). BuildKit sends only the named paths otherwise.
 */
function namedPaths(ctx: AuditContext): string[] | null {
  const out: string[] = [];
  const clean = (v: string) => posix.normalize(`/${v}`).slice(1);
  for (const stage of ctx.df.stages) {
    for (const ins of stage.instructions) {
      const sources: string[] = [];
      if (copiesFromContext(ins)) sources.push(...copySources(ins).sources.filter((s) => !isRemoteSource(s)));
      for (const f of ins.flags)
        if (isContextMount(f)) sources.push(f.options.source ?? f.options.src ?? '.');
      for (const src of sources) {
        const v = substitute(src, scopeAt(ins));
        if (v.startsWith('$') || clean(v) === '' || /[*?[]/.test(v.split('/')[0]!)) return null;
        out.push(
          clean(v)
            .replace(/[*?[].*$/, '')
            .replace(/\/$/, ''),
        );
      }
    }
  }
  return out;
}

/** Whether a leaking path (the top of its tree) lies in, or holds, a path the build names. */
function isSent(example: string, named: readonly string[]): boolean {
  return named.some((n) => n === example || n.startsWith(`${example}/`) || example.startsWith(`${n}/`));
}

export function check(ctx: AuditContext): RuleHit[] {
  const di = ctx.context.dockerignore;
  const gaps = ctx.context.gaps;
  if (!di || !gaps || gaps.length === 0) return [];
  const named = namedPaths(ctx);
  return (
    gaps
      .filter((g) => g.category === 'secrets' || g.bytes >= NEGLIGIBLE_BYTES)
      // Only what the build sends: a leak outside every path it names costs nothing.
      .filter((g) => named === null || !g.examples || g.examples.some((e) => isSent(e, named)))
      .map((g) => ({
        message: `.dockerignore lets through ${g.what} (${g.files} files, ${g.bytes} bytes); add \`${g.pattern}\``,
        file: di.file,
        line: 1,
      }))
  );
}
