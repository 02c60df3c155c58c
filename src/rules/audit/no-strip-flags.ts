import { type GoBuild, hasStrip } from '../../dockerfile/go-commands.js';
import type { Edit } from '../../fix/edit.js';
import type { AuditContext, RuleHit } from './context.js';
import {
  buildSpan,
  debugBuild,
  hasVariableFlags,
  insert,
  resolvedLdflags,
  shippedProgramBuilds,
  strippedLater,
} from './support.js';

export const id = 'no-strip-flags';

export const examples = {
  bad: 'RUN CGO_ENABLED=0 go build -o /app .',
  good: 'RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /app .',
};

export const fixDescription =
  'Adds `-ldflags="-s -w"` after `go build`, or adds the missing -s/-w inside a quoted -ldflags value.';

function stripEdit(ctx: AuditContext, build: GoBuild): Edit | undefined {
  const words = build.command.words;
  const missing = ['-s', '-w'].filter((f) => !(build.ldflags ?? '').split(/\s+/).includes(f)).join(' ');
  if (build.ldflags === undefined) return insert(ctx, build.verb.end, ' -ldflags="-s -w"');
  for (let k = 0; k < words.length; k++) {
    const v = words[k]!.value;
    let valueWord: (typeof words)[number] | undefined;
    let rawStart = 0;
    if (/^--?ldflags=/.test(v)) {
      valueWord = words[k]!;
      rawStart = ctx.df.text.indexOf('=', valueWord.start) + 1;
    } else if (/^--?ldflags$/.test(v) && words[k + 1]) {
      valueWord = words[k + 1]!;
      rawStart = valueWord.start;
    }
    if (!valueWord) continue;
    const q = ctx.df.text[rawStart];
    if (q === '"' || q === "'") return insert(ctx, rawStart + 1, `${missing} `);
    return undefined;
  }
  return undefined;
}

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const build of shippedProgramBuilds(ctx)) {
    // A debugger build keeps its symbols and DWARF on purpose.
    if (build.stripped || debugBuild(build) || strippedLater(ctx, build)) continue;
    // Flags that come from a variable: stripped when its value says so, unknown when it has none.
    const ldflags = resolvedLdflags(build);
    if (ldflags === undefined || hasVariableFlags(build)) continue;
    if (hasStrip(ldflags)) continue;
    // A c-archive or c-shared library is linked again by a C toolchain; strip flags are beside the point.
    if (/-buildmode[= ]c-(archive|shared)/.test(build.command.words.map((w) => w.value).join(' '))) continue;
    // -w alone already drops DWARF: only the symbol table is left to strip.
    const dwarfGone = ldflags.split(/\s+/).includes('-w');
    const hit: RuleHit = {
      message: dwarfGone
        ? `go ${build.subcommand} -ldflags has -w but not -s: DWARF is already dropped, but the symbol table (several percent of the binary) ships for nothing`
        : `go ${build.subcommand} without -ldflags="-s -w": the symbol table and DWARF data (typically 25-30% of the binary) ship for nothing`,
      span: buildSpan(ctx, build),
    };
    const edit = stripEdit(ctx, build);
    if (edit) hit.fix = { description: 'strip symbols and DWARF', edits: [edit] };
    hits.push(hit);
  }
  return hits;
}
