/**
 * GitHub Actions workflow commands: one `::error|warning|notice file=..,line=..::message` line
 * per finding, which the runner turns into annotations on the pull request.
 */
import { posix } from 'node:path';
import type { Finding, Severity } from '../core/finding.js';
import { sortFindings } from '../core/finding.js';
import { hasRule } from '../rules/catalog.js';
import { type PackageLinks, packageLinks, ruleWebUrl } from './doc-links.js';

/** Escapes a command's message (the runner's escapeData). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value (the runner's escapeProperty): also `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(severity: Severity): 'error' | 'warning' | 'notice' {
  return severity === 'info' ? 'notice' : severity;
}

export interface GithubOptions {
  /** The audited directory relative to the repository root, prefixed to file paths. */
  root?: string;
  /** Where rule links come from (default: this package's package.json); no address, no link. */
  links?: PackageLinks;
}

export function githubAnnotation(f: Finding, options: GithubOptions = {}): string {
  const props: string[] = [];
  if (f.file !== undefined) {
    const root = options.root?.replace(/\\/g, '/');
    const file = root && root !== '.' ? posix.join(root, f.file) : f.file;
    props.push(`file=${escapeProperty(file)}`);
    if (f.line !== undefined) {
      props.push(`line=${f.line}`);
      const endLine = f.endLine ?? f.line;
      if (endLine !== f.line) props.push(`endLine=${endLine}`);
      // Annotations take columns only on one line; GitHub's end column is inclusive.
      if (endLine === f.line && f.column !== undefined) {
        props.push(`col=${f.column}`);
        if (f.endColumn !== undefined && f.endColumn > f.column + 1)
          props.push(`endColumn=${f.endColumn - 1}`);
      }
    }
  }
  props.push(`title=${escapeProperty(f.rule)}`);
  let message = f.path !== undefined && f.file === undefined ? `${f.path}: ${f.message}` : f.message;
  // A web link only: a path on the CI runner is of no use in a pull request.
  const link = hasRule(f.rule) ? ruleWebUrl(f.rule, options.links ?? packageLinks()) : undefined;
  if (link !== undefined) message += `\n${link}`;
  return `::${command(f.severity)} ${props.join(',')}::${escapeData(message)}`;
}

export function renderGithub(findings: readonly Finding[], options: GithubOptions = {}): string {
  const lines = sortFindings(findings).map((f) => githubAnnotation(f, options));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
