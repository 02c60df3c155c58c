/**
 * SIGINT and SIGTERM during a real `goimg build`: while `go build` compiles (an empty GOCACHE, so
 * it has the standard library to compile), goimg is signalled; it exits with 128 + the signal's
 * number, no process of that build survives (go, its compilers, its linker), and nothing it created
 * is left: no temporary directory, no go work directory, no lock, no half-written binary or layout.
 * The moment to signal is an event: go runs its tools through a -toolexec script that leaves a file
 * in a watched directory before it becomes the compiler.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { GOIMG_BIN, goimgEnv } from '../../helpers/cli.js';
import { need } from '../../helpers/requirements.js';
import { copyFixture, tempDir } from './helpers.js';

const work = await tempDir('goimg-e2e-interrupt-');
after(() => rm(work, { recursive: true, force: true }));

const SIGKILL_BIT = 1n << 8n; // signal 9 in /proc's pending masks
const PF_EXITING = 0x4;

/**
 * Processes whose environment holds `marker` (NAME=VALUE) and that are neither dead (zombie)
 * nor dying (SIGKILL pending, or already exiting): the ones that would go on running.
 */
function survivorsWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(marker)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X' || (Number(fields[6]) & PF_EXITING) !== 0) continue;
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const pending = [...status.matchAll(/^(?:SigPnd|ShdPnd):\s*([0-9a-f]+)$/gm)].map((m) =>
        BigInt(`0x${m[1]}`),
      );
      if (pending.some((p) => (p & SIGKILL_BIT) !== 0n)) continue;
      found.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Resolves when `dir` gets its first entry. */
function firstEntry(dir: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dir, () => {
      watcher.close();
      resolve();
    });
    if (readdirSync(dir).length > 0) {
      watcher.close();
      resolve();
    }
  });
}

async function interruptDuringGoBuild(signal: 'SIGINT' | 'SIGTERM', platforms: string): Promise<void> {
  const name = `${signal}-${platforms.replace(/\W/g, '-')}`;
  const src = await copyFixture('plain', join(work, name));
  const tmp = join(work, name, 'tmp');
  const gocache = join(work, name, 'gocache');
  const cache = join(work, name, 'goimg-cache');
  const oci = join(work, name, 'oci');
  const started = join(work, name, 'started');
  const toolexec = join(work, name, 'toolexec.sh');
  for (const d of [tmp, gocache, started]) mkdirSync(d);
  writeFileSync(toolexec, `#!/bin/sh\n: > "${started}/$$"\nexec "$@"\n`);
  chmodSync(toolexec, 0o755);
  const marker = `GOCACHE=${gocache}`;
  const child = spawn(GOIMG_BIN, ['build', src, '--platform', platforms, '--oci', oci], {
    env: goimgEnv({
      TMPDIR: tmp,
      GOCACHE: gocache,
      GOIMG_CACHE_DIR: cache,
      GOFLAGS: `-toolexec=${toolexec}`,
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // go's first tool (a compiler: the standard library comes first) is starting.
  await firstEntry(started);
  assert.ok(survivorsWith(marker).length > 1, 'go and a tool of its run when the signal is sent');
  child.kill(signal);
  const code = await exited;
  assert.equal(code, signal === 'SIGINT' ? 130 : 143, stderr);
  assert.match(stderr, new RegExp(`interrupted \\(${signal}\\)`));
  assert.doesNotMatch(stderr, /internal error|go build failed/, 'no error of its own after the signal');
  assert.deepEqual(survivorsWith(marker), [], 'no process of that build survives');
  assert.deepEqual(readdirSync(tmp), [], 'no temporary directory left');
  assert.ok(!existsSync(oci), 'no half-written layout');
  for (const slot of readdirSync(join(cache, 'bin'))) {
    const inSlot = readdirSync(join(cache, 'bin', slot));
    assert.deepEqual(inSlot, [], `slot ${slot}: no lock, go work directory or partial binary`);
  }
}

test('SIGINT during go build: every process stopped, nothing left behind', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return interruptDuringGoBuild('SIGINT', 'linux/amd64');
});

test('SIGTERM during the go builds of two platforms: both stopped, nothing left behind', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return interruptDuringGoBuild('SIGTERM', 'linux/amd64,linux/arm64');
});
