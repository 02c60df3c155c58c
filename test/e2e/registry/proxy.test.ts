/**
 * The registry client behind a real HTTP proxy (tinyproxy on loopback): a push (in process) and
 * a pull (`goimg image`, a child process) against the loopback registry go through the proxy
 * that HTTP_PROXY names, as its log proves; NO_PROXY sends them direct; HTTPS goes through a
 * CONNECT tunnel that HTTPS_PROXY names; a proxy that is down is a clear environment error.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { StoredImages } from '../../../src/oci/stored-images.js';
import { pushBuild } from '../../../src/registry/push.js';
import { uniqueName } from '../../helpers/docker.js';
import { hasTool, TEST_REGISTRY } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import { hasTinyproxy, startTinyproxy, type Tinyproxy } from '../../helpers/tinyproxy.js';
import { type BuiltLayout, writeLayout } from '../../unit/image/layout.js';

let proxy: Tinyproxy | null = null;
let registryUp = false;
after(async () => {
  await proxy?.stop();
});

before(async () => {
  try {
    registryUp = (await fetch(`http://${TEST_REGISTRY}/v2/`)).status === 200;
  } catch {
    registryUp = false;
  }
  if (registryUp && hasTinyproxy()) proxy = await startTinyproxy();
});

/** The layout as images whose blobs are on disk, the shape a build result has. */
function storedImages(layout: BuiltLayout): StoredImages {
  const blob = (digest: string) => join(layout.dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  const manifestBytes = readFileSync(blob(layout.manifestDigest));
  const manifest = JSON.parse(manifestBytes.toString('utf8'));
  const top = { mediaType: manifest.mediaType, digest: layout.manifestDigest, size: manifestBytes.length };
  return {
    store: { path: blob },
    images: [{ manifest: top, config: manifest.config, layers: manifest.layers }],
    top,
  };
}

/** Runs `fn` with the proxy variables set as given (and all others removed), then restores them. */
async function withProxyEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const names = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY'];
  const all = [...names, ...names.map((n) => n.toLowerCase())];
  const saved = Object.fromEntries(all.map((n) => [n, process.env[n]]));
  for (const n of all) delete process.env[n];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const n of all) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
  }
}

function goimg(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  const clean = { ...process.env };
  for (const n of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY']) {
    delete clean[n];
    delete clean[n.toLowerCase()];
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(process.cwd(), 'bin', 'goimg.js'), ...args],
      {
        env: { ...clean, NO_COLOR: '1', DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'goimg-dc-')), ...env },
        maxBuffer: 64 << 20,
      },
      (err, stdout, stderr) =>
        resolve({ status: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

test('push and pull go through the proxy HTTP_PROXY names; NO_PROXY sends them direct', async (t) => {
  if (!need(t, registryUp, `the loopback registry at ${TEST_REGISTRY}`)) return;
  if (!need(t, proxy !== null, 'tinyproxy (Debian package tinyproxy-bin)')) return;
  const layout = await writeLayout({
    config: { Entrypoint: ['/bin/app'] },
    layers: [
      { entries: [{ name: 'bin/app', data: '#!/bin/sh\n', mode: 0o755 }] },
      { entries: [{ name: 'data/blob', data: Buffer.alloc(50_000, 7) }] },
    ],
  });
  const repo = `goimg-test/${uniqueName('proxy')}`;
  const base = `http://${TEST_REGISTRY}/v2/${repo}`;

  const pushed = await withProxyEnv({ HTTP_PROXY: proxy!.url }, () =>
    pushBuild(storedImages(layout), `${TEST_REGISTRY}/${repo}:v1`, { insecure: true }),
  );
  assert.equal(pushed.digest, layout.manifestDigest);
  assert.equal(pushed.uploaded, 3, 'two layers and the config');
  const afterPush = proxy!.forwarded();
  assert.ok(afterPush.includes(`PUT ${base}/manifests/v1`), afterPush.join('\n'));
  assert.ok(afterPush.includes(`POST ${base}/blobs/uploads/`), afterPush.join('\n'));
  for (const digest of layout.blobs)
    assert.ok(afterPush.includes(`HEAD ${base}/blobs/${digest}`), `HEAD of ${digest} went through the proxy`);

  const pulled = await goimg(
    ['image', `docker://${TEST_REGISTRY}/${repo}:v1`, '--insecure', '--format', 'json', '--fail-on', 'never'],
    {
      HTTP_PROXY: proxy!.url,
    },
  );
  assert.equal(pulled.status, 0, pulled.stderr);
  assert.equal(JSON.parse(pulled.stdout).digest, layout.manifestDigest);
  const afterPull = proxy!.forwarded().slice(afterPush.length);
  assert.ok(afterPull.includes(`GET ${base}/manifests/v1`), afterPull.join('\n'));
  assert.ok(afterPull.includes(`GET ${base}/blobs/${layout.configDigest}`), afterPull.join('\n'));
  for (const digest of layout.blobs)
    assert.ok(afterPull.includes(`GET ${base}/blobs/${digest}`), `layer ${digest} came through the proxy`);

  // The lower-case spelling, and NO_PROXY naming the registry's host: no request reaches the proxy.
  const before = proxy!.forwarded().length;
  const direct = await goimg(
    ['image', `docker://${TEST_REGISTRY}/${repo}:v1`, '--insecure', '--format', 'json', '--fail-on', 'never'],
    {
      http_proxy: proxy!.url,
      NO_PROXY: TEST_REGISTRY.split(':')[0]!,
    },
  );
  assert.equal(direct.status, 0, direct.stderr);
  assert.equal(JSON.parse(direct.stdout).digest, layout.manifestDigest);
  assert.deepEqual(proxy!.forwarded().slice(before), []);
});

test('a proxy that does not answer: exit 3, the registry named, no stack trace', async (t) => {
  if (!need(t, registryUp, `the loopback registry at ${TEST_REGISTRY}`)) return;
  if (!need(t, proxy !== null, 'tinyproxy (Debian package tinyproxy-bin)')) return;
  // A port that was just free: nothing listens there.
  const down = await startTinyproxy();
  const url = down.url;
  await down.stop();
  const r = await goimg(['image', `docker://${TEST_REGISTRY}/goimg-test/none:v1`, '--insecure'], {
    HTTP_PROXY: url,
  });
  assert.equal(r.status, 3, r.stderr);
  assert.ok(
    r.stderr.includes(`registry ${TEST_REGISTRY} unreachable (ECONNREFUSED) through the proxy ${url}`),
    r.stderr,
  );
  assert.match(r.stderr, /NO_PROXY/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('HTTPS goes through a CONNECT tunnel to the registry that HTTPS_PROXY names', async (t) => {
  if (!need(t, registryUp, `the loopback registry at ${TEST_REGISTRY}`)) return;
  if (!need(t, proxy !== null, 'tinyproxy (Debian package tinyproxy-bin)')) return;
  if (!need(t, hasTool('openssl'), 'openssl, for a test certificate')) return;
  const dir = mkdtempSync(join(tmpdir(), 'goimg-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  // The loopback registry behind TLS: every request passed on as it came.
  const [upHost, upPort] = TEST_REGISTRY.split(':');
  const front = createHttpsServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (req, res) => {
      const up = httpRequest(
        { host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    },
  );
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  t.after(() => front.close());
  const registry = `127.0.0.1:${(front.address() as AddressInfo).port}`;
  const layout = await writeLayout({ layers: [{ entries: [{ name: 'etc/motd', data: 'hello' }] }] });
  const repo = `goimg-test/${uniqueName('tls')}`;
  await withProxyEnv({}, () =>
    pushBuild(storedImages(layout), `${TEST_REGISTRY}/${repo}:v1`, { insecure: true }),
  );

  const before = proxy!.forwarded().length;
  const r = await goimg(
    ['image', `docker://${registry}/${repo}:v1`, '--format', 'json', '--fail-on', 'never'],
    {
      HTTPS_PROXY: proxy!.url,
      NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).digest, layout.manifestDigest);
  const tunnels = proxy!.forwarded().slice(before);
  assert.ok(tunnels.length > 0, 'the proxy saw the connection');
  assert.ok(
    tunnels.every((line) => line === `CONNECT ${registry}`),
    tunnels.join('\n'),
  );
});
