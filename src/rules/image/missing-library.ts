/** A NEEDED shared library of the entrypoint is in none of the loader's search directories. */
import type { Linkage } from '../../binary/linkage.js';
import { finding, type ImageRule } from './context.js';

const MULTIARCH: Record<string, string> = {
  amd64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  '386': 'i386-linux-gnu',
  arm: 'arm-linux-gnueabihf',
  s390x: 's390x-linux-gnu',
  ppc64le: 'powerpc64le-linux-gnu',
  riscv64: 'riscv64-linux-gnu',
};

/** The loader's search order: RPATH (without RUNPATH), RUNPATH, then the default directories. */
export function librarySearchPath(linkage: Linkage, arch: string, exePath: string): string[] {
  const origin = exePath.slice(0, exePath.lastIndexOf('/')) || '/';
  const expand = (d: string) => d.replace(/\$(ORIGIN|\{ORIGIN\})/g, origin);
  const dirs = [...(linkage.runpath.length ? [] : linkage.rpath), ...linkage.runpath]
    .flatMap((d) => d.split(':'))
    .map(expand);
  if (linkage.libc === 'musl') return [...dirs, '/lib', '/usr/local/lib', '/usr/lib'];
  const triple = MULTIARCH[arch];
  const multi = triple ? [`/lib/${triple}`, `/usr/lib/${triple}`] : [];
  return [...dirs, ...multi, '/lib64', '/usr/lib64', '/lib', '/usr/lib', '/usr/local/lib'];
}

export const missingLibrary: ImageRule = {
  id: 'missing-library',
  check(ctx) {
    const bin = ctx.entrypoint.binary;
    if (!bin || bin.report.linkage.needed.length === 0) return [];
    const exe = ctx.entrypoint.resolved ?? ctx.entrypoint.path ?? '';
    const dirs = librarySearchPath(bin.report.linkage, bin.report.arch, exe);
    return bin.report.linkage.needed
      .filter((lib) => !dirs.some((d) => ctx.exists(`${d}/${lib}`)))
      .map((lib) =>
        finding(
          'missing-library',
          `${exe} needs the shared library ${lib}, found in none of ${dirs.join(', ')}: the loader will stop with "error while loading shared libraries: ${lib}"`,
          lib,
        ),
      );
  },
};
