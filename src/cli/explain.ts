/**
 * `goimg explain [RULE]`: a rule's documentation offline (why it matters, a bad and a good
 * example, the fix, its severity), or the list of rules without an argument. The text is the
 * one docs/rules.md is generated from.
 */
import { ExitCode, UsageError } from '../core/errors.js';
import {
  renderExplainJson,
  renderExplainText,
  renderRuleListJson,
  renderRuleListText,
} from '../report/explain.js';
import { visible } from '../report/sanitize.js';
import { ruleDoc, ruleDocs } from '../rules/examples.js';
import type { Command } from './command.js';

/** Edit distance between two short strings (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** Longer than any rule id could plausibly be mistyped from. */
const MAX_GUESS = 64;

/** The rule id closest to what the user typed, when one is close enough to be a likely typo. */
export function closestRule(input: string, ids: readonly string[]): string | undefined {
  const typed = input.trim().toLowerCase();
  if (typed === '' || typed.length > MAX_GUESS) return undefined;
  const containing = ids.filter((id) => id.includes(typed) || typed.includes(id));
  if (containing.length > 0) return [...containing].sort((a, b) => a.length - b.length)[0];
  let best: { id: string; d: number } | undefined;
  for (const id of ids) {
    const d = distance(typed, id);
    if (best === undefined || d < best.d) best = { id, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.id.length / 2)) ? best.id : undefined;
}

export const explainCommand: Command = {
  name: 'explain',
  summary: "a rule's documentation offline: why it matters, bad and good example, fix, severity",
  usage: 'goimg explain [RULE] [--format text|json]',
  help: [
    "With a rule id (as shown in a finding), prints the rule's documentation: why it matters, a",
    'Dockerfile that triggers it and one that does not, how to fix it (and whether `goimg audit',
    "--fix` can), and its default severity. Without one, lists every rule's id, severity and title.",
    '',
    'Examples:',
    '  goimg explain libc-mismatch',
    '  goimg explain',
    '  goimg explain no-trimpath --format json',
  ].join('\n'),
  formats: ['text', 'json'],
  options: {},
  async run(ctx) {
    if (ctx.args.length > 1) {
      throw new UsageError(
        `explain takes one rule id, got ${ctx.args.length}`,
        "run 'goimg explain' for the list of rules",
      );
    }
    const [id] = ctx.args;
    if (id === undefined) {
      const rules = ruleDocs();
      ctx.out.result(
        ctx.format === 'json' ? renderRuleListJson(rules) : renderRuleListText(rules, ctx.out.paint),
      );
      return ExitCode.Clean;
    }
    const rule = ruleDoc(id);
    if (!rule) {
      const guess = closestRule(
        id,
        ruleDocs().map((r) => r.id),
      );
      throw new UsageError(
        `unknown rule "${visible(id.length > MAX_GUESS ? `${id.slice(0, MAX_GUESS)}…` : id)}"`,
        guess
          ? `did you mean '${guess}'? run 'goimg explain ${guess}', or 'goimg explain' for the list of rules`
          : "run 'goimg explain' for the list of rules",
      );
    }
    ctx.out.result(ctx.format === 'json' ? renderExplainJson(rule) : renderExplainText(rule, ctx.out.paint));
    return ExitCode.Clean;
  },
};
