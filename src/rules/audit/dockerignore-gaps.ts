import type { AuditContext, RuleHit } from './context.js';

export const id = 'dockerignore-gaps';

export const examples = {
  bad: '.dockerignore:\nbin/',
  good: '.dockerignore:\n.git\nbin/\n**/testdata\n.env\n*.pem\n.idea\n.vscode\nnode_modules',
};

/**
 * Below this many bytes a leak costs nothing worth a finding (a few .gitignore files, an
 * editor folder); secrets are reported whatever their size.
 */
const NEGLIGIBLE_BYTES = 4 * 1024;

export function check(ctx: AuditContext): RuleHit[] {
  const di = ctx.context.dockerignore;
  const gaps = ctx.context.gaps;
  if (!di || !gaps || gaps.length === 0) return [];
  return gaps
    .filter((g) => g.category === 'secrets' || g.bytes >= NEGLIGIBLE_BYTES)
    .map((g) => ({
      message: `.dockerignore lets through ${g.what} (${g.files} files, ${g.bytes} bytes); add \`${g.pattern}\``,
      file: di.file,
      line: 1,
    }));
}
