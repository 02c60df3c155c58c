/**
 * `goimg build`: a daemonless, reproducible image build of a Go program, written as an OCI
 * layout, a docker-archive, into an engine, or pushed to a registry.
 */
import { existsSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type BuildResult, buildImage, sourceDateEpoch } from '../build/build.js';
import { writeOciLayout } from '../build/oci-layout.js';
import { formatPlatformName } from '../build/platform.js';
import { ExitCode, UsageError } from '../core/errors.js';
import { atInterrupt } from '../core/interrupt.js';
import { trace } from '../core/trace.js';
import { version } from '../core/version.js';
import { defaultCacheDir } from '../env/cache-dir.js';
import { parseDockerHost } from '../env/docker-host.js';
import { parseRegistryRef } from '../image/ref.js';
import type { PushResult } from '../registry/push.js';
import type { counts, VulnDb, VulnReport } from '../vuln/index.js';
import type { Command, CommandContext } from './command.js';
import { flagOption, listOption, parseBase, parseFailOn, parsePlatforms, stringOption } from './options.js';

export interface BuildReport {
  version: 1;
  name: string;
  tag: string;
  reference: string;
  digest: string;
  mediaType: string;
  toolchain: string;
  mainPackage: string;
  base: BuildResult['base'];
  created: string;
  revision?: string;
  images: {
    platform: string;
    digest: string;
    size: number;
    uncompressedSize: number;
    config: string;
    layers: { digest: string; size: number; mediaType: string }[];
    binary: { path: string; size: number; sha256: string; goBuildMillis: number };
    files: BuildResult['images'][number]['files'];
  }[];
  index?: { digest: string; size: number };
  outputs: { oci?: string; dockerArchive?: string; loaded?: string[]; sbom?: string };
  pushed?: PushResult;
  /** With --vuln: each platform's binary as `goimg vuln --format json` reports it. */
  vulnerabilities?: BuildVulns;
}

export interface BuildVulns {
  db: { source: string; modified: string };
  binaries: (VulnReport & { platform: string })[];
  summary: ReturnType<typeof counts>;
}

function parseCgo(value: string | undefined): 'auto' | 'on' | 'off' {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'on' || value === 'off') return value;
  throw new UsageError(`--cgo must be auto, on or off, got "${value}"`);
}

function words(values: string[]): string[] {
  return values.flatMap((v) => v.split(/\s+/)).filter((w) => w !== '');
}

export function buildReport(
  result: BuildResult,
  outputs: BuildReport['outputs'],
  pushed?: PushResult,
): BuildReport {
  const name = pushed ? pushed.repository : result.name;
  return {
    version: 1,
    name: result.name,
    tag: result.tag,
    reference: `${name}@${result.top.digest}`,
    digest: result.top.digest,
    mediaType: result.top.mediaType,
    toolchain: result.toolchain.version,
    mainPackage: result.mainPackage,
    base: result.base,
    created: result.created,
    ...(result.revision ? { revision: result.revision } : {}),
    images: result.images.map((i) => ({
      platform: formatPlatformName(i.platform),
      digest: i.manifest.digest,
      size: i.size,
      uncompressedSize: i.uncompressedSize,
      config: i.config.digest,
      layers: i.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
      binary: {
        path: i.binary.path,
        size: i.binary.size,
        // Passed on unread: the binary is hashed only when the report is printed as JSON.
        get sha256() {
          return i.binary.sha256;
        },
        goBuildMillis: i.binary.goBuildMillis,
      },
      files: i.files,
    })),
    ...(result.index ? { index: { digest: result.index.digest, size: result.index.size } } : {}),
    outputs,
    ...(pushed ? { pushed } : {}),
  };
}

/**
 * The base image's repository when it lives on the registry being pushed to: its layers can be
 * mounted across repositories instead of uploaded. `baseRef` is the --base text (keywords already
 * expanded); references to other transports or registries give none.
 */
export function mountSources(baseRef: string | undefined, target: string): string[] {
  if (!baseRef) return [];
  const text = baseRef.replace(/^docker:\/\//, '');
  if (/^[a-z-]+:(?!\d)/.test(text)) return []; // oci:, docker-archive:, docker-daemon:, ...
  try {
    const base = parseRegistryRef(text);
    const to = parseRegistryRef(target);
    return base.registry === to.registry && base.repository !== to.repository ? [base.repository] : [];
  } catch {
    return [];
  }
}

function kb(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;
}

/** The base's reference text: the --base value, keywords (distroless, ...) expanded. */
async function baseRefText(result: BuildResult): Promise<string | undefined> {
  const { kind } = result.base;
  if (kind === 'image') return result.base.ref;
  if (kind === 'auto' || kind === 'scratch') return undefined;
  return (await import('../build/base-image.js')).BASE_KEYWORD_REFS[kind];
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'daemonless, reproducible image of a Go program: OCI layout, docker-archive, engine, registry',
  usage:
    'goimg build [DIR] [--main ./cmd/x] [--base auto|scratch|distroless|IMAGE-REF] [--platform linux/amd64,linux/arm64]\n' +
    '            [--cgo auto|on|off] [--ldflags ...] [--tags ...] [--tag NAME:TAG] [--push docker://REG/NAME:TAG] [--insecure]\n' +
    '            [--oci DIR] [--docker-archive FILE] [--load] [--sbom FILE] [--ca-bundle FILE] [--format text|json]\n' +
    '            [--vuln [--vuln-db URL|DIR] [--offline] [--fail-on LEVEL]]',
  help: [
    'Runs `go build` on the host toolchain (CGO_ENABLED=0 -trimpath -ldflags="-s -w", per platform,',
    "reusing the host's build cache) and assembles the image in code: deterministic layers (sorted",
    'entries, fixed owners and modes, mtime from SOURCE_DATE_EPOCH or 0), so the same commit gives',
    'the same digest. Prints NAME@sha256:DIGEST.',
    '',
    'A .goreleaser.yml (or .ko.yaml) build gives the main package, binary, flags, tags, env and',
    'ldflags; -X version injection (goreleaser templates, a Makefile, the Dockerfile) is filled in',
    'from git (VERSION: git describe, COMMIT: HEAD, DATE: SOURCE_DATE_EPOCH or the commit date);',
    '{{.Os}} {{.Arch}} {{.Arm}} {{.Target}} (and ${TARGETOS} ${TARGETARCH} in --ldflags) are the platform built.',
    "go runs with the user's GOTOOLCHAIN (default auto): a newer go.mod fetches its Go as go would.",
    '',
    'Base (--base):',
    '  auto        (default) only what the program needs: /etc/passwd and /etc/group with nonroot',
    '              65532 (the image runs as it), /tmp, a CA bundle only for TLS clients, time zones',
    '              linked into the binary (-tags timetzdata) only when zones are loaded',
    '  scratch     nothing but the binary',
    '  distroless  gcr.io/distroless/static-debian12:nonroot',
    '  IMAGE-REF   any image: registry ref, oci:DIR[:TAG], docker-archive:FILE',
    '',
    'Options:',
    "  --main PKG            main package (default: the release build's, the only one, or the root)",
    '  --goreleaser-build ID the .goreleaser.yml (or .ko.yaml) build to follow when it has several',
    "  --platform LIST       comma list, e.g. linux/amd64,linux/arm64 (default: the release build's",
    '                        linux platforms, else this machine)',
    '  --cgo auto|on|off     auto refuses projects that need cgo; on needs a glibc --base',
    "  --ldflags FLAGS       extra linker flags after -s -w and the project's -X version injection",
    "                        (repeatable; a -X here wins over the project's)",
    '  --tags TAGS           build tags (repeatable or comma list)',
    '  --tag NAME[:TAG]      image name for the archive, the engine and the layout (default: binary name)',
    '  --oci DIR             write an OCI image layout',
    '  --docker-archive FILE write a tarball `docker load` accepts (one platform)',
    '  --load                load into the Docker engine at DOCKER_HOST (one platform)',
    '  --push docker://REF   push to a registry; --insecure for plain HTTP (loopback always allowed)',
    '  --sbom FILE           SPDX 2.3 JSON of the modules in the binary',
    '  --ca-bundle FILE      CA bundle to ship instead of the host one',
    '  --no-cache            do not use the layer cache (GOIMG_CACHE_DIR, default ~/.cache/goimg);',
    '                        the output is the same either way, only slower',
    '',
    '  --vuln                check the built binary against the Go vulnerability database, as',
    '                        `goimg vuln` does, before anything is written; a finding at --fail-on',
    '                        (default error: a vulnerable function is present) writes no image and',
    '                        exits 1. --vuln-db URL|DIR and --offline choose the database',
    '  --fail-on LEVEL       with --vuln: error|warning|info|never',
    '',
    'Runtime files: a goimg-data/ directory beside the main package goes to /app/data in its own layer.',
  ].join('\n'),
  formats: ['text', 'json'],
  options: {
    main: { type: 'string' },
    'goreleaser-build': { type: 'string' },
    base: { type: 'string' },
    platform: { type: 'string' },
    cgo: { type: 'string' },
    ldflags: { type: 'string', multiple: true },
    tags: { type: 'string', multiple: true },
    tag: { type: 'string', short: 't' },
    push: { type: 'string' },
    insecure: { type: 'boolean' },
    oci: { type: 'string' },
    'docker-archive': { type: 'string' },
    load: { type: 'boolean' },
    sbom: { type: 'string' },
    'ca-bundle': { type: 'string' },
    'no-cache': { type: 'boolean' },
    vuln: { type: 'boolean' },
    'vuln-db': { type: 'string' },
    offline: { type: 'boolean' },
    'fail-on': { type: 'string' },
  },
  async run(context) {
    return runBuild(context);
  },
};

/**
 * `--load` talks to the engine's API itself, over DOCKER_HOST's unix socket or tcp address; other
 * transports (ssh://, npipe://) are refused before anything is built.
 */
function checkLoadTarget(): void {
  try {
    parseDockerHost();
  } catch {
    throw new UsageError(
      `--load needs DOCKER_HOST to be unix:///PATH or tcp://HOST:PORT, not "${process.env.DOCKER_HOST}"`,
      'write a tarball with --docker-archive FILE and load it with `docker load -i FILE`, or forward the socket (ssh -L /tmp/docker.sock:/var/run/docker.sock HOST) and set DOCKER_HOST=unix:///tmp/docker.sock',
    );
  }
}

/**
 * Runs `write` into `path`; if goimg is interrupted meanwhile, a `path` this run created is removed
 * (a half-written archive or layout is worse than none).
 */
async function writeOutput<T>(path: string, write: () => T | Promise<T>): Promise<T> {
  const existed = existsSync(path);
  const forget = existed ? () => {} : atInterrupt(() => rmSync(path, { recursive: true, force: true }));
  try {
    return await write();
  } finally {
    forget();
  }
}

/** Each platform's binary, read where `go build` left it, checked against the database. */
async function checkBuilt(result: BuildResult, db: VulnDb): Promise<BuildVulns> {
  const { checkBinary, counts } = await import('../vuln/index.js');
  const binaries: BuildVulns['binaries'] = [];
  for (const i of result.images) {
    const report = await checkBinary(i.binary.hostPath, db, i.binary.path);
    binaries.push({ ...report, platform: formatPlatformName(i.platform) });
  }
  return { db: { source: db.source, modified: db.modified }, binaries, summary: counts(binaries) };
}

async function runBuild({ args, options, format, out, cwd }: CommandContext): Promise<number> {
  const cacheDir = flagOption(options, 'no-cache') ? undefined : defaultCacheDir();
  if (args.length > 1) throw new UsageError(`build takes one directory, got ${args.length} arguments`);
  const dir = resolve(cwd, args[0] ?? '.');
  const push = stringOption(options, 'push');
  if (push !== undefined && !push.startsWith('docker://')) {
    throw new UsageError(`--push takes docker://REGISTRY/NAME:TAG, got "${push}"`);
  }
  const oci = stringOption(options, 'oci');
  const archive = stringOption(options, 'docker-archive');
  const sbom = stringOption(options, 'sbom');
  const caBundle = stringOption(options, 'ca-bundle');
  const main = stringOption(options, 'main');
  const tag = stringOption(options, 'tag');
  const epoch = sourceDateEpoch();
  if (flagOption(options, 'load')) checkLoadTarget();
  // Outputs other than --oci load their modules only when asked for, and while `go build` runs.
  const pushing = push ? import('../registry/push.js') : undefined;
  const archiving = archive || flagOption(options, 'load') ? import('../build/engine-load.js') : undefined;
  const describing = sbom ? import('../build/sbom.js') : undefined;
  for (const p of [pushing, archiving, describing]) p?.catch(() => {});
  const vuln = flagOption(options, 'vuln');
  if (!vuln && (options['vuln-db'] !== undefined || options['fail-on'] !== undefined))
    throw new UsageError('--vuln-db and --fail-on need --vuln', 'goimg build --vuln --vuln-db DIR');
  const failOn = parseFailOn(stringOption(options, 'fail-on'));
  // Opened before `go build`, so an unreadable database fails fast.
  const vulnCli = vuln ? await import('./vuln.js') : undefined;
  const vulnDb = vulnCli ? await vulnCli.openDb(options, out) : undefined;
  trace('cli: build');
  const result = await buildImage({
    dir,
    ...(main ? { main } : {}),
    ...(stringOption(options, 'goreleaser-build')
      ? { releaseBuild: stringOption(options, 'goreleaser-build')! }
      : {}),
    base: parseBase(stringOption(options, 'base')),
    platforms: parsePlatforms(stringOption(options, 'platform')),
    onePlatform: Boolean(archive) || flagOption(options, 'load'),
    cgo: parseCgo(stringOption(options, 'cgo')),
    ldflags: words(listOption(options, 'ldflags')),
    tags: listOption(options, 'tags')
      .flatMap((t) => t.split(/[\s,]+/))
      .filter((t) => t !== ''),
    ...(tag ? { tag } : {}),
    ...(caBundle ? { caBundle: resolve(cwd, caBundle) } : {}),
    sourceDateEpoch: epoch,
    ...(cacheDir ? { cacheDir } : {}),
    log: (t) => out.note(t),
    warn: (t) => process.stderr.write(`${out.paint.yellow('warning:')} ${t}\n`),
  });
  trace('cli: image built');
  try {
    const vulns = vulnDb ? await checkBuilt(result, vulnDb) : undefined;
    if (vulns && format !== 'json') {
      const { dbLine, renderVulnReport } = await import('../vuln/index.js');
      for (const b of vulns.binaries)
        out.note(renderVulnReport({ ...b, file: `${b.platform} ${b.file}` }, out.paint).join('\n'));
      out.note(dbLine(vulns.db, out.paint));
    }
    if (vulns && vulnCli?.vulnsFail(vulns.binaries, failOn)) {
      // The JSON is then goimg vuln's report (vuln.schema.json): there is no image to describe.
      if (format === 'json') out.result(JSON.stringify({ version: 1, ...vulns }, null, 2));
      out.error(
        `build: known vulnerabilities at or above --fail-on ${failOn} in the built binary: no image was written`,
      );
      return ExitCode.Findings;
    }
    const outputs: BuildReport['outputs'] = {};
    if (oci) {
      await writeOutput(resolve(cwd, oci), () => writeOciLayout(result, resolve(cwd, oci)));
      trace('cli: oci written');
      outputs.oci = resolve(cwd, oci);
    }
    if (archive) {
      const { writeDockerArchive } = await import('../build/docker-archive.js');
      await writeOutput(resolve(cwd, archive), () =>
        writeDockerArchive(result, resolve(cwd, archive), epoch),
      );
      outputs.dockerArchive = resolve(cwd, archive);
    }
    if (flagOption(options, 'load')) {
      const { loadIntoEngine } = (await archiving)!;
      outputs.loaded = await loadIntoEngine(result, epoch);
    }
    if (sbom) {
      const { readBuildInfo, spdxForBinaries } = (await describing)!;
      const binaries = result.images.map((i) => ({
        platform: formatPlatformName(i.platform),
        info: readBuildInfo(result.toolchain, i.binary.hostPath),
      }));
      const doc = spdxForBinaries(binaries, {
        name: `${result.name}:${result.tag}`,
        created: result.created,
        namespaceKey: result.top.digest.replace('sha256:', ''),
        toolVersion: version(),
      });
      await writeOutput(resolve(cwd, sbom), () =>
        writeFile(resolve(cwd, sbom), `${JSON.stringify(doc, null, 2)}\n`),
      );
      outputs.sbom = resolve(cwd, sbom);
    }
    let pushed: PushResult | undefined;
    if (push) {
      trace('cli: push');
      const { pushBuild } = (await pushing)!;
      const target = push.slice('docker://'.length);
      const mountFrom = mountSources(await baseRefText(result), target);
      pushed = await pushBuild(result, target, {
        insecure: flagOption(options, 'insecure'),
        ...(mountFrom.length > 0 ? { mountFrom } : {}),
      });
      trace('cli: pushed');
    }
    const report = { ...buildReport(result, outputs, pushed), ...(vulns ? { vulnerabilities: vulns } : {}) };
    if (format === 'json') {
      out.result(JSON.stringify(report, null, 2));
    } else {
      for (const img of report.images) {
        out.note(
          `${img.platform}: ${kb(img.size)} compressed, ${kb(img.uncompressedSize)} unpacked; binary ${kb(img.binary.size)}`,
        );
        for (const f of img.files)
          if (f.kind !== 'binary') out.debug(`  ${f.path} (${kb(f.size)}): ${f.reason}`);
      }
      if (outputs.oci) out.note(`OCI layout: ${outputs.oci}`);
      if (outputs.dockerArchive) out.note(`docker-archive: ${outputs.dockerArchive}`);
      for (const l of outputs.loaded ?? []) out.note(l);
      if (outputs.sbom) out.note(`SBOM: ${outputs.sbom}`);
      if (pushed)
        out.note(
          `pushed ${pushed.reference}: ${pushed.uploaded} blobs uploaded, ${pushed.skipped} already there, ${pushed.mounted} mounted`,
        );
      out.result(report.reference);
    }
    return ExitCode.Clean;
  } finally {
    await result.dispose();
  }
}
