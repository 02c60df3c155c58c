import { posix } from 'node:path';
import type { Instruction } from '../../dockerfile/model.js';
import { isShell } from '../../dockerfile/shell.js';
import type { AuditContext, RuleHit } from './context.js';
import { behindInit, lineageEnv, startInstructions } from './start-command.js';
import { replace } from './support.js';

export const id = 'cmd-repeats-entrypoint';

export const examples = {
  bad: 'ENTRYPOINT ["/usr/bin/app"]\nCMD ["app", "serve"]',
  good: 'ENTRYPOINT ["/usr/bin/app"]\nCMD ["serve"]',
};

export const fixDescription = 'Removes the program from the start of CMD, keeping its arguments.';

/** Multi-call programs take the name of the tool to run as their first argument. */
const MULTI_CALL = new Set(['busybox', 'toybox', 'env']);

/** The edit that drops the first string of a CMD's JSON array, when more follow. */
function dropFirst(ctx: AuditContext, cmd: Instruction) {
  const m = /^(\s*\[\s*)"(?:[^"\\]|\\.)*"\s*,\s*/.exec(cmd.argsText);
  if (!m || (cmd.exec?.length ?? 0) < 2) return undefined;
  const start = cmd.argsStart + m[1]!.length;
  return replace(ctx, start, cmd.argsStart + m[0].length, '');
}

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  if (!final) return [];
  const lineage = ctx.facts.lineage(final);
  const { entrypoint, cmd } = startInstructions(lineage);
  const entry = entrypoint?.ins.exec;
  const args = cmd?.ins.exec;
  if (!entry || !args || !cmd) return [];
  const program = behindInit(entry, lineageEnv(lineage))?.argv[0];
  const repeated = args[0];
  if (!program || !repeated || program.includes('$') || isShell(program)) return [];
  const name = posix.basename(program);
  if (MULTI_CALL.has(name) || posix.basename(repeated) !== name) return [];
  const runs = [...entry, ...args].join(' ');
  const hit: RuleHit = {
    message: `CMD repeats the program the ENTRYPOINT starts: the container runs \`${runs}\`, so ${name} gets its own name as its first argument (an unknown command, or flags after it ignored); CMD holds only the arguments`,
    span: cmd.ins.span,
  };
  const edit = dropFirst(ctx, cmd.ins);
  if (edit) hit.fix = { description: `drop ${repeated} from CMD`, edits: [edit] };
  return [hit];
}
