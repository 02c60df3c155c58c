/**
 * Hover text for a finding: the finding's message, then the rule's documentation as `goimg
 * explain` gives it (why it matters, bad and good example, the fix), in Markdown.
 */
import { SEVERITY_MEANING } from '../report/explain.js';
import { ruleDoc } from '../rules/examples.js';

function fence(text: string): string {
  // A fence longer than any backtick run inside keeps the example whole.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}dockerfile\n${text}\n${ticks}`;
}

/** Markdown for one finding of `rule`; undefined for an id the catalog does not know. */
export function hoverMarkdown(rule: string, message: string): string | undefined {
  const doc = ruleDoc(rule);
  if (!doc) return undefined;
  return [
    `**goimg ${doc.id}** (${doc.severity}): ${doc.title}`,
    '',
    message,
    '',
    '**Why it matters.** ' + doc.why,
    '',
    '**Bad**',
    fence(doc.examples.bad),
    '**Good**',
    fence(doc.examples.good),
    `**Fix.** ${doc.fix}`,
    '',
    `_${doc.severity}: ${SEVERITY_MEANING[doc.severity]}_`,
  ].join('\n');
}
