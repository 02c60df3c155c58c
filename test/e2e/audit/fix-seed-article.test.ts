/**
 * End to end on the first article's project: `goimg audit` finds libc-mismatch, `--fix`
 * repairs a temporary copy, a second `--fix` changes nothing, and the fixed Dockerfile really
 * builds with BuildKit and serves HTTP on the alpine stand-in, where the original dies with
 * "no such file or directory". Also: missing-dockerignore's context size against BuildKit's.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import {
  buildkitBuild,
  DockerResources,
  docker,
  dockerOk,
  freePort,
  waitForHttp,
} from '../../helpers/docker.js';
import { hasEngine, hasImage } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';
import { assertMatchesSchema } from '../../helpers/schema.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-e2e-audit-'));
const made = new DockerResources();
const addedTags: string[] = [];
after(() => {
  made.cleanup();
  for (const tag of addedTags) docker(['rmi', tag]);
  rmSync(scratch, { recursive: true, force: true });
});

const FIXED_RULES = [
  'libc-mismatch',
  'cgo-not-disabled',
  'unpinned-base-image',
  'no-strip-flags',
  'no-trimpath',
  'no-go-cache-mount',
  'runs-as-root',
  'missing-dockerignore',
  'missing-syntax-directive',
];

interface Report {
  version: number;
  findings: { rule: string; severity: string; line: number; message: string }[];
  summary: Record<string, number>;
}

function auditJson(dir: string): Report {
  const r = runGoimg(['audit', dir, '--format', 'json']);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assertMatchesSchema('audit.schema.json', report);
  return report;
}

function snapshot(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
}

/** The Dockerfile without its `# syntax=` line: this engine cannot pull frontend images. */
function withoutSyntaxLine(dockerfile: string, name: string): string {
  const path = join(scratch, name);
  writeFileSync(path, readFileSync(dockerfile, 'utf8').replace(/^# syntax=.*\n/m, ''));
  return path;
}

/** Makes `ref` exist by tagging the local alpine stand-in with it (only when it is missing). */
function ensureAlpineTag(ref: string): void {
  if (hasImage(ref)) return;
  const standIn = ['alpine:latest', 'alpine:3.20'].find(hasImage);
  assert.ok(standIn, 'an alpine stand-in image');
  dockerOk(['tag', standIn, ref]);
  addedTags.push(ref);
}

async function runAndGet(image: string): Promise<{ status: number; body: string } | { failed: string }> {
  const port = await freePort();
  const name = made.containerName('seed');
  dockerOk(['run', '-d', '--network=host', '-e', `PORT=${port}`, '--name', name, image]);
  try {
    return await waitForHttp(`http://127.0.0.1:${port}/healthz`, 15_000);
  } catch {
    return { failed: docker(['logs', name]).output };
  }
}

test('audit --fix on the seed article: fixed rules gone, idempotent, builds and serves on alpine', async (t) => {
  if (!need(t, hasEngine(), 'a Docker engine with BuildKit')) return;
  if (!need(t, hasImage('golang:1.21'), 'the golang:1.21 stand-in image')) return;
  if (!need(t, hasImage('alpine:latest') || hasImage('alpine:3.20'), 'an alpine stand-in image')) return;
  const dir = join(scratch, 'seed');
  cpSync(join(REPO_ROOT, 'examples/seed-article'), dir, { recursive: true });

  const before = auditJson(dir);
  assert.equal(before.version, 1);
  const libc = before.findings.find((f) => f.rule === 'libc-mismatch');
  assert.ok(libc, 'libc-mismatch on the article as written');
  assert.equal(libc.line, 7);

  const fixed = runGoimg(['audit', dir, '--fix']);
  assert.ok(fixed.status === 0 || fixed.status === 1, fixed.stderr);
  assert.match(fixed.stderr, /fixed \d+ finding/);
  const afterFix = auditJson(dir);
  const left = afterFix.findings.filter((f) => FIXED_RULES.includes(f.rule));
  assert.deepEqual(left, [], 'the fixed rules no longer fire');
  assert.ok(!afterFix.findings.some((f) => f.rule === 'parse-error'));
  assert.ok(existsSync(join(dir, '.dockerignore')));
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^# 编译阶段$/m, 'comments kept');
  assert.match(dockerfile, /CGO_ENABLED=0 go build/);

  // A second --fix changes nothing, and a dry run shows no diff.
  const snap = snapshot(dir);
  const again = runGoimg(['audit', dir, '--fix']);
  assert.ok(again.status === 0 || again.status === 1, again.stderr);
  assert.deepEqual(snapshot(dir), snap);
  assert.equal(runGoimg(['audit', dir, '--fix-dry-run']).stdout.trim(), '');

  // The fixed file builds with BuildKit and the container answers on the alpine stand-in.
  const runtime = /^FROM (alpine:\S+)/m.exec(dockerfile)?.[1];
  assert.ok(runtime);
  ensureAlpineTag(runtime);
  const tag = made.imageTag('seed-fixed');
  const build = await buildkitBuild(dir, tag, {
    dockerfile: withoutSyntaxLine(join(dir, 'Dockerfile'), 'Dockerfile.fixed'),
  });
  assert.equal(build.status, 0, build.output);
  const answer = await runAndGet(tag);
  assert.ok('status' in answer, `the fixed image did not answer: ${'failed' in answer ? answer.failed : ''}`);
  assert.equal(answer.status, 200);

  // Control: the article's Dockerfile as written dies on the same runtime (what libc-mismatch said).
  ensureAlpineTag('alpine:latest');
  const original = join(scratch, 'original');
  cpSync(join(REPO_ROOT, 'examples/seed-article'), original, { recursive: true });
  const badTag = made.imageTag('seed-original');
  const badBuild = await buildkitBuild(original, badTag);
  assert.equal(badBuild.status, 0, badBuild.output);
  const name = made.containerName('seed-original');
  const run = docker(['run', '--network=host', '--name', name, badTag], { timeoutMs: 60_000 });
  assert.notEqual(run.status, 0);
  assert.match(run.output, /no such file or directory/);
});

const UNITS: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 };

test("missing-dockerignore's context size matches BuildKit's transfer within 1 %", async (t) => {
  if (!need(t, hasEngine(), 'a Docker engine with BuildKit')) return;
  const dir = join(scratch, 'ctx');
  cpSync(join(REPO_ROOT, 'examples/seed-article'), dir, { recursive: true });
  // Junk a real project carries: VCS data and a host build output.
  mkdirSync(join(dir, '.git/objects/pack'), { recursive: true });
  writeFileSync(join(dir, '.git/objects/pack/pack-1.pack'), randomBytes(600_000));
  writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin/seed-article'), randomBytes(300_000));

  const finding = auditJson(dir).findings.find((f) => f.rule === 'missing-dockerignore');
  assert.ok(finding);
  const ours = Number(/the context is (\d+) bytes/.exec(finding.message)?.[1]);
  assert.ok(ours > 900_000);

  const copyAll = join(scratch, 'Dockerfile.copy-all');
  writeFileSync(copyAll, 'FROM scratch\nCOPY . /ctx\n');
  const r = await buildkitBuild(dir, made.imageTag('ctx-size'), { dockerfile: copyAll });
  assert.equal(r.status, 0, r.output);
  const sizes = [...r.output.matchAll(/^#(\d+) transferring context: ([\d.]+)(B|kB|MB|GB)/gm)].map(
    (m) => Number(m[2]) * UNITS[m[3]!]!,
  );
  const buildkit = sizes[sizes.length - 1]!;
  const diff = Math.abs(ours - buildkit) / buildkit;
  assert.ok(diff <= 0.01, `goimg ${ours} B vs BuildKit ${buildkit} B (${(diff * 100).toFixed(2)} %)`);
});
