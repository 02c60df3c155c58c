/**
 * The layer cache through the CLI: warm, cold and --no-cache builds write byte-identical layouts; an
 * unchanged rebuild neither relinks the binary nor compresses it again (the layout's blob is a hard
 * link to the cached one). The cache only costs speed: one that cannot be written or holds garbage
 * is reported once and the build succeeds; two builds of the same project at once both succeed
 * and leave the cache consistent.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { buildImage } from '../../../src/build/build.js';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { GOIMG_BIN, goimgEnv, runGoimg } from '../../helpers/cli.js';
import { need } from '../../helpers/requirements.js';
import { buildJson, copyFixture, ociBlob, run, tempDir } from './helpers.js';

const work = await tempDir();
after(() => rm(work, { recursive: true, force: true }));

function blobs(dir: string): Map<string, Buffer> {
  const root = join(dir, 'blobs', 'sha256');
  return new Map(readdirSync(root).map((n) => [n, readFileSync(join(root, n))]));
}

test('cold, warm and --no-cache builds are byte-identical; a warm rebuild reuses the binary and its layer', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return (async () => {
    const src = await copyFixture('tls', work);
    const cacheDir = join(work, 'goimg-cache');
    const env = { GOIMG_CACHE_DIR: cacheDir };
    const cold = buildJson([src, '--oci', join(work, 'cold')], env);
    const name = basename(cold.images[0]!.binary.path);
    const bin = readdirSync(join(cacheDir, 'bin')).map((d) => join(cacheDir, 'bin', d, name))[0]!;
    // A relink renames a new file into place; an up-to-date output is only touched.
    const linked = statSync(bin).ino;
    const warm = buildJson([src, '--oci', join(work, 'warm')], env);
    const none = buildJson([src, '--oci', join(work, 'none'), '--no-cache'], env);
    assert.equal(warm.digest, cold.digest);
    assert.equal(none.digest, cold.digest);
    const [c, w, n] = [blobs(join(work, 'cold')), blobs(join(work, 'warm')), blobs(join(work, 'none'))];
    assert.deepEqual([...w.keys()].sort(), [...c.keys()].sort());
    for (const [name, bytes] of c) {
      assert.ok(bytes.equals(w.get(name)!), `warm blob ${name} differs`);
      assert.ok(bytes.equals(n.get(name)!), `--no-cache blob ${name} differs`);
    }
    assert.equal(statSync(bin).ino, linked, 'go build found its output up to date: no relink');
    const binLayer = warm.images[0]!.layers.at(-1)!.digest;
    assert.equal(
      statSync(ociBlob(join(work, 'warm'), binLayer)).ino,
      statSync(join(cacheDir, 'blobs', 'sha256', binLayer.slice(7))).ino,
      'the layout holds the cached blob itself (hard link), not a new compression',
    );
  })();
});

/** go's own build cache as it is now: goimg's cache tests change only goimg's. */
function goCache(): string {
  const go = findGoToolchain()!;
  const r = run(go.go, ['env', 'GOCACHE']);
  return r.stdout.trim();
}

const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning:'));

test('a cache that cannot be used (its directory under a file) is said once; the build succeeds', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return (async () => {
    const src = await copyFixture('plain', join(work, 'unusable'));
    const file = join(work, 'unusable', 'home-is-a-file');
    writeFileSync(file, '');
    const env = { HOME: file, XDG_CACHE_HOME: '', GOIMG_CACHE_DIR: undefined, GOCACHE: goCache() };
    const r = runGoimg(['build', src, '--oci', join(work, 'unusable', 'oci'), '--format', 'json'], { env });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(warnings(r.stderr), [
      `warning: the cache at ${file}/.cache/goimg cannot be used (ENOTDIR ${file}/.cache/goimg): building without it`,
    ]);
    const plain = buildJson([src, '--oci', join(work, 'unusable', 'plain'), '--no-cache']);
    assert.equal((JSON.parse(r.stdout) as { digest: string }).digest, plain.digest);
  })();
});

test('garbage in a cache record: said once, the layer built again, the same image', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return (async () => {
    const src = await copyFixture('tls', join(work, 'garbage'));
    const cacheDir = join(work, 'garbage', 'cache');
    const env = { GOIMG_CACHE_DIR: cacheDir };
    const first = buildJson([src, '--oci', join(work, 'garbage', 'a')], env);
    const layers = join(cacheDir, 'layers');
    for (const n of readdirSync(layers)) writeFileSync(join(layers, n), '{"digest": "sha256:nonsense"');
    const args = ['build', src, '--oci', join(work, 'garbage', 'b'), '--format', 'json'];
    const r = runGoimg(args, { env });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { digest: string }).digest, first.digest);
    const said = warnings(r.stderr);
    assert.equal(said.length, 1, r.stderr);
    assert.match(said[0]!, /holds a damaged entry .*\.json\): ignored, the layer is built again/);
    const healed = runGoimg(args, { env });
    assert.deepEqual(warnings(healed.stderr), [], 'the records were written again');
  })();
});

/** Runs goimg build in the background; resolves with its exit code, stdout and stderr. */
function buildInBackground(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(GOIMG_BIN, ['build', ...args, '--format', 'json'], { env: goimgEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

test('two builds of the same project at once both succeed; the cache stays consistent', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return (async () => {
    const src = await copyFixture('tls', join(work, 'together'));
    const cacheDir = join(work, 'together', 'cache');
    const env = { GOIMG_CACHE_DIR: cacheDir };
    const expected = buildJson([src, '--oci', join(work, 'together', 'plain'), '--no-cache']).digest;
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all(
        ['a', 'b'].map((n) => buildInBackground([src, '--oci', join(work, 'together', `${n}${round}`)], env)),
      );
      for (const r of [a!, b!]) {
        assert.equal(r.code, 0, r.stderr);
        assert.equal((JSON.parse(r.stdout) as { digest: string }).digest, expected);
        assert.deepEqual(warnings(r.stderr), []);
      }
    }
    // Every record is whole and names a blob that is there; no lock, temporary or half file is left.
    for (const n of readdirSync(join(cacheDir, 'layers'))) {
      const record = JSON.parse(readFileSync(join(cacheDir, 'layers', n), 'utf8')) as { digest: string };
      assert.ok(statSync(join(cacheDir, 'blobs', 'sha256', record.digest.slice(7))).isFile());
    }
    for (const d of ['layers', join('blobs', 'sha256')])
      assert.deepEqual(
        readdirSync(join(cacheDir, d)).filter((n) => n.includes('.tmp')),
        [],
      );
    for (const slot of readdirSync(join(cacheDir, 'bin')))
      assert.deepEqual(
        readdirSync(join(cacheDir, 'bin', slot)).filter(
          (n) => n.startsWith('.') && n !== '.goimg-last-layer.json',
        ),
        [],
      );
    const warm = buildJson([src, '--oci', join(work, 'together', 'warm')], env);
    assert.equal(warm.digest, expected);
  })();
});

test('a build keeps its binary until it is disposed: a second build meanwhile does not replace it', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return (async () => {
    const src = await copyFixture('plain', join(work, 'held'));
    const options = {
      dir: src,
      base: { kind: 'auto' as const },
      platforms: [],
      cgo: 'auto' as const,
      ldflags: [],
      tags: [],
      cacheDir: join(work, 'held', 'cache'),
    };
    const first = await buildImage(options);
    try {
      const binary = first.images[0]!.binary;
      const bytes = readFileSync(binary.hostPath);
      // The SBOM and the vulnerability check read the binary after the build: it must stay put.
      writeFileSync(
        join(src, 'main.go'),
        readFileSync(join(src, 'main.go'), 'utf8').replace('hello', 'changed'),
      );
      const second = await buildImage(options);
      try {
        assert.notEqual(second.images[0]!.binary.hostPath, binary.hostPath, 'the held slot is not shared');
        assert.ok(readFileSync(second.images[0]!.binary.hostPath).includes('plain: changed'));
      } finally {
        await second.dispose();
      }
      assert.ok(readFileSync(binary.hostPath).equals(bytes), 'the first build still has its own binary');
      assert.ok(bytes.includes('plain: hello'));
    } finally {
      await first.dispose();
    }
    // Given up at dispose: the next build uses the slot again (and finds the first binary's layer).
    const third = await buildImage(options);
    try {
      assert.equal(third.images[0]!.binary.hostPath, first.images[0]!.binary.hostPath);
    } finally {
      await third.dispose();
    }
  })();
});

test('--load with an ssh:// DOCKER_HOST is a usage error, before anything is built', () => {
  const r = runGoimg(['build', join(work, 'nowhere'), '--load'], {
    env: { DOCKER_HOST: 'ssh://me@example' },
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    /--load needs DOCKER_HOST to be unix:\/\/\/PATH or tcp:\/\/HOST:PORT, not "ssh:\/\/me@example"/,
  );
  assert.match(r.stderr, /--docker-archive FILE/);
  assert.doesNotMatch(r.stderr, /internal error/);
});
