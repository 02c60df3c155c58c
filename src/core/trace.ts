/**
 * GOIMG_TRACE=1 prints where the time goes: milliseconds since the process started (Node's
 * performance.now() counts from the process's time origin), the CPU time goimg's own process has
 * used so far (all its threads, not its children), the page faults it has taken (fresh memory
 * touched for the first time: on some virtual machines each costs microseconds), and a label, on
 * stderr.
 */
const on = Boolean(process.env.GOIMG_TRACE);

export function trace(label: string): void {
  if (!on) return;
  const { userCPUTime, systemCPUTime, minorPageFault } = process.resourceUsage();
  const cpu = ((userCPUTime + systemCPUTime) / 1000).toFixed(0).padStart(4);
  const faults = String(minorPageFault).padStart(6);
  process.stderr.write(
    `[goimg trace ${performance.now().toFixed(1).padStart(7)} ms, cpu ${cpu} ms, faults ${faults}] ${label}\n`,
  );
}

/** Traces the process's exit too (called once, by main). */
export function traceExit(): void {
  if (on) process.on('exit', (code) => trace(`exit ${code}`));
}
