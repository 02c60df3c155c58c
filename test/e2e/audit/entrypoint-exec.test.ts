/**
 * End to end: an entrypoint script that starts the program without exec keeps it from the SIGTERM
 * of `docker stop`: a shell that is PID 1 ignores it, and tini passes it to the shell alone.
 * goimg names it, `--fix` writes exec, and the same container then gets SIGTERM and stops cleanly.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { buildkitBuild } from '../../helpers/buildkit.js';
import { runGoimg } from '../../helpers/cli.js';
import { DockerResources, docker, dockerOk } from '../../helpers/docker.js';
import { hasEngine, hasImage } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';

const BASE = 'alpine:3.20';
const resources = new DockerResources();
const scratch = mkdtempSync(join(tmpdir(), 'goimg-e2e-exec-'));
after(() => {
  resources.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** A service that, on SIGTERM, records that it got it and exits 0. */
const SERVICE = `#!/bin/sh
trap 'echo got-term > /tmp/stopped; exit 0' TERM
echo ready
while :; do sleep 0.1; done
`;

function findings(dir: string): { rule: string; file: string; line: number }[] {
  const r = runGoimg(['audit', dir, '--offline', '--format', 'json', '--fail-on', 'never']);
  assert.equal(r.status, 0, r.stderr);
  return (
    JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number }[] }
  ).findings.filter((f) => f.rule === 'entrypoint-without-exec');
}

/** Builds and starts the image, stops it once the service is up; what the service recorded, and the exit code. */
async function stopped(dir: string): Promise<{ record: string; exitCode: string }> {
  const tag = resources.imageTag('exec');
  const build = buildkitBuild(dir, tag);
  assert.ok(build.ok, build.output.slice(-3000));
  const name = resources.containerName('exec');
  dockerOk(['run', '-d', '--name', name, tag]);
  // Wait for the service to say it is up (its trap is set), then stop it.
  for (let i = 0; !docker(['logs', name]).stdout.includes('ready'); i++) {
    assert.ok(i < 600, 'the service never started');
    await delay(50);
  }
  dockerOk(['stop', '-t', '2', name]);
  // docker cp writes a tar holding the file, when the service wrote it.
  const record = docker(['cp', `${name}:/tmp/stopped`, '-']);
  return {
    record: record.status === 0 ? record.stdout : '',
    exitCode: dockerOk(['inspect', '-f', '{{.State.ExitCode}}', name]),
  };
}

/** The engine's own init (tini), copied into the image as a user would install tini. */
const TINI = '/usr/bin/docker-init';

const CASES = [
  {
    name: 'the shell is PID 1: it ignores SIGTERM, the engine kills everything after the grace period',
    entrypoint: '["/usr/bin/entrypoint.sh"]',
    killedWith: '137',
  },
  {
    name: 'under tini: SIGTERM goes to the shell alone, which exits and takes the program down without it',
    entrypoint: '["/usr/bin/docker-init", "--", "/usr/bin/entrypoint.sh"]',
    killedWith: '143',
  },
];

for (const c of CASES) {
  test(`a script that starts the service without exec, ${c.name}; after --fix the program gets SIGTERM`, async (t) => {
    if (!need(t, hasEngine() && hasImage(BASE), `a Docker engine with ${BASE}`)) return;
    if (c.entrypoint.includes('docker-init') && !need(t, existsSync(TINI), `${TINI} (tini, from docker.io)`))
      return;
    const dir = mkdtempSync(join(scratch, 'service-'));
    writeFileSync(join(dir, 'svc'), SERVICE, { mode: 0o755 });
    writeFileSync(join(dir, 'entrypoint.sh'), '#!/bin/sh\nset -e\necho starting\n/usr/bin/svc "$@"\n', {
      mode: 0o755,
    });
    const init = c.entrypoint.includes('docker-init');
    if (init) copyFileSync(TINI, join(dir, 'docker-init'));
    writeFileSync(
      join(dir, 'Dockerfile'),
      `FROM ${BASE}\nCOPY ${init ? 'docker-init ' : ''}svc entrypoint.sh /usr/bin/\nUSER 65534\nENTRYPOINT ${c.entrypoint}\n`,
    );

    assert.deepEqual(
      findings(dir).map((f) => [f.file, f.line]),
      [['entrypoint.sh', 4]],
    );
    const unfixed = await stopped(dir);
    assert.equal(unfixed.record, '', 'the program got no SIGTERM');
    assert.equal(unfixed.exitCode, c.killedWith);

    const fix = runGoimg(['audit', dir, '--offline', '--fix', '--fail-on', 'never']);
    assert.equal(fix.status, 0, fix.stderr);
    assert.equal(
      readFileSync(join(dir, 'entrypoint.sh'), 'utf8'),
      '#!/bin/sh\nset -e\necho starting\nexec /usr/bin/svc "$@"\n',
    );
    assert.deepEqual(findings(dir), []);
    const fixed = await stopped(dir);
    assert.match(fixed.record, /got-term/, 'the program got SIGTERM');
    assert.equal(fixed.exitCode, '0', 'and shut down cleanly');
  });
}
