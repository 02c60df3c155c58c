import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { restoreLaunchEnv, unloadedExtraCaFile } from '../../src/core/launch-env.js';
import { GOIMG_BIN, goimgEnv, runGoimg } from '../helpers/cli.js';

test('restoreLaunchEnv puts NODE_EXTRA_CA_CERTS back for child programs and remembers the file', () => {
  const untouched: NodeJS.ProcessEnv = { PATH: '/bin' };
  restoreLaunchEnv(untouched);
  assert.deepEqual(untouched, { PATH: '/bin' }, 'started without the launcher: nothing to do');

  const emptied: NodeJS.ProcessEnv = { GOIMG_EXTRA_CA_CERTS: '' };
  restoreLaunchEnv(emptied);
  assert.deepEqual(emptied, {});

  const moved: NodeJS.ProcessEnv = { GOIMG_EXTRA_CA_CERTS: '/etc/corp-ca.pem' };
  restoreLaunchEnv(moved);
  assert.deepEqual(moved, { NODE_EXTRA_CA_CERTS: '/etc/corp-ca.pem' });
  assert.equal(unloadedExtraCaFile(), '/etc/corp-ca.pem');
});

test('bin/goimg.js runs from a shell (the launcher line) and from node alike', () => {
  const viaShell = runGoimg(['--version'], {
    env: { NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' },
  });
  assert.equal(viaShell.status, 0, viaShell.stderr);
  assert.equal(viaShell.stderr, '', 'the launcher line is quiet in sh');
  const viaNode = spawnSync(process.execPath, [GOIMG_BIN, '--version'], {
    env: goimgEnv(),
    encoding: 'utf8',
  });
  assert.equal(viaNode.status, 0, viaNode.stderr);
  assert.equal(viaShell.stdout, viaNode.stdout);
});
