import { posix } from 'node:path';
import { binaryName } from '../../project/closure.js';
import { shippedNames } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { tailWithoutExec } from './script-tail.js';

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

/** Inits that pass a signal to their child alone (no -g): the shell gets SIGTERM and exits, the program does not. */
const CHILD_ONLY_INITS = new Set(['tini', 'tini-static', 'docker-init']);

/**
 * The script the container starts: as PID 1 (the exec-form ENTRYPOINT or CMD, or a shell running
 * it), or under an init that signals its child alone. Inits that signal the whole process group
 * (dumb-init, tini -g) reach the program, and so does a supervisor: those are left alone.
 */
function startedScript(ctx: AuditContext): { name: string; init?: string } | undefined {
  const final = ctx.facts.finalStage;
  if (!final) return undefined;
  const lineage = ctx.facts.lineage(final);
  const starts = lineage.flatMap((s) => s.instructions);
  const entrypoint = starts.filter((i) => i.keyword === 'ENTRYPOINT').pop();
  const start = entrypoint ?? starts.filter((i) => i.keyword === 'CMD').pop();
  let argv = start?.exec;
  if (!argv || argv.length === 0) return undefined;
  let init: string | undefined;
  const first = posix.basename(argv[0]!);
  if (CHILD_ONLY_INITS.has(first)) {
    const groupWide = lineage.some((s) => s.env.has('TINI_KILL_PROCESS_GROUP'));
    const options = argv.slice(1).filter((a) => a.startsWith('-'));
    if (groupWide || options.some((o) => o !== '--' && o !== '-s' && o !== '-v')) return undefined;
    init = first;
    argv = argv.slice(1 + argv.slice(1).findIndex((a) => !a.startsWith('-')));
  }
  const script = SHELLS.has(posix.basename(argv[0]!)) ? argv[1] : argv[0];
  if (!script || script.startsWith('-') || script.includes('$')) return undefined;
  return init ? { name: posix.basename(script), init } : { name: posix.basename(script) };
}

export function check(ctx: AuditContext): RuleHit[] {
  const scripts = ctx.context.entrypointScripts;
  const started = startedScript(ctx);
  // A container action runs one step to its end: nothing stops it with a signal.
  if (!scripts || !started || ctx.context.containerAction) return [];
  const found = [...scripts].filter(([path]) => posix.basename(path) === started.name);
  if (found.length !== 1) return [];
  const [path, text] = found[0]!;
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
        ? `${path} starts ${what} without exec, under ${started.init}: it passes the SIGTERM of docker stop to the shell alone, which exits, and the program is killed without it instead of shutting down cleanly; write exec before it`
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
