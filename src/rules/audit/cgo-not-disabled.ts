import type { AuditContext, RuleHit } from '../../audit/context.js';
import { mismatch } from './libc-mismatch.js';
import { buildSpan, cgoOn, disableCgoEdit } from './support.js';

export const id = 'cgo-not-disabled';

export const examples = {
  bad: 'FROM golang:1.23 AS build\nRUN go build -o /app .',
  good: 'FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /app .',
};

export const fixDescription = 'Prefixes the go build with CGO_ENABLED=0.';

export function check(ctx: AuditContext): RuleHit[] {
  const project = ctx.project;
  if (!project || project.cgoRequired) return [];
  const hits: RuleHit[] = [];
  for (const build of ctx.facts.allBuilds()) {
    if (cgoOn(ctx, build) !== 'default') continue;
    // libc-mismatch reports the same build with the stronger reason.
    if (mismatch(ctx, build)) continue;
    hits.push({
      message: `go build without CGO_ENABLED=0 in a builder with a C compiler: the project needs no cgo, but ${project.cgoEvidence.length > 0 ? 'its net/os/user imports will link libc' : 'the binary may link libc'}; set CGO_ENABLED=0 for a static binary`,
      span: buildSpan(ctx, build),
      fix: { description: 'set CGO_ENABLED=0', edits: [disableCgoEdit(ctx, build)] },
    });
  }
  return hits;
}
