/**
 * The reference a cached container build approaches: the host's own incremental `go build` for
 * the same one-line change, and the size of the stripped static binary (the physical limit of
 * the image size).
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { findGoToolchain, findGoToolchains } from '../env/go-toolchains.js';
import { applySourceChange } from './edits.js';

export interface HostReference {
  go: string | null;
  /** Seconds for `go build` after the one-line source change, with a warm build cache. */
  goBuildIncremental: number | null;
  /** Bytes of CGO_ENABLED=0 go build -trimpath -ldflags="-s -w". */
  strippedBinarySize: number | null;
  error?: string;
}

export function hostReference(copyRoot: string, mainDir: string, goMinor: string | undefined): HostReference {
  const tc = findGoToolchain(goMinor) ?? findGoToolchains()[0];
  if (!tc)
    return {
      go: null,
      goBuildIncremental: null,
      strippedBinarySize: null,
      error: 'no Go toolchain on this machine',
    };
  const out = join(copyRoot, '.goimg-bench-host-binary');
  const pkg = mainDir === '.' ? '.' : `./${mainDir}`;
  const build = () => {
    const started = process.hrtime.bigint();
    const r = spawnSync(tc.go, ['build', '-trimpath', '-ldflags=-s -w', '-o', out, pkg], {
      cwd: copyRoot,
      env: {
        ...process.env,
        CGO_ENABLED: '0',
        GOTOOLCHAIN: 'local',
        GOPROXY: 'off',
        GOFLAGS: '',
        GOWORK: 'off',
      },
      encoding: 'utf8',
    });
    return {
      ok: r.status === 0,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      stderr: r.stderr ?? '',
    };
  };
  const warm = build();
  if (!warm.ok) {
    return {
      go: tc.version,
      goBuildIncremental: null,
      strippedBinarySize: null,
      error: `host go build failed: ${warm.stderr.trim().split('\n').slice(-1)[0]}`,
    };
  }
  const size = statSync(out).size;
  applySourceChange(copyRoot, mainDir, `host-${process.pid}-${Date.now()}`);
  const incremental = build();
  return {
    go: tc.version,
    goBuildIncremental: incremental.ok ? incremental.seconds : null,
    strippedBinarySize: size,
  };
}
