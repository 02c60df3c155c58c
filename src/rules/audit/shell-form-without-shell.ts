import { splitShell } from '../../dockerfile/shell.js';
import type { AuditContext, RuleHit } from './context.js';
import { replace } from './support.js';

export const id = 'shell-form-without-shell';

export const examples = {
  bad: 'FROM scratch\nCOPY --from=build /app /app\nCMD /app --port 8080',
  good: 'FROM scratch\nCOPY --from=build /app /app\nCMD ["/app", "--port", "8080"]',
};

export const fixDescription =
  'Rewrites a simple shell-form command (no operators, variables or globs) in exec form.';

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  if (!final || ctx.facts.base(final).shell !== false) return [];
  if (ctx.facts.lineage(final).some((s) => s.instructions.some((i) => i.keyword === 'SHELL'))) return [];
  const hits: RuleHit[] = [];
  for (const ins of final.instructions) {
    if (
      (ins.keyword !== 'CMD' && ins.keyword !== 'ENTRYPOINT') ||
      ins.exec !== null ||
      ins.argsText.trim() === ''
    )
      continue;
    const hit: RuleHit = {
      message: `shell-form ${ins.keyword} runs /bin/sh -c, but ${final.base} has no shell: the container cannot start; use exec form`,
      span: ins.span,
    };
    const cmds = splitShell(ins.argsText, { base: ins.argsStart, escape: ctx.df.escape });
    const simple =
      cmds.length === 1 &&
      cmds[0]!.assignments.length === 0 &&
      cmds[0]!.words.every((w) => !/[$*?`]/.test(w.value)) &&
      !/[|&;<>()]/.test(ins.argsText);
    if (simple) {
      const json = `[${cmds[0]!.words.map((w) => JSON.stringify(w.value)).join(', ')}]`;
      hit.fix = { description: 'use exec form', edits: [replace(ctx, ins.argsStart, ins.span.end, json)] };
    }
    hits.push(hit);
  }
  return hits;
}
