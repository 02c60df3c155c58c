/**
 * Ctrl-C (SIGINT) and SIGTERM: every program goimg started is stopped and everything the command
 * created is removed, then goimg exits with 128 + the signal's number, as a shell reports it.
 *
 * Work that must not outlive goimg registers an undo step with `atInterrupt` while it exists and
 * unregisters it when done: a child process kills itself (and its own children), a temporary
 * directory removes itself. The steps run synchronously, newest first (processes before the
 * directories they write into), so nothing of the command runs or writes after goimg has exited;
 * a step may return a promise (stopping a build that must cancel its own work), which is awaited.
 * A second signal while they run ends goimg at once (the default action).
 */
const steps = new Set<() => void | Promise<void>>();
let installed = false;
let caught: NodeJS.Signals | undefined;

/** Registers `undo` for an interruption; call the returned function when it is no longer needed. */
export function atInterrupt(undo: () => void | Promise<void>): () => void {
  const entry = () => undo();
  steps.add(entry);
  return () => {
    steps.delete(entry);
  };
}

/** The signal that interrupted goimg, once one has. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return caught;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15 };

async function interrupt(signal: NodeJS.Signals): Promise<void> {
  caught = signal;
  for (const step of [...steps].reverse()) {
    try {
      await step();
    } catch {
      // Best effort: the next step still runs.
    }
  }
  steps.clear();
  process.stderr.write(`goimg: interrupted (${signal}); stopped what it started and removed what it made\n`);
  process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 0));
}

/** Installs the handlers (once per process; the CLI does this, a library caller may not want it). */
export function handleInterrupts(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void interrupt(signal));
}
