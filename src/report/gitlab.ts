/**
 * GitLab Code Quality report: a JSON array of issues GitLab shows in merge requests. The
 * fingerprint hashes rule, file, line and message, so an unchanged finding keeps its identity
 * between pipelines.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Finding, Severity } from '../core/finding.js';
import { sortFindings } from '../core/finding.js';

export type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface GitlabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: GitlabSeverity;
  location: { path: string; lines: { begin: number } };
}

export interface GitlabOptions {
  /** The audited directory relative to the repository root, prefixed to file paths. */
  root?: string;
  /** The path for findings without a file (image findings): the image reference. */
  subject?: string;
}

const SEVERITY: Record<Severity, GitlabSeverity> = { info: 'info', warning: 'major', error: 'critical' };

export function gitlabSeverity(severity: Severity): GitlabSeverity {
  return SEVERITY[severity];
}

export function gitlabIssues(findings: readonly Finding[], options: GitlabOptions = {}): GitlabIssue[] {
  const root = options.root?.replace(/\\/g, '/');
  return sortFindings(findings).map((f) => {
    const path =
      f.file !== undefined
        ? root && root !== '.'
          ? posix.join(root, f.file)
          : f.file
        : (options.subject ?? 'goimg');
    const line = f.line ?? 1;
    const description = f.path !== undefined && f.file === undefined ? `${f.path}: ${f.message}` : f.message;
    const fingerprint = createHash('sha256')
      .update([f.rule, path, String(line), description].join('\0'))
      .digest('hex');
    return {
      description,
      check_name: f.rule,
      fingerprint,
      severity: SEVERITY[f.severity],
      location: { path, lines: { begin: line } },
    };
  });
}

export function renderGitlab(findings: readonly Finding[], options: GitlabOptions = {}): string {
  return `${JSON.stringify(gitlabIssues(findings, options), null, 2)}\n`;
}
