/**
 * End to end on real projects nobody here wrote: every project of the real-world corpus that can
 * build offline (a Dockerfile at its root and a go.mod that requires no module) is copied, fixed
 * with `goimg audit --fix`, and built with BuildKit; the image must build, and when it names a
 * command, that command must start (no exec failure). The fixes must keep every build working.
 *
 * The corpus is read from GOIMG_REALWORLD_CORPUS, or from `shared/corpus/realworld` found beside
 * the repository or one of its parents. Base images come from the engine's stand-ins: a golang
 * tag the engine lacks is a second name of the golang:1.23 stand-in, used only when the project's
 * go.mod accepts Go 1.23 and its builds set CGO_ENABLED=0 (an Alpine-based golang has no C
 * compiler, which a Debian stand-in would otherwise bring).
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildkitBuild } from '../../helpers/buildkit.js';
import { runGoimg } from '../../helpers/cli.js';
import { hasEngine, hasImage } from '../../helpers/env.js';
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
const { scratch, tags } = corpusWorkspace('goimg-e2e-realworld-');

test('real projects that build offline still build after --fix, and their images start', (t) => {
  if (!need(t, corpus !== undefined, 'the real-world corpus (GOIMG_REALWORLD_CORPUS)')) return;
  if (!need(t, hasEngine() && hasImage(GOLANG_STAND_IN), `a Docker engine with ${GOLANG_STAND_IN}`)) return;
  const projects = offlineProjects(corpus!, true);
  assert.ok(projects.length >= 3, `offline-buildable projects in the corpus: ${projects.join(', ')}`);
  for (const name of projects) {
    const dir = join(scratch, name);
    cpSync(join(corpus!, name), dir, { recursive: true });
    const fix = runGoimg(['audit', dir, '--fix', '--fail-on', 'never']);
    assert.equal(fix.status, 0, `${name}: ${fix.stderr}`);
    // The fix is idempotent: a second run changes nothing.
    const before = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    assert.equal(runGoimg(['audit', dir, '--fix', '--fail-on', 'never']).status, 0);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), before, `${name}: --fix is not idempotent`);
    const after = runGoimg(['audit', dir, '--format', 'json', '--fail-on', 'never']);
    const errors = (
      JSON.parse(after.stdout) as { findings: { rule: string; severity: string }[] }
    ).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors, [], `${name}: errors left after --fix`);

    // This engine cannot pull Dockerfile frontends: drop the `# syntax=` line the fix adds.
    const text = before.replace(/^# syntax=[^\n]*\n/m, '');
    writeFileSync(join(dir, 'Dockerfile'), text);
    const missing = provideBases(text, tags);
    assert.equal(missing, undefined, `${name}: ${missing}`);
    const tag = `goimg-e2e/realworld-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}:${process.pid}`;
    tags.push(tag);
    const build = buildkitBuild(dir, tag);
    assert.ok(build.ok, `${name}: the fixed build fails:\n${build.output.slice(-3000)}`);

    assertStarts(tag, name);
  }
});
