import { evidenceWhere, shippedPrograms, tlsCallEvidence } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { copySources } from './context.js';
import { copiesRootTree, startsNothing } from './support.js';

export const id = 'missing-ca-certificates';

export const examples = {
  bad: 'FROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
  good: 'FROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
};

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  if (!final || ctx.facts.base(final).caCerts !== false || startsNothing(ctx, final)) return [];
  if (copiesRootTree(ctx, final)) return [];
  const lineage = ctx.facts.lineage(final);
  if (lineage.some((s) => s.env.has('SSL_CERT_FILE') || s.env.has('SSL_CERT_DIR'))) return [];
  const copied = lineage.some((s) =>
    s.instructions.some((i) => {
      if (i.keyword !== 'COPY' && i.keyword !== 'ADD') return false;
      const { sources, dest } = copySources(i);
      return [...sources, dest].some(
        (p) => p.includes('ca-certificates') || p.startsWith('/etc/ssl') || p.includes('/etc/pki'),
      );
    }),
  );
  if (copied) return [];
  for (const p of shippedPrograms(ctx) ?? []) {
    const e = tlsCallEvidence(p.needs);
    if (!e || p.needs.embedsCaRoots) continue;
    return [
      {
        message: `the program makes TLS calls${evidenceWhere(e)} but ${final.base} has no CA bundle: every HTTPS call fails with "x509: certificate signed by unknown authority"; copy /etc/ssl/certs/ca-certificates.crt in or use a base that has it`,
        span: ctx.facts.root(final).from.span,
      },
    ];
  }
  return [];
}
