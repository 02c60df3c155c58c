import { posix } from 'node:path';
import type { AuditContext, RuleHit } from '../../audit/context.js';
import { copySources } from '../../audit/context.js';

export const id = 'dockerignore-excludes-needed';

export const examples = {
  bad: '.dockerignore:\n*.mod\n\nDockerfile:\nCOPY go.mod go.sum ./',
  good: '.dockerignore:\n.git\nbin/\n\nDockerfile:\nCOPY go.mod go.sum ./',
};

const GLOB = /[*?[\]]/;

export function check(ctx: AuditContext): RuleHit[] {
  if (!ctx.context.dockerignore) return [];
  const hits: RuleHit[] = [];
  const seen = new Set<string>();
  for (const ins of ctx.df.instructions) {
    if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || ins.flags.some((f) => f.name === 'from'))
      continue;
    for (const src of copySources(ins).sources) {
      if (GLOB.test(src) || /^[a-z]+:\/\//.test(src) || src.includes('$')) continue;
      const path = posix
        .normalize(src)
        .replace(/^\.?\/+/, '')
        .replace(/\/+$/, '');
      if (path === '' || path === '.' || path.startsWith('..')) continue;
      if (ctx.context.isExcluded(path) && !seen.has(path)) {
        seen.add(path);
        hits.push({
          message: `${ctx.context.dockerignore.file} excludes ${path}, which this ${ins.keyword} needs: the build fails or uses a stale file`,
          span: ins.span,
        });
      }
    }
  }
  // Files the Go build reads (sources, embeds, replace targets) found excluded in the context.
  for (const x of ctx.context.excludedNeeded ?? []) {
    const top = x.path.split('/')[0]!;
    if (seen.has(x.path) || seen.has(top)) continue;
    seen.add(x.path);
    hits.push({
      message: `${ctx.context.dockerignore.file} excludes ${x.path} (${x.why})${x.pattern ? ` through the pattern ${x.pattern}` : ''}: the build fails or silently differs`,
      file: ctx.context.dockerignore.file,
      line: x.line ?? 1,
    });
  }
  for (const dir of ctx.project?.localReplaceDirs ?? []) {
    const path = posix.normalize(dir).replace(/\/+$/, '');
    if (path.startsWith('..') || seen.has(path)) continue;
    if (ctx.context.isExcluded(path) || ctx.context.isExcluded(`${path}/go.mod`)) {
      seen.add(path);
      hits.push({
        message: `${ctx.context.dockerignore.file} excludes ${path}, the target of a local replace in go.mod: go mod download fails`,
        file: ctx.context.dockerignore.file,
        line: 1,
      });
    }
  }
  return hits;
}
