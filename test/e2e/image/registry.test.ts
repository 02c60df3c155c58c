/**
 * The distribution client against the real loopback registry, through a fault-injecting proxy:
 * each blob fetched once, 429/5xx retried with backoff, persistent failures exit 3, unknown
 * references exit 2, the bearer-token flow with credentials from a docker config (auths and a
 * credential helper), and credentials never printed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { uniqueName } from '../../helpers/docker.js';
import { hasTool, TEST_REGISTRY } from '../../helpers/env.js';
import { type RegistryProxy, startRegistryProxy } from '../../helpers/registry-proxy.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { type BuiltLayout, writeLayout, writePlatformIndex } from '../../unit/image/layout.js';

let layout: BuiltLayout | null = null;
let repo = '';
let multiRepo = '';
let arm: BuiltLayout | null = null;
const proxies: RegistryProxy[] = [];
after(async () => {
  for (const p of proxies) await p.close();
});

async function registryUp(): Promise<boolean> {
  try {
    return (await fetch(`http://${TEST_REGISTRY}/v2/`)).status === 200;
  } catch {
    return false;
  }
}

before(async () => {
  if (!(hasTool('skopeo') && (await registryUp()))) return;
  layout = await writeLayout({
    config: { Entrypoint: ['/bin/app'], User: '1000' },
    layers: [
      {
        entries: [
          { name: 'bin/app', data: '#!/bin/sh\n', mode: 0o755 },
          { name: 'bin/sh', data: 'a shell', mode: 0o755 },
          { name: 'etc/passwd', data: 'root:x:0:0::/root:/bin/sh\n' },
        ],
      },
      { compression: 'zstd', entries: [{ name: 'data/big', data: Buffer.alloc(100_000, 3) }] },
      { entries: [{ name: 'data/.wh.big', data: '' }] },
    ],
    tag: 'v1',
  });
  repo = `goimg-test/${uniqueName('reg')}`;
  execFileSync('skopeo', [
    'copy',
    '-q',
    '--preserve-digests',
    '--dest-tls-verify=false',
    `oci:${layout.dir}:v1`,
    `docker://${TEST_REGISTRY}/${repo}:v1`,
  ]);
  // A two-platform index.
  const dir = mkdtempSync(join(tmpdir(), 'goimg-multi-'));
  const amd = await writeLayout({
    dir,
    architecture: 'amd64',
    layers: [{ entries: [{ name: 'amd', data: 'x' }] }],
  });
  arm = await writeLayout({
    dir,
    architecture: 'arm64',
    layers: [{ entries: [{ name: 'arm', data: 'y' }] }],
  });
  writePlatformIndex(
    dir,
    [
      { manifestDigest: amd.manifestDigest, architecture: 'amd64' },
      { manifestDigest: arm.manifestDigest, architecture: 'arm64' },
    ],
    'multi',
  );
  multiRepo = `goimg-test/${uniqueName('multi')}`;
  execFileSync('skopeo', [
    'copy',
    '-q',
    '--all',
    '--preserve-digests',
    '--dest-tls-verify=false',
    `oci:${dir}:multi`,
    `docker://${TEST_REGISTRY}/${multiRepo}:multi`,
  ]);
});

async function proxy(bearer?: { username: string; password: string }): Promise<RegistryProxy> {
  const p = await startRegistryProxy({ upstream: TEST_REGISTRY, bearer });
  proxies.push(p);
  return p;
}

/** goimg as a child process, async so the in-process proxy keeps serving. */
function goimg(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  return import('node:child_process').then(
    ({ execFile }) =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [join(process.cwd(), 'bin', 'goimg.js'), ...args],
          {
            env: {
              ...process.env,
              NO_COLOR: '1',
              DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'goimg-dc-')),
              ...env,
            },
            maxBuffer: 64 << 20,
          },
          (err, stdout, stderr) =>
            resolve({ status: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
        );
      }),
  );
}

test('each blob is fetched once; manifest, config and layers verified', async (t) => {
  if (!need(t, layout !== null, 'the loopback registry and skopeo')) return;
  const p = await proxy();
  const r = await goimg(['image', `docker://${p.host}/${repo}:v1`, '--insecure', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assertMatchesSchema('image.schema.json', report);
  assert.equal(report.digest, layout!.manifestDigest);
  assert.equal(report.waste.bytes, 100_000);
  assert.deepEqual(
    report.layers.map((l: { compression: string }) => l.compression),
    ['gzip', 'zstd', 'gzip'],
  );
  const blobGets = p.requests
    .filter((q) => q.method === 'GET' && q.path.includes('/blobs/'))
    .map((q) => q.path);
  assert.equal(blobGets.length, 4, blobGets.join('\n')); // config + 3 layers
  assert.equal(new Set(blobGets).size, blobGets.length, 'a blob was fetched twice');
  assert.equal(p.requests.filter((q) => q.path.includes('/manifests/')).length, 1);
});

test('429 and 503 are retried with backoff, then the analysis succeeds', async (t) => {
  if (!need(t, layout !== null, 'the loopback registry and skopeo')) return;
  const p = await proxy();
  p.faults.push({ match: /\/manifests\//, status: 503, times: 1 });
  p.faults.push({ match: /\/blobs\//, status: 429, times: 2, headers: { 'retry-after': '0' } });
  const r = await goimg(['image', `docker://${p.host}/${repo}:v1`, '--insecure', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(p.requests.filter((q) => q.status === 429).length, 2);
  assert.equal(p.requests.filter((q) => q.status === 503).length, 1);
});

test('a registry that keeps failing is exit 3 after bounded retries', async (t) => {
  if (!need(t, layout !== null, 'the loopback registry and skopeo')) return;
  const p = await proxy();
  p.faults.push({ match: /\/blobs\//, status: 500, times: 100 });
  const r = await goimg(['image', `docker://${p.host}/${repo}:v1`, '--insecure']);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /HTTP 500 after 5 attempts/);
  assert.equal(p.requests.filter((q) => q.status === 500).length, 5);
});

test('an unknown tag is exit 2; an unknown manifest type is exit 2', async (t) => {
  if (!need(t, layout !== null, 'the loopback registry and skopeo')) return;
  const p = await proxy();
  const missing = await goimg(['image', `docker://${p.host}/${repo}:nope`, '--insecure']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /not found \(HTTP 404/);
  p.faults.push({
    match: /\/manifests\//,
    status: 200,
    times: 1,
    headers: { 'content-type': 'application/vnd.example.thing+json' },
    body: '{"schemaVersion":2,"mediaType":"application/vnd.example.thing+json"}',
  });
  const odd = await goimg(['image', `docker://${p.host}/${repo}:v1`, '--insecure']);
  assert.equal(odd.status, 2, odd.stderr);
  assert.match(odd.stderr, /unknown manifest media type "application\/vnd\.example\.thing\+json"/);
});

test('bearer token flow with credentials from config.json auths; wrong ones are exit 3 and never printed', async (t) => {
  if (!need(t, layout !== null, 'the loopback registry and skopeo')) return;
  const creds = { username: 'goimg', password: 's3cret-pass-XYZ' };
  const p = await proxy(creds);
  const configDir = mkdtempSync(join(tmpdir(), 'goimg-dc-'));
  const write = (password: string) =>
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({
        auths: { [p.host]: { auth: Buffer.from(`${creds.username}:${password}`).toString('base64') } },
      }),
    );
  write(creds.password);
  const ok = await goimg(['image', `docker://${p.host}/${repo}:v1`, '--insecure', '--format', 'json'], {
    DOCKER_CONFIG: configDir,
  });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(p.tokenRequests, 1, 'one token for the repository scope, reused for every request');
  assert.ok(p.requests.some((q) => q.status === 401));

  const none = await goimg(['image', `docker://${p.host}/${repo}:v1`, '--insecure']);
  assert.equal(none.status, 3);
  assert.match(none.stderr, /docker login/);

  write('wrong-password-QQQ');
  const bad = await goimg(['image', `docker://${p.host}/${repo}:v1`, '--insecure', '--verbose'], {
    DOCKER_CONFIG: configDir,
  });
  assert.equal(bad.status, 3);
  assert.match(bad.stderr, /refused a token/);
  for (const secret of ['wrong-password-QQQ', Buffer.from('goimg:wrong-password-QQQ').toString('base64')]) {
    assert.ok(!bad.stderr.includes(secret) && !bad.stdout.includes(secret), 'a credential was printed');
  }
});

test('credentials from a credHelpers helper', async (t) => {
  if (!need(t, layout !== null, 'the loopback registry and skopeo')) return;
  const creds = { username: 'helped', password: 'helper-secret-123' };
  const p = await proxy(creds);
  const bin = mkdtempSync(join(tmpdir(), 'goimg-helper-'));
  const helper = join(bin, 'docker-credential-goimgtest');
  writeFileSync(
    helper,
    `#!/bin/sh\nread server\nif [ "$1" = get ] && [ "$server" = "${p.host}" ]; then\n  printf '{"ServerURL":"%s","Username":"${creds.username}","Secret":"${creds.password}"}' "$server"\nelse\n  echo "credentials not found in native keychain"; exit 1\nfi\n`,
  );
  chmodSync(helper, 0o755);
  const configDir = mkdtempSync(join(tmpdir(), 'goimg-dc-'));
  writeFileSync(join(configDir, 'config.json'), JSON.stringify({ credHelpers: { [p.host]: 'goimgtest' } }));
  const r = await goimg(['image', `docker://${p.host}/${repo}:v1`, '--insecure'], {
    DOCKER_CONFIG: configDir,
    PATH: `${bin}:${process.env.PATH}`,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!r.stdout.includes(creds.password) && !r.stderr.includes(creds.password));
});

test('a multi-platform index in the registry: --platform chooses, a missing platform is exit 2', async (t) => {
  if (!need(t, arm !== null, 'the loopback registry and skopeo')) return;
  const r = await goimg([
    'image',
    `docker://${TEST_REGISTRY}/${multiRepo}:multi`,
    '--insecure',
    '--platform',
    'linux/arm64',
    '--format',
    'json',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.platform, 'linux/arm64');
  assert.equal(report.digest, arm!.manifestDigest);
  const missing = await goimg([
    'image',
    `docker://${TEST_REGISTRY}/${multiRepo}:multi`,
    '--insecure',
    '--platform',
    'linux/s390x',
  ]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no image for platform linux\/s390x/);
  assert.match(missing.stderr, /linux\/amd64, linux\/arm64/);
});
