import type { AuditContext, RuleHit } from './context.js';
import {
  buildSpan,
  debugBuild,
  goBefore,
  hasVariableFlags,
  insert,
  shippedProgramBuilds,
} from './support.js';

export const id = 'no-trimpath';

export const examples = {
  bad: 'RUN CGO_ENABLED=0 go build -o /app .',
  good: 'RUN CGO_ENABLED=0 go build -trimpath -o /app .',
};

export const fixDescription = 'Adds `-trimpath` after `go build`.';

export function check(ctx: AuditContext): RuleHit[] {
  return (
    shippedProgramBuilds(ctx)
      // A debugger build needs the source paths to find the files it shows.
      // -trimpath came with Go 1.13: an older toolchain rejects it.
      .filter((b) => !b.trimpath && !hasVariableFlags(b) && !debugBuild(b) && !goBefore(ctx, b, 13))
      .map((build) => ({
        message: `go ${build.subcommand} without -trimpath: build paths leak into the binary and builds differ across machines`,
        span: buildSpan(ctx, build),
        fix: { description: 'add -trimpath', edits: [insert(ctx, build.verb.end, ' -trimpath')] },
      }))
  );
}
