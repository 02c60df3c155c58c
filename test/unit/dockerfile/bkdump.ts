/**
 * BuildKit's own Dockerfile parser as a test oracle: builds `bkdump` (the oracle folder's small
 * command around BuildKit's parser packages) into a temporary directory and runs it on many
 * files in one process. The oracle folder is GOIMG_BUILDKIT_ORACLE, else
 * `shared/oracles/buildkit-parser` (see test/helpers/shared-data.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSharedData } from '../../helpers/shared-data.js';

export interface BkChild {
  keyword: string;
  flags: string[] | null;
  json: boolean;
  heredocs: { name: string; expand: boolean; chomp: boolean; content: string }[] | null;
  startLine: number;
  endLine: number;
  args: string[] | null;
}

export interface BkResult {
  file: string;
  ok: boolean;
  error?: string;
  panic?: string;
  children?: BkChild[];
  escape?: string;
  directives?: Record<string, string>;
  micros: number;
  buildOk: boolean;
  buildError?: string;
  stages: number;
}

export function oracleDir(): string | undefined {
  return findSharedData(join('oracles', 'buildkit-parser'), join('cmd', 'bkdump'), 'GOIMG_BUILDKIT_ORACLE');
}

export function goBinary(): string | undefined {
  for (const go of ['/usr/lib/go-1.23/bin/go', process.env.GOIMG_GO123 ?? '']) {
    if (go && existsSync(go)) return go;
  }
  return undefined;
}

/** Builds bkdump into a new temporary directory; returns its path (throws on a build failure). */
export function buildBkdump(oracle: string, go: string): string {
  const out = mkdtempSync(join(tmpdir(), 'goimg-bkdump-'));
  const bin = join(out, 'bkdump');
  const r = spawnSync(go, ['build', '-o', bin, './cmd/bkdump'], {
    cwd: oracle,
    env: { ...process.env, GOFLAGS: '-mod=vendor', GOTOOLCHAIN: 'local' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`building bkdump failed: ${r.stderr}`);
  return bin;
}

/** Runs bkdump once on every path; results in the same order. */
export function runBkdump(bin: string, paths: readonly string[]): BkResult[] {
  const r = spawnSync(bin, [], { input: `${paths.join('\n')}\n`, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`bkdump failed: ${r.stderr}`);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  return lines.map((l) => JSON.parse(l) as BkResult);
}
