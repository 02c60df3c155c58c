/**
 * The daemonless build, in the order ko does it:
 *   plan (plan.ts: project scan, main package, toolchain, refusals)
 *   → per platform, at once: resolve the base (base-image.ts), run go (go-binary.ts), assemble the
 *     image (assemble.ts: layers, config, manifest)
 *   → an index over several platforms.
 * Everything lands in a content-addressed blob store; writing it somewhere (OCI layout,
 * docker-archive, engine, registry) is the job of the outputs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atInterrupt } from '../core/interrupt.js';
import { trace } from '../core/trace.js';
import { once, usableCacheDir } from '../env/cache-dir.js';
import type { GoToolchain } from '../env/go-toolchains.js';
import type { BaseChoice } from '../oci/base-choice.js';
import type { ProjectModel } from '../project/model.js';
import { assembleImage, type BuiltImage, binaryLayer, type LayerSink, sharedLayers } from './assemble.js';
import type { TzChoice } from './auto-base.js';
import type { ImageBase } from './base-image.js';
import { BlobStore, type Descriptor, jsonBytes, MEDIA } from './blobs.js';
import { verifyCgoBase } from './cgo.js';
import { gitRevision } from './git-info.js';
import { binaryTarget, buildBinary } from './go-binary.js';
import { warmUpGzip } from './gzip-blocks.js';
import { imageIndex } from './image-config.js';
import { LayerCache } from './layer-cache.js';
import { type OutputSlot, pruneSlots } from './output-slot.js';
import { type BuildOptions, type BuildPlan, planBuild } from './plan.js';
import { formatPlatformName, type Platform } from './platform.js';
import { GZIP_LEVEL } from './tar.js';

export type { BuiltImage } from './assemble.js';
export { type BuildOptions, sourceDateEpoch } from './plan.js';

export interface BuildResult {
  name: string;
  tag: string;
  store: BlobStore;
  images: BuiltImage[];
  /** The image index, when several platforms were built. */
  index?: Descriptor;
  /** What a reference names: the index, or the single manifest. */
  top: Descriptor;
  toolchain: GoToolchain;
  base: { kind: BaseChoice['kind']; ref?: string; caBundle: string | null; tz: TzChoice; tags: string[] };
  created: string;
  revision?: string;
  project: ProjectModel;
  mainPackage: string;
  dispose(): Promise<void>;
}

/** The build's temporary directory and blob store, and the cache when it can be used. */
interface Workspace {
  workDir: string;
  store: BlobStore;
  sink: LayerSink;
  cacheRoot?: string;
  cache?: LayerCache;
  warn: (text: string) => void;
  /** Keeps an output slot until the build is disposed: its binary is read until then. */
  hold(slot: OutputSlot): void;
  /** Removes the temporary directory and gives up the output slots. */
  dispose(): void;
}

function openWorkspace(options: BuildOptions, epoch: number): Workspace {
  const warn = once(options.warn ?? (() => {}));
  const workDir = mkdtempSync(join(tmpdir(), 'goimg-build-'));
  const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
  const forget = atInterrupt(removeWorkDir);
  const store = new BlobStore(options.storeDir ?? join(workDir, 'blobs'));
  const cacheRoot = options.cacheDir ? usableCacheDir(options.cacheDir, warn) : undefined;
  const cache = cacheRoot ? new LayerCache(cacheRoot, warn) : undefined;
  const held: OutputSlot[] = [];
  return {
    workDir,
    store,
    sink: { mtime: epoch, blobDir: store.root, ...(cache ? { cache } : {}) },
    ...(cacheRoot ? { cacheRoot } : {}),
    ...(cache ? { cache } : {}),
    warn,
    hold: (slot) => held.push(slot),
    dispose() {
      for (const slot of held.splice(0)) slot.release();
      forget();
      removeWorkDir();
    },
  };
}

/** The base for `platform`, when it is an image (not auto, not scratch). */
async function resolveBase(
  choice: BaseChoice,
  platform: Platform,
  store: BlobStore,
): Promise<ImageBase | undefined> {
  if (choice.kind === 'auto' || choice.kind === 'scratch') return undefined;
  const { resolveImageBase } = await import('./base-image.js');
  return resolveImageBase(choice, platform, store);
}

/** One platform: base, go, layers, config, manifest. */
async function buildPlatform(
  plan: BuildPlan,
  platform: Platform,
  ws: Workspace,
  options: BuildOptions,
  background: { shared: ReturnType<typeof sharedLayers>; git: ReturnType<typeof gitRevision> },
): Promise<BuiltImage> {
  const log = options.log ?? (() => {});
  const base = await resolveBase(options.base, platform, ws.store);
  const target = binaryTarget(plan, platform, ws.workDir, ws.cacheRoot, ws.warn);
  if (target.slot) ws.hold(target.slot);
  const tc = plan.toolchain;
  const go = tc.switchTo ? `${tc.version}, fetching ${tc.switchTo} as go.mod asks` : tc.version;
  log(`go build ${plan.mainPackage} for ${formatPlatformName(platform)} (${go})`);
  const building = buildBinary(plan, platform, target);
  // While go runs: the blocks the slot's last binary layer can lend, and the compressor's threads.
  const lent = target.slot && ws.cache ? ws.cache.reusableBlocks(target.slot.dir) : undefined;
  lent?.catch(() => {});
  warmUpGzip(GZIP_LEVEL);
  const binary = await building;
  if (plan.cgo && base) await verifyCgoBase(binary.hostPath, base);
  const layer = await binaryLayer(plan, binary, ws.sink, lent, log);
  trace('build: binary layer');
  return assembleImage(
    plan,
    {
      platform,
      ...(base ? { base } : {}),
      shared: await background.shared,
      binary,
      binaryLayer: layer,
      git: await background.git,
    },
    ws.store,
  );
}

export async function buildImage(options: BuildOptions): Promise<BuildResult> {
  const plan = await planBuild(options);
  const ws = openWorkspace(options, plan.epoch);
  // Background work, settled before the temporary directory is removed: cache upkeep, git, and the
  // layers every platform shares. Marked handled now, so that a failing `go build` leaves no
  // unhandled rejection; awaited where they are used.
  const upkeep = ws.cache
    ? Promise.all([ws.cache.prune(), pruneSlots(ws.cacheRoot!)]).catch(() => {})
    : undefined;
  const git = gitRevision(plan.dir);
  const shared = sharedLayers(plan, ws.sink);
  shared.catch(() => {});
  const dispose = async () => {
    await Promise.allSettled([upkeep, shared]);
    ws.dispose();
  };
  try {
    // Every platform at once: go builds share the host's build cache safely, and one platform's
    // layer compresses while another's go links. All of them settle before an error is reported,
    // so no `go build` outlives goimg.
    const settled = await Promise.allSettled(
      plan.platforms.map((p) => buildPlatform(plan, p, ws, options, { shared, git })),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const images = settled.map((r) => (r as PromiseFulfilledResult<BuiltImage>).value);
    const index =
      images.length > 1
        ? ws.store.put(MEDIA.index, jsonBytes(imageIndex(images.map((i) => i.manifest))))
        : undefined;
    const { revision } = await git;
    return {
      name: plan.ref.name,
      tag: plan.ref.tag,
      store: ws.store,
      images,
      ...(index ? { index } : {}),
      top: index ?? images[0]!.manifest,
      toolchain: plan.toolchain,
      base: {
        kind: options.base.kind,
        ...(options.base.kind === 'image' ? { ref: options.base.ref } : {}),
        caBundle: plan.auto?.caBundle ?? null,
        tz: plan.auto?.tz ?? 'none',
        tags: plan.tags,
      },
      created: plan.created,
      ...(revision ? { revision } : {}),
      project: plan.project,
      mainPackage: plan.mainPackage,
      dispose,
    };
  } catch (err) {
    await dispose();
    throw err;
  }
}
