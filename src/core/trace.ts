/**
 * GOIMG_TRACE=1 prints where the time goes: milliseconds since the process started (Node's
 * performance.now() counts from the process's time origin), the CPU time goimg's own process has
 * used so far (all its threads, not its children), and a label, on stderr.
 */
const on = Boolean(process.env.GOIMG_TRACE);

export function trace(label: string): void {
  if (!on) return;
  const { user, system } = process.cpuUsage();
  const cpu = ((user + system) / 1000).toFixed(0).padStart(4);
  process.stderr.write(
    `[goimg trace ${performance.now().toFixed(1).padStart(7)} ms, cpu ${cpu} ms] ${label}\n`,
  );
}

/** Traces the process's exit too (called once, by main). */
export function traceExit(): void {
  if (on) process.on('exit', (code) => trace(`exit ${code}`));
}
