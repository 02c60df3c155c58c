/**
 * Runs the benchmark: for each variant (the project's Dockerfile, goimg's, any other), in a private
 * copy of the project: a cold build, a no-change rebuild, a one-line source change, a dependency
 * change; then the image's size, the binary inside, whether it starts, and its verification.
 * The user's files, tags and build cache are never touched; everything made here is removed at
 * the end, on failure and on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join, posix } from 'node:path';
import { atInterrupt } from '../core/interrupt.js';
import { isShell } from '../dockerfile/shell.js';
import type { BuildKitClient } from '../env/docker-engine.js';
import { parseDockerHost } from '../env/docker-host.js';
import type { ProjectModel } from '../project/model.js';
import { removeOurCacheMounts, snapshotCacheMounts } from './cache-records.js';
import { DockerCli, Throwaways } from './docker.js';
import { type AppliedEdit, applyDependencyChange, applySourceChange } from './edits.js';
import { hostReference } from './host.js';
import { cacheMountRunCommands, isolateCacheMounts, stripSyntaxDirective } from './isolate.js';
import { probeStart } from './probe.js';
import type { BenchReport, BenchTimings, BenchVariant } from './report.js';
import { verifyImageBinary } from './verify.js';

export interface BenchVariantInput {
  name: string;
  /** Where it came from, for the report. */
  source: string;
  dockerfile: string;
  /** A .dockerignore to use instead of the project's (the generated one). */
  dockerignore?: string;
}

export interface BenchInput {
  /** Build cycles per variant; timings are medians. */
  runs?: number;
  project: ProjectModel;
  mainDir: string;
  goMinor?: string;
  variants: BenchVariantInput[];
  client: BuildKitClient;
  engineVersion: string | null;
  stripSyntax: boolean;
  platform?: string;
  progress: (line: string) => void;
  /** Live build step (for a TTY status line); optional. */
  step?: (text: string) => void;
}

export async function runBench(input: BenchInput): Promise<BenchReport> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const work = mkdtempSync(join(tmpdir(), 'goimg-bench-'));
  const docker = new DockerCli(input.client);
  const throwaways = new Throwaways();
  const endpoint = parseDockerHost();
  const cacheBefore = await snapshotCacheMounts(endpoint);
  const ourCommands: string[] = [];
  // On Ctrl-C the builds under way cancel first, so no image appears after its tag is removed.
  const forgetCleanup = atInterrupt(async () => {
    input.progress('interrupted: removing throwaway images and containers');
    await docker.stopBuilds();
    throwaways.cleanup(docker);
    rmSync(work, { recursive: true, force: true });
  });
  const notes: string[] = [];
  let edits = { sourceChange: '', depChange: '' };
  try {
    const runs = Math.max(1, input.runs ?? 1);
    const variants: (BenchVariant | undefined)[] = input.variants.map(() => undefined);
    const samples = input.variants.map(
      () => ({ cold: [], noChange: [], sourceChange: [], depChange: [] }) as Samples,
    );
    // Runs are interleaved (A B A B ...) so that drift on a busy machine hits every variant alike.
    for (let run = 0; run < runs; run++) {
      for (const [i, v] of input.variants.entries()) {
        const first = variants[i];
        if (first && !first.ok) continue;
        const label = `[${runs > 1 ? `run ${run + 1}/${runs} ` : ''}${i + 1}/${input.variants.length} ${v.name}]`;
        const result = await benchVariant(v, {
          ...input,
          docker,
          throwaways,
          work,
          tagBase: `goimg-bench-${runId}-${v.name.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`,
          suffix: `${runId}-${run}-${i}`,
          inspect: run === 0,
          progress: (line) => input.progress(`${label} ${line}`),
          ourCommands,
        });
        for (const key of TIMING_KEYS) {
          const t = result.variant.timings[key];
          if (t !== null) samples[i]![key].push(t);
        }
        if (!first) variants[i] = result.variant;
        if (result.edits.sourceChange) edits = result.edits;
        throwaways.cleanup(docker);
      }
    }
    const final = variants.map((v, i) => {
      const out = v!;
      for (const key of TIMING_KEYS) out.timings[key] = median(samples[i]![key]);
      out.samples = samples[i]!;
      return out;
    });
    input.progress('host: go build reference');
    const hostCopy = join(work, 'host');
    copyProject(input.project.root, hostCopy);
    const host = hostReference(hostCopy, input.mainDir, input.goMinor);
    const removed = await removeOurCacheMounts(endpoint, docker, cacheBefore, ourCommands);
    if (removed > 0) notes.push(`removed ${removed} cache-mount records this run created`);
    return {
      version: 1,
      project: input.project.root,
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, memoryBytes: totalmem(), os: `${platform()} ${release()}` },
      engine: { version: input.engineVersion, client: input.client.path, mode: input.client.mode },
      edits,
      runs,
      variants: final,
      host: {
        go: host.go,
        goBuildIncremental: host.goBuildIncremental,
        strippedBinarySize: host.strippedBinarySize,
        error: host.error ?? null,
      },
      notes,
    };
  } finally {
    throwaways.cleanup(docker);
    rmSync(work, { recursive: true, force: true });
    forgetCleanup();
  }
}

function copyProject(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('/.git') });
}

type Samples = Record<keyof BenchTimings, number[]>;
const TIMING_KEYS = ['cold', 'noChange', 'sourceChange', 'depChange'] as const;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface VariantContext extends BenchInput {
  /** Measure size, startup and verification (the first run only). */
  inspect: boolean;
  docker: DockerCli;
  throwaways: Throwaways;
  work: string;
  tagBase: string;
  suffix: string;
  ourCommands: string[];
}

async function benchVariant(
  v: BenchVariantInput,
  ctx: VariantContext,
): Promise<{ variant: BenchVariant; edits: { sourceChange: string; depChange: string } }> {
  const timings: BenchTimings = { cold: null, noChange: null, sourceChange: null, depChange: null };
  const out: BenchVariant = {
    name: v.name,
    dockerfile: v.source,
    ok: false,
    error: null,
    imageSize: null,
    binaryPath: null,
    binarySize: null,
    overheadBytes: null,
    timings,
    starts: null,
    startDetail: null,
    verification: null,
    notes: [],
  };
  const edits = { sourceChange: '', depChange: '' };
  const ctxDir = join(ctx.work, `${ctx.suffix}-context`);
  copyProject(ctx.project.root, ctxDir);
  if (v.dockerignore !== undefined) writeFileSync(join(ctxDir, '.dockerignore'), v.dockerignore);
  let text = isolateCacheMounts(v.dockerfile, ctx.suffix);
  if (ctx.stripSyntax) text = stripSyntaxDirective(text);
  ctx.ourCommands.push(...cacheMountRunCommands(text));
  const dockerfile = join(ctx.work, `${ctx.suffix}.Dockerfile`);
  writeFileSync(dockerfile, text);

  const build = async (step: keyof BenchTimings, noCache: boolean) => {
    const tag = `${ctx.tagBase}:${step.toLowerCase()}`;
    ctx.throwaways.tags.add(tag);
    ctx.progress(`${step} build...`);
    const r = await ctx.docker.build(
      { context: ctxDir, dockerfile, tag, noCache, platform: ctx.platform },
      (s) => ctx.step?.(`${v.name} ${step}: ${s}`),
    );
    ctx.progress(
      r.ok ? `${step}: ${r.seconds.toFixed(2)} s` : `${step}: FAILED after ${r.seconds.toFixed(1)} s`,
    );
    if (r.ok) timings[step] = r.seconds;
    return r;
  };

  const cold = await build('cold', true);
  if (!cold.ok) {
    out.error = `build failed: ${(cold.errorTail ?? '').split('\n').slice(-3).join(' | ')}`;
    return { variant: out, edits };
  }
  out.ok = true;
  if (ctx.inspect) await inspectImage(out, ctx);
  await build('noChange', false);
  const src: AppliedEdit = applySourceChange(ctxDir, ctx.mainDir, ctx.suffix);
  edits.sourceChange = src.description;
  await build('sourceChange', false);
  const dep = applyDependencyChange(ctxDir, ctx.project, ctx.suffix);
  edits.depChange = dep.description;
  const depResult = await build('depChange', false);
  if (!depResult.ok) out.notes.push('the dependency-change rebuild failed');
  return { variant: out, edits };
}

/** Size, the binary inside, verification and startup of the cold build's image. */
async function inspectImage(out: BenchVariant, ctx: VariantContext): Promise<void> {
  const coldTag = `${ctx.tagBase}:cold`;
  out.imageSize = ctx.docker.imageSize(coldTag);
  const binaryPath = entrypointPath(ctx.docker.imageConfig(coldTag));
  out.binaryPath = binaryPath;
  if (binaryPath) {
    const binary = ctx.docker.copyFileOut(coldTag, binaryPath, ctx.throwaways);
    if (binary) {
      out.binarySize = binary.length;
      out.overheadBytes = out.imageSize - binary.length;
      out.verification = await verifyImageBinary(binary, coldTag, ctx.docker, ctx.throwaways);
    } else out.notes.push(`could not read ${binaryPath} from the image`);
  }
  if (!ctx.platform || ctx.platform === `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`) {
    ctx.progress('starting the image...');
    const start = await probeStart(ctx.docker, ctx.throwaways, coldTag, ctx.project.ports);
    out.starts = start.starts;
    out.startDetail = start.detail;
    ctx.progress(`starts: ${start.starts ? 'yes' : 'NO'} (${start.detail})`);
  }
}

/** The binary an image runs: ENTRYPOINT[0], else CMD[0], resolved against WORKDIR. */
export function entrypointPath(config: {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
}): string | null {
  const first = config.Entrypoint?.[0] ?? config.Cmd?.[0];
  if (!first) return null;
  if (isShell(first)) return null;
  return posix.resolve(config.WorkingDir || '/', first);
}
