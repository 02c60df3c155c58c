/** Cross-check helpers for the binary tests: the real tools' answers (go version -m, readelf, nm, upx). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { hasTool } from '../../helpers/env.js';

/** The Debian-packaged Go programs nobody here built, plus the static docker client. */
export const REAL_BINARIES = [
  '/usr/local/bin/docker',
  '/usr/sbin/dockerd',
  '/usr/bin/containerd',
  '/usr/sbin/runc',
  '/usr/bin/docker-registry',
  '/usr/bin/skopeo',
  '/usr/bin/umoci',
].filter((p) => existsSync(p));

export const GO = findGoToolchain('1.23')?.go;

export function tool(cmd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function goVersionM(file: string): string {
  if (!GO) throw new Error('no Go 1.23 toolchain');
  return tool(GO, ['version', '-m', file]).stdout;
}

export const hasReadelf = (): boolean => hasTool('readelf');
export const hasUpx = (): boolean => hasTool('upx');

/** readelf's view: interpreter, NEEDED, RPATH, RUNPATH, and whether the type is DYN. */
export function readelfLinkage(file: string): {
  interpreter: string | null;
  needed: string[];
  rpath: string[];
  runpath: string[];
  dyn: boolean;
} {
  const l = tool('readelf', ['-W', '-l', '-d', '-h', file]).stdout;
  const interp = /\[Requesting program interpreter: ([^\]]+)\]/.exec(l);
  const all = (re: RegExp) => [...l.matchAll(re)].map((m) => m[1] as string);
  return {
    interpreter: interp ? (interp[1] as string) : null,
    needed: all(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g),
    rpath: all(/\(RPATH\)\s+Library rpath: \[([^\]]+)\]/g).flatMap((s) => s.split(':')),
    runpath: all(/\(RUNPATH\)\s+Library runpath: \[([^\]]+)\]/g).flatMap((s) => s.split(':')),
    dyn: /Type:\s+DYN/.test(l),
  };
}

/** `go tool nm -size` text symbols (T/t) as [name, size]. */
export function nmTextSymbols(file: string): [string, number][] {
  if (!GO) throw new Error('no Go 1.23 toolchain');
  const out = tool(GO, ['tool', 'nm', '-size', file]).stdout;
  const syms: [string, number][] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*[0-9a-f]+\s+(\d+)\s+([Tt])\s+(.+)$/.exec(line);
    if (m) syms.push([m[3] as string, Number(m[1])]);
  }
  return syms;
}
