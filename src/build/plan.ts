/**
 * The first step of a build: from the options and the project's scan, what to build. Everything
 * that can be refused (no main package, cgo against the base, a platform named twice, a bad
 * SOURCE_DATE_EPOCH, no fitting Go toolchain) is refused here, before any `go build` runs.
 */
import { basename, join, posix, resolve } from 'node:path';
import { InputError, UsageError } from '../core/errors.js';
import { trace } from '../core/trace.js';
import type { GoToolchain } from '../env/go-toolchains.js';
import { missingEmbeds } from '../generate/generated-assets.js';
import { readReleaseInputs } from '../generate/release-inputs.js';
import type { BaseChoice } from '../oci/base-choice.js';
import { parsePlatforms } from '../oci/platform.js';
import { unevaluatedNote } from '../project/goreleaser.js';
import type { ProjectModel } from '../project/model.js';
import { scanProject } from '../project/scan.js';
import { ASSETS_DIR_NAME, collectAssets } from './assets.js';
import { type AutoBase, autoBase, type ImageFile } from './auto-base.js';
import { cgoRefusal } from './cgo.js';
import { chooseToolchain } from './gobuild.js';
import { isoTime } from './image-config.js';
import { formatPlatformName, hostPlatform, type Platform } from './platform.js';
import type { LayerEntry } from './tar.js';
import { injectionLdflags } from './version-args.js';

export interface BuildOptions {
  dir: string;
  /** Main package relative to dir ("./cmd/x"); chosen from the scan when absent. */
  main?: string;
  /** The .goreleaser.yml / .ko.yaml build to follow when there are several. */
  releaseBuild?: string;
  /** The outputs hold one platform (docker-archive, engine load): a release build's list narrows to one. */
  onePlatform?: boolean;
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
   * Persistent cache directory (layer-cache.ts, output-slot.ts); none when absent. Output is the
   * same with or without it; with it, unchanged layers are not compressed again and an unchanged
   * binary is not linked again.
   */
  cacheDir?: string;
  /** Progress notes. */
  log?: (text: string) => void;
  /** Problems with the cache, which the build goes on without (said once). */
  warn?: (text: string) => void;
}

/** What the options and the project say to build. */
export interface BuildPlan {
  dir: string;
  project: ProjectModel;
  /** "." or "./cmd/x". */
  mainPackage: string;
  /** The binary's name (its path in the image is /app/NAME). */
  binaryName: string;
  /** The image's name and tag. */
  ref: { name: string; tag: string };
  epoch: number;
  /** ISO time of `epoch`. */
  created: string;
  platforms: Platform[];
  cgo: boolean;
  /** Extra -ldflags words (after -s -w): the project's version injection, then --ldflags. */
  ldflags: string[];
  /** Extra go build flags and environment from the project's release build (goreleaser, ko). */
  goFlags: string[];
  goEnv: Record<string, string>;
  toolchain: GoToolchain;
  /** --tags plus what the auto base needs (timetzdata). */
  tags: string[];
  /** The files --base auto adds, when it is the base. */
  auto?: AutoBase;
  /** goimg-data/ beside the main package. */
  assets: { entries: LayerEntry[]; files: ImageFile[] };
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

/** cgo on, or refused: `--cgo on` needs a glibc base, `auto` refuses projects that need cgo. */
function decideCgo(project: ProjectModel, options: BuildOptions): boolean {
  if (options.cgo !== 'on') {
    const refusal = cgoRefusal(project, options.cgo);
    if (refusal) throw refusal;
    return false;
  }
  const kind = options.base.kind;
  if (kind === 'auto' || kind === 'scratch' || kind === 'distroless') {
    throw new UsageError(
      `--cgo on needs a glibc base image, not --base ${kind}`,
      'give one with --base IMAGE-REF (e.g. debian:bookworm-slim), or run `goimg init` for a glibc Dockerfile',
    );
  }
  return true;
}

/**
 * Without --platform: the release build's linux platforms, or the host's. An output that holds one
 * platform takes the host's when the release builds it, else the release's first.
 */
function releasePlatforms(listed: string[], one: boolean | undefined): Platform[] {
  const host = hostPlatform();
  const release = parsePlatforms(listed.join(','));
  if (release.length === 0) return [host];
  if (!one) return release;
  const same = release.find((p) => formatPlatformName(p) === formatPlatformName(host));
  return [same ?? release[0]!];
}

export async function planBuild(options: BuildOptions): Promise<BuildPlan> {
  const dir = resolve(options.dir);
  trace('build: scan');
  const project = await scanProject(dir);
  trace('build: scanned');
  const release = await readReleaseInputs(dir, {
    ...(options.main ? { main: options.main } : {}),
    ...(options.releaseBuild ? { build: options.releaseBuild } : {}),
  });
  const rb = release.build;
  for (const n of release.injection?.notes ?? []) options.log?.(`note: ${n}`);
  if (rb && rb.unevaluated.length > 0) options.log?.(`note: ${unevaluatedNote(release.config?.file, rb)}`);
  const mainPackage = chooseMain(
    project,
    options.main ?? (rb ? (rb.main === '.' ? '.' : `./${rb.main}`) : undefined),
  );
  const name = rb?.binary ?? binaryName(project, mainPackage);
  const epoch = sourceDateEpoch(options.sourceDateEpoch);
  const platforms =
    options.platforms.length > 0
      ? options.platforms
      : releasePlatforms(rb?.platforms ?? [], options.onePlatform);
  // Platforms build at once, each into its own output path: the same one twice would race itself.
  const names = platforms.map(formatPlatformName);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new UsageError(`--platform names ${twice} twice`);
  const cgo = decideCgo(project, options);
  const missing = missingEmbeds(project);
  if (missing.length > 0) {
    const producer = missing[0]!.producer;
    throw new InputError(
      missing.map((m) => m.why).join('\n'),
      producer?.kind === 'npm'
        ? `run ${producer.make ? `make ${producer.make}` : `npm run ${producer.script}${producer.dir === '.' ? '' : ` in ${producer.dir}/`}`} first, or use goimg init, whose Dockerfile builds the assets in a stage`
        : 'produce the files before goimg build, or commit them',
    );
  }
  const toolchain = chooseToolchain(project.goMod?.go, project.goMod?.toolchain);
  const tags = options.tags.length > 0 ? options.tags : (rb?.tags ?? []);
  const auto =
    options.base.kind === 'auto'
      ? autoBase(project, { ...(options.caBundle ? { caBundle: options.caBundle } : {}), tags })
      : undefined;
  // The project's -X flags first: a later --ldflags -X for the same variable wins, as in go.
  const injected = release.injection ? await injectionLdflags(release.injection, dir, epoch) : [];
  const goEnv = Object.fromEntries(
    Object.entries(rb?.env ?? {}).filter(([k]) => !['CGO_ENABLED', 'GOOS', 'GOARCH'].includes(k)),
  );
  return {
    dir,
    project,
    mainPackage,
    binaryName: name,
    ref: splitTag(options.tag, name),
    epoch,
    created: isoTime(epoch),
    platforms,
    cgo,
    ldflags: [...injected, ...options.ldflags],
    goFlags: (rb?.flags ?? []).filter((f) => f !== '-trimpath'),
    goEnv,
    toolchain,
    tags: [...tags, ...(auto?.tags ?? [])],
    ...(auto ? { auto } : {}),
    assets: collectAssets(join(dir, mainPackage, ASSETS_DIR_NAME)),
  };
}
