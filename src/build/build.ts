/**
 * The daemonless build: project scan → base decision → `go build` per platform → layers, config,
 * manifest (and an index for several platforms) in a content-addressed blob store. Writing the
 * result somewhere (OCI layout, docker-archive, engine, registry) is the job of the outputs.
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix, resolve } from 'node:path';
import type { BaseChoice } from '../cli/options.js';
import { UsageError } from '../core/errors.js';
import { trace } from '../core/trace.js';
import type { GoToolchain } from '../env/go-toolchains.js';
import type { ProjectModel } from '../project/model.js';
import { scanProject } from '../project/scan.js';
import { ASSETS_DIR_NAME, collectAssets } from './assets.js';
import { autoBase, type ImageFile, NONROOT_UID, type TzChoice } from './auto-base.js';
import type { ImageBase } from './base-image.js';
import { prepareRead, readWhole } from './binary-read.js';
import { BlobStore, type Descriptor, jsonBytes, MEDIA, sha256 } from './blobs.js';
import { cgoRefusal, verifyCgoBase } from './cgo.js';
import type { EarlyBuild } from './early-build.js';
import { gitRevision } from './git-info.js';
import type { GoInvocation } from './go-run.js';
import { chooseToolchain, goBuild } from './gobuild.js';
import { warmUpGzip } from './gzip-blocks.js';
import { imageConfig, imageIndex, imageManifest, isoTime } from './image-config.js';
import { cachedLayer, LayerCache } from './layer-cache.js';
import { formatPlatformName, hostPlatform, ociPlatform, type Platform } from './platform.js';
import { GZIP_LEVEL, type LayerEntry, type WrittenLayer } from './tar.js';

export interface BuildOptions {
  dir: string;
  /** Main package relative to dir ("./cmd/x"); chosen from the scan when absent. */
  main?: string;
  base: BaseChoice;
  platforms: Platform[];
  cgo: 'auto' | 'on' | 'off';
  ldflags: string[];
  tags: string[];
  /** NAME[:TAG] for the image; default: the binary's name, tag "latest". */
  tag?: string;
  /** CA bundle to ship instead of the host's. */
  caBundle?: string;
  /** Seconds since the epoch for every timestamp; default SOURCE_DATE_EPOCH or 0. */
  sourceDateEpoch?: number;
  /** Where blobs go; a temporary directory when absent (removed by dispose()). */
  storeDir?: string;
  /**
   * Persistent layer cache directory (see layer-cache.ts); none when absent. Output is the same
   * with or without it; with it, unchanged layers are not compressed again.
   */
  cacheDir?: string;
  /** Progress notes. */
  log?: (text: string) => void;
  /** A `go build` started before goimg loaded (bin/goimg.js), adopted if it is the right one. */
  earlyBuild?: EarlyBuild;
}

export interface BuiltImage {
  platform: Platform;
  manifest: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
  diffIds: string[];
  /** Compressed layers + config. */
  size: number;
  uncompressedSize: number;
  binary: { path: string; size: number; sha256: string; hostPath: string; goBuildMillis: number };
  files: ImageFile[];
}

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

export function sourceDateEpoch(explicit?: number): number {
  if (explicit !== undefined) return explicit;
  const env = process.env.SOURCE_DATE_EPOCH;
  if (env === undefined || env === '') return 0;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds, got "${env}"`);
  return n;
}

function chooseMain(model: ProjectModel, main?: string): string {
  if (main) return main.startsWith('.') ? main : `./${main}`;
  const mains = model.mainPackages;
  if (mains.length === 0)
    throw new UsageError(`no main package in ${model.root}`, 'point DIR at a Go program');
  if (mains.includes('.')) return '.';
  if (mains.length === 1) return `./${mains[0]}`;
  throw new UsageError(
    `${mains.length} main packages: ${mains.map((m) => `./${m}`).join(', ')}`,
    'choose one with --main ./cmd/NAME',
  );
}

function binaryName(model: ProjectModel, main: string): string {
  const dir = posix.normalize(main);
  if (dir !== '.') return posix.basename(dir);
  const module = model.goMod?.module ?? basename(model.root);
  const parts = module.split('/');
  const last = parts[parts.length - 1]!;
  return /^v\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2]! : last;
}

function splitTag(tag: string | undefined, fallbackName: string): { name: string; tag: string } {
  if (!tag) return { name: fallbackName, tag: 'latest' };
  const at = tag.lastIndexOf(':');
  const slash = tag.lastIndexOf('/');
  if (at > slash) return { name: tag.slice(0, at), tag: tag.slice(at + 1) };
  return { name: tag, tag: 'latest' };
}

interface PlatformBuild {
  image: BuiltImage;
  invocation: GoInvocation;
}

export async function buildImage(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? (() => {});
  const dir = resolve(options.dir);
  trace('build: scan');
  const project = await scanProject(dir);
  trace('build: scanned');
  const mainPackage = chooseMain(project, options.main);
  const name = binaryName(project, mainPackage);
  const ref = splitTag(options.tag, name);
  const epoch = sourceDateEpoch(options.sourceDateEpoch);
  const created = isoTime(epoch);
  const platforms = options.platforms.length > 0 ? options.platforms : [hostPlatform()];
  // Platforms build at once, each into its own output path: the same one twice would race itself.
  const names = platforms.map(formatPlatformName);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new UsageError(`--platform names ${twice} twice`);

  const cgo = options.cgo === 'on';
  if (options.cgo !== 'on') {
    const refusal = cgoRefusal(project, options.cgo);
    if (refusal) throw refusal;
  } else if (
    options.base.kind === 'auto' ||
    options.base.kind === 'scratch' ||
    options.base.kind === 'distroless'
  ) {
    throw new UsageError(
      `--cgo on needs a glibc base image, not --base ${options.base.kind}`,
      'give one with --base IMAGE-REF (e.g. debian:bookworm-slim), or run `goimg init` for a glibc Dockerfile',
    );
  }

  const toolchain = chooseToolchain(project.goMod?.go, project.goMod?.toolchain);
  const workDir = await mkdtemp(join(tmpdir(), 'goimg-build-'));
  const store = new BlobStore(options.storeDir ?? join(workDir, 'blobs'));
  const cache = options.cacheDir ? new LayerCache(options.cacheDir) : undefined;
  const layerOptions = { mtime: epoch, blobDir: store.root, ...(cache ? { cache } : {}) };
  // Cache upkeep while there is time (go runs meanwhile), not after go, when every ms shows.
  const tidying = cache ? cache.prune().catch(() => {}) : undefined;
  const dispose = async () => {
    await tidying;
    rmSync(workDir, { recursive: true, force: true });
  };

  // Work started in the background, settled before the temporary directory is removed.
  let background: Promise<unknown> = Promise.resolve();
  try {
    const auto =
      options.base.kind === 'auto'
        ? autoBase(project, {
            ...(options.caBundle ? { caBundle: options.caBundle } : {}),
            tags: options.tags,
          })
        : undefined;
    const tags = [...options.tags, ...(auto?.tags ?? [])];
    const mainDir = join(dir, mainPackage);
    const assets = collectAssets(join(mainDir, ASSETS_DIR_NAME));
    // Everything that does not need the binary runs while `go build` does: git, and the layers
    // shared by every platform (written once). Awaited later; marked handled now so a failing
    // `go build` does not leave an unhandled rejection behind.
    const gitInfo = gitRevision(dir);
    const shared = Promise.all([
      auto ? cachedLayer(auto.entries, layerOptions) : undefined,
      assets.entries.length > 0 ? cachedLayer(assets.entries, layerOptions) : undefined,
    ]);
    background = shared.catch(() => {});
    const labels: Record<string, string> = {
      'org.opencontainers.image.created': created,
      'org.opencontainers.image.title': name,
    };

    /** One platform's image, and the `go build` that made its binary. */
    const buildPlatform = async (platform: Platform): Promise<PlatformBuild> => {
      const pname = formatPlatformName(platform);
      const imageLabels = { ...labels };
      let base: ImageBase | undefined;
      if (options.base.kind !== 'auto' && options.base.kind !== 'scratch') {
        const { resolveImageBase } = await import('./base-image.js');
        base = await resolveImageBase(options.base, platform, store);
        imageLabels['org.opencontainers.image.base.name'] = base.ref;
        if (base.digest) imageLabels['org.opencontainers.image.base.digest'] = base.digest;
      }
      const buildFlags = { cgo, ldflags: options.ldflags, tags };
      const hostPath = cache
        ? await cache.outputPath(
            { dir, mainPackage, platform, goroot: toolchain.goroot, ...buildFlags },
            name,
          )
        : join(workDir, pname.replace(/\//g, '-'), name);
      log(`go build ${mainPackage} for ${pname} (${toolchain.version})`);
      trace('build: go build');
      let goDone = false;
      const building = goBuild(
        {
          toolchain,
          dir,
          main: mainPackage,
          platform,
          cgo,
          ldflags: options.ldflags,
          tags,
          output: hostPath,
        },
        options.earlyBuild,
      ).finally(() => {
        goDone = true;
      });
      building.catch(() => {}); // awaited below; handled now so that a quick failure is not "unhandled"
      // go runs now (or an early run has already ended: then it has settled after one turn of the
      // event loop). What follows pays off only while go runs, for a new binary; after a build
      // that did not relink it would only delay the cache hit.
      await new Promise((resolve) => setImmediate(resolve));
      // The blocks the last binary layer of this slot can lend, memory to read the binary into,
      // and the compressor's threads.
      const lent = cache && !goDone ? cache.reusableBlocks(dirname(hostPath)) : undefined;
      const readBuffer = cache && !goDone ? prepareRead(hostPath) : undefined;
      if (!goDone) warmUpGzip(GZIP_LEVEL);
      const built = await building;
      trace(`build: go build done in ${built.millis} ms${built.early ? ' (started early)' : ''}`);
      if (cgo && base) await verifyCgoBase(hostPath, base);
      // Read once and kept in memory for the layer (and the JSON report's sha256). Synchronously:
      // nothing else is running now, and one read beats a promise's chunked reads.
      const { bytes: binBytes, stat: binStat } = readWhole(hostPath, readBuffer);
      const binSize = binBytes.length;
      let binSha256: string | undefined;
      const binEntry: LayerEntry = {
        type: 'file',
        path: `app/${name}`,
        mode: 0o755,
        uid: 0,
        gid: 0,
        content: { kind: 'bytes', data: binBytes },
      };
      // The output directory is this build configuration's slot: the last binary layer written
      // there lends its unchanged gzip blocks to this one.
      const binLayer = await cachedLayer([binEntry], {
        ...layerOptions,
        // A relink renames a new file into place (a new inode): then it surely changed. (An
        // up-to-date output is only touched, so its mtime says nothing.)
        ...(cache ? { slot: dirname(hostPath), lent, hint: `${binStat.dev}:${binStat.ino}:${binSize}` } : {}),
      });
      if (binLayer.cached)
        log(`binary unchanged: layer ${binLayer.digest.slice(7, 19)} reused from the cache`);
      trace('build: binary layer');
      const [autoLayer, assetLayer] = await shared;
      const { revision, source } = await gitInfo;
      if (revision) imageLabels['org.opencontainers.image.revision'] = revision;
      if (source) imageLabels['org.opencontainers.image.source'] = source;

      const ours: { layer: WrittenLayer; createdBy: string }[] = [];
      if (autoLayer) {
        const parts = ['passwd', 'group', '/tmp'];
        if (auto?.caBundle) parts.push('ca-certificates');
        ours.push({ layer: autoLayer, createdBy: `goimg build: base auto (${parts.join(', ')})` });
      }
      if (assetLayer)
        ours.push({ layer: assetLayer, createdBy: `goimg build: ${ASSETS_DIR_NAME}/ → /app/data` });
      ours.push({
        layer: binLayer,
        createdBy: `goimg build: go build -trimpath -ldflags="-s -w" ${mainPackage} (${toolchain.version}, CGO_ENABLED=${cgo ? 1 : 0}${tags.length ? `, -tags ${tags.join(',')}` : ''})`,
      });

      const env = [...(auto?.env ?? []), ...(assetLayer ? ['GOIMG_DATA_DIR=/app/data'] : [])];
      const configDoc = imageConfig({
        platform,
        created,
        entrypoint: [`/app/${name}`],
        user: `${NONROOT_UID}:${NONROOT_UID}`,
        env,
        labels: imageLabels,
        ports: project.ports,
        ...(base ? { base: base.config } : {}),
        layers: ours.map((o) => ({ diffId: o.layer.diffId, createdBy: o.createdBy })),
      });
      const config = store.put(MEDIA.config, jsonBytes(configDoc));
      const baseLayers = base?.layers ?? [];
      const layers: Descriptor[] = [
        ...baseLayers.map((l) => l.descriptor),
        ...ours.map((o) => ({ mediaType: MEDIA.layerGzip, digest: o.layer.digest, size: o.layer.size })),
      ];
      const manifestBytes = jsonBytes(imageManifest(config, layers));
      const manifest = {
        ...store.put(MEDIA.manifest, manifestBytes),
        platform: ociPlatform(platform),
      };
      const uncompressedSize =
        baseLayers.reduce((s, l) => s + (l.uncompressedSize ?? 0), 0) +
        ours.reduce((s, o) => s + o.layer.uncompressedSize, 0);
      const files: ImageFile[] = [
        ...(base?.files ?? []),
        ...(auto?.files ?? []),
        ...assets.files,
        { path: `/app/${name}`, size: binSize, kind: 'binary', reason: `go build ${mainPackage}` },
      ];
      const image: BuiltImage = {
        platform,
        manifest,
        config,
        layers,
        diffIds: configDoc.rootfs.diff_ids,
        size: config.size + layers.reduce((s, l) => s + l.size, 0),
        uncompressedSize,
        binary: {
          path: `/app/${name}`,
          size: binSize,
          // Hashed only if asked for (JSON output): a rebuild's text output never needs it.
          get sha256() {
            binSha256 ??= sha256(binBytes);
            return binSha256;
          },
          hostPath,
          goBuildMillis: built.millis,
        },
        files,
      };
      return { image, invocation: built.invocation };
    };
    // Every platform at once: go builds share the host's build cache safely, and one platform's
    // layer compresses while another's go links. All of them settle before an error is reported,
    // so no `go build` outlives goimg.
    const settled = await Promise.allSettled(platforms.map(buildPlatform));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const results = settled.map((r) => (r as PromiseFulfilledResult<PlatformBuild>).value);
    const images = results.map((r) => r.image);
    // The plan to start early next time, one `go build` per platform (only builds into the cache's
    // stable output paths are worth starting early).
    if (cache) options.earlyBuild?.remember(results.map((r) => r.invocation));

    let index: Descriptor | undefined;
    if (images.length > 1)
      index = store.put(MEDIA.index, jsonBytes(imageIndex(images.map((i) => i.manifest))));
    const top = index ?? images[0]!.manifest;
    const { revision } = await gitInfo;
    return {
      name: ref.name,
      tag: ref.tag,
      store,
      images,
      ...(index ? { index } : {}),
      top,
      toolchain,
      base: {
        kind: options.base.kind,
        ...(options.base.kind === 'image' ? { ref: options.base.ref } : {}),
        caBundle: auto?.caBundle ?? null,
        tz: auto?.tz ?? 'none',
        tags,
      },
      created,
      ...(revision ? { revision } : {}),
      project,
      mainPackage,
      dispose,
    };
  } catch (err) {
    await background;
    await dispose();
    throw err;
  }
}
