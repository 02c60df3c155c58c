import type { AuditContext, RuleHit } from '../../audit/context.js';
import type { Edit } from '../../fix/edit.js';
import { goCachePaths, goRuns, indentAt, insert, syntaxDirectiveEdit } from './support.js';

export const id = 'no-go-cache-mount';

export const examples = {
  bad: 'RUN go mod download\nRUN go build -o /app .',
  good: '# syntax=docker/dockerfile:1\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache/go-build \\\n    go build -o /app .',
};

export const fixDescription =
  "Adds `--mount=type=cache` for the module cache and the build cache at the builder's real GOMODCACHE/GOCACHE paths, and the `# syntax=docker/dockerfile:1` directive.";

/** What a cache mount target caches, judged by the path. */
export function mountKind(
  target: string,
  paths: { gocache?: string; gomodcache?: string },
): 'build' | 'mod' | undefined {
  const t = target.replace(/\/+$/, '');
  if (t === paths.gocache || /go-build$/.test(t) || /\.cache\/go/.test(t)) return 'build';
  if (t === paths.gomodcache || /pkg\/mod$/.test(t)) return 'mod';
  return undefined;
}

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const stage of ctx.df.stages) {
    for (const run of goRuns(ctx, stage)) {
      const paths = goCachePaths(ctx, run.ins);
      const kinds = new Set(
        run.ins.flags
          .filter((f) => f.name === 'mount' && (f.options.type ?? 'bind') === 'cache')
          .map((f) => mountKind(f.options.target ?? f.options.dst ?? f.options.destination ?? '', paths)),
      );
      const missing: ('mod' | 'build')[] = [];
      if (!kinds.has('mod')) missing.push('mod');
      if (run.build && !kinds.has('build')) missing.push('build');
      if (missing.length === 0) continue;
      const names = missing.map((m) => (m === 'mod' ? 'module cache' : 'build cache')).join(' and the ');
      const hit: RuleHit = {
        message: `${run.build ? 'go build' : 'go mod download'} runs without a BuildKit cache mount for the ${names}: every build starts cold`,
        span: run.ins.span,
      };
      const targets = missing.map((m) => (m === 'mod' ? paths.gomodcache : paths.gocache));
      if (targets.every((t) => t !== undefined)) {
        // One mount per line, as in Docker's Go guide; on one line before a heredoc marker.
        const sep =
          run.ins.heredocs.length > 0
            ? ' '
            : ` ${ctx.df.escape}${ctx.df.eol}${indentAt(ctx, run.ins.span.start)}    `;
        const edits: Edit[] = [
          insert(ctx, run.ins.argsStart, targets.map((t) => `--mount=type=cache,target=${t}${sep}`).join('')),
        ];
        const directive = syntaxDirectiveEdit(ctx);
        if (directive) edits.push(directive);
        hit.fix = { description: `mount ${targets.join(' and ')} as caches`, edits };
      }
      hits.push(hit);
    }
  }
  return hits;
}
