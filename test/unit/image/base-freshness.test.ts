/**
 * `goimg image` names the OS release of the image's base (os-release, Debian's point release,
 * distroless) and judges it against the lifecycle data: end of life, a newer point release, age.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeImage, openImage } from '../../../src/image/index.js';
import { parseOsRelease } from '../../../src/image/os-release.js';
import { bundledBaseImageEol } from '../../../src/releases/bundled.js';
import type { EolTable } from '../../../src/releases/types.js';
import { buildImageReport } from '../../../src/rules/image/report.js';
import { runGoimg } from '../../helpers/cli.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { type ImageSpec, writeLayout } from './layout.js';

const NOW = new Date('2026-12-05T12:00:00Z');
const DAY = 86_400_000;

/** The bundled lifecycles, with the newest point releases an endoflife.date answer carries. */
function eol(): EolTable {
  const t = bundledBaseImageEol();
  const withLatest = (list: EolTable['distros']['alpine'], latest: Record<string, string>) =>
    list.map((e) => (latest[e.version] ? { ...e, latest: latest[e.version]! } : e));
  return {
    date: t.date,
    distros: {
      alpine: withLatest(t.distros.alpine, { '3.20': '3.20.8', '3.24': '3.24.2' }),
      debian: withLatest(t.distros.debian, { '12': '12.13' }),
      ubuntu: withLatest(t.distros.ubuntu, { '24.04': '24.04.1' }),
    },
  };
}

async function report(spec: ImageSpec) {
  const layout = await writeLayout(spec);
  return buildImageReport(await analyzeImage(await openImage(`oci:${layout.dir}`)), { eol: eol(), now: NOW });
}

const ALPINE_320 = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n';
const DISTROLESS_12 =
  'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="12"\nVERSION="Debian GNU/Linux 12 (bookworm)"\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\n';

test('os-release: quoted and bare values, escapes, comments', () => {
  const os = parseOsRelease('# comment\nID=alpine\nNAME="A \\"B\\""\nX=\'single\'\n\nnot a line\n');
  assert.deepEqual({ ...os }, { ID: 'alpine', NAME: 'A "B"', X: 'single' });
});

test('an alpine release past its end of life: finding, newer point release, age', async () => {
  const created = '2025-06-01T00:00:00Z';
  const r = await report({ created, layers: [{ entries: [{ name: 'etc/os-release', data: ALPINE_320 }] }] });
  assert.deepEqual(r.base, {
    os: 'Alpine Linux v3.20',
    distro: 'alpine',
    distroless: false,
    release: '3.20',
    pointRelease: '3.20.3',
    eol: '2026-04-01',
    endOfLife: true,
    newestPointRelease: '3.20.8',
    newerPointRelease: true,
    created,
    ageDays: Math.floor((NOW.getTime() - Date.parse(created)) / DAY),
    dataDate: eol().date,
  });
  const f = r.findings.find((x) => x.rule === 'base-image-eol');
  assert.match(
    f?.message ?? '',
    /alpine 3\.20\.3\), end of life since 2026-04-01: .* rebuild on alpine 3\.24/,
  );
  assert.equal(f?.severity, 'warning');
});

test('distroless: a Debian release, its point release from /etc/debian_version', async () => {
  const r = await report({
    layers: [
      {
        entries: [
          { name: 'etc/os-release', data: DISTROLESS_12 },
          { name: 'etc/debian_version', data: '12.10\n' },
        ],
      },
    ],
  });
  assert.equal(r.base?.distroless, true);
  assert.deepEqual(
    [r.base?.distro, r.base?.release, r.base?.pointRelease, r.base?.endOfLife, r.base?.newestPointRelease],
    ['debian', '12', '12.10', false, '12.13'],
  );
  assert.equal(r.base?.newerPointRelease, true);
  assert.equal(r.base?.created, null);
  assert.equal(r.base?.ageDays, null);
  assert.ok(!r.findings.some((x) => x.rule === 'base-image-eol'));
});

test('os-release through its usual symlink; the newest point release is not "newer"', async () => {
  const r = await report({
    layers: [
      {
        entries: [
          { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
          {
            name: 'usr/lib/os-release',
            data: 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="24.04"\nVERSION="24.04.1 LTS (Noble Numbat)"\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\n',
          },
        ],
      },
    ],
  });
  assert.deepEqual(
    [r.base?.os, r.base?.release, r.base?.pointRelease, r.base?.newerPointRelease],
    ['Ubuntu 24.04.1 LTS', '24.04', '24.04.1', false],
  );
});

test('no os-release (scratch and a static binary): no base, no finding', async () => {
  const r = await report({ layers: [{ entries: [{ name: 'app', data: 'x' }] }] });
  assert.equal(r.base, null);
  assert.ok(!r.findings.some((x) => x.rule === 'base-image-eol'));
});

test('goimg image --format json carries the base and matches the schema; text names it', async () => {
  const layout = await writeLayout({
    created: '2026-01-01T00:00:00Z',
    layers: [{ entries: [{ name: 'etc/os-release', data: ALPINE_320 }] }],
  });
  const r = runGoimg(['image', `oci:${layout.dir}`, '--format', 'json', '--fail-on', 'never']);
  const json = JSON.parse(r.stdout) as { base: { release: string; endOfLife: boolean } };
  assertMatchesSchema('image.schema.json', json);
  assert.deepEqual([json.base.release, json.base.endOfLife], ['3.20', true]);
  const text = runGoimg(['image', `oci:${layout.dir}`, '--fail-on', 'never']);
  assert.match(
    text.stdout,
    /^Base {2}Alpine Linux v3\.20 \(alpine 3\.20\.3\); end of life since 2026-04-01; created \d+ days ago$/m,
  );
});
