/** Which entrypoint scripts end by starting the program without exec, and which goimg leaves alone. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tailWithoutExec } from '../../../src/rules/audit/script-tail.js';

const PROGRAMS = new Set(['server']);

test('the last top-level command starting the program or "$@" without exec is found, with where exec goes', () => {
  const cases: [string, { line: number; text: string; program: string }][] = [
    [
      '#!/bin/sh\nset -e\n/usr/bin/server "$@"\n',
      { line: 3, text: '/usr/bin/server "$@"', program: 'server' },
    ],
    ['#!/bin/sh\nchown app /data\n"$@"\n', { line: 3, text: '"$@"', program: '"$@"' }],
    [
      '#!/bin/bash\nif [ -n "$X" ]; then\n  echo x\nfi\nsu-exec app ./server \\\n  --port 80\n',
      { line: 5, text: 'su-exec app ./server --port 80', program: 'server' },
    ],
    ['#!/bin/sh\nLOG=info server\n', { line: 2, text: 'LOG=info server', program: 'server' }],
    [
      'cat > /etc/app.conf <<EOF\nserver\nEOF\n  server -c /etc/app.conf\n',
      { line: 4, text: 'server -c /etc/app.conf', program: 'server' },
    ],
  ];
  for (const [script, want] of cases) {
    const tail = tailWithoutExec(script, PROGRAMS);
    assert.ok(tail, script);
    assert.deepEqual({ line: tail.line, text: tail.text, program: tail.program }, want, script);
    // exec goes before the command's first word.
    assert.equal(
      script.slice(tail.offset, tail.offset + tail.text.split(' ')[0]!.length),
      tail.text.split(' ')[0],
    );
  }
});

test('scripts that exec, trap, wait, branch last, chain, background or start something else are left alone', () => {
  const scripts = [
    '#!/bin/sh\nexec /usr/bin/server "$@"\n',
    '#!/bin/sh\nexec su-exec app server\n',
    '#!/bin/sh\ntrap "kill $PID" TERM\nserver &\nPID=$!\nwait\n',
    '#!/bin/sh\nserver &\n',
    '#!/bin/sh\nif [ "$1" = serve ]; then\n  server\nfi\n',
    '#!/bin/sh\nmain() {\n  server\n}\nmain\n',
    '#!/bin/sh\nserver || echo failed\n',
    '#!/bin/sh\nserver | tee /var/log/server.log\n',
    '#!/bin/sh\nmigrate up\n',
    '#!/bin/sh\n$BIN "$@"\n',
    '#!/usr/bin/env python3\nserver\n',
    '#!/bin/sh\nserver\n# the end\necho done\n',
  ];
  for (const script of scripts) assert.equal(tailWithoutExec(script, PROGRAMS), undefined, script);
});
