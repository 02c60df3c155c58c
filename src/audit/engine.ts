/**
 * The audit engine for one Dockerfile: parse, run every rule, attach catalog severities,
 * honour inline ignores and BuildKit's `# check=` directive. Pure: the caller supplies the text, the project and context facts.
 */
import { InputError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import type { DockerfileModel, Span } from '../dockerfile/model.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import type { Fix } from '../fix/edit.js';
import type { ProjectModel } from '../project/model.js';
import { bundledReleaseData } from '../releases/bundled.js';
import type { ReleaseData } from '../releases/types.js';
import {
  type AuditContext,
  type BuildContextInfo,
  Facts,
  type RuleHit,
  type RuleModule,
} from '../rules/audit/context.js';
import { AUDIT_RULES } from '../rules/audit/index.js';
import { getRule } from '../rules/catalog.js';
import { applyCheckDirective } from './check-directive.js';

export interface AuditFinding extends Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixable: boolean;
  /** The fix, when the rule offers one (not part of the JSON contract). */
  fix?: Fix;
}

export interface AuditInput {
  /** Dockerfile path relative to the audited directory. */
  file: string;
  text: string;
  project?: ProjectModel;
  context?: BuildContextInfo;
  /** "Today", for end-of-life checks. */
  now?: Date;
  /** Go releases and base-image lifecycles (loaded by the caller); default: the bundled snapshot. */
  releases?: ReleaseData;
  rules?: readonly RuleModule[];
  /** The stage the build stops at (`docker build --target`): it is the image, and stages it does not need are not judged. */
  target?: string;
  /** Values passed as with `docker build --build-arg NAME=VALUE`: they replace ARG defaults. */
  buildArgs?: ReadonlyMap<string, string>;
}

export const EMPTY_CONTEXT: BuildContextInfo = { isExcluded: () => false, prefix: '' };

function finding(
  rule: string,
  file: string,
  message: string,
  span: Pick<Span, 'line' | 'column' | 'endLine' | 'endColumn'>,
  fix?: Fix,
): AuditFinding {
  const f: AuditFinding = {
    rule,
    severity: getRule(rule).severity,
    file,
    line: span.line,
    column: span.column,
    endLine: span.endLine,
    endColumn: span.endColumn,
    message,
    fixable: fix !== undefined && fix.edits.length > 0,
  };
  if (f.fixable) f.fix = fix;
  return f;
}

function toFinding(rule: string, input: AuditInput, hit: RuleHit): AuditFinding {
  const f = placeFinding(rule, input, hit);
  if (hit.severity) f.severity = hit.severity;
  return f;
}

function placeFinding(rule: string, input: AuditInput, hit: RuleHit): AuditFinding {
  if (hit.span) return finding(rule, input.file, hit.message, hit.span, hit.fix);
  const line = hit.line ?? 1;
  return finding(
    rule,
    hit.file ?? input.file,
    hit.message,
    { line, column: 1, endLine: line, endColumn: 1 },
    hit.fix,
  );
}

/** Rule ids listed after `goimg-ignore` / `goimg-ignore-file` in a comment. */
function ignoreIds(comment: string, directive: string): string[] | undefined {
  const m = new RegExp(`^#?\\s*${directive}\\s+([^\\s][^]*)$`).exec(comment.trim());
  if (!m) return undefined;
  const list = m[1]!.split(/\s+--(\s|$)/)[0]!;
  return list
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Applies `# goimg-ignore` (next instruction) and `# goimg-ignore-file` comments. */
export function applyInlineIgnores(
  df: DockerfileModel,
  file: string,
  findings: AuditFinding[],
): AuditFinding[] {
  const fileWide = new Set<string>();
  const ranges: { ids: Set<string>; line: number; endLine: number }[] = [];
  for (const c of df.comments) {
    const text = `# ${c.text}`;
    const all = ignoreIds(text, 'goimg-ignore-file');
    if (all) {
      for (const id of all) fileWide.add(id);
      continue;
    }
    const ids = ignoreIds(text, 'goimg-ignore');
    if (!ids) continue;
    const next = df.instructions.find((i) => i.span.line > c.span.line);
    if (next) ranges.push({ ids: new Set(ids), line: next.span.line, endLine: next.span.endLine });
  }
  if (fileWide.size === 0 && ranges.length === 0) return findings;
  return findings.filter((f) => {
    if (f.file !== file) return !fileWide.has(f.rule);
    if (fileWide.has(f.rule) || fileWide.has('all')) return false;
    return !ranges.some(
      (r) => (r.ids.has(f.rule) || r.ids.has('all')) && f.line >= r.line && f.line <= r.endLine,
    );
  });
}

/** Audits one Dockerfile. A file Docker would reject yields `parse-error`; only a --target naming no stage throws (an InputError). */
export function auditDockerfile(input: AuditInput): AuditFinding[] {
  let parsed: ReturnType<typeof parseDockerfile>;
  try {
    parsed = parseDockerfile(input.text, input.buildArgs);
  } catch (err) {
    return [
      finding('parse-error', input.file, `cannot parse: ${(err as Error).message}`, {
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
      }),
    ];
  }
  if (parsed.problem) {
    const { message, reason } = parsed.problem;
    const text = reason ? `${message} (BuildKit: ${reason})` : message;
    return [finding('parse-error', input.file, text, parsed.problem.span)];
  }
  const df = parsed.model;
  const facts = new Facts(df);
  if (input.target !== undefined) {
    const stage = facts.stageRef(input.target);
    if (!stage || stage.name !== input.target.toLowerCase())
      throw new InputError(
        `${input.file} has no stage named ${input.target}`,
        `name one of its stages: ${df.stages.flatMap((s) => (s.name ? [s.name] : [])).join(', ') || '(none is named)'}`,
      );
    facts.target = stage;
  }
  const ctx: AuditContext = {
    file: input.file,
    df,
    context: input.context ?? EMPTY_CONTEXT,
    now: input.now ?? new Date(),
    releases: input.releases ?? bundledReleaseData(),
    facts,
  };
  if (input.project) ctx.project = input.project;
  let out: AuditFinding[] = [];
  for (const rule of input.rules ?? AUDIT_RULES) {
    for (const hit of rule.check(ctx)) out.push(toFinding(rule.id, input, hit));
  }
  if (facts.target) out = inBuiltStages(ctx, input.file, out);
  return applyCheckDirective(df, applyInlineIgnores(df, input.file, out));
}

/** Drops findings inside stages a --target build never runs (BuildKit skips them). */
function inBuiltStages(ctx: AuditContext, file: string, findings: AuditFinding[]): AuditFinding[] {
  const built = new Set(ctx.facts.builtStages().map((s) => s.index));
  const stages = ctx.df.stages;
  const stageAt = (line: number) => {
    let at: number | undefined;
    for (const s of stages) if (s.from.span.line <= line) at = s.index;
    return at;
  };
  return findings.filter((f) => {
    if (f.file !== file) return true;
    const at = stageAt(f.line);
    return at === undefined || built.has(at);
  });
}
