/**
 * NODE_EXTRA_CA_CERTS is honoured: a registry on loopback speaking TLS with a certificate from a
 * private CA accepts a push when the variable names that CA, and refuses it, clearly, when it does
 * not (or names a file that is not there).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runGoimg } from '../../helpers/cli.js';
import { hasTool } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import { buildJson, copyFixture, freePort, run, tempDir } from './helpers.js';

const work = await tempDir('goimg-e2e-tls-');
let registry: ChildProcess | undefined;
after(async () => {
  if (registry?.pid) process.kill(registry.pid, 'SIGTERM');
  await rm(work, { recursive: true, force: true });
});

/** A private CA, and a server certificate for 127.0.0.1 that it signed. */
function makeCertificates(): { ca: string; cert: string; key: string } {
  const ca = join(work, 'ca.pem');
  const caKey = join(work, 'ca.key');
  const key = join(work, 'server.key');
  const csr = join(work, 'server.csr');
  const cert = join(work, 'server.pem');
  const ext = join(work, 'server.ext');
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  const steps = [
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=goimg test CA',
      '-keyout',
      caKey,
      '-out',
      ca,
    ],
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', csr],
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca,
      '-CAkey',
      caKey,
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      ext,
      '-out',
      cert,
    ],
  ];
  for (const args of steps) {
    const r = run('openssl', args);
    assert.equal(r.status, 0, `openssl ${args[0]}: ${r.stderr}`);
  }
  return { ca, cert, key };
}

async function startTlsRegistry(cert: string, key: string): Promise<string> {
  const port = await freePort();
  const config = join(work, 'registry.yml');
  writeFileSync(
    config,
    `version: 0.1
log: { level: info }
storage: { filesystem: { rootdirectory: ${join(work, 'storage')} } }
http:
  addr: 127.0.0.1:${port}
  tls: { certificate: ${cert}, key: ${key} }
`,
  );
  const address = `127.0.0.1:${port}`;
  const server = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  registry = server;
  // It says so on stderr once it listens (or why it stopped).
  let said = '';
  await new Promise<void>((resolve, reject) => {
    server.stderr?.on('data', (c: Buffer) => {
      said += c.toString();
      if (said.includes(`listening on ${address}`)) resolve();
    });
    server.on('exit', (code) => reject(new Error(`the TLS registry exited (${code}): ${said}`)));
  });
  server.stderr?.resume();
  return address;
}

test('a push over TLS trusts the CA that NODE_EXTRA_CA_CERTS names, and only then', async (t) => {
  if (!need(t, hasTool('openssl') && hasTool('docker-registry'), 'openssl and docker-registry')) return;
  const { ca, cert, key } = makeCertificates();
  const address = await startTlsRegistry(cert, key);
  const src = await copyFixture('plain', work);
  const target = `${address}/goimg-e2e/tls:v1`;

  const trusted = buildJson([src, '--push', `docker://${target}`], { NODE_EXTRA_CA_CERTS: ca });
  assert.equal(trusted.pushed?.reference, target);
  assert.equal(trusted.pushed?.uploaded, 3, 'two layers and the config went up over TLS');

  const untrusted = runGoimg(['build', src, '--push', `docker://${target}`], {
    env: { NODE_EXTRA_CA_CERTS: '' },
  });
  assert.notEqual(untrusted.status, 0);
  assert.match(untrusted.stderr, /certificate|CERT/i);
  assert.doesNotMatch(untrusted.stderr, /\n\s+at /, 'a clear error, not a stack trace');

  const missing = runGoimg(['build', src, '--push', `docker://${target}`], {
    env: { NODE_EXTRA_CA_CERTS: join(work, 'no-such-ca.pem') },
  });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /no-such-ca\.pem/, "Node's warning names the file it could not load");
  assert.match(missing.stderr, /certificate|CERT/i);
  assert.doesNotMatch(missing.stderr, /\n\s+at /, 'a clear error, not a stack trace');
});
