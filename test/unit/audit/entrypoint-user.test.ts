/** Which user an entrypoint script starts the service as, read from the script and the image's ENV. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditDirectory } from '../../../src/audit/load.js';
import { scriptDrops } from '../../../src/rules/audit/entrypoint-user.js';
import { scratchTree } from '../../helpers/scratch-tree.js';

test('scriptDrops: the user of each drop, through the script defaults and the image ENV', () => {
  const cases: [string, Record<string, string>, { users: [string, boolean][]; unknown: boolean }][] = [
    ['#!/bin/sh\nexec su-exec app "$@"\n', {}, { users: [['app', false]], unknown: false }],
    [
      'user=ipfs\nsu-exec "$user" test -w /data\nexec su-exec "$user" "$0" "$@"\n',
      {},
      {
        users: [
          ['"$user"', false],
          ['"$user"', false],
        ],
        unknown: false,
      },
    ],
    [
      'export PUID=${PUID:-0}\nsu-exec ${PUID}:${PGID} "$@"\n',
      {},
      { users: [['${PUID}:${PGID}', true]], unknown: false },
    ],
    [
      'exec su-exec ${PUID}:${PGID} ./app\n',
      { PUID: '0' },
      { users: [['${PUID}:${PGID}', true]], unknown: false },
    ],
    [
      'exec gosu ${PUID}:${PGID} ./app\n',
      { PUID: '1000' },
      { users: [['${PUID}:${PGID}', false]], unknown: false },
    ],
    ['exec gosu root ./app\n', {}, { users: [['root', true]], unknown: false }],
    ['exec su-exec "$RUN_AS" ./app\n', {}, { users: [], unknown: true }],
    ['# exec su-exec root ./app\nexec ./app\n', {}, { users: [], unknown: false }],
  ];
  for (const [script, env, want] of cases) {
    const got = scriptDrops(script, new Map(Object.entries(env)));
    assert.deepEqual(
      { users: got.drops.map((d) => [d.written, d.root]), unknown: got.unknown },
      want,
      script,
    );
  }
});

test('runs-as-root reads the entrypoint script: silent when it drops to a non-root user, a warning when its default is root', async (t) => {
  const { root, put } = scratchTree(t, 'goimg-entrypoint-');
  put('go.mod', 'module example.com/app\n\ngo 1.25\n');
  put('main.go', 'package main\n\nfunc main() {}\n');
  put(
    'Dockerfile',
    'FROM golang:1.25 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.22\nRUN apk add --no-cache su-exec\nCOPY --from=build /app /app\nCOPY docker/entrypoint.sh /entrypoint.sh\nENV PUID=0\nENTRYPOINT ["/entrypoint.sh"]\n',
  );
  const runsAsRoot = async () =>
    (await auditDirectory(root)).findings.filter((f) => f.rule === 'runs-as-root');
  put('docker/entrypoint.sh', '#!/bin/sh\nchown -R app /data\nexec su-exec app /app "$@"\n');
  assert.deepEqual(await runsAsRoot(), []);
  put('docker/entrypoint.sh', '#!/bin/sh\nchown -R ${PUID} /data\nexec su-exec ${PUID}:${PGID} /app "$@"\n');
  const [f, ...rest] = await runsAsRoot();
  assert.equal(rest.length, 0);
  assert.equal(f!.severity, 'warning');
  assert.equal(f!.line, 5);
  assert.equal(
    f!.message,
    'the entrypoint script docker/entrypoint.sh starts the service through su-exec as ${PUID}:${PGID}, which is root (uid 0) by default: the service runs as root; give it a non-root default',
  );
  // A user the script cannot tell: the reminder stays advice.
  put('docker/entrypoint.sh', '#!/bin/sh\nexec su-exec "$RUN_AS" /app "$@"\n');
  const [info] = await runsAsRoot();
  assert.equal(info!.severity, 'info');
});

test('a script the builder took from the context and the final stage copies from it is read as the entrypoint', async (t) => {
  const { root, put } = scratchTree(t, 'goimg-entrypoint-stage-');
  put('go.mod', 'module example.com/app\n\ngo 1.25\n');
  put('cmd/app/main.go', 'package main\n\nfunc main() {}\n');
  // Two scripts of that name: the one started is found by the copies, not by its name.
  put('contrib/standalone/run.sh', '#!/bin/bash\nset -e\napp zero &\napp serve\n');
  put('contrib/cluster/run.sh', '#!/bin/bash\nexec app serve\n');
  put(
    'Dockerfile',
    'FROM golang:1.25 AS builder\nWORKDIR /go/src/repo\nCOPY . .\nRUN CGO_ENABLED=0 go build -o app ./cmd/app\nFROM debian:12-slim\nCOPY --from=builder /go/src/repo/app /usr/local/bin/\nCOPY --from=builder /go/src/repo/contrib/standalone/run.sh /\nCMD ["/run.sh"]\n',
  );
  const found = (await auditDirectory(root)).findings.filter((f) => f.rule === 'entrypoint-without-exec');
  assert.deepEqual(
    found.map((f) => [f.file, f.line]),
    [['contrib/standalone/run.sh', 4]],
  );
});

test("runs-as-root is silent when the project's compose file runs its image with root privileges", async (t) => {
  const { root, put } = scratchTree(t, 'goimg-privileged-');
  put('go.mod', 'module example.com/acme/vpn\n\ngo 1.25\n');
  put('main.go', 'package main\n\nfunc main() {}\n');
  put(
    'Dockerfile',
    'FROM golang:1.25 AS b\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /vpn .\nFROM alpine:3.22\nCOPY --from=b /vpn /usr/bin/vpn\nENTRYPOINT ["vpn"]\n',
  );
  const rules = async () => (await auditDirectory(root)).findings.map((f) => f.rule);
  assert.ok((await rules()).includes('runs-as-root'));
  put(
    'docker-compose.yml',
    'services:\n  vpn:\n    image: quay.io/acme/vpn:latest\n    cap_add:\n      - NET_ADMIN\n',
  );
  assert.ok(!(await rules()).includes('runs-as-root'));
});
