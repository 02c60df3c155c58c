/**
 * Finds Go toolchains on the machine: `go` on PATH, GOROOT, /usr/local/go and Debian's
 * versioned trees (/usr/lib/go-1.NN). Reads each one's VERSION file instead of running it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface GoToolchain {
  /** e.g. "go1.23.1" */
  version: string;
  /** Path of the go command. */
  go: string;
  goroot: string;
  /** The newer version go.mod needs, which this toolchain fetches and runs (GOTOOLCHAIN=auto). */
  switchTo?: string;
}

function readVersion(goroot: string): string | undefined {
  const file = join(goroot, 'VERSION');
  if (!existsSync(file)) return undefined;
  const first = readFileSync(file, 'utf8').split('\n')[0]?.trim();
  return first?.startsWith('go') ? first : undefined;
}

function toolchainAt(goroot: string): GoToolchain | undefined {
  const go = join(goroot, 'bin', 'go');
  if (!existsSync(go)) return undefined;
  const version = readVersion(goroot);
  return version ? { version, go, goroot } : undefined;
}

function candidateRoots(): string[] {
  const roots: string[] = [];
  if (process.env.GOROOT) roots.push(process.env.GOROOT);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'go'))) roots.push(join(dir, '..'));
  }
  roots.push('/usr/local/go');
  try {
    for (const name of readdirSync('/usr/lib')) {
      if (/^go-\d+\.\d+$/.test(name)) roots.push(join('/usr/lib', name));
    }
  } catch {
    // no /usr/lib: not a Linux machine; nothing to add
  }
  return roots;
}

/** Compares "go1.21.3"-style versions; returns <0, 0 or >0. */
export function compareGoVersions(a: string, b: string): number {
  const parse = (v: string) =>
    v
      .replace(/^go/, '')
      .split(/[.a-z]/)
      .map((n) => Number.parseInt(n, 10) || 0);
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** All distinct toolchains, newest first. */
export function findGoToolchains(): GoToolchain[] {
  const seen = new Map<string, GoToolchain>();
  for (const root of candidateRoots()) {
    const tc = toolchainAt(root);
    if (tc && ![...seen.values()].some((s) => s.version === tc.version)) seen.set(tc.goroot, tc);
  }
  return [...seen.values()].sort((a, b) => compareGoVersions(b.version, a.version));
}

/** The newest toolchain whose major.minor is `minor` ("1.23"), or undefined. */
export function findGoToolchain(minor?: string): GoToolchain | undefined {
  const all = findGoToolchains();
  if (!minor) return all[0];
  return all.find((t) => t.version === `go${minor}` || t.version.startsWith(`go${minor}.`));
}
