import type { Span } from '../../dockerfile/model.js';
import type { AuditContext, RuleHit } from './context.js';
import { syntaxDirectiveEdit } from './support.js';

export const id = 'missing-syntax-directive';

export const examples = {
  bad: 'FROM golang:1.23\nRUN --mount=type=cache,target=/go/pkg/mod go mod download',
  good: '# syntax=docker/dockerfile:1\nFROM golang:1.23\nRUN --mount=type=cache,target=/go/pkg/mod go mod download',
};

export const fixDescription = 'Adds `# syntax=docker/dockerfile:1` as the first line.';

const BUILDKIT_FLAGS: Record<string, string[]> = {
  RUN: ['mount', 'network', 'security'],
  COPY: ['link', 'parents', 'exclude', 'chmod'],
  ADD: ['link', 'checksum', 'keep-git-dir', 'parents', 'exclude', 'chmod'],
};

export function check(ctx: AuditContext): RuleHit[] {
  const edit = syntaxDirectiveEdit(ctx);
  if (!edit) return [];
  let first: { span: Span; what: string } | undefined;
  for (const ins of ctx.df.instructions) {
    const flag = ins.flags.find((f) => BUILDKIT_FLAGS[ins.keyword]?.includes(f.name));
    if (flag) first = { span: flag.span, what: `${ins.keyword} --${flag.name}` };
    else if (ins.heredocs.length > 0) first = { span: ins.span, what: 'a heredoc' };
    if (first) break;
  }
  if (!first) return [];
  return [
    {
      message: `${first.what} needs BuildKit's Dockerfile frontend but the file has no # syntax=docker/dockerfile:1 line`,
      span: first.span,
      fix: { description: 'add the syntax directive', edits: [edit] },
    },
  ];
}
