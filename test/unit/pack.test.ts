// The published package works on its own: pack it, install the tarball into an empty
// directory, and run the installed goimg.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';

test('npm pack, install the tarball in an empty directory, run goimg --version', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-pack-'));
  try {
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(pack.status, 0, pack.stderr);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    assert.ok(info);
    assert.ok(
      info.files.some((f) => f.path === 'dist/src/cli/main.js'),
      'tarball holds the build',
    );
    assert.ok(!info.files.some((f) => f.path.startsWith('dist/test/')), 'tarball holds no tests');
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', join(dir, info.filename)], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(install.status, 0, install.stderr);
    const run = spawnSync(join(dir, 'node_modules', '.bin', 'goimg'), ['--version'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout.trim(), /^\d+\.\d+\.\d+/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
