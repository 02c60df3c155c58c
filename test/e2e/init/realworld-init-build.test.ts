/**
 * `goimg init` and `goimg build` as a new user runs them on real projects nobody here wrote: every
 * project of the real-world corpus that can build offline (a root go.mod that requires no module
 * and accepts the Go installed here) gets a generated Dockerfile, which BuildKit must build into an
 * image that starts; `goimg build --load` must give an image that starts too.
 * Base images come from the engine's stand-ins (see test/helpers/realworld.ts).
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { buildkitBuild } from '../../helpers/buildkit.js';
import { runGoimg } from '../../helpers/cli.js';
import { dockerEnv, hasEngine, hasImage } from '../../helpers/env.js';
import {
  assertStarts,
  corpusWorkspace,
  findCorpus,
  GOLANG_STAND_IN,
  offlineProjects,
  provideBases,
} from '../../helpers/realworld.js';
import { need } from '../../helpers/requirements.js';

const corpus = findCorpus();
const { scratch, tags } = corpusWorkspace('goimg-e2e-realworld-init-');

const tagOf = (kind: string, name: string) =>
  `goimg-e2e/realworld-${kind}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}:${process.pid}`;

test('real projects that build offline: goimg init, then BuildKit, gives an image that starts', (t) => {
  if (!need(t, corpus !== undefined, 'the real-world corpus (GOIMG_REALWORLD_CORPUS)')) return;
  if (!need(t, hasEngine() && hasImage(GOLANG_STAND_IN), `a Docker engine with ${GOLANG_STAND_IN}`)) return;
  const projects = offlineProjects(corpus!, false);
  assert.ok(projects.length >= 3, `offline-buildable projects in the corpus: ${projects.join(', ')}`);
  for (const name of projects) {
    const dir = join(scratch, 'init', name);
    cpSync(join(corpus!, name), dir, { recursive: true });
    // This engine cannot pull Dockerfile frontends: no `# syntax=` line.
    const init = runGoimg(['init', dir, '--force', '--no-syntax-directive', '--offline']);
    assert.equal(init.status, 0, `${name}: ${init.stderr}`);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const missing = provideBases(dockerfile, tags);
    assert.equal(missing, undefined, `${name}: ${missing}`);
    const tag = tagOf('init', name);
    tags.push(tag);
    const build = buildkitBuild(dir, tag);
    assert.ok(build.ok, `${name}: the generated Dockerfile does not build:\n${build.output.slice(-3000)}`);
    assertStarts(tag, `${name} (goimg init)`);
  }
});

test('real projects that build offline: goimg build --load gives an image that starts', (t) => {
  if (!need(t, corpus !== undefined, 'the real-world corpus (GOIMG_REALWORLD_CORPUS)')) return;
  if (!need(t, hasEngine() && Boolean(findGoToolchain()), 'a Docker engine and a Go toolchain')) return;
  const projects = offlineProjects(corpus!, false);
  assert.ok(projects.length >= 3);
  for (const name of projects) {
    const dir = join(scratch, 'build', name);
    cpSync(join(corpus!, name), dir, { recursive: true });
    const tag = tagOf('build', name);
    tags.push(tag);
    const built = runGoimg(['build', dir, '--load', '--tag', tag], {
      env: { DOCKER_HOST: dockerEnv().DOCKER_HOST },
    });
    assert.equal(built.status, 0, `${name}: ${built.stderr}`);
    assertStarts(tag, `${name} (goimg build)`);
  }
});
