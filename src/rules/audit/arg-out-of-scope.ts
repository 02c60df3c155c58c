import { scopeAt } from '../../dockerfile/instruction.js';
import type { Instruction, Stage } from '../../dockerfile/model.js';
import type { AuditContext, RuleHit } from './context.js';
import { spanOfOffsets } from './support.js';

export const id = 'arg-out-of-scope';

export const examples = {
  bad: 'ARG TARGETARCH=amd64\nFROM golang:1.25 AS build\nRUN GOARCH=$TARGETARCH go build -o /app .',
  good: 'FROM golang:1.25 AS build\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /app .',
};

/**
 * The environment the images goimg knows set, by kind: a name they set is not empty in a RUN.
 * Images of other kinds may set anything, so they are not judged.
 */
const IMAGE_ENV: Record<string, readonly string[]> = {
  golang: ['GOLANG_VERSION', 'GOPATH', 'GOTOOLCHAIN', 'PATH'],
  alpine: ['PATH'],
  debian: ['PATH'],
  ubuntu: ['PATH'],
  scratch: [],
  distroless: ['PATH', 'SSL_CERT_FILE'],
  busybox: ['PATH'],
};

/** Variables the shell itself sets for every command. */
const SHELL_VARS = new Set(['HOME', 'PATH', 'PWD', 'OLDPWD', 'HOSTNAME', 'SHELL', 'USER', 'IFS', 'TERM']);

/** A RUN that reads variables from elsewhere: a sourced file, eval. */
const SOURCES = /(?:^|[\s;&|(])(?:\.|source|eval)\s+\S/;

/**
 * The RUN's text (heredoc bodies included) as the shell expands it: single-quoted parts and the
 * bodies of heredocs with a quoted delimiter blanked, so offsets still point into the file.
 */
function expandedText(ins: Instruction): string {
  let text = ins.argsText;
  for (const h of ins.heredocs) {
    const at = h.bodyStart - ins.argsStart;
    if (!h.expand && at >= 0)
      text = text.slice(0, at) + h.body.replace(/[^\n]/g, ' ') + text.slice(at + h.body.length);
  }
  return text.replace(/'[^'\n]*'/g, (q) => ' '.repeat(q.length));
}

/**
 * Whether the RUN sets the name itself (`NAME=…`, `export NAME`, `for NAME in`, `read NAME`);
 * `NAME=$NAME` (a make variable passed on) reads it, and sets nothing new.
 */
function setsItself(text: string, name: string): boolean {
  const assign = new RegExp(
    `(?:^|[\\s;&|(])(?:(?:export|local|declare|readonly|typeset)\\s+(?:-\\w+\\s+)*)?${name}(?:=(?!["']?\\$\\{?${name}\\b)|\\s|;|$)|\\bfor\\s+${name}\\b|\\bread\\b[^;&|\\n]*\\b${name}\\b`,
    'm',
  );
  return assign.test(text);
}

/**
 * The first `$NAME` or `${NAME…}` the shell expands in the text, as offsets into it. The whole
 * value of a Go setting (`GOARCH=$ARCH`) is left out: empty, it means Go's default (the build
 * machine's, under emulation the target's), which a build may rely on.
 */
function firstUse(text: string, name: string): { start: number; end: number } | undefined {
  const use = new RegExp(`(?<!\\\\)\\$(?:${name}\\b|\\{${name}(?:[:#%/^,-][^}]*)?\\})`, 'g');
  for (const m of text.matchAll(use)) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const after = text.slice(m.index + m[0].length);
    if (/\b(?:GO[A-Z0-9]+|CGO_ENABLED)=["']?$/.test(before) && /^(?:["']?(?:\s|$|;|&|\|))/.test(after))
      continue;
    return { start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

/**
 * A RUN that reads `$NAME` of an ARG declared only before the first FROM: BuildKit gives a
 * stage such an ARG only once the stage declares it again (`ARG NAME`), so the shell sees it
 * empty, and a GOARCH, a version stamp or a tag built from it is silently blank. No fix: giving
 * the stage the value could change what a build that relies on the empty value produces.
 */
export function check(ctx: AuditContext): RuleHit[] {
  const globals = [...ctx.df.globalArgs.keys()].filter((n) => /^[A-Za-z_]\w*$/.test(n) && !SHELL_VARS.has(n));
  if (globals.length === 0) return [];
  const hits: RuleHit[] = [];
  for (const stage of ctx.df.stages) {
    const known = imageEnv(ctx, stage);
    if (!known) continue;
    for (const ins of stage.instructions) {
      if (ins.keyword !== 'RUN' || ins.exec !== null) continue;
      const whole = expandedText(ins);
      if (SOURCES.test(whole)) continue;
      const scope = scopeAt(ins);
      for (const name of globals) {
        if (scope.has(name) || known.has(name) || setsItself(whole, name)) continue;
        const use = firstUse(whole, name);
        if (!use) continue;
        hits.push({
          message: `$${name} is empty here: ARG ${name} is declared before the first FROM, and a stage sees such an ARG only once it declares it again; add \`ARG ${name}\` to this stage if the RUN is meant to get its value`,
          span: spanOfOffsets(ctx, ins.argsStart + use.start, ins.argsStart + use.end),
        });
      }
    }
  }
  return hits;
}

/** The names the stage's image and its parent stages set in the environment; undefined when unknown. */
function imageEnv(ctx: AuditContext, stage: Stage): Set<string> | undefined {
  const lineage = ctx.facts.lineage(stage);
  const known = IMAGE_ENV[ctx.facts.base(lineage[0]!).kind];
  if (!known) return undefined;
  const out = new Set(known);
  for (const s of lineage) for (const k of s.env.keys()) out.add(k);
  return out;
}
