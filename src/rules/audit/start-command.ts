/**
 * What a container starts: ENTRYPOINT and CMD joined as BuildKit joins them through a stage's
 * lineage, and the script at its head once an init and a shell running a file are set aside.
 */
import { posix } from 'node:path';
import type { Instruction, Stage } from '../../dockerfile/model.js';
import { isShell } from '../../dockerfile/shell.js';
import type { AuditContext } from './context.js';

/** An ENTRYPOINT or CMD instruction with the SHELL in effect where it stands. */
export interface StartInstruction {
  ins: Instruction;
  shell: string[];
}

/**
 * The ENTRYPOINT and CMD that reach the image, as BuildKit keeps them through a stage's lineage:
 * an ENTRYPOINT clears the CMD a parent stage set (BuildKit keeps only a CMD of the same stage).
 */
export function startInstructions(lineage: readonly Stage[]): {
  entrypoint?: StartInstruction;
  cmd?: StartInstruction;
} {
  let entrypoint: StartInstruction | undefined;
  let cmd: StartInstruction | undefined;
  let shell = ['/bin/sh', '-c'];
  for (const stage of lineage) {
    let cmdSet = false;
    for (const ins of stage.instructions) {
      if (ins.keyword === 'SHELL' && ins.exec && ins.exec.length > 0) shell = ins.exec;
      if (ins.keyword === 'CMD') {
        cmd = { ins, shell };
        cmdSet = true;
      } else if (ins.keyword === 'ENTRYPOINT') {
        entrypoint = { ins, shell };
        if (!cmdSet) cmd = undefined;
      }
    }
  }
  return { ...(entrypoint ? { entrypoint } : {}), ...(cmd ? { cmd } : {}) };
}

/** Exec form as written; shell form as the SHELL in effect given the text. */
function startWords({ ins, shell }: StartInstruction): string[] {
  return ins.exec ?? [...shell, ins.argsText];
}

/**
 * The words the container runs: ENTRYPOINT followed by CMD; a shell-form ENTRYPOINT ignores
 * CMD. Undefined when neither is set here (the base image's own).
 */
export function startCommand(lineage: readonly Stage[]): string[] | undefined {
  const { entrypoint, cmd } = startInstructions(lineage);
  if (!entrypoint) return cmd && startWords(cmd);
  if (!entrypoint.ins.exec) return startWords(entrypoint);
  return [...startWords(entrypoint), ...(cmd ? startWords(cmd) : [])];
}

/** An init that starts the command it is given as its child. */
export interface Init {
  name: string;
  /** Whether it sends the signals it gets to the child's whole process group, not the child alone. */
  signalsGroup: boolean;
}

/** tini (also as docker-init) signals its child alone unless told -g; dumb-init, the group. */
const TINI = new Set(['tini', 'tini-static', 'docker-init']);
const TINI_PLAIN_OPTIONS = new Set(['-s', '-v', '-vv', '-vvv', '-w', '-g', '-l']);
const DUMB_INIT_PLAIN_OPTIONS = new Set(['-c', '--single-child', '-v', '--verbose']);

/**
 * The command behind an init at the head of argv, or undefined when the init takes options goimg
 * does not know (it cannot tell where the command starts).
 */
export function behindInit(
  argv: readonly string[],
  env: ReadonlyMap<string, string>,
): { argv: string[]; init?: Init } | undefined {
  const name = posix.basename(argv[0] ?? '');
  const tini = TINI.has(name);
  if (!tini && name !== 'dumb-init') return { argv: [...argv] };
  const plain = tini ? TINI_PLAIN_OPTIONS : DUMB_INIT_PLAIN_OPTIONS;
  const options: string[] = [];
  let k = 1;
  for (; k < argv.length && argv[k]!.startsWith('-'); k++) {
    if (argv[k] === '--') {
      k++;
      break;
    }
    if (!plain.has(argv[k]!)) return undefined;
    options.push(argv[k]!);
  }
  const signalsGroup = tini
    ? options.includes('-g') || env.has('TINI_KILL_PROCESS_GROUP')
    : !options.includes('-c') && !options.includes('--single-child');
  return { argv: argv.slice(k), init: { name, signalsGroup } };
}

export interface StartedScript {
  /** Its path in the build context, and its text. */
  path: string;
  text: string;
  /** The init it runs under, when one starts it. */
  init?: Init;
  /** The shell named to run it (`sh /entrypoint.sh`), when one is. */
  shell?: string;
}

/**
 * The entrypoint script of the build context that the final stage's container starts: the head
 * of its command, behind an init and a shell asked to run a file, matched by file name with the
 * scripts goimg read (one only). A shell given a `-c` string, a variable or a supervisor hides it.
 */
export function startedScript(ctx: AuditContext, final: Stage): StartedScript | undefined {
  // Several rules ask (runsGo among them): found once per audit.
  return ctx.facts.cached(`startedScript:${final.index}`, () => findStartedScript(ctx, final));
}

/** The ENV in effect at the end of a stage lineage, later values winning. */
export function lineageEnv(lineage: readonly Stage[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const s of lineage) for (const [k, v] of s.env) env.set(k, v);
  return env;
}

function findStartedScript(ctx: AuditContext, final: Stage): StartedScript | undefined {
  const scripts = ctx.context.entrypointScripts;
  const lineage = ctx.facts.lineage(final);
  const command = startCommand(lineage);
  if (!scripts || !command) return undefined;
  const inner = behindInit(command, lineageEnv(lineage));
  if (!inner) return undefined;
  let argv = inner.argv;
  const shell = argv.length >= 2 && isShell(argv[0]!) ? posix.basename(argv[0]!) : undefined;
  if (shell) argv = argv.slice(1);
  const program = argv[0];
  if (!program || program.startsWith('-') || program.includes('$')) return undefined;
  const found = [...scripts].filter(([path]) => posix.basename(path) === posix.basename(program));
  if (found.length !== 1) return undefined;
  const [path, text] = found[0]!;
  return { path, text, ...(inner.init ? { init: inner.init } : {}), ...(shell ? { shell } : {}) };
}
