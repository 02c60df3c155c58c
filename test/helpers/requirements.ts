/**
 * Tests that need a real component (Go, a Docker engine, Chromium, skopeo...) call `need()`.
 * On a developer's machine a missing component skips the test and says so; in CI (CI=true)
 * it fails the test, so nothing is silently skipped.
 */
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Returns true when `available`; otherwise skips (laptop) or throws (CI) with `what`.
 * Use: `if (!need(t, hasDocker(), 'a Docker engine at DOCKER_HOST')) return;`
 */
export function need(t: TestContext, available: boolean, what: string): boolean {
  if (available) return true;
  const message = `needs ${what}; run scripts/setup-env.sh`;
  if (IN_CI) throw new Error(`CI=true and the test ${message}`);
  process.stdout.write(`# SKIPPED ${t.name}: ${message}\n`);
  t.skip(message);
  return false;
}

/** True when `nvim` is Neovim 0.7 or later (its built-in LSP client and vim.diagnostic). */
export function hasNvim(): boolean {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const m = /^NVIM v(\d+)\.(\d+)/.exec(r.stdout ?? '');
  return r.status === 0 && m !== null && (Number(m[1]) > 0 || Number(m[2]) >= 7);
}
