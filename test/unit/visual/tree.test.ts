/**
 * The trees behind the pictures, from real reports: a Go binary's modules and packages and the
 * bytes no package owns add up to the file; the merged file system's directories add up to
 * their files.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectBinary } from '../../../src/binary/index.js';
import type { LayerEntry } from '../../../src/image/layer-reader.js';
import { MergedFs } from '../../../src/image/merge.js';
import { binaryTree, fsTree, type TreeNode } from '../../../src/visual/tree.js';
import { buildFixture, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';

const sum = (nodes: TreeNode[] = []) => nodes.reduce((n, c) => n + c.size, 0);

for (const variant of ['static', 'stripped'] as const) {
  test(`binary tree (${variant}): modules hold their packages, and all parts add up to the file`, async (t) => {
    if (!need(t, fixtureAvailable(variant) === null, 'Go 1.23')) return;
    const file = (await buildFixture('app', variant)).path;
    const report = await inspectBinary(file);
    const tree = binaryTree(report, report.sizes!);
    assert.equal(tree.size, report.size);
    assert.equal(sum(tree.children), report.size, 'modules + unattributed = file size');
    const modules = tree.children!.filter((c) => c.role === 'module');
    assert.deepEqual(
      modules.map((m) => [m.name, m.size]).sort(),
      report.sizes!.modules.map((m) => [m.path, m.size]).sort(),
    );
    for (const m of modules) assert.equal(sum(m.children), m.size, `${m.name}: packages add up`);
    const rest = tree.children!.find((c) => c.role === 'rest')!;
    assert.equal(rest.size, report.sizes!.unattributed);
    assert.equal(sum(rest.children), rest.size, 'the unattributed pieces add up');
    const colours = Object.fromEntries(modules.map((m) => [m.name, m.colour]));
    assert.deepEqual(
      { std: colours.std, main: colours['example.com/app'], dep: colours['example.com/greet'] },
      { std: 'std', main: 'main', dep: 'dep' },
    );
  });
}

test('file system tree: directories add up, empty files and links draw nothing, binaries open', () => {
  const fs = new MergedFs();
  const entry = (path: string, type: 'file' | 'dir' | 'symlink', size = 0): LayerEntry => ({
    path,
    type,
    size,
    mode: 0o755,
    uid: 0,
    gid: 0,
    ...(type === 'symlink' ? { linkname: 'x' } : {}),
  });
  fs.apply(0, [entry('bin', 'dir'), entry('bin/app', 'file', 100), entry('etc/empty', 'file', 0)]);
  fs.apply(1, [entry('bin/tool', 'file', 40), entry('bin/link', 'symlink')]);
  const parts: TreeNode[] = [{ name: 'std', size: 100, role: 'module', colour: 'std' }];
  const tree = fsTree(fs.root, (path) => (path === 'bin/app' ? parts : null));
  assert.equal(tree.size, 140);
  assert.deepEqual(
    tree.children!.map((c) => [c.name, c.size]),
    [['bin', 140]],
  );
  const bin = tree.children![0]!;
  assert.deepEqual(
    bin.children!.map((c) => [c.name, c.role, c.colour]),
    [
      ['app', 'binary', 0],
      ['tool', 'file', 1],
    ],
  );
  assert.equal(bin.children![0]!.children, parts);
});
