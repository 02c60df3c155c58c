import type { AuditContext, RuleHit } from './context.js';
import { copySources } from './context.js';
import { replace } from './support.js';

export const id = 'add-instead-of-copy';

export const examples = {
  bad: 'ADD . /src',
  good: 'COPY . /src\nADD https://example.com/tool.tar.gz /opt/   # ADD is right for URLs and archives',
};

export const fixDescription = 'Replaces the ADD keyword with COPY (same case), keeping everything else.';

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/i;
const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/i;

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const ins of ctx.df.instructions) {
    if (ins.keyword !== 'ADD') continue;
    const { sources } = copySources(ins);
    if (sources.length === 0 || sources.some((s) => REMOTE.test(s) || ARCHIVE.test(s))) continue;
    // --keep-git-dir and --checksum are only allowed for a remote source (one goimg did not read).
    if (ins.flags.some((f) => f.name === 'keep-git-dir' || f.name === 'checksum')) continue;
    const hit: RuleHit = {
      message: `ADD of local files (${sources.join(', ')}): use COPY, which does only what it says`,
      span: ins.keywordSpan,
    };
    if (!ins.flags.some((f) => f.name === 'unpack')) {
      const word = ctx.df.text.slice(ins.keywordSpan.start, ins.keywordSpan.end);
      const text = word === word.toLowerCase() ? 'copy' : 'COPY';
      hit.fix = {
        description: 'use COPY',
        edits: [replace(ctx, ins.keywordSpan.start, ins.keywordSpan.end, text)],
      };
    }
    hits.push(hit);
  }
  return hits;
}
