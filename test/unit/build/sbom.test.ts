import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { goBuild } from '../../../src/build/gobuild.js';
import { parseGoVersionM, readBuildInfo, spdxFromBuildInfo } from '../../../src/build/sbom.js';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { need } from '../../helpers/requirements.js';

const SAMPLE = [
  '/tmp/srv: go1.23.5',
  '\tpath\texample.com/srv/cmd/srv',
  '\tmod\texample.com/srv\t(devel)\t',
  '\tdep\tgithub.com/a/b\tv1.2.3\th1:abc=',
  '\tdep\tgithub.com/c/d\tv0.1.0',
  '\t=>\t../d\t(devel)\t',
  '\tbuild\t-trimpath=true',
  '\tbuild\tCGO_ENABLED=0',
  '',
].join('\n');

test('parses go version -m: main module, deps, replacements, settings', () => {
  const info = parseGoVersionM(SAMPLE);
  assert.equal(info.goVersion, 'go1.23.5');
  assert.equal(info.path, 'example.com/srv/cmd/srv');
  assert.equal(info.main?.path, 'example.com/srv');
  assert.deepEqual(
    info.deps.map((d) => d.path),
    ['github.com/a/b', 'github.com/c/d'],
  );
  assert.equal(info.deps[1]?.replacedBy?.path, '../d');
  assert.equal(info.settings.CGO_ENABLED, '0');
});

test('SPDX 2.3 document: required fields, one package per module, DESCRIBES and DEPENDS_ON', () => {
  const doc = spdxFromBuildInfo(parseGoVersionM(SAMPLE), {
    name: 'srv:latest',
    created: '1970-01-01T00:00:00Z',
    namespaceKey: 'k',
    toolVersion: '0.1.0',
  });
  assert.equal(doc.spdxVersion, 'SPDX-2.3');
  assert.equal(doc.dataLicense, 'CC0-1.0');
  assert.equal(doc.SPDXID, 'SPDXRef-DOCUMENT');
  assert.ok(doc.documentNamespace.startsWith('https://'));
  const names = doc.packages.map((p) => p.name);
  assert.deepEqual(names, ['example.com/srv', 'stdlib', 'github.com/a/b', 'github.com/c/d']);
  const ids = new Set(doc.packages.map((p) => p.SPDXID));
  assert.equal(ids.size, doc.packages.length, 'SPDX ids are unique');
  for (const p of doc.packages) assert.match(p.SPDXID, /^SPDXRef-[A-Za-z0-9.-]+$/);
  assert.ok(doc.relationships.some((r) => r.relationshipType === 'DESCRIBES'));
  assert.equal(doc.relationships.filter((r) => r.relationshipType === 'DEPENDS_ON').length, 3);
  assert.equal(doc.packages[2]?.externalRefs[0]?.referenceLocator, 'pkg:golang/github.com/a/b@v1.2.3');
});

// A real build of a fixture with vendored modules (one replaced by a local directory).
test('the SBOM of a built binary lists every module go version -m lists', async (t) => {
  const go = findGoToolchain();
  if (!need(t, Boolean(go), 'a Go toolchain')) return;
  const dir = await mkdtemp(join(tmpdir(), 'goimg-sbom-'));
  try {
    const binary = join(dir, 'deps');
    await goBuild({
      toolchain: go!,
      dir: join(REPO_ROOT, 'test/fixtures/build/deps'),
      main: '.',
      platform: { os: 'linux', arch: 'amd64' },
      cgo: false,
      ldflags: [],
      tags: [],
      output: binary,
    });
    const doc = spdxFromBuildInfo(readBuildInfo(go!, binary), {
      name: 'x',
      created: '1970-01-01T00:00:00Z',
      namespaceKey: 'k',
      toolVersion: '0',
    });
    const listed = spawnSync(go!.go, ['version', '-m', binary], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((l) => l.split('\t'))
      .filter((f) => f[1] === 'dep' || f[1] === 'mod')
      .map((f) => f[2]!);
    assert.deepEqual(listed, ['example.com/deps', 'example.org/greet', 'example.org/shout']);
    const names = new Set(doc.packages.map((p) => p.name));
    for (const m of listed) assert.ok(names.has(m), `${m} missing from the SBOM`);
    const shout = doc.packages.find((p) => p.name === 'example.org/shout');
    assert.equal(shout?.versionInfo, 'v0.3.1');
    assert.match(shout?.comment ?? '', /replaced by \.\/localshout/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
