import { type AuditContext, mountTarget, type RuleHit } from './context.js';
import { mountKind } from './no-go-cache-mount.js';
import { goCachePaths, goRuns, isRootUser, normPath, userAt } from './support.js';

export const id = 'cache-mount-target-mismatch';

export const examples = {
  bad: 'ENV GOCACHE=/cache/go\nRUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .',
  good: 'ENV GOCACHE=/cache/go\nRUN --mount=type=cache,target=/cache/go go build -o /app .',
};

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const stage of ctx.df.stages) {
    for (const run of goRuns(ctx, stage)) {
      const paths = goCachePaths(ctx, run.ins);
      for (const f of run.ins.flags) {
        if (f.name !== 'mount' || f.options.type !== 'cache') continue;
        const target = mountTarget(f);
        if (!target) continue;
        const kind = mountKind(target, paths);
        if (!kind) continue;
        const actual = kind === 'build' ? paths.gocache : paths.gomodcache;
        const label = kind === 'build' ? 'GOCACHE' : 'GOMODCACHE';
        if (actual !== undefined) {
          if (normPath(actual) === normPath(target)) continue;
          hits.push({
            message: `the cache mount targets ${target} but the builder's ${label} is ${actual}: the mount does nothing and every build is cold`,
            span: f.span,
          });
        } else if (target.startsWith('/root/') && !isRootUser(userAt(ctx, run.ins))) {
          hits.push({
            message: `the cache mount targets ${target} but the build runs as USER ${userAt(ctx, run.ins)}, whose home is not /root: set ${label} explicitly or mount at the user's cache`,
            span: f.span,
          });
        }
      }
    }
  }
  return hits;
}
