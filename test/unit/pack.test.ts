// The published package works on its own: pack it, install the tarball into an empty
// directory, and run the installed goimg.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';

test('npm pack, install the tarball in an empty directory, run goimg --version and goimg audit', {
  timeout: 180_000,
}, () => {
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
    for (const path of ['dist/cli/main.js', 'dist/data/go-releases.json']) {
      assert.ok(
        info.files.some((f) => f.path === path),
        `tarball holds ${path}`,
      );
    }
    assert.ok(!info.files.some((f) => f.path.startsWith('dist/test/')), 'tarball holds no tests');
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', join(dir, info.filename)], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(install.status, 0, install.stderr);
    const goimg = (...args: string[]) =>
      spawnSync(join(dir, 'node_modules', '.bin', 'goimg'), args, { encoding: 'utf8', cwd: dir });
    const run = goimg('--version');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout.trim(), /^\d+\.\d+\.\d+/);

    // One real command, which reads the dated Go release table (go-version-unsupported).
    const project = join(dir, 'seed-article');
    cpSync(join(REPO_ROOT, 'examples', 'seed-article'), project, { recursive: true });
    const audit = () => goimg('audit', project, '--format', 'json', '--fail-on', 'never');
    const installed = audit();
    assert.equal(installed.status, 0, installed.stderr);
    const report = JSON.parse(installed.stdout) as { findings: { rule: string }[] };
    assert.ok(report.findings.some((f) => f.rule === 'go-version-unsupported'));

    // The CLI bundle stands alone: without the tsc output (the library entry) it gives the same.
    rmSync(join(dir, 'node_modules', 'goimg', 'dist', 'src'), { recursive: true });
    const bundled = audit();
    assert.equal(bundled.status, 0, bundled.stderr);
    assert.equal(bundled.stdout, installed.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
