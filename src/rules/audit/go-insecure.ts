import type { Span } from '../../dockerfile/model.js';
import type { AuditContext, RuleHit } from './context.js';
import { spanOfOffsets } from './support.js';

export const id = 'go-insecure';

export const examples = {
  bad: 'ENV GOSUMDB=off GOINSECURE=*',
  good: 'ENV GOPRIVATE=github.com/acme/*',
};

function verdict(name: string, value: string): string | undefined {
  if (name === 'GOINSECURE' && value !== '') return 'GOINSECURE fetches modules without TLS verification';
  if (name === 'GONOSUMDB' && value !== '') return 'GONOSUMDB skips checksum database verification';
  if (name === 'GONOSUMCHECK' && value !== '' && value !== '0')
    return 'GONOSUMCHECK turns off checksum verification';
  if (name === 'GOSUMDB' && value === 'off') return 'GOSUMDB=off turns off checksum verification';
  if (name === 'GOFLAGS' && /(^|\s)-insecure\b/.test(value))
    return 'GOFLAGS=-insecure allows insecure module fetches';
  return undefined;
}

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  const report = (name: string, value: string, span: Span): void => {
    const v = verdict(name, value);
    if (v) hits.push({ message: `${v}: a tampered module can enter the build unnoticed`, span });
  };
  for (const ins of ctx.df.instructions) {
    if (ins.keyword === 'ENV' || ins.keyword === 'ARG') {
      for (const a of ins.args) {
        const eq = a.value.indexOf('=');
        if (eq > 0) report(a.value.slice(0, eq), a.value.slice(eq + 1).replace(/^["']|["']$/g, ''), a.span);
        else if (ins.keyword === 'ENV' && ins.args.length === 2 && a === ins.args[0])
          report(a.value, ins.args[1]!.value, ins.span);
      }
    }
    for (const cmd of ins.commands) {
      for (const as of cmd.assignments)
        report(as.name, as.value, spanOfOffsets(ctx, as.word.start, as.word.end));
      const w = cmd.words.map((x) => x.value);
      // `go env -w KEY=VALUE...` and `export KEY=VALUE...` set variables for later commands.
      const first = w[0] === 'go' && w[1] === 'env' && w[2] === '-w' ? 3 : w[0] === 'export' ? 1 : -1;
      if (first < 0) continue;
      for (const word of cmd.words.slice(first)) {
        const eq = word.value.indexOf('=');
        if (eq > 0)
          report(word.value.slice(0, eq), word.value.slice(eq + 1), spanOfOffsets(ctx, word.start, word.end));
      }
    }
  }
  return hits;
}
