/** ENTRYPOINT and CMD joined as BuildKit joins them, and what an init starts. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { behindInit, startCommand } from '../../../src/rules/audit/start-command.js';

const argv = (text: string) => startCommand(parseDockerfile(text).model.stages);

test('startCommand: ENTRYPOINT then CMD, in exec form', () => {
  assert.deepEqual(argv('FROM a\nENTRYPOINT ["/tini", "--"]\nCMD ["/run.sh", "-v"]'), [
    '/tini',
    '--',
    '/run.sh',
    '-v',
  ]);
  assert.deepEqual(argv('FROM a\nCMD ["/run.sh"]'), ['/run.sh']);
  assert.equal(argv('FROM a\nRUN true'), undefined);
});

test('startCommand: an ENTRYPOINT clears a CMD set before it in a parent stage, not one of its own stage', () => {
  assert.deepEqual(argv('FROM a AS p\nCMD ["x"]\nFROM p\nENTRYPOINT ["/svc"]'), ['/svc']);
  assert.deepEqual(argv('FROM a AS p\nENTRYPOINT ["/svc"]\nFROM p\nCMD ["serve"]'), ['/svc', 'serve']);
  assert.deepEqual(argv('FROM a\nCMD ["serve"]\nENTRYPOINT ["/svc"]'), ['/svc', 'serve']);
});

test('startCommand: shell form runs through the SHELL in effect, and a shell-form ENTRYPOINT ignores CMD', () => {
  assert.deepEqual(argv('FROM a\nCMD /run.sh serve'), ['/bin/sh', '-c', '/run.sh serve']);
  assert.deepEqual(argv('FROM a\nSHELL ["/bin/bash", "-ec"]\nENTRYPOINT /run.sh\nCMD ["x"]'), [
    '/bin/bash',
    '-ec',
    '/run.sh',
  ]);
});

test('behindInit: tini signals its child alone unless -g or TINI_KILL_PROCESS_GROUP; dumb-init the group', () => {
  const none = new Map<string, string>();
  assert.deepEqual(behindInit(['/sbin/tini', '--', '/e.sh'], none), {
    argv: ['/e.sh'],
    init: { name: 'tini', signalsGroup: false },
  });
  assert.equal(behindInit(['tini', '-g', '--', '/e.sh'], none)?.init?.signalsGroup, true);
  assert.equal(
    behindInit(['tini', '/e.sh'], new Map([['TINI_KILL_PROCESS_GROUP', '1']]))?.init?.signalsGroup,
    true,
  );
  assert.equal(behindInit(['dumb-init', '/e.sh'], none)?.init?.signalsGroup, true);
  assert.equal(behindInit(['dumb-init', '--single-child', '/e.sh'], none)?.init?.signalsGroup, false);
  assert.deepEqual(behindInit(['/app', 'serve'], none), { argv: ['/app', 'serve'] });
  // An option with a value goimg does not know hides where the command starts.
  assert.equal(behindInit(['tini', '-p', 'SIGTERM', '/e.sh'], none), undefined);
});
