/** A credential-named file copied from the context is read: settings alone are no secret. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditDirectory } from '../../../src/audit/load.js';
import { holdsCredential } from '../../../src/rules/audit/secrets-in-build-args.js';
import { scratchTree } from '../../helpers/scratch-tree.js';

async function secretFindings(t: Parameters<typeof scratchTree>[0], npmrc: string): Promise<string[]> {
  const { root, put } = scratchTree(t, 'goimg-credentials-');
  put('go.mod', 'module example.com/app\n\ngo 1.25\n');
  put('main.go', 'package main\n\nfunc main() {}\n');
  put('.npmrc', npmrc);
  put('package.json', '{}\n');
  put(
    'Dockerfile',
    'FROM node:22 AS ui\nCOPY .npmrc package.json ./\nRUN npm ci\nFROM scratch\nCOPY --from=ui /package.json /\n',
  );
  const { findings } = await auditDirectory(root);
  return findings.filter((f) => f.rule === 'secrets-in-build-args').map((f) => f.message);
}

test('an .npmrc of settings copied in is not a secret; one with an auth token is', async (t) => {
  assert.deepEqual(await secretFindings(t, 'auto-install-peers=true\n'), []);
  const token = await secretFindings(t, '//npm.pkg.github.com/:_authToken=ghp_abcdef123456\n');
  assert.equal(token.length, 1);
  assert.match(token[0]!, /^\.npmrc is copied into a layer/);
});

test('holdsCredential reads each kind of credential file by its own syntax', () => {
  assert.equal(holdsCredential('.npmrc', '_auth = dXNlcjpwYXNz\n'), true);
  assert.equal(holdsCredential('a/.npmrc', 'registry=https://registry.npmjs.org/\n'), false);
  assert.equal(holdsCredential('.netrc', 'machine github.com login x password ghp_abc\n'), true);
  assert.equal(holdsCredential('.netrc', 'machine github.com login x\n'), false);
  assert.equal(holdsCredential('.env', 'export API_KEY=abc123\n'), true);
  assert.equal(holdsCredential('.env', 'PORT=8080\nTOKEN_FILE=/run/secrets/t\n'), false);
  // Written on Windows: CRLF line ends.
  assert.equal(holdsCredential('.env', '#Config\r\nNAME=app\r\nJWT_SECRET=s3cr3tvalue\r\n'), true);
  assert.equal(holdsCredential('id_ed25519', '-----BEGIN OPENSSH PRIVATE KEY-----\n'), true);
});
