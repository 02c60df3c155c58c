/**
 * The scanner against the go command itself: for every fixture project and example, the
 * packages `go list -deps` builds from the main packages must be the ones scanProject puts in
 * the build, with the same files, imports, package names and embed patterns; go.mod files must
 * parse as `go mod edit -json` reads them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { parseGoMod } from '../../../src/project/gomod.js';
import { scanProject } from '../../../src/project/index.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { need } from '../../helpers/requirements.js';

const go = findGoToolchain('1.23') ?? findGoToolchain();
const FIX = join(REPO_ROOT, 'test/fixtures/projects');
const PROJECTS = [
  ...readdirSync(FIX).map((n) => join(FIX, n)),
  join(REPO_ROOT, 'examples/seed-article'),
  join(REPO_ROOT, 'examples/orders-service'),
];

interface GoListPackage {
  Dir: string;
  ImportPath: string;
  Name: string;
  Standard?: boolean;
  GoFiles?: string[];
  CgoFiles?: string[];
  Imports?: string[];
  EmbedPatterns?: string[];
}

function runGo(cwd: string, args: string[]): string {
  const r = spawnSync(go!.go, args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
      GOFLAGS: '',
      CGO_ENABLED: '1',
      GOOS: 'linux',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`go ${args.join(' ')} in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

function parseStream(out: string): GoListPackage[] {
  // `go list -json` prints concatenated objects.
  return JSON.parse(`[${out.replace(/\}\n\{/g, '},{')}]`) as GoListPackage[];
}

const IMPLICIT_CGO = new Set(['C', 'runtime/cgo', 'syscall', 'unsafe']);

for (const dir of PROJECTS) {
  const name = relative(REPO_ROOT, dir);
  test(`go list agrees with scanProject on ${name}`, async (t) => {
    if (!need(t, go !== undefined, 'a Go toolchain')) return;
    const model = await scanProject(dir);
    assert.ok(model.mainPackages.length > 0, 'every fixture has a main package');
    const listed = new Map<string, GoListPackage>();
    for (const main of model.mainPackages) {
      for (const p of parseStream(runGo(join(dir, main), ['list', '-deps', '-json', '.']))) {
        if (p.Standard || !p.Dir.startsWith(dir) || p.Dir.includes('/vendor/')) continue;
        listed.set(relative(dir, p.Dir) || '.', p);
      }
    }
    for (const [pdir, p] of listed) {
      const ours = model.packages.find((x) => x.dir === pdir);
      assert.ok(ours, `go builds ${p.ImportPath} (${pdir}); scanProject does not list it`);
      assert.equal(ours.name, p.Name, `${pdir}: package name`);
      assert.equal(ours.importPath, p.ImportPath, `${pdir}: import path`);
      assert.deepEqual(
        [...ours.files].sort(),
        [...(p.GoFiles ?? []), ...(p.CgoFiles ?? [])].sort(),
        `${pdir}: files`,
      );
      const goImports = (p.Imports ?? []).filter((i) => !IMPLICIT_CGO.has(i)).sort();
      const ourImports = ours.imports.filter((i) => !IMPLICIT_CGO.has(i)).sort();
      assert.deepEqual(
        ourImports.map((i) => (i.startsWith('vendor/') ? i.slice(7) : i)),
        goImports.map((i) => i.replace(/^.*\/vendor\//, '')),
        `${pdir}: imports`,
      );
      assert.deepEqual([...ours.embeds].sort(), [...(p.EmbedPatterns ?? [])].sort(), `${pdir}: embeds`);
      assert.equal(
        ours.imports.includes('C'),
        (p.CgoFiles ?? []).length > 0,
        `${pdir}: import "C" iff go reports cgo files`,
      );
    }
    const goMains = [...listed.entries()].filter(([, p]) => p.Name === 'main').map(([d]) => d);
    assert.deepEqual(goMains.sort(), [...model.mainPackages].sort());
  });
}

test('go mod edit -json reads every fixture and example go.mod as parseGoMod does', async (t) => {
  if (!need(t, go !== undefined, 'a Go toolchain')) return;
  for (const dir of PROJECTS) {
    const model = await scanProject(dir);
    for (const mod of model.modules ?? []) {
      const gomodDir = join(dir, mod.file, '..');
      const ref = JSON.parse(runGo(gomodDir, ['mod', 'edit', '-json'])) as {
        Module: { Path: string };
        Go?: string;
        Toolchain?: string;
        Require?: { Path: string; Version: string; Indirect?: boolean }[] | null;
        Replace?:
          | { Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }[]
          | null;
      };
      const where = `${relative(REPO_ROOT, dir)}/${mod.file}`;
      assert.equal(mod.module, ref.Module.Path, where);
      assert.equal(mod.go, ref.Go, where);
      assert.equal(mod.toolchain, ref.Toolchain, where);
      assert.deepEqual(
        mod.requires.map((r) => [r.path, r.version, r.indirect]),
        (ref.Require ?? []).map((r) => [r.Path, r.Version, r.Indirect === true]),
        where,
      );
      assert.deepEqual(
        mod.replaces.map((r) => [r.oldPath, r.oldVersion, r.newPath, r.newVersion]),
        (ref.Replace ?? []).map((r) => [r.Old.Path, r.Old.Version, r.New.Path, r.New.Version]),
        where,
      );
      // Re-parsing what Go formats gives the same model.
      const formatted = runGo(gomodDir, ['mod', 'edit', '-print']);
      assert.deepEqual(
        parseGoMod(formatted, mod.file).requires.map((r) => r.path),
        mod.requires.map((r) => r.path),
      );
    }
  }
});
