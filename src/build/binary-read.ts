/**
 * Reads the binary `go build` just wrote, into memory made ready while go was still running.
 * Touching fresh memory is what a big read mostly costs (page faults: ~1 ms per MB on the
 * 2-vCPU VM this was measured on, where the copy itself is ~0.25 ms per MB); done after go, it
 * would be on the critical path of every rebuild.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, type Stats, statSync } from 'node:fs';

/**
 * A buffer for the next read of `path`, sized from the file there now (the last build's binary)
 * with room to grow, its pages already touched; undefined when there is no such file yet.
 */
export function prepareRead(path: string): Buffer | undefined {
  const size = statSync(path, { throwIfNoEntry: false })?.size;
  if (!size) return undefined;
  return Buffer.allocUnsafeSlow(size + Math.max(1 << 20, size >> 4)).fill(0);
}

/** The whole file and its stat (from the same open file), into `prepared` when it fits. */
export function readWhole(path: string, prepared?: Buffer): { bytes: Buffer; stat: Stats } {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (!prepared || stat.size > prepared.length) return { bytes: readFileSync(fd), stat };
    let got = 0;
    while (got < stat.size) {
      const n = readSync(fd, prepared, got, stat.size - got, got);
      if (n === 0) throw new Error(`${path} shrank while it was read`);
      got += n;
    }
    return { bytes: prepared.subarray(0, got), stat };
  } finally {
    closeSync(fd);
  }
}
