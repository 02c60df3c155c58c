#!/usr/bin/env node
// Tags a release of the GitHub Action. dist/ is not committed on branches, but `uses:
// OWNER/goimg@TAG` runs the checkout at TAG as it is, with no install step: the tag therefore
// points at a commit holding HEAD's tree plus the built CLI bundle (dist/cli), made with a
// temporary index so the working tree and the branch stay as they are.
// Usage: node scripts/release-action.mjs TAG [--no-build]   then: git push origin TAG
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function fail(message) {
  process.stderr.write(`release-action: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const tag = args.find((a) => !a.startsWith('--'));
if (!tag || !/^v\d+(\.\d+){0,2}([-+][\w.-]+)?$/.test(tag))
  fail('usage: node scripts/release-action.mjs vMAJOR[.MINOR[.PATCH]] [--no-build]');

const git = (gitArgs, env = {}) =>
  execFileSync('git', gitArgs, { encoding: 'utf8', env: { ...process.env, ...env } }).trim();

if (git(['status', '--porcelain']) !== '') fail('the working tree has changes: commit them first');
if (!args.includes('--no-build')) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
if (!existsSync('dist/cli/main.js')) fail('dist/cli/main.js is missing: run npm run build');

const scratch = mkdtempSync(join(tmpdir(), 'goimg-release-'));
try {
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  git(['read-tree', 'HEAD'], env);
  git(['add', '--force', 'dist/cli'], env);
  const tree = git(['write-tree'], env);
  const commit = git([
    'commit-tree',
    tree,
    '-p',
    'HEAD',
    '-m',
    `goimg action ${tag}: the source and its CLI bundle`,
  ]);
  git(['tag', '--force', tag, commit]);
  process.stdout.write(`${tag} -> ${commit}\npublish it with: git push --force origin ${tag}\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
