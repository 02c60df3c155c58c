import { posix } from 'node:path';
import { binaryName } from '../../project/closure.js';
import { shippedNames } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { tailWithoutExec } from './script-tail.js';
import { startedScript } from './start-command.js';

export const id = 'entrypoint-without-exec';

export const fixDescription = 'start the program with exec';

export const examples = {
  bad: '# entrypoint.sh ends with: /usr/bin/app "$@"\nFROM alpine:3.22\nCOPY app entrypoint.sh /usr/bin/\nENTRYPOINT ["/usr/bin/entrypoint.sh"]',
  good: '# entrypoint.sh ends with: exec /usr/bin/app "$@"\nFROM alpine:3.22\nCOPY app entrypoint.sh /usr/bin/\nENTRYPOINT ["/usr/bin/entrypoint.sh"]',
};

/**
 * Shells measured to keep running as the parent of a script's last command: ksh93 and zsh may
 * exec it themselves, so only these are judged.
 */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  const started = final ? startedScript(ctx, final) : undefined;
  // A container action runs one step to its end: nothing stops it with a signal. Inits that
  // signal the whole process group (dumb-init, tini -g) reach the program.
  if (!started || ctx.context.containerAction || started.init?.signalsGroup) return [];
  if (started.shell && !SHELLS.has(started.shell)) return [];
  const { path, text } = started;
  const programs = shippedNames(ctx, ctx.facts.df.stages);
  for (const pkg of ctx.project?.packages ?? [])
    if (pkg.name === 'main') programs.add(binaryName(ctx.project!, pkg));
  const tail = tailWithoutExec(text, programs);
  if (!tail) return [];
  const file = posix.join(ctx.context.prefix, path);
  const what = tail.program === '"$@"' ? 'the command it is given ("$@")' : tail.program;
  return [
    {
      message: started.init
        ? `${path} starts ${what} without exec, under ${started.init.name}: it passes the SIGTERM of docker stop to the shell alone, which exits, and the program is killed without it instead of shutting down cleanly; write exec before it`
        : `${path} starts ${what} without exec, so the shell stays PID 1: it ignores the SIGTERM of docker stop, and the program is killed after the grace period instead of shutting down cleanly; write exec before it`,
      file,
      line: tail.line,
      fix: {
        description: fixDescription,
        edits: [{ kind: 'replace', file, start: tail.offset, end: tail.offset, text: 'exec ' }],
      },
    },
  ];
}
