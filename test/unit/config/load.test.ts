/** .goimg.yaml: every key, clear errors with file:line:col and near-miss suggestions, discovery. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findConfig, loadConfig, loadConfigFor, parseConfig } from '../../../src/config/index.js';
import { InputError } from '../../../src/core/errors.js';

const FULL = `# every key
failOn: warning
rules:
  no-trimpath: off
  runs-as-root: error
ignore:
  - testdata/**
  - "*.dev.Dockerfile"
audit:
  dockerfile: build/Dockerfile
  context: .
  target: runtime
  buildArgs:
    GO_VERSION: "1.25"
    DEBIAN: 12
  releaseTtl: 12h
image:
  maxWaste: 20MB
  minEfficiency: 0.95
  platform: linux/arm64/v8
build:
  base: distroless
  platform: linux/amd64,linux/arm64
  ldflags: -X main.version=1.2.3
  tags: [netgo, osusergo]
init:
  base: alpine
  platform: linux/amd64
`;

test('parseConfig reads every key', () => {
  assert.deepEqual(parseConfig(FULL, '.goimg.yaml'), {
    failOn: 'warning',
    rules: { 'no-trimpath': 'off', 'runs-as-root': 'error' },
    ignore: ['testdata/**', '*.dev.Dockerfile'],
    audit: {
      dockerfile: 'build/Dockerfile',
      context: '.',
      target: 'runtime',
      buildArgs: { GO_VERSION: '1.25', DEBIAN: '12' },
      releaseTtl: '12h',
    },
    image: { maxWaste: '20MB', minEfficiency: 0.95, platform: 'linux/arm64/v8' },
    build: {
      base: 'distroless',
      platform: 'linux/amd64,linux/arm64',
      ldflags: '-X main.version=1.2.3',
      tags: ['netgo', 'osusergo'],
    },
    init: { base: 'alpine', platform: 'linux/amd64' },
  });
});

test('parseConfig accepts empty files, byte counts, percentages and comma tag lists', () => {
  assert.deepEqual(parseConfig('', 'c'), {});
  assert.deepEqual(parseConfig('# nothing yet\n', 'c'), {});
  assert.deepEqual(parseConfig('image:\n  maxWaste: 1048576\n', 'c'), { image: { maxWaste: '1048576' } });
  assert.deepEqual(parseConfig('image:\n  maxWaste: 12.5%\n', 'c'), { image: { maxWaste: '12.5%' } });
  assert.deepEqual(parseConfig('build:\n  tags: netgo,osusergo timetzdata\n', 'c'), {
    build: { tags: ['netgo', 'osusergo', 'timetzdata'] },
  });
});

function error(text: string): InputError {
  try {
    parseConfig(text, 'svc/.goimg.yaml');
  } catch (err) {
    assert.ok(err instanceof InputError, `an InputError, got ${String(err)}`);
    return err;
  }
  assert.fail(`no error for:\n${text}`);
}

test('errors name the file, line and column, the key or value, and suggest near misses', () => {
  const cases: [string, RegExp][] = [
    [
      'faiOn: warning\n',
      /^svc\/\.goimg\.yaml:1:1: unknown key "faiOn" in the config file; did you mean "failOn"\?$/,
    ],
    [
      'failOn: warn\n',
      /^svc\/\.goimg\.yaml:1:9: failOn must be one of error, warning, info, never, got "warn"; did you mean "warning"\?$/,
    ],
    [
      'rules:\n  no-trimpth: off\n',
      /^svc\/\.goimg\.yaml:2:3: unknown rule "no-trimpth"; did you mean "no-trimpath"\?$/,
    ],
    [
      'rules:\n  totally-unknown: off\n',
      /:2:3: unknown rule "totally-unknown"; valid rules: parse-error, single-stage, .*libc-mismatch/,
    ],
    [
      'rules:\n  no-trimpath: warn\n',
      /:2:16: rules\.no-trimpath must be one of off, info, warning, error, got "warn"; did you mean "warning"\?$/,
    ],
    ['image:\n  maxWast: 10%\n', /:2:3: unknown key "maxWast" in image; did you mean "maxWaste"\?$/],
    ['image:\n  maxWaste: lots\n', /:2:13: image\.maxWaste: "lots" is neither BYTES/],
    ['image:\n  maxWaste: 150%\n', /:2:13: image\.maxWaste/],
    ['image:\n  minEfficiency: 2\n', /:2:18: image\.minEfficiency must be a number from 0 to 1/],
    ['image:\n  platform: linux/amd64,linux/arm64\n', /:2:13: image\.platform names one platform/],
    ['build:\n  platform: linux\n', /:2:13: build\.platform: "linux" is not OS\/ARCH/],
    ['build:\n  base: "two words"\n', /:2:9: build\.base: .*not an image reference/],
    ['build:\n  tags: {a: 1}\n', /:2:9: build\.tags must be a list of strings/],
    ['audit:\n  dockerfile: [a]\n', /:2:15: audit\.dockerfile must be a string/],
    ['audit: yes\n', /:1:8: audit must be a mapping/],
    [
      'audit:\n  releaseTtl: soon\n',
      /:2:15: audit\.releaseTtl must be a duration \(30m, 12h, 1d, 0\), got "soon"/,
    ],
    ['audit:\n  buildArgs:\n    GO-VERSION: x\n', /:3:5: audit\.buildArgs: "GO-VERSION" is not an ARG name/],
    ['audit:\n  buildArgs: [a]\n', /:2:14: audit\.buildArgs must be a mapping/],
    ['audit:\n  docker: x\n', /:2:3: unknown key "docker" in audit; did you mean "dockerfile"\?/],
    ['init:\n  bogus: x\n', /:2:3: unknown key "bogus" in init; valid keys: base, platform$/],
    ['ignore: 3\n', /:1:9: ignore must be a list of strings/],
    ['failOn:\n', /:1:1: "failOn" has no value/],
    ['- a\n- b\n', /:1:1: the config file must be a mapping/],
    ['failOn: error\nfailOn: info\n', /:2:1: not valid YAML: Map keys must be unique/],
    ['rules: [\n', /not valid YAML/],
  ];
  for (const [text, re] of cases) assert.match(error(text).message, re, text);
  assert.match(error('faiOn: x\n').hint ?? '', /docs\/configuration\.md/);
});

const scratch = mkdtempSync(join(tmpdir(), 'goimg-config-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('findConfig looks in the directory, then its parents up to the git root', async () => {
  const repo = join(scratch, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'services', 'api'), { recursive: true });
  assert.equal(findConfig(join(repo, 'services', 'api')), undefined);
  writeFileSync(join(repo, '.goimg.yaml'), 'failOn: warning\n');
  assert.equal(findConfig(join(repo, 'services', 'api')), join(repo, '.goimg.yaml'));
  writeFileSync(join(repo, 'services', '.goimg.yml'), 'failOn: info\n');
  assert.equal(findConfig(join(repo, 'services', 'api')), join(repo, 'services', '.goimg.yml'));
  const loaded = await loadConfigFor(join(repo, 'services', 'api'));
  assert.deepEqual(loaded, {
    file: join(repo, 'services', '.goimg.yml'),
    dir: join(repo, 'services'),
    config: { failOn: 'info' },
  });
  // A config above the git root belongs to another project and is not used.
  writeFileSync(join(scratch, '.goimg.yaml'), 'failOn: never\n');
  rmSync(join(repo, '.goimg.yaml'));
  rmSync(join(repo, 'services', '.goimg.yml'));
  assert.equal(findConfig(join(repo, 'services')), undefined);
});

test('findConfig outside a git repository searches only the directory itself', () => {
  const plain = join(scratch, 'plain');
  mkdirSync(join(plain, 'sub'), { recursive: true });
  writeFileSync(join(plain, '.goimg.yaml'), 'failOn: info\n');
  assert.equal(findConfig(plain), join(plain, '.goimg.yaml'));
  // scratch lives in the temp dir, outside any repository.
  assert.equal(findConfig(join(plain, 'sub')), undefined);
});

test('loadConfig reports an unreadable file as an InputError', async () => {
  await assert.rejects(
    loadConfig(join(scratch, 'nope.yaml')),
    (err: Error) => err instanceof InputError && /ENOENT/.test(err.message),
  );
});
