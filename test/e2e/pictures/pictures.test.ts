/**
 * The pictures as users open them: pages written by goimg, opened in headless Chromium (Debian's
 * chromium through playwright-core). The figures drawn must be the JSON output's figures, a
 * click on a Go binary must zoom to its modules and packages, and the SVG must parse as XML with
 * leaf areas proportional to bytes. Screenshots are kept in test-results/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import type { Browser, Page } from 'playwright-core';
import type { BinaryReport } from '../../../src/binary/index.js';
import type { ImageReport } from '../../../src/rules/image/report.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { buildFixture, fixtureAvailable } from '../../helpers/go-fixtures.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';
import { writeLayout } from '../../unit/image/layout.js';

const CHROMIUM = '/usr/bin/chromium';
const DOCKERD = '/usr/sbin/dockerd';
const RESULTS = join(REPO_ROOT, 'test-results');
const work = mkdtempSync(join(tmpdir(), 'goimg-pictures-'));
let browser: Browser | undefined;

before(async () => {
  if (!existsSync(CHROMIUM)) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
});
after(async () => browser?.close());

interface Drawn {
  ix: string;
  name: string;
  size: number;
  role: string;
}

/** A node as the page embeds it: [name, size, role, colour, children, baseline]. */
type Embedded = [string, number, string, number | string, Embedded[]?, number?];

/** Opens a page, collecting console errors and failed requests (there must be none). */
async function open(file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => errors.push(`request ${r.url()}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) errors.push(`network request ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  return { page, errors };
}

const drawn = (page: Page): Promise<Drawn[]> =>
  page.$$eval('#treemap .node', (els) =>
    els.map((e) => {
      const d = (e as HTMLElement).dataset;
      return { ix: d.ix ?? '', name: d.name ?? '', size: Number(d.size), role: d.role ?? '' };
    }),
  );

async function embedded(page: Page): Promise<Embedded> {
  return JSON.parse((await page.textContent('#goimg-data')) ?? 'null') as Embedded;
}

function at(tree: Embedded, ix: string): Embedded {
  let n = tree;
  for (const i of ix === '' ? [] : ix.split('.').map(Number)) n = n[4]![i]!;
  return n;
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, name), fullPage: true });
}

function json<T>(args: string[]): T {
  const r = runGoimg([...args, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

test('goimg binary --html: module and package sizes drawn are the JSON figures; a click zooms to a module', async (t) => {
  if (!need(t, existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`)) return;
  if (!need(t, fixtureAvailable('static') === null, 'Go 1.23')) return;
  const file = (await buildFixture('app', 'static')).path;
  const html = join(work, 'app.html');
  const r = runGoimg(['binary', file, '--html', html]);
  assert.equal(r.status, 0, r.stderr);
  const report = json<BinaryReport>(['binary', file]);
  const { page, errors } = await open(html);
  try {
    const nodes = await drawn(page);
    const modules = nodes.filter((n) => n.role === 'module');
    assert.deepEqual(
      modules.map((m) => [m.name, m.size]).sort(),
      report.sizes!.modules.map((m) => [m.path, m.size]).sort(),
      'every module is drawn with its JSON size',
    );
    const packages = new Map(report.sizes!.packages.map((p) => [p.name, p.size]));
    const drawnPackages = nodes.filter((n) => n.role === 'package');
    assert.ok(drawnPackages.length > 0);
    for (const p of drawnPackages) assert.equal(p.size, packages.get(p.name), p.name);
    // Bytes no package owns: one block, split by where they lie, adding up to the JSON's figure.
    const rest = nodes.find((n) => n.role === 'rest' && n.name === '(headers, tables, unattributed)');
    assert.equal(rest?.size, report.sizes!.unattributed);
    const pieces = at(await embedded(page), rest!.ix)[4]!;
    assert.ok(pieces.some((p) => p[0] === 'function table (.gopclntab)'));
    assert.equal(
      pieces.reduce((n, p) => n + p[1], 0),
      report.sizes!.unattributed,
    );
    const rows = await page.$$eval('tr.module', (trs) =>
      trs.map((tr) => [(tr as HTMLElement).dataset.module, Number((tr as HTMLElement).dataset.size)]),
    );
    assert.deepEqual(
      rows,
      report.sizes!.modules.map((m) => [m.path, m.size]),
    );

    const greet = modules.find((m) => m.name === 'example.com/greet')!;
    await page.click(`#treemap .node[data-ix="${greet.ix}"]`);
    assert.equal(await page.getAttribute('#treemap', 'data-zoom'), greet.ix);
    const zoomed = await drawn(page);
    assert.ok(zoomed.length > 0);
    for (const n of zoomed) {
      assert.equal(n.role, 'package');
      assert.ok(n.name.startsWith('example.com/greet'), n.name);
      assert.equal(n.size, packages.get(n.name));
    }
    assert.match((await page.textContent('#crumbs')) ?? '', /example\.com\/greet/);
    assert.deepEqual(errors, []);
    await shot(page, 'pictures-binary-zoomed.png');
  } finally {
    await page.close();
  }
});

test('goimg binary --html --compare: what grew, what is new, what went away, as the two JSON reports say', async (t) => {
  if (!need(t, existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`)) return;
  if (!need(t, fixtureAvailable('cgo') === null, 'Go 1.23 and gcc')) return;
  const before = (await buildFixture('app', 'static')).path;
  const after = (await buildFixture('netuser', 'cgo')).path;
  const html = join(work, 'compare.html');
  const r = runGoimg(['binary', before, '--compare', after, '--html', html]);
  assert.equal(r.status, 0, r.stderr);
  const a = json<BinaryReport>(['binary', before]);
  const b = json<BinaryReport>(['binary', after]);
  const was = new Map(a.sizes!.modules.map((m) => [m.path, m.size]));
  const now = new Map(b.sizes!.modules.map((m) => [m.path, m.size]));
  const { page, errors } = await open(html);
  try {
    const rows = async (cls: string) =>
      (
        await page.$$eval(`tr.${cls}`, (trs) =>
          trs.map((tr) => {
            const d = (tr as HTMLElement).dataset;
            return [d.name ?? '', Number(d.before), Number(d.after)] as [string, number, number];
          }),
        )
      ).sort();
    const expect = (keep: (name: string, before?: number, after?: number) => boolean) =>
      [...new Set([...was.keys(), ...now.keys()])]
        .filter((n) => keep(n, was.get(n), now.get(n)))
        .map((n) => [n, was.get(n) ?? 0, now.get(n) ?? 0])
        .sort();
    assert.deepEqual(
      await rows('new'),
      expect((_n, x) => x === undefined),
    );
    assert.deepEqual(
      await rows('gone'),
      expect((_n, _x, y) => y === undefined),
    );
    assert.deepEqual(
      await rows('grew'),
      expect((_n, x, y) => x !== undefined && y !== undefined && y > x),
    );
    assert.ok(
      (await rows('new')).some(([n]) => n === 'example.com/netuser'),
      'the new main module is new',
    );
    assert.ok(
      (await rows('grew')).some(([n]) => n === '(C code)'),
      'cgo brings more C code',
    );
    assert.ok(
      (await rows('gone')).some(([n]) => n === 'example.com/greet'),
      'the greet module went away',
    );
    // The treemap draws the later binary, each module with its JSON size.
    const modules = (await drawn(page)).filter((n) => n.role === 'module');
    assert.deepEqual(modules.map((m) => [m.name, m.size]).sort(), [...now].sort());
    assert.deepEqual(errors, []);
    await shot(page, 'pictures-compare.png');
  } finally {
    await page.close();
  }
});

test('goimg binary --format svg parses as XML; leaf areas are proportional to bytes within 1 %', async (t) => {
  const file = existsSync(DOCKERD) ? DOCKERD : null;
  if (!need(t, file !== null, `Debian's dockerd at ${DOCKERD}`)) return;
  const r = runGoimg(['binary', file!, '--format', 'svg']);
  assert.equal(r.status, 0, r.stderr);
  const report = json<BinaryReport>(['binary', file!]);
  const problems: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => {
      problems.push(`${level}: ${message}`);
    },
  }).parseFromString(r.stdout, 'image/svg+xml');
  assert.deepEqual(problems, []);
  assert.equal(doc.documentElement?.nodeName, 'svg');
  const rects = Array.from(doc.getElementsByTagName('rect'));
  const leaves = rects
    .filter((e) => e.getAttribute('class') === 'leaf')
    .map((e) => ({
      name: e.getAttribute('data-name') ?? '',
      role: e.getAttribute('data-role') ?? '',
      size: Number(e.getAttribute('data-size')),
      area: Number(e.getAttribute('width')) * Number(e.getAttribute('height')),
    }));
  assert.ok(leaves.length > 100, `${leaves.length} leaves`);
  // Every part of the binary shares one canvas: bytes per square pixel is the same for all.
  const width = Number(doc.documentElement!.getAttribute('width'));
  const height = Number(doc.documentElement!.getAttribute('height'));
  const drawnTotal = report.sizes!.attributed + report.sizes!.unattributed;
  const scale = drawnTotal / (width * (height - 28));
  for (const leaf of leaves) {
    const ratio = leaf.size / leaf.area / scale;
    assert.ok(
      Math.abs(ratio - 1) < 0.01,
      `${leaf.name}: ${leaf.size} B in ${leaf.area} px² (ratio ${ratio})`,
    );
  }
  const packages = new Map(report.sizes!.packages.map((p) => [p.name, p.size]));
  for (const leaf of leaves.filter((l) => l.role === 'package'))
    assert.equal(leaf.size, packages.get(leaf.name));
  const groups = rects.filter((e) => e.getAttribute('data-role') === 'module');
  const modules = new Map(report.sizes!.modules.map((m) => [m.path, m.size]));
  assert.ok(groups.length > 10);
  for (const g of groups)
    assert.equal(Number(g.getAttribute('data-size')), modules.get(g.getAttribute('data-name')!));
});

test('goimg image --html: layers, files and modules drawn are the JSON figures; clicking a binary zooms to its packages', async (t) => {
  if (!need(t, existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`)) return;
  if (!need(t, fixtureAvailable('cgo') === null, 'Go 1.23 and gcc')) return;
  const app = readFileSync((await buildFixture('app', 'static')).path);
  const netuser = readFileSync((await buildFixture('netuser', 'cgo')).path);
  const layout = await writeLayout({
    config: { Entrypoint: ['/usr/local/bin/app'], User: '65532' },
    layers: [
      {
        createdBy: 'COPY rootfs /',
        entries: [
          { name: 'etc/os-release', data: 'ID=test\n' },
          { name: 'usr/share/doc/big.txt', data: 'x'.repeat(300_000) },
          { name: 'usr/local/bin/netuser', data: netuser, mode: 0o755 },
        ],
      },
      {
        createdBy: 'COPY app /usr/local/bin/app',
        entries: [
          { name: 'usr/local/bin/app', data: app, mode: 0o755 },
          { name: 'usr/share/doc/big.txt', data: 'y'.repeat(1000) },
        ],
      },
    ],
  });
  const ref = `oci:${layout.dir}`;
  const html = join(work, 'image.html');
  const text = runGoimg(['image', ref, '--html', html]);
  assert.equal(text.status, 0, text.stderr);
  const report = json<ImageReport>(['image', ref]);
  assertMatchesSchema('image.schema.json', report);

  // Text output: under each Go binary, its five largest modules, largest first.
  for (const g of report.goBinaries) {
    assert.ok(g.modules && g.modules.length > 0 && g.modules.length <= 5, g.path);
    const listing = text.stdout.slice(text.stdout.indexOf('Go binaries'));
    const at = listing.indexOf(`  ${g.path}  `);
    assert.ok(at >= 0, g.path);
    const block = listing
      .slice(at)
      .split('\n')
      .slice(1, 1 + g.modules.length);
    assert.deepEqual(
      block.map((l) => l.trim().split(/\s{2,}/)[1]),
      g.modules.map((m) => m.path),
    );
  }

  const { page, errors } = await open(html);
  try {
    const layers = await page.$$eval('tr.layer-row', (trs) =>
      trs.map((tr) => {
        const d = (tr as HTMLElement).dataset;
        return { size: Number(d.size), uncompressedSize: Number(d.uncompressed), files: Number(d.files) };
      }),
    );
    assert.deepEqual(
      layers,
      report.layers.map((l) => ({ size: l.size, uncompressedSize: l.uncompressedSize, files: l.files })),
    );
    const widths = await page.$$eval('.bar .layer', (ds) => ds.map((d) => d.getBoundingClientRect().width));
    const total = report.layers.reduce((n, l) => n + l.uncompressedSize, 0);
    const barWidth = widths.reduce((n, w) => n + w, 0);
    for (const [i, l] of report.layers.entries())
      assert.ok(Math.abs(widths[i]! - (l.uncompressedSize / total) * barWidth) < 1.5, `layer ${i} width`);
    // The first layer's big.txt was overwritten by the second: that layer is marked as waste.
    assert.deepEqual(
      report.waste.paths.map((p) => p.path),
      ['/usr/share/doc/big.txt'],
    );
    assert.deepEqual(
      await page.$$eval('.bar .layer.waste', (ds) => ds.map((d) => Number((d as HTMLElement).dataset.index))),
      [0],
    );

    // Every drawn rectangle shows its node's bytes; the files' bytes are the JSON's.
    const tree = await embedded(page);
    for (const n of await drawn(page)) assert.equal(n.size, at(tree, n.ix)[1], n.ix);
    const byPath = (path: string) =>
      path
        .slice(1)
        .split('/')
        .reduce<Embedded | undefined>((node, name) => node?.[4]?.find((c) => c[0] === name), tree);
    for (const f of report.largestFiles) assert.equal(byPath(f.path)?.[1], f.bytes, f.path);

    // The Go binaries beside the treemap list the JSON's five largest modules.
    const listed = await page.$$eval('.gobinary', (ds) =>
      ds.map((d) => ({
        path: (d as HTMLElement).dataset.path,
        modules: Array.from(d.querySelectorAll('li.module')).map((li) => [
          (li as HTMLElement).dataset.module,
          Number((li as HTMLElement).dataset.size),
        ]),
      })),
    );
    assert.deepEqual(
      listed,
      report.goBinaries.map((g) => ({ path: g.path, modules: g.modules!.map((m) => [m.path, m.size]) })),
    );

    // Clicking the app binary in the treemap zooms to it: its modules, and their packages.
    await page.click('#crumbs a[data-depth="0"]');
    const appNode = byPath('/usr/local/bin/app')!;
    let binary = (await drawn(page)).find((n) => n.role === 'binary' && n.name === 'app');
    let clicks = 0;
    while (!binary && clicks < 4) {
      // Not drawn at the top level: follow the directories that hold it.
      const next = (await drawn(page)).find(
        (n) => n.role === 'dir' && ['usr', 'local', 'bin'].includes(n.name),
      );
      assert.ok(next, 'a directory on the way to the binary is drawn');
      await page.click(`#treemap .node[data-ix="${next.ix}"] > .label`);
      clicks++;
      binary = (await drawn(page)).find((n) => n.role === 'binary' && n.name === 'app');
    }
    assert.ok(binary, 'the binary is drawn');
    assert.equal(binary.size, app.length);
    assert.equal(appNode[1], app.length);
    await page.click(`#treemap .node[data-ix="${binary.ix}"] > .label`);
    assert.equal(await page.getAttribute('#treemap', 'data-zoom'), binary.ix);
    const inside = await drawn(page);
    const appModules = report.goBinaries.find((g) => g.path === '/usr/local/bin/app')!.modules!;
    for (const m of appModules) {
      const node = inside.find((n) => n.role === 'module' && n.name === m.path);
      assert.ok(node, `${m.path} drawn`);
      assert.equal(node.size, m.size);
    }
    assert.ok(
      inside.some((n) => n.role === 'package' && n.name === 'runtime'),
      'packages inside the modules',
    );
    await shot(page, 'pictures-image-binary.png');

    // One click from the list of Go binaries reaches the same view.
    await page.click('#crumbs a[data-depth="0"]');
    await page.click('.gobinary[data-path="/usr/local/bin/netuser"] a[data-zoom]');
    const zoom = (await page.getAttribute('#treemap', 'data-zoom')) ?? '';
    assert.equal(at(tree, zoom)[0], 'netuser');
    assert.ok((await drawn(page)).some((n) => n.role === 'module' && n.name === '(C code)'));
    assert.deepEqual(errors, []);
    await shot(page, 'pictures-image-netuser.png');
  } finally {
    await page.close();
  }
});

test('pictures refuse what they cannot draw with one clear line and exit 2, never a stack trace', async (t) => {
  if (!need(t, fixtureAvailable('upx') === null, 'Go 1.23 and upx')) return;
  const file = (await buildFixture('app', 'static')).path;
  // goimg unpacks x86-64 files packed by UPX; a packed arm64 one keeps its sizes hidden.
  const packed = join(work, 'app.arm64.upx');
  execFileSync('upx', ['-q', '-o', packed, (await buildFixture('app', 'arm64')).path], { stdio: 'ignore' });
  const cases: [string[], RegExp][] = [
    [['binary', file, file, '--format', 'svg'], /--html and --format svg draw one FILE/],
    [['binary', file, '--quick', '--html', join(work, 'q.html')], /need the sizes that --quick skips/],
    [['binary', file, '--compare', file, '--format', 'svg'], /--format svg draws one binary/],
    [['binary', packed, '--format', 'svg'], /no sizes to draw \(UPX-packed\)/],
    [['binary', file, '--html', join(work, 'missing-dir', 'x.html')], /cannot write .*x\.html: ENOENT/],
  ];
  for (const [args, message] of cases) {
    const r = runGoimg(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stdout, '');
  }
});
