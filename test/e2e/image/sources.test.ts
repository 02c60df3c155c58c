/**
 * One image, eight ways in: the daemon, its legacy `docker save`, an OCI layout, an OCI archive, a
 * Docker 25+ style archive, the loopback registry, and both archives piped on standard input. goimg must see the same config digest,
 * diff ids, merged file list and findings every time; skopeo and umoci must agree with it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, lstatSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { analyzeRef } from '../../../src/image/analyze-ref.js';
import { openImage } from '../../../src/image/index.js';
import { buildImageReport } from '../../../src/rules/image/report.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { buildkitBuild, DockerResources, uniqueName } from '../../helpers/docker.js';
import { hasEngine, hasImage, hasTool, TEST_DOCKER_HOST, TEST_REGISTRY } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import { type ImageForms, makeForms, pushLayout } from './layouts.js';

const resources = new DockerResources();
after(() => resources.cleanup());

let forms: ImageForms | null = null;
let tag = '';
let remote = '';

before(async () => {
  if (!(hasEngine() && hasImage('golang:1.21') && hasImage('alpine:latest') && hasTool('skopeo'))) return;
  tag = resources.imageTag('sources');
  const build = await buildkitBuild(join(REPO_ROOT, 'examples', 'seed-article'), tag);
  if (build.status !== 0) throw new Error(build.output);
  forms = makeForms(tag);
  remote = `${TEST_REGISTRY}/goimg-test/${uniqueName('sources')}:v1`;
  pushLayout(forms.ociDir, 'v1', remote);
});

interface Seen {
  ref: string;
  digest: string | null;
  configDigest: string;
  diffIds: string[];
  files: string[];
  findings: string[];
  platform: string;
}

/** What goimg image sees; `piped` is a file read as standard input (`docker-archive:-`). */
async function see(ref: string, piped?: string): Promise<Seen> {
  const stdin = piped ? createReadStream(piped) : undefined;
  const analysis = await analyzeRef(ref, { insecure: true, dockerHost: TEST_DOCKER_HOST, stdin });
  const report = buildImageReport(analysis);
  return {
    ref: piped ? `${ref} < ${piped}` : ref,
    digest: report.digest,
    configDigest: report.configDigest,
    diffIds: report.layers.map((l) => l.diffId),
    files: [...analysis.fs.walk()].map(
      (f) => `${f.path} ${f.node.type} ${f.node.size} ${f.node.linkname ?? ''}`,
    ),
    findings: report.findings.map((f) => `${f.rule} ${f.path ?? ''}`),
    platform: report.platform,
  };
}

test('the same image through all sources: identical config digest, diff ids, files and findings', async (t) => {
  if (!need(t, forms !== null, 'engine, stand-ins and skopeo')) return;
  const f = forms!;
  const seen = [
    await see(`docker-daemon:${tag}`),
    await see(`docker-archive:${f.legacyArchive}`),
    await see(`docker-archive:${f.docker25Archive}`),
    await see(`oci:${f.ociDir}:v1`),
    await see(`oci-archive:${f.ociArchive}`),
    await see(`docker://${remote}`),
    await see('docker-archive:-', f.docker25Archive),
    await see('oci-archive:-', f.ociArchive),
  ];
  const [first] = seen;
  assert.ok(first!.files.length > 250);
  assert.ok(first!.findings.includes('missing-interpreter /lib64/ld-linux-x86-64.so.2'));
  for (const s of seen.slice(1)) {
    assert.equal(s.configDigest, first!.configDigest, s.ref);
    assert.deepEqual(s.diffIds, first!.diffIds, s.ref);
    assert.deepEqual(s.files, first!.files, s.ref);
    assert.deepEqual(s.findings, first!.findings, s.ref);
    assert.equal(s.platform, 'linux/amd64');
  }
  // A manifest digest exists where the source has a manifest, and it is the same one.
  assert.equal(seen[0]!.digest, null);
  assert.equal(seen[1]!.digest, null);
  for (const s of seen.slice(2)) assert.equal(s.digest, f.manifestDigest, s.ref);
});

test('skopeo inspect agrees on digests and config', async (t) => {
  if (!need(t, forms !== null, 'engine, stand-ins and skopeo')) return;
  const ours = await see(`docker://${remote}`);
  const image = await openImage(`docker://${remote}`, { insecure: true });
  const theirs = JSON.parse(
    execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${remote}`], { encoding: 'utf8' }),
  );
  assert.equal(theirs.Digest, ours.digest);
  assert.deepEqual(
    theirs.Layers,
    image.layers.map((l) => l.digest),
  );
  const config = JSON.parse(
    execFileSync('skopeo', ['inspect', '--config', `oci:${forms!.ociDir}:v1`], { encoding: 'utf8' }),
  );
  assert.deepEqual(config.rootfs.diff_ids, ours.diffIds);
  assert.deepEqual(config.config.Cmd, image.config.config?.Cmd);
  assert.equal(config.architecture, image.config.architecture);
});

test('umoci unpack of the OCI layout agrees with the merged file list', async (t) => {
  if (!need(t, forms !== null && hasTool('umoci'), 'umoci')) return;
  const bundle = join(mkdtempSync(join(tmpdir(), 'goimg-umoci-')), 'bundle');
  execFileSync('umoci', ['unpack', '--image', `${forms!.ociDir}:v1`, bundle], { stdio: 'pipe' });
  const rootfs = join(bundle, 'rootfs');
  const theirs: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      theirs.push(relative(rootfs, p));
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(rootfs);
  const ours = (await see(`oci:${forms!.ociDir}:v1`)).files.map((l) => l.split(' ')[0]!);
  assert.deepEqual([...theirs].sort(), [...ours].sort());
});
