import type { AuditContext, RuleHit } from '../../audit/context.js';
import type { Instruction } from '../../dockerfile/model.js';
import { insertLinesAfter, insertLinesBefore, isRootUser } from './support.js';

export const id = 'runs-as-root';

export const examples = {
  bad: 'FROM alpine:3.22\nCOPY --from=build /app /app\nCMD ["/app"]',
  good: 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
};

export const fixDescription =
  'Adds `USER 65532:65532` (distroless nonroot) or `USER 65534:65534` (nobody, present in alpine and debian) before CMD/ENTRYPOINT.';

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  if (!final) return [];
  let lastUser: Instruction | undefined;
  for (const s of ctx.facts.lineage(final))
    for (const i of s.instructions) if (i.keyword === 'USER') lastUser = i;
  const base = ctx.facts.base(final);
  if (lastUser) {
    const user = lastUser.args[0]?.value ?? '';
    if (user.includes('$') || !isRootUser(user)) return [];
    return [
      { message: `the final stage switches to USER ${user}: the service runs as root`, span: lastUser.span },
    ];
  }
  if (base.nonRoot) return [];
  const uid = base.kind === 'distroless' ? '65532:65532' : '65534:65534';
  const start = final.instructions.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  const last = final.instructions[final.instructions.length - 1] ?? final.from;
  const edit = start
    ? insertLinesBefore(ctx, start, [`USER ${uid}`])
    : insertLinesAfter(ctx, last, [`USER ${uid}`]);
  return [
    {
      message: `the final stage (${final.base}) sets no USER, so the container runs as root; add USER ${uid} or use a nonroot base tag`,
      span: ctx.facts.root(final).from.span,
      fix: { description: `run as ${uid}`, edits: [edit] },
    },
  ];
}
