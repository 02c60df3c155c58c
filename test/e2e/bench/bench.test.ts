/**
 * `goimg bench` end to end with real BuildKit builds: the article's Dockerfile, goimg's and the
 * `docker init` one on examples/seed-article (JSON schema, the article's image fails to start,
 * goimg's is static and within the size target, nothing left behind), the HTML report checked in
 * headless Chromium against the JSON, the dependency change on orders-service, and Ctrl-C cleanup.
 * Timings are printed, never asserted.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { formatValue } from '../../../src/bench/html.js';
import type { BenchReport, BenchVariant } from '../../../src/bench/report.js';
import { GOIMG_BIN, REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { BUILDKIT_DOCKER, dockerEnv, hasEngine } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';

const engine = hasEngine();
const work = mkdtempSync(join(tmpdir(), 'goimg-bench-e2e-'));
after(() => rmSync(work, { recursive: true, force: true }));

function leftovers(): string[] {
  const env = dockerEnv();
  const images = spawnSync(BUILDKIT_DOCKER, ['images', '--format', '{{.Repository}}:{{.Tag}}'], {
    env,
    encoding: 'utf8',
  });
  const containers = spawnSync(BUILDKIT_DOCKER, ['ps', '-a', '--format', '{{.Image}}'], {
    env,
    encoding: 'utf8',
  });
  return `${images.stdout}\n${containers.stdout}`
    .split('\n')
    .filter((l) => /^goimg-bench-[a-z0-9]+-/.test(l));
}

function variant(report: BenchReport, name: string): BenchVariant {
  const v = report.variants.find((x) => x.name === name);
  assert.ok(v, `variant ${name}`);
  return v;
}

let seedReport: BenchReport | undefined;
const htmlFile = join(work, 'seed-article.html');

test('bench on seed-article: article vs goimg vs docker init, real builds, JSON per the schema, nothing left behind', (t) => {
  if (!need(t, engine, 'a Docker engine with BuildKit')) return;
  const before = leftovers();
  const r = runGoimg(
    [
      'bench',
      'examples/seed-article',
      '--no-syntax-directive',
      // The version policy's newest Go has no stand-in image here.
      '--go',
      '1.23',
      '--variant',
      'docker-init=test/fixtures/init/docker-init/Dockerfile',
      '--html',
      htmlFile,
      '--format',
      'json',
    ],
    { env: dockerEnv() },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /bench: \[1\/3 current\] cold build\.\.\./, 'progress lines on stderr');
  const report = JSON.parse(r.stdout) as BenchReport;
  assertMatchesSchema('bench.schema.json', report);
  seedReport = report;
  process.stdout.write(
    `# bench seed-article: ${JSON.stringify(report.variants.map((v) => [v.name, v.timings, v.imageSize]))} host ${JSON.stringify(report.host)}\n`,
  );

  const article = variant(report, 'current');
  assert.equal(article.ok, true);
  assert.equal(article.starts, false, "the article's cgo binary cannot start on alpine");
  assert.match(article.startDetail ?? '', /no such file or directory/);
  assert.equal(article.verification?.static, false);
  assert.equal(article.verification?.interpreterPresent, false);

  const goimg = variant(report, 'goimg');
  assert.equal(goimg.ok, true);
  assert.equal(goimg.starts, true, goimg.startDetail ?? '');
  assert.equal(goimg.verification?.static, true);
  assert.equal(goimg.verification?.stripped, true);
  assert.ok(
    goimg.overheadBytes !== null && goimg.overheadBytes <= 20 * 1024,
    `overhead ${goimg.overheadBytes}`,
  );
  assert.equal(
    goimg.binarySize,
    report.host.strippedBinarySize,
    'the binary inside is the stripped static binary',
  );
  for (const key of ['cold', 'noChange', 'sourceChange', 'depChange'] as const) {
    assert.equal(typeof goimg.timings[key], 'number', key);
  }
  assert.equal(typeof report.host.goBuildIncremental, 'number');

  const dockerInit = variant(report, 'docker-init');
  assert.equal(dockerInit.ok, true, dockerInit.error ?? '');
  assert.equal(dockerInit.starts, true, dockerInit.startDetail ?? '');
  assert.equal(dockerInit.verification?.stripped, false, 'docker init builds without -s -w');
  assert.ok((dockerInit.imageSize ?? 0) > (goimg.imageSize ?? 0));

  assert.deepEqual(leftovers(), before, 'no throwaway tag or container remains');
});

test('the HTML report draws the JSON figures: headless Chromium, no console errors, screenshot kept', async (t) => {
  if (!need(t, engine, 'a Docker engine with BuildKit')) return;
  if (!need(t, existsSync('/usr/bin/chromium'), 'Chromium at /usr/bin/chromium')) return;
  if (
    !need(
      t,
      seedReport !== undefined && existsSync(htmlFile),
      'the seed-article bench report from the previous test',
    )
  )
    return;
  const report = seedReport!;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(htmlFile).href);
    const bars = await page.$$eval('g.bar', (gs) =>
      gs.map((g) => ({
        metric: g.getAttribute('data-metric') ?? '',
        variant: g.getAttribute('data-variant') ?? '',
        value: g.getAttribute('data-value') ?? '',
        max: Number(g.getAttribute('data-max')),
        text: g.querySelector('text.value')?.textContent ?? '',
        width: (g.querySelector('rect') as SVGRectElement).getBoundingClientRect().width,
      })),
    );
    const figures: Record<string, (v: BenchVariant) => number | null> = {
      imageSize: (v) => v.imageSize,
      overheadBytes: (v) => v.overheadBytes,
      cold: (v) => v.timings.cold,
      noChange: (v) => v.timings.noChange,
      sourceChange: (v) => v.timings.sourceChange,
      depChange: (v) => v.timings.depChange,
    };
    let checked = 0;
    for (const [metric, pick] of Object.entries(figures)) {
      const unit = metric === 'imageSize' || metric === 'overheadBytes' ? 'bytes' : 'seconds';
      for (const v of report.variants) {
        const bar = bars.find((b) => b.metric === metric && b.variant === v.name);
        assert.ok(bar, `a bar for ${metric}/${v.name}`);
        const want = pick(v);
        assert.equal(bar.value === '' ? null : Number(bar.value), want, `${metric}/${v.name} value`);
        assert.equal(
          bar.text,
          want === null ? 'not measured' : formatValue(unit, want),
          `${metric}/${v.name} label`,
        );
        if (want !== null && want > 0) {
          // The drawn length is proportional to the figure (520 px for the largest in the chart).
          assert.ok(
            Math.abs(bar.width - Math.max(1, (want / bar.max) * 520)) < 1.5,
            `${metric}/${v.name} bar length`,
          );
        }
        checked++;
      }
    }
    const hostBar = bars.find((b) => b.metric === 'sourceChange' && b.variant === 'reference');
    assert.equal(Number(hostBar?.value), report.host.goBuildIncremental);
    const embedded = JSON.parse((await page.textContent('#bench-data')) ?? '{}') as BenchReport;
    assert.deepEqual(embedded, report);
    assert.deepEqual(errors, []);
    assert.ok(checked >= 18);
    mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
    await page.screenshot({
      path: join(REPO_ROOT, 'test-results', 'bench-seed-article.png'),
      fullPage: true,
    });
  } finally {
    await browser.close();
  }
});

test('bench on orders-service: the dependency change (vendored code + go.mod) is measured for goimg', (t) => {
  if (!need(t, engine, 'a Docker engine with BuildKit')) return;
  const r = runGoimg(
    ['bench', 'examples/orders-service', '--go', '1.23', '--no-syntax-directive', '--format', 'json'],
    {
      env: dockerEnv(),
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as BenchReport;
  assertMatchesSchema('bench.schema.json', report);
  process.stdout.write(
    `# bench orders-service: ${JSON.stringify(report.variants.map((v) => [v.name, v.timings, v.imageSize]))}\n`,
  );
  assert.match(report.edits.depChange, /go\.mod and vendored vendor\//);
  const goimg = variant(report, 'goimg');
  assert.equal(goimg.starts, true, goimg.startDetail ?? '');
  assert.equal(typeof goimg.timings.depChange, 'number');
  const current = variant(report, 'current');
  assert.equal(current.ok, true, current.error ?? '');
  assert.ok(
    (current.imageSize ?? 0) > 10 * (goimg.imageSize ?? 0),
    'the naive single-stage image ships the toolchain',
  );
});

test('Ctrl-C during a build removes the throwaway tags and containers (exit 130)', async (t) => {
  if (!need(t, engine, 'a Docker engine with BuildKit')) return;
  const before = leftovers();
  const child = spawn(
    process.execPath,
    [GOIMG_BIN, 'bench', 'examples/seed-article', '--no-syntax-directive', '--go', '1.23', '--no-current'],
    {
      cwd: REPO_ROOT,
      env: { ...dockerEnv(), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  const code = await new Promise<number | null>((resolve) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      // Interrupt once the cold build has produced its image and the rebuilds are under way.
      if (/noChange build\.\.\./.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    child.on('close', (c) => resolve(c));
  });
  assert.equal(code, 130, stderr);
  assert.match(stderr, /interrupted: removing throwaway images and containers/);
  assert.deepEqual(leftovers(), before);
  assert.ok(!readFileSync(join(REPO_ROOT, 'examples/seed-article/main.go'), 'utf8').includes('goimg bench'));
});
