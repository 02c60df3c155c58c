/**
 * `goimg explain` output: one rule's documentation (why it matters, a bad and a good example, the
 * fix, its severity) or the list of rules, as text for people or as JSON.
 */
import type { Severity } from '../core/finding.js';
import { SEVERITY_POLICY } from '../rules/catalog.js';
import type { RuleDoc } from '../rules/examples.js';
import type { TextPalette } from './text.js';

/** What each severity means, in short (the severity policy of the rules catalog). */
export const SEVERITY_MEANING: Readonly<Record<Severity, string>> = Object.fromEntries(
  SEVERITY_POLICY.map((p) => [p.severity, p.meaning.split(':')[0]]),
) as Record<Severity, string>;

/** How a user changes a rule's level or silences it, for the commands that report it. */
export function overrideText(rule: RuleDoc): string {
  const ways: string[] = [];
  if (rule.checkedBy.includes('goimg audit'))
    ways.push(`\`--rule ${rule.id}=off|info|warning|error\` on goimg audit`);
  ways.push('the `rules:` section of `.goimg.yaml`');
  if (rule.checkedBy.includes('goimg audit'))
    ways.push(`\`# goimg-ignore ${rule.id} -- reason\` above one instruction`);
  const list = ways.length > 1 ? `${ways.slice(0, -1).join(', ')} or ${ways.at(-1)}` : ways[0];
  return `Change the level with ${list}.`;
}

/**
 * The same check in hadolint and BuildKit, so a team running them too can switch off the
 * duplicate; undefined when no other tool has it.
 */
export function sameAsText(rule: RuleDoc): string | undefined {
  const hadolint = rule.sameAs?.hadolint ?? [];
  const buildkit = rule.sameAs?.buildkit ?? [];
  const parts: string[] = [];
  if (hadolint.length > 0) parts.push(`hadolint ${hadolint.join(', ')}`);
  if (buildkit.length > 0)
    parts.push(
      `BuildKit's build check ${buildkit.join(', ')} (\`# check=skip=${buildkit.join(',')}\` in the Dockerfile skips it in both)`,
    );
  return parts.length > 0 ? `The same check as ${parts.join('; ')}.` : undefined;
}

/** Words of a text, a `quoted span` with spaces counting as one word so it stays on one line. */
function words(text: string): string[] {
  const out: string[] = [];
  let open: string | undefined;
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    const ticks = word.split('`').length - 1;
    if (open !== undefined) {
      open = `${open} ${word}`;
      if (ticks % 2 === 1) {
        out.push(open);
        open = undefined;
      }
    } else if (ticks % 2 === 1) {
      open = word;
    } else {
      out.push(word);
    }
  }
  if (open !== undefined) out.push(open);
  return out;
}

/** Greedy word wrap; a word longer than the width stays whole on its own line. */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words(text)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

const WIDTH = 80;
const INDENT = '  ';

/** One rule's documentation as text. */
export function renderExplainText(rule: RuleDoc, paint: TextPalette): string {
  const heading = (text: string) => paint.bold(text);
  const code = (text: string) => text.split('\n').map((l) => `${INDENT}${l}`);
  const out = [
    `${paint.bold(rule.id)}: ${rule.title}`,
    '',
    heading('Why it matters'),
    ...wrap(rule.why, WIDTH, INDENT),
    '',
    heading('Bad'),
    ...code(rule.examples.bad),
    '',
    heading('Good'),
    ...code(rule.examples.good),
    '',
    heading('Fix'),
    ...wrap(rule.fix, WIDTH, INDENT),
    '',
    heading('Severity'),
    ...wrap(
      `${rule.severity} by default: ${SEVERITY_MEANING[rule.severity]}. ${overrideText(rule)}`,
      WIDTH,
      INDENT,
    ),
    '',
  ];
  const same = sameAsText(rule);
  if (same !== undefined) out.push(heading('Other tools'), ...wrap(same, WIDTH, INDENT), '');
  out.push(paint.dim(`Category ${rule.category}; checked by ${rule.checkedBy.join(' and ')}.`));
  return `${out.join('\n')}\n`;
}

/** The list of rules as text: id, severity, title. */
export function renderRuleListText(rules: readonly RuleDoc[], paint: TextPalette): string {
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const sevWidth = Math.max(...rules.map((r) => r.severity.length));
  const out = rules.map(
    (r) =>
      `${r.id.padEnd(idWidth)}  ${r.severity.padEnd(sevWidth)}  ${r.title}${r.fixable ? paint.dim(' (fixable)') : ''}`,
  );
  out.push('', `${rules.length} rules. Run 'goimg explain RULE' for one rule's documentation.`);
  return `${out.join('\n')}\n`;
}

export interface ExplainJson {
  version: 1;
  rule: RuleDoc;
}

export interface RuleListJson {
  version: 1;
  rules: Pick<RuleDoc, 'id' | 'severity' | 'category' | 'scope' | 'fixable' | 'title'>[];
}

function ruleJson(rule: RuleDoc): RuleDoc {
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    category: rule.category,
    scope: rule.scope,
    fixable: rule.fixable,
    checkedBy: rule.checkedBy,
    why: rule.why,
    examples: { bad: rule.examples.bad, good: rule.examples.good },
    fix: rule.fix,
    ...(rule.sameAs !== undefined ? { sameAs: rule.sameAs } : {}),
  };
}

export function renderExplainJson(rule: RuleDoc): string {
  const report: ExplainJson = { version: 1, rule: ruleJson(rule) };
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function renderRuleListJson(rules: readonly RuleDoc[]): string {
  const report: RuleListJson = {
    version: 1,
    rules: rules.map((r) => ({
      id: r.id,
      severity: r.severity,
      category: r.category,
      scope: r.scope,
      fixable: r.fixable,
      title: r.title,
    })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
