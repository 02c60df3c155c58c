/**
 * The early start of `go build` (src/build/early-build.ts): a repeated command line starts last
 * time's `go build` before goimg has scanned anything; it is adopted when it is exactly the build
 * goimg needs, and killed (leaving nothing behind) when it is not. The output is the same either way.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findGoToolchain } from '../../../src/env/go-toolchains.js';
import { runGoimg } from '../../helpers/cli.js';
import { need } from '../../helpers/requirements.js';
import { buildJson, copyFixture, tempDir } from './helpers.js';

const work = await tempDir('goimg-e2e-early-');
after(() => rm(work, { recursive: true, force: true }));

test('early start: adopted when it fits, killed without leftovers when it does not, same image either way', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return (async () => {
    const src = await copyFixture('plain', work);
    const tmp = join(work, 'tmp');
    mkdirSync(tmp);
    const env = { GOIMG_CACHE_DIR: join(work, 'cache'), TMPDIR: tmp, GOIMG_TRACE: '1' };
    const args = ['build', src, '--oci', join(work, 'oci'), '--format', 'json'];
    const build = () => {
      const r = runGoimg(args, { env });
      assert.equal(r.status, 0, r.stderr);
      return { digest: (JSON.parse(r.stdout) as { digest: string }).digest, trace: r.stderr };
    };
    const withoutEarlyStart = (name: string) =>
      buildJson([src, '--oci', join(work, name), '--no-cache'], { TMPDIR: tmp }).digest;
    const leftovers = () => readdirSync(tmp).filter((n) => n.startsWith('goimg-early-'));
    const main = join(src, 'main.go');

    const first = build();
    assert.doesNotMatch(first.trace, /early start/, 'no plan yet');
    const plans = JSON.parse(readFileSync(join(work, 'cache', 'early', 'plans.json'), 'utf8')) as {
      plans: { argv: string[] }[];
    };
    assert.deepEqual(
      plans.plans.map((p) => p.argv),
      [args],
      'the plan for next time',
    );

    writeFileSync(main, readFileSync(main, 'utf8').replace('plain: hello', 'plain: hello again'));
    const adopted = build();
    assert.match(adopted.trace, /early start of go build/);
    assert.match(adopted.trace, /go build done in \d+ ms \(started early\)/);
    assert.notEqual(adopted.digest, first.digest, 'the edit is in the image');
    assert.equal(adopted.digest, withoutEarlyStart('plain-adopted'));
    assert.deepEqual(leftovers(), []);

    // Loading a time zone makes goimg add -tags timetzdata: last time's invocation no longer fits.
    writeFileSync(
      main,
      `package main

import (
	"fmt"
	"time"
)

func main() {
	loc, err := time.LoadLocation("Europe/Berlin")
	fmt.Println("plain:", loc, err)
}
`,
    );
    const replaced = build();
    assert.match(replaced.trace, /early start of go build/);
    assert.doesNotMatch(replaced.trace, /started early/, 'the stale early start was not used');
    assert.equal(replaced.digest, withoutEarlyStart('plain-replaced'));
    assert.deepEqual(leftovers(), [], "the killed early build's temporary directory is gone");
    assert.match(build().trace, /started early/, 'the new plan fits the next run');

    // A build that fails before `go build` stops the early start too, and says why.
    rmSync(main);
    const failed = runGoimg(args, { env });
    assert.notEqual(failed.status, 0);
    assert.match(failed.stderr, /early start of go build/);
    assert.match(failed.stderr, /no main package/);
    assert.deepEqual(leftovers(), []);
  })();
});

test('early start of two platforms: both go builds start before Node and are adopted; same image', (t) => {
  if (!need(t, Boolean(findGoToolchain()), 'a Go toolchain')) return;
  return (async () => {
    const src = await copyFixture('plain', join(work, 'two'));
    const tmp = join(work, 'tmp-two');
    mkdirSync(tmp);
    const env = { GOIMG_CACHE_DIR: join(work, 'cache-two'), TMPDIR: tmp, GOIMG_TRACE: '1' };
    const platforms = ['--platform', 'linux/amd64,linux/arm64'];
    const args = ['build', src, ...platforms, '--oci', join(work, 'oci-two'), '--format', 'json'];
    const build = () => {
      const r = runGoimg(args, { env });
      assert.equal(r.status, 0, r.stderr);
      return { digest: (JSON.parse(r.stdout) as { digest: string }).digest, trace: r.stderr };
    };
    const first = build();
    assert.doesNotMatch(first.trace, /early start/, 'no plan yet');
    const main = join(src, 'main.go');
    writeFileSync(main, readFileSync(main, 'utf8').replace('plain: hello', 'plain: hello, two'));
    const second = build();
    assert.match(second.trace, /early start of go build \(2 platforms\)/);
    assert.equal(second.trace.match(/go build done in \d+ ms \(started early\)/g)?.length, 2, second.trace);
    assert.notEqual(second.digest, first.digest);
    const plain = buildJson([src, ...platforms, '--oci', join(work, 'oci-two-plain'), '--no-cache'], {
      TMPDIR: tmp,
    });
    assert.equal(second.digest, plain.digest, 'the same index as a build without the early start');
    assert.deepEqual(
      readdirSync(tmp).filter((n) => n.startsWith('goimg-early-')),
      [],
    );
  })();
});
