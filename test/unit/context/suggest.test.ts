import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  dockerignoreSavings,
  gapsInDockerignore,
  JUNK_PATTERNS,
  loadDockerignore,
  makeFilter,
  neededByBuild,
  parseDockerignore,
  suggestDockerignore,
  walkContext,
} from '../../../src/context/index.js';
import { scanProject } from '../../../src/project/index.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const FIX = join(REPO_ROOT, 'test/fixtures/projects');
const temps: string[] = [];
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function copyOf(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-suggest-'));
  temps.push(dir);
  cpSync(src, dir, { recursive: true });
  return dir;
}

function put(root: string, files: Record<string, string | Buffer>): void {
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), c);
  }
}

/** Every file the build reads survives the filter. */
function assertKeepsNeeded(
  root: string,
  text: string,
  project: Awaited<ReturnType<typeof scanProject>>,
): void {
  const filter = makeFilter(parseDockerignore(text));
  const needed = neededByBuild(project, root);
  for (const e of walkContext(root, makeFilter([]))) {
    if (e.type !== 'dir' && needed.needs(e.path))
      assert.equal(filter.ignores(e.path), false, `${e.path} excluded`);
  }
}

test('suggestDockerignore on every fixture and example never excludes what the build reads', async () => {
  const projects = ['static-http', 'cgo-import-c', 'local-replace', 'go-work', 'vendored', 'tz-loader'].map(
    (n) => join(FIX, n),
  );
  projects.push(join(REPO_ROOT, 'examples/seed-article'), join(REPO_ROOT, 'examples/orders-service'));
  for (const dir of projects) {
    const project = await scanProject(dir);
    const s = suggestDockerignore(project);
    assert.match(s.text, /^\.git$/m);
    assert.match(s.text, /^\*\*\/\.env$/m);
    assertKeepsNeeded(dir, s.text, project);
  }
});

test('a pattern that would hit a package, an embedded folder or vendored testdata is dropped and said why', async () => {
  const root = copyOf(join(FIX, 'vendored'));
  put(root, {
    'build/build.go': 'package build\n\nconst X = 1\n',
    'main.go':
      'package main\n\nimport (\n\t"embed"\n\t"fmt"\n\n\t"example.com/greet"\n\t_ "example.com/vendored/build"\n)\n\n//go:embed dist\nvar dist embed.FS\n\nfunc main() { fmt.Println(greet.Hello("vendor"), dist) }\n',
    'dist/index.html': '<p>hi</p>',
    'vendor/example.com/greet/testdata/golden.txt': 'x',
  });
  const project = await scanProject(root);
  const s = suggestDockerignore(project);
  const dropped = Object.fromEntries(s.dropped.map((d) => [d.pattern, d.why]));
  assert.equal(dropped.build, 'source of package build');
  assert.equal(dropped.dist, '//go:embed dist');
  assert.equal(dropped['**/testdata'], 'vendored modules');
  assert.doesNotMatch(s.text, /^build$/m);
  assertKeepsNeeded(root, s.text, project);
});

test('a .env the program loads at run time (godotenv.Load) is neither suggested away nor reported as a gap', async () => {
  const root = copyOf(join(FIX, 'static-http'));
  put(root, {
    '.dockerignore': '.git\n',
    '.env': 'API_TOKEN=1f2e3d\n',
    'config.go':
      'package main\n\nimport "github.com/joho/godotenv"\n\nfunc init() {\n\tif err := godotenv.Load(); err != nil {\n\t\tpanic(err)\n\t}\n}\n',
  });
  const project = await scanProject(root);
  assert.deepEqual(
    project.runtimeFiles?.map((e) => [e.detail, e.file, e.line]),
    [['.env', 'config.go', 6]],
  );
  const s = suggestDockerignore(project);
  const dropped = s.dropped.find((d) => d.path === '.env');
  assert.equal(dropped?.why, 'read at run time (godotenv at config.go:6)');
  assert.equal(makeFilter(parseDockerignore(s.text)).ignores('.env'), false);
  assert.equal(byCategory(gapsInDockerignore(root, loadDockerignore(root), project)).secrets, undefined);
});

/** Gaps by their category, as the tests look them up. */
function byCategory(gaps: ReturnType<typeof gapsInDockerignore>): Record<string, (typeof gaps)[number]> {
  return Object.fromEntries(gaps.map((g) => [g.category, g]));
}

test('gapsInDockerignore lists what leaks by category with BuildKit-counted sizes', async () => {
  const root = copyOf(join(FIX, 'static-http'));
  put(root, {
    '.dockerignore': '.git\n',
    '.git/objects/pack/p.pack': Buffer.alloc(50_000),
    'node_modules/left-pad/index.js': Buffer.alloc(20_000),
    '.env': 'TOKEN=secret\n',
    'bin/statichttp': Buffer.alloc(100_000),
    'coverage.out': 'mode: set\n',
    '.idea/workspace.xml': '<x/>',
    'testdata/big.json': Buffer.alloc(5_000),
  });
  const project = await scanProject(root);
  const gaps = gapsInDockerignore(root, loadDockerignore(root), project);
  const by = byCategory(gaps);
  assert.deepEqual(Object.keys(by).sort(), [
    'build-output',
    'editor',
    'node-modules',
    'secrets',
    'test-data',
  ]);
  // Docker and CI files are suggested for a generated file but are not worth a finding.
  assert.equal(by.docker, undefined);
  assert.equal(gaps[0]!.category, 'build-output', 'sorted by size');
  assert.deepEqual(by['build-output']!.examples, ['bin', 'coverage.out']);
  assert.equal(by['build-output']!.contentBytes, 100_000 + 10);
  assert.ok(by['build-output']!.transferBytes > 100_010);
  assert.deepEqual(by['node-modules']!.examples, ['node_modules']);
  assert.deepEqual(by.secrets!.patterns, ['**/.env']);
  assert.equal(by.vcs, undefined, '.git is already ignored');
});

test('gapsInDockerignore: committed .env templates are not secrets, and a build/ folder of Go packages is not output', async () => {
  const root = copyOf(join(FIX, 'static-http'));
  put(root, {
    '.dockerignore': '.git\n',
    '.env.example': 'API_TOKEN=your-token-here\n',
    'deploy/.env.sample': 'PASSWORD=changeme\n',
    'build/scripts/entry.sh': Buffer.alloc(6_000),
    'build/wasm/main.go': 'package main\n\nfunc main() {}\n',
    'dist/app.tar': Buffer.alloc(9_000),
  });
  const project = await scanProject(root);
  const by = byCategory(gapsInDockerignore(root, loadDockerignore(root), project));
  assert.equal(by.secrets, undefined);
  assert.deepEqual(by['build-output']!.patterns, ['dist']);
  // `*.test` text fixtures are not compiled test binaries; an ELF one is.
  put(root, { 'pkg/testdata2/sum.test': 'load 5m\n  up 1\n' });
  assert.equal(
    gapsInDockerignore(root, loadDockerignore(root), project).find((g) => g.patterns.includes('**/*.test')),
    undefined,
  );
  put(root, { 'pkg/app.test': Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(9_000)]) });
  const binaries = gapsInDockerignore(root, loadDockerignore(root), project).find(
    (g) => g.category === 'build-output',
  );
  assert.ok(binaries?.examples.includes('pkg/app.test'), JSON.stringify(binaries));
  // A real .env beside the template still is one.
  put(root, { '.env': 'API_TOKEN=1f2e3d\n' });
  const again = gapsInDockerignore(root, loadDockerignore(root), project).find(
    (g) => g.category === 'secrets',
  );
  assert.deepEqual(again?.examples, ['.env']);
});

test('dockerignoreSavings: seed-article plus a .git and a binary, before and after the suggestion', async () => {
  const root = copyOf(join(REPO_ROOT, 'examples/seed-article'));
  put(root, { '.git/objects/x': Buffer.alloc(300_000), main: Buffer.alloc(2_000_000) });
  const project = await scanProject(root);
  const { current, suggested } = dockerignoreSavings(root, loadDockerignore(root), project);
  assert.ok(current.transferBytes > 2_300_000);
  // .git and the Dockerfile go; "main" is no junk pattern (a host binary could be anything).
  assert.equal(current.contentBytes - suggested.contentBytes, 300_000 + 240);
  assert.equal(current.files - suggested.files, 2);
});

test('every junk pattern parses and has a reason', () => {
  for (const j of JUNK_PATTERNS) {
    assert.ok(j.reason.length > 5, j.pattern);
    assert.equal(parseDockerignore(j.pattern).length, 1, j.pattern);
  }
});

test('gapsInDockerignore: what an exception names itself was let through on purpose; a tree an exception opens still leaks its test data', async () => {
  const root = copyOf(join(FIX, 'static-http'));
  put(root, {
    // An allow-list that keeps .git on purpose (provenance) and opens internal/ whole.
    '.dockerignore': '*\n!/*.go\n!/go.*\n!/internal/*\n!/.git/\n',
    '.git/objects/pack/p.pack': Buffer.alloc(50_000),
    'internal/store/store.go': 'package store\n',
    'internal/store/testdata/big.json': Buffer.alloc(40_000),
  });
  const project = await scanProject(root);
  const by = byCategory(gapsInDockerignore(root, loadDockerignore(root), project));
  assert.equal(by.vcs, undefined, 'the .git the file re-includes is no gap');
  assert.deepEqual(by['test-data']?.examples, ['internal/store/testdata']);
});
