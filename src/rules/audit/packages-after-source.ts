import type { Instruction } from '../../dockerfile/model.js';
import type { AuditContext, RuleHit } from './context.js';
import { isSourceCopy } from './support.js';

export const id = 'packages-after-source';

export const examples = {
  bad: 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev\nRUN go build -o /app .',
  good: 'FROM golang:1.23 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .',
};

const MANAGERS = new Set(['apk', 'apt-get', 'apt', 'yum', 'dnf', 'microdnf']);

/**
 * Whether the RUN installs packages named in the Dockerfile (`apk add git`), not packages or
 * lists that come from the copied files (`apt-get install ./pkg.deb`, `$(cat deps.txt)`).
 */
function installsNamedPackages(ins: Instruction): boolean {
  let named = false;
  for (const cmd of ins.commands) {
    const words = cmd.words.map((w) => w.value);
    if (!MANAGERS.has(words[0] ?? '')) continue;
    let k = 1;
    while (k < words.length && words[k]!.startsWith('-')) k++;
    const sub = words[k];
    if (words[0] === 'apk' ? sub !== 'add' : sub !== 'install') continue;
    const packages = words.slice(k + 1).filter((w) => !w.startsWith('-'));
    if (packages.some((p) => /[/$`]|\.(deb|rpm|apk)$/.test(p))) return false;
    if (packages.length > 0) named = true;
  }
  // A list from the copied files (`xargs`, `<`; a substituted list is a word with $ above), or
  // an install a condition (a build argument) decides.
  return named && !/\bxargs\b|<|\bthen\b/.test(ins.argsText);
}

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const stage of ctx.facts.builtStages()) {
    let source: Instruction | undefined;
    for (const ins of stage.instructions) {
      if (!source && isSourceCopy(ctx, ins)) source = ins;
      else if (source && ins.keyword === 'RUN' && installsNamedPackages(ins)) {
        hits.push({
          message: `packages are installed here after the source is copied (line ${source.span.line}): every code change installs them again; install them before copying the source`,
          span: ins.span,
        });
        break;
      }
    }
  }
  return hits;
}
