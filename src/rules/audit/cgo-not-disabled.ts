import type { GoBuild } from '../../dockerfile/go-commands.js';
import { buildNeeds, cgoOn } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { mismatch, shippedLibcs } from './libc-mismatch.js';
import { buildSpan, disableCgoEdit, linksStatically } from './support.js';

export const id = 'cgo-not-disabled';

export const examples = {
  bad: 'FROM golang:1.23 AS build\nRUN go build -o /app .',
  good: 'FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .',
};

export const fixDescription = 'Prefixes the go build with CGO_ENABLED=0.';

export function check(ctx: AuditContext): RuleHit[] {
  if (!ctx.project) return [];
  const hits: RuleHit[] = [];
  for (const build of ctx.facts.allBuilds()) {
    if (cgoOn(ctx, build) !== 'default') continue;
    // libc-mismatch reports the same build with the stronger reason.
    if (mismatch(ctx, build)) continue;
    // Turning cgo off must not break a build that needs it: what the binary imports, or a
    // cgo-only module the project requires (a dependency goimg cannot read may import it).
    const needs = buildNeeds(ctx, build);
    if (!needs || needs.cgoRequired || ctx.project.cgoRequired) continue;
    // Already static: -extldflags -static, or the pure-Go resolver and user lookup.
    if (linksStatically(build.ldflags)) continue;
    if (build.tags.includes('netgo') && build.tags.includes('osusergo')) continue;
    // A runtime with the builder's libc runs the dynamic binary: a static one is hygiene there.
    const sameLibc = runsOnBuildersLibc(ctx, build);
    hits.push({
      message: `go build without CGO_ENABLED=0 in a builder with a C compiler: the program needs no cgo, but ${needs.cgoEvidence.length > 0 ? 'its net/os/user imports will link libc' : 'the binary may link libc'}; set CGO_ENABLED=0 for a static binary${sameLibc ? ` (the final image has the same ${sameLibc}, so it runs as it is; a static binary runs on any base)` : ''}`,
      span: buildSpan(ctx, build),
      fix: { description: 'set CGO_ENABLED=0', edits: [disableCgoEdit(ctx, build)] },
      ...(sameLibc ? { severity: 'info' as const } : {}),
    });
  }
  return hits;
}

/** The libc the builder and the final image share, when the build's program ships in it. */
function runsOnBuildersLibc(ctx: AuditContext, build: GoBuild): string | undefined {
  const { have, run } = shippedLibcs(ctx, build) ?? {};
  return have && have !== 'none' && have === run ? have : undefined;
}
