import type { AuditContext, RuleHit } from './context.js';
import { spanOfOffsets } from './support.js';

export const id = 'upx-packed';

export const examples = {
  bad: 'RUN go build -ldflags="-s -w" -o /app . && upx --best /app',
  good: 'RUN go build -ldflags="-s -w" -trimpath -o /app .',
};

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const ins of ctx.df.instructions) {
    for (const cmd of ins.commands) {
      const name = cmd.words[0]?.value ?? '';
      if (name === 'upx' || name.endsWith('/upx')) {
        hits.push({
          message:
            'the binary is UPX-packed: start-up gets slower and uses more memory, scanners flag packed binaries, go version -m and SBOM tools cannot read it, pprof symbols are gone, and arm64 support is flaky; -ldflags="-s -w" and trimming dependencies are the real size wins',
          span: spanOfOffsets(ctx, cmd.start, cmd.end),
        });
      }
    }
  }
  return hits;
}
