/**
 * The second step of a build: `go build` for one platform, and where the binary it made is.
 *
 * With a cache, go writes into the configuration's stable output slot (output-slot.ts), so an
 * unchanged rebuild does not relink; without one, or while another build holds the slot, into the
 * build's temporary directory. go's own work directory (GOTMPDIR) is goimg's, removed with it.
 */
import { mkdtempSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { trace } from '../core/trace.js';
import { errorText } from '../env/cache-dir.js';
import { type GoBuilt, goBuild } from './gobuild.js';
import { claimSlot, type OutputSlot } from './output-slot.js';
import type { BuildPlan } from './plan.js';
import { formatPlatformName, type Platform } from './platform.js';
import { ldflagsFor } from './version-args.js';

export interface GoBinary extends GoBuilt {
  platform: Platform;
  /**
   * Where go wrote it: the build's own until the build is disposed (a held slot, or its temporary
   * directory), so its layer, SBOM and vulnerability check all read this very binary.
   */
  hostPath: string;
  stat: Stats;
  /** The stable output slot it was built in, when the cache gave one. */
  slot?: OutputSlot;
}

/** Where `go build -o` writes: the claimed slot, or a directory of its own under `workDir`. */
export interface BinaryTarget {
  output: string;
  tmpDir: string;
  slot?: OutputSlot;
}

/**
 * The output for this platform: the cache's slot when it can be had (`cacheRoot`), else a fresh
 * directory under `workDir`. A slot that cannot be made is reported through `warn`.
 */
export function binaryTarget(
  plan: BuildPlan,
  platform: Platform,
  workDir: string,
  cacheRoot: string | undefined,
  warn: (text: string) => void,
): BinaryTarget {
  if (cacheRoot) {
    const what = {
      dir: plan.dir,
      mainPackage: plan.mainPackage,
      platform,
      goroot: plan.toolchain.goroot,
      cgo: plan.cgo,
      ldflags: ldflagsFor(plan.ldflags, platform),
      tags: plan.tags,
    };
    try {
      const slot = claimSlot(cacheRoot, what, plan.binaryName);
      if (slot) return { output: slot.output, tmpDir: slot.tmpDir, slot };
      trace('build: output slot busy (another build): building without it');
    } catch (err) {
      warn(`the cache at ${cacheRoot} cannot be written (${errorText(err)}): building without it`);
    }
  }
  const own = mkdtempSync(join(workDir, `${formatPlatformName(platform).replace(/\//g, '-')}-`));
  return { output: join(own, plan.binaryName), tmpDir: own };
}

/** Runs go for `platform` into `target`. */
export async function buildBinary(
  plan: BuildPlan,
  platform: Platform,
  target: BinaryTarget,
): Promise<GoBinary> {
  trace('build: go build');
  const built = await goBuild({
    toolchain: plan.toolchain,
    dir: plan.dir,
    main: plan.mainPackage,
    platform,
    cgo: plan.cgo,
    ldflags: ldflagsFor(plan.ldflags, platform),
    tags: plan.tags,
    flags: plan.goFlags,
    env: plan.goEnv,
    output: target.output,
    tmpDir: target.tmpDir,
  });
  trace(`build: go build done in ${built.millis} ms`);
  return {
    ...built,
    platform,
    hostPath: target.output,
    stat: statSync(target.output),
    ...(target.slot ? { slot: target.slot } : {}),
  };
}
