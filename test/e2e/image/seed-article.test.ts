/**
 * The seed article's image, built unchanged by BuildKit on the stand-ins: goimg says the
 * container will not start (glibc loader missing on alpine) and `docker run` agrees. A static
 * binary on distroless static gets no error and runs.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { buildkitBuild, DockerResources, docker } from '../../helpers/docker.js';
import { hasEngine, hasImage, TEST_DOCKER_HOST } from '../../helpers/env.js';
import { buildFixture, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';

const resources = new DockerResources();
after(() => resources.cleanup());
let ready = false;
before(() => {
  ready = hasEngine() && hasImage('golang:1.21') && hasImage('alpine:latest');
});

const env = { DOCKER_HOST: TEST_DOCKER_HOST };

test('seed article image: missing-interpreter for the glibc loader, and docker run fails the same way', async (t) => {
  if (!need(t, ready, 'the test engine with golang:1.21 and alpine:latest stand-ins')) return;
  const tag = resources.imageTag('seed');
  const build = await buildkitBuild(join(REPO_ROOT, 'examples', 'seed-article'), tag);
  assert.equal(build.status, 0, build.output);

  const r = runGoimg(['image', `docker-daemon:${tag}`, '--format', 'json'], { env });
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assertMatchesSchema('image.schema.json', report);
  const interp = report.findings.find((f: { rule: string }) => f.rule === 'missing-interpreter');
  assert.ok(interp, JSON.stringify(report.findings));
  assert.equal(interp.path, '/lib64/ld-linux-x86-64.so.2');
  assert.equal(interp.severity, 'error');
  assert.match(interp.message, /no such file or directory/);
  assert.equal(report.entrypoint.resolved, '/app/main');
  assert.equal(report.entrypoint.binary.linkage.interpreter, '/lib64/ld-linux-x86-64.so.2');
  const main = report.entrypoint.binary;
  assert.deepEqual(report.goBinaries, [
    {
      path: '/app/main',
      goVersion: main.goVersion,
      module: 'example.com/seed-article',
      size: main.size,
      modules: main.sizes.modules
        .slice(0, 5)
        .map((m: { path: string; version: string | null; size: number }) => ({
          path: m.path,
          version: m.version,
          size: m.size,
        })),
    },
  ]);
  assert.match(report.goBinaries[0].goVersion, /^go1\.21/);
  // The same image saved to an archive: the Go binaries' attributes are identical.
  const archive = join(mkdtempSync(join(tmpdir(), 'goimg-seed-')), 'seed.tar');
  assert.equal(docker(['save', '-o', archive, tag]).status, 0);
  const saved = runGoimg(['image', `docker-archive:${archive}`, '--format', 'json']);
  assert.deepEqual(JSON.parse(saved.stdout).goBinaries, report.goBinaries);

  const text = runGoimg(['image', `docker-daemon:${tag}`], { env });
  assert.equal(text.status, 1);
  assert.match(text.stdout, /missing-interpreter\] \/lib64\/ld-linux-x86-64\.so\.2/);

  const run = docker(['run', '--rm', '--network=host', tag], { timeoutMs: 60_000 });
  assert.notEqual(run.status, 0);
  assert.match(run.output, /no such file or directory/);
});

test('a static Go binary on distroless static: no error, and docker run works', async (t) => {
  if (
    !need(
      t,
      hasEngine() && hasImage('gcr.io/distroless/static-debian12:nonroot'),
      'the distroless static stand-in',
    )
  )
    return;
  if (!need(t, fixtureAvailable('static') === null, 'Go 1.23')) return;
  const bin = await buildFixture('app', 'static');
  const ctx = mkdtempSync(join(tmpdir(), 'goimg-static-'));
  copyFileSync(bin.path, join(ctx, 'app'));
  writeFileSync(
    join(ctx, 'Dockerfile'),
    'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nENTRYPOINT ["/app"]\n',
  );
  const tag = resources.imageTag('static');
  const build = await buildkitBuild(ctx, tag);
  assert.equal(build.status, 0, build.output);

  const r = runGoimg(['image', `docker-daemon:${tag}`, '--format', 'json', '--fail-on', 'warning'], { env });
  assert.ok(r.stdout, r.stderr);
  const report = JSON.parse(r.stdout);
  assertMatchesSchema('image.schema.json', report);
  assert.deepEqual(report.findings, [], JSON.stringify(report.findings));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(report.entrypoint.binary.linkage.kind, 'static');
  assert.equal(report.config.user, '65532');

  const run = docker(['run', '--rm', '--network=host', tag, '1', '2'], { timeoutMs: 60_000 });
  assert.equal(run.status, 0, run.output);
  assert.match(run.stdout, /hello, FIXTURE/);
});
