import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { injectionLdflags, ldflagsFor, platformFieldValues } from '../../../src/build/version-args.js';
import { fromReleaseLdflags } from '../../../src/project/version-injection.js';

const dir = mkdtempSync(join(tmpdir(), 'goimg-version-args-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test("goreleaser's per-target values: GOARM is the arm variant's digit; the target adds it or the amd64 level", () => {
  const target = (os: string, arch: string, variant?: string) =>
    platformFieldValues(variant ? { os, arch, variant } : { os, arch });
  assert.deepEqual(target('linux', 'arm', 'v7'), {
    TARGETOS: 'linux',
    TARGETARCH: 'arm',
    GORELEASER_ARM: '7',
    GORELEASER_TARGET: 'linux_arm_7',
  });
  assert.equal(target('linux', 'arm', 'v6').GORELEASER_TARGET, 'linux_arm_6');
  assert.deepEqual(target('linux', 'amd64'), {
    TARGETOS: 'linux',
    TARGETARCH: 'amd64',
    GORELEASER_ARM: '',
    GORELEASER_TARGET: 'linux_amd64_v1',
  });
  assert.equal(target('linux', 'amd64', 'v3').GORELEASER_TARGET, 'linux_amd64_v3');
  assert.equal(target('linux', 'arm64').GORELEASER_TARGET, 'linux_arm64');
  assert.equal(target('linux', 'arm64').GORELEASER_ARM, '');
});

test('goimg build: release values are filled in once, the platform fields for each platform built', async () => {
  const injection = fromReleaseLdflags(
    ['-X', 'main.v={{.Version}}', '-X', 'main.t={{ .Target }}', '-X', 'main.a={{.Os}}/{{.Arch}}/{{.Arm}}'],
    'cfg',
    'tool',
  );
  // Outside a git checkout the version is "dev".
  const words = await injectionLdflags(injection, dir, undefined);
  assert.deepEqual(words, [
    '-X',
    'main.v=dev',
    '-X',
    'main.t=${GORELEASER_TARGET}',
    '-X',
    'main.a=${TARGETOS}/${TARGETARCH}/${GORELEASER_ARM}',
  ]);
  assert.deepEqual(ldflagsFor(words, { os: 'linux', arch: 'arm', variant: 'v7' }), [
    '-X',
    'main.v=dev',
    '-X',
    'main.t=linux_arm_7',
    '-X',
    'main.a=linux/arm/7',
  ]);
  assert.deepEqual(ldflagsFor(words, { os: 'linux', arch: 'amd64' }).slice(3), [
    'main.t=linux_amd64_v1',
    '-X',
    'main.a=linux/amd64/',
  ]);
});
