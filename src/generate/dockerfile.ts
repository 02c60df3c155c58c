/**
 * The Dockerfile an expert would write for this project: a pure function of the project model.
 * Every non-obvious line carries a one-line comment with the reason (from the articles).
 */

import { InputError, UsageError } from '../core/errors.js';
import { formatPlatform, parsePlatforms } from '../oci/platform.js';
import { type GoPolicy, goBuilderPolicy } from '../project/go-policy.js';
import { unevaluatedNote } from '../project/goreleaser.js';
import type { ProjectModel } from '../project/model.js';
import type { BuildArg } from '../project/version-injection.js';
import { assetCopyLine, assetStageLines } from './asset-stage.js';
import type { GenerateOptions } from './options.js';
import { GOARM_COMMENT, GOARM_SHELL, platformArgs, platformShell } from './platform-fields.js';
import { CA_BUNDLE, GLIBC_RUNTIME_SUITE, planRuntime, type RuntimePlan, ZONEINFO } from './runtime.js';

/** The builder's real cache paths (golang image: GOPATH=/go, HOME=/root). */
export const GOMODCACHE = '/go/pkg/mod';
export const GOCACHE = '/root/.cache/go-build';
/** Where the binary lives in the final image. */
export const BINARY_PATH = '/app';

export interface BuildPlan {
  builderImage: string;
  goVersion: string;
  mainDir: string;
  binaryName: string;
  cgo: boolean;
  runtime: RuntimePlan;
  port?: number;
  /** Files the build copies from the context (for the .dockerignore check). */
  copiedPaths: string[];
}

export interface GeneratedDockerfile {
  dockerfile: string;
  plan: BuildPlan;
  notes: string[];
}

/** The builder's Go version by goimg's one policy (src/project/go-policy.ts). */
export function builderGoVersion(project: ProjectModel, options: GenerateOptions): GoPolicy {
  return goBuilderPolicy({
    // The generated build runs with GOWORK=off: go.mod alone says what Go it needs.
    go: project.goMod?.go,
    toolchain: project.goMod?.toolchain,
    ...(options.currentGo ? { current: options.currentGo } : {}),
    releases: options.goReleases,
    ...(options.goTableDate ? { tableDate: options.goTableDate } : {}),
  });
}

/** Main packages of the root module (a replace target's own commands are not candidates). */
function rootMains(project: ProjectModel): string[] {
  const owner = new Map(project.packages.map((p) => [p.dir, p.module]));
  return project.mainPackages.filter((d) => {
    const module = owner.get(d);
    return module === undefined || module === project.goMod?.module;
  });
}

export function chooseMain(project: ProjectModel, requested?: string): string {
  const normal = (d: string) => d.replace(/^\.\//, '').replace(/\/$/, '') || '.';
  const mains = rootMains(project);
  if (requested !== undefined) {
    const want = normal(requested);
    if (!mains.map(normal).includes(want)) {
      const list = mains.map((d) => (d === '.' ? '.' : `./${d}`)).join(', ');
      throw new UsageError(
        `--main ${requested}: no package main there`,
        `main packages found: ${list || 'none'}`,
      );
    }
    return want;
  }
  if (mains.length === 1) return normal(mains[0]!);
  if (mains.length === 0) {
    throw new InputError(
      `no package main in ${project.root}`,
      'goimg init builds a command; point it at a project with a main package',
    );
  }
  const list = mains.map((d) => (d === '.' ? '.' : `./${d}`)).join(', ');
  // The example is the package named like the module (./cmd/restic in .../restic), when one is.
  const module = moduleName(project);
  const named = mains.filter((d) => (d === '.' ? module : d.split('/').pop()) === module);
  const example = named.length === 1 ? named[0]! : mains[0]!;
  throw new UsageError(
    `several main packages (${list}): which one should the image run?`,
    `choose one with --main, e.g. --main ${example === '.' ? '.' : `./${example}`}`,
  );
}

/** The module path's last element, without a major-version suffix (`.../sftpgo/v2` → sftpgo). */
function moduleName(project: ProjectModel): string | undefined {
  const parts = (project.goMod?.module ?? '').split('/').filter(Boolean);
  if (parts.length > 1 && /^v\d+$/.test(parts[parts.length - 1]!)) parts.pop();
  return parts.pop();
}

function binaryNameFor(project: ProjectModel, mainDir: string): string {
  const fromDir = mainDir === '.' ? (project.goMod?.module ?? 'app') : mainDir;
  const name = fromDir.split('/').filter(Boolean).pop() ?? 'app';
  return name.replace(/^v\d+$/, 'app').replace(/[^A-Za-z0-9._-]/g, '-') || 'app';
}

function sourceUrl(module: string | undefined): string | undefined {
  if (!module) return undefined;
  const m = /^(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\/([^/]+)\/([^/]+)/.exec(module);
  return m ? `https://${m[1]}/${m[2]}/${m[3]}` : undefined;
}

const CONT = ' \\\n    ';

/** A word for a RUN shell line: quoted when it holds anything a shell would read. */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The shell command that gives a build argument its value from the checkout (Build line). */
function argFromGit(a: BuildArg): string {
  switch (a.role) {
    case 'version':
      return '$(git describe --tags --always --dirty | sed s/^v//)';
    case 'tag':
      return '$(git describe --tags --always)';
    case 'commit':
      return '$(git rev-parse HEAD)';
    case 'short-commit':
      return '$(git rev-parse --short HEAD)';
    case 'date':
      return '$(date -u +%Y-%m-%dT%H:%M:%SZ)';
    case 'commit-date':
      return '$(git log -1 --format=%cI)';
    case 'timestamp':
      return '$(date +%s)';
    case 'commit-timestamp':
      return '$(git log -1 --format=%ct)';
    case 'branch':
      return '$(git rev-parse --abbrev-ref HEAD)';
    default:
      return `$${a.name}`;
  }
}

/** An ARG default that says no value was given. */
function argPlaceholder(a: BuildArg): string {
  return a.role === 'version' || a.role === 'tag' ? 'dev' : 'unknown';
}

export function generateDockerfile(project: ProjectModel, options: GenerateOptions): GeneratedDockerfile {
  const notes: string[] = [];
  if (!project.goMod)
    throw new InputError(`no go.mod in ${project.root}`, 'goimg init needs a Go module (go mod init)');
  for (const p of options.platforms) {
    if (p.os !== 'linux')
      throw new UsageError(`--platform ${formatPlatform(p)}: only linux images are supported`);
  }
  const go = builderGoVersion(project, options);
  if (options.goVersion !== undefined) {
    const want = /^(\d+)\.(\d+)$/.exec(options.goVersion);
    if (!want) throw new UsageError(`--go must be MAJOR.MINOR like 1.23, got "${options.goVersion}"`);
    const need = goBuilderPolicy({
      go: project.goMod.go,
      toolchain: project.goMod.toolchain,
      releases: [],
    }).version;
    const [maj, min] = need.split('.').map(Number) as [number, number];
    if (Number(want[1]) < maj || (Number(want[1]) === maj && Number(want[2]) < min)) {
      throw new UsageError(`--go ${options.goVersion} is older than the Go ${need} that go.mod requires`);
    }
    go.version = options.goVersion;
    go.reason = `Go ${options.goVersion}, as --go asks`;
  }
  const release = options.release?.build;
  const releaseFile = options.release?.config?.file;
  const mainDir = chooseMain(project, options.main ?? release?.main);
  const binaryName = release?.binary ?? binaryNameFor(project, mainDir);
  if (release)
    notes.push(`${releaseFile}: following build ${release.id} (main, binary, flags, ldflags, tags, env)`);
  if (release && release.unevaluated.length > 0) notes.push(unevaluatedNote(releaseFile, release));
  const platforms =
    options.platforms.length > 0 || !release
      ? options.platforms
      : parsePlatforms(release.platforms.join(','));

  const releaseCgo = release?.env.CGO_ENABLED;
  const cgo =
    options.cgo === 'on' ||
    (options.cgo === 'auto' && (releaseCgo !== undefined ? releaseCgo === '1' : project.cgoRequired));
  if (options.cgo === 'off' && project.cgoRequired) {
    notes.push(
      '--cgo off although the source imports "C": the build fails unless those files have a !cgo fallback',
    );
  }
  // A cgo binary needs the glibc it was linked against, or newer: the builder names the Debian
  // release of the glibc runtimes (the plain golang tag follows Debian stable and moves with it).
  const builderImage = cgo ? `golang:${go.version}-${GLIBC_RUNTIME_SUITE}` : `golang:${go.version}`;
  const runtime = planRuntime(options.base, {
    cgo,
    caBundle: project.usesTls,
    zoneinfo: project.loadsTimeZones && !project.embedsTzdata,
  });
  notes.push(...runtime.notes);
  const port = options.port ?? project.ports[0];
  const localMods = project.localReplaceDirs.map((d) => d.replace(/^\.\//, '').replace(/\/$/, ''));
  const outside = localMods.filter((d) => d.startsWith('../') || d.startsWith('/'));
  if (outside.length > 0) {
    notes.push(
      `local replace targets outside the project (${outside.join(', ')}) are not in the build context: build from their common parent, or vendor them (go mod vendor)`,
    );
  }
  const inside = localMods.filter((d) => !outside.includes(d));
  const crossCompile = !cgo;
  if (cgo && platforms.length > 1) {
    notes.push(
      'cgo needs a C cross-compiler to cross-compile: the builder runs per target platform (emulated for foreign ones)',
    );
  }

  const L: string[] = [];
  if (options.syntaxDirective) L.push('# syntax=docker/dockerfile:1');
  L.push(
    `# Generated by goimg init for ${project.goMod.module} (${mainDir === '.' ? '.' : `./${mainDir}`}).`,
  );
  const platformFlag = platforms.length > 0 ? ` --platform ${platforms.map(formatPlatform).join(',')}` : '';
  const injection = options.release?.injection;
  const buildArgs = (injection?.args ?? []).map((a) => ` --build-arg ${a.name}=${argFromGit(a)}`).join('');
  L.push(
    platforms.length > 1
      ? `# Build: docker buildx build${platformFlag}${buildArgs} -t ${binaryName} .`
      : `# Build: DOCKER_BUILDKIT=1 docker build${platformFlag}${buildArgs} -t ${binaryName} .`,
  );
  for (const n of injection?.notes ?? []) notes.push(n);
  L.push('');
  const assetBuilds = (options.missingEmbeds ?? []).flatMap((m) =>
    m.producer?.kind === 'npm' ? [{ pattern: m.pattern, producer: m.producer }] : [],
  );
  for (const m of options.missingEmbeds ?? []) {
    if (m.producer?.kind !== 'npm') notes.push(`${m.why}; build it before docker build, or commit it`);
  }
  assetBuilds.forEach((a, i) => {
    L.push(...assetStageLines(a.producer, a.pattern, i));
  });
  L.push(`# Build stage: ${go.reason}.`);
  L.push('# This toolchain image never ships (multi-stage build).');
  if (crossCompile) {
    L.push('# --platform=$BUILDPLATFORM: compile natively and cross-compile with GOOS/GOARCH, no emulation.');
    L.push(`FROM --platform=$BUILDPLATFORM ${builderImage} AS build`);
  } else {
    L.push(
      '# cgo links against the C library of the platform it runs on, so this stage runs per target platform.',
    );
    L.push(
      `# Debian ${GLIBC_RUNTIME_SUITE}, as the runtime: linked against a newer glibc, the binary would not start there ("GLIBC_2.xx not found").`,
    );
    L.push(`FROM ${builderImage} AS build`);
  }
  L.push('WORKDIR /src');

  const copied: string[] = ['go.mod'];
  if (project.goWork) {
    notes.push('go.work found: the generated build uses go.mod only (GOWORK=off), as a release build should');
  }
  if (options.private.length > 0) {
    L.push('# Private modules: fetched directly, not through the public proxy and checksum database.');
    L.push(`ENV GOPRIVATE=${options.private.join(',')}`);
  }

  if (project.vendored) {
    L.push('# vendor/ holds the dependencies: nothing to download, go build reads them with -mod=vendor.');
  } else {
    // Dependencies first: these layers stay cached until go.mod/go.sum change (article: order from
    // rarely to often changing).
    L.push('# Dependency manifests before the source: the download below stays cached until they change.');
    if (project.hasGoSum) {
      L.push('COPY go.mod go.sum ./');
      copied.push('go.sum');
    } else {
      L.push('# No go.sum yet (standard library only); go.sum* picks it up once dependencies arrive.');
      L.push('COPY go.mod go.sum* ./');
    }
    if (inside.length > 0) {
      L.push('# Local replace targets must be present before go mod download, or it fails (article).');
      for (const dir of inside) {
        L.push(`COPY ${dir} ${dir}`);
        copied.push(dir);
      }
    }
    L.push('# Module cache mount: downloads survive go.mod changes. To debug downloads: go mod download -x');
    const mounts = [`--mount=type=cache,target=${GOMODCACHE}`];
    if (options.private.length > 0) {
      L.push('# Credentials from a build secret, never an ARG (ARG values stay in the image history):');
      L.push('#   docker build --secret id=netrc,src=$HOME/.netrc .');
      mounts.push('--mount=type=secret,id=netrc,target=/root/.netrc');
    }
    L.push(`RUN ${mounts.join(CONT)}${CONT}go mod download`);
  }
  L.push('# The source last: it changes most often.');
  L.push('COPY . .');
  copied.push('.');
  if (assetBuilds.length > 0) L.push('# The built assets, where //go:embed expects them.');
  assetBuilds.forEach((a, i) => {
    L.push(assetCopyLine(a.producer, i));
  });
  const fields = injection?.platformFields ?? [];
  const arm32 = crossCompile && platforms.some((p) => p.arch === 'arm');
  const targetArgs = ['TARGETOS', 'TARGETARCH', 'TARGETVARIANT'].filter(
    (a) => (crossCompile && a !== 'TARGETVARIANT') || platformArgs(fields, arm32).includes(a),
  );
  if (targetArgs.length > 0) L.push(`ARG ${targetArgs.join(' ')}`);

  const env: string[] = [];
  if (cgo) {
    L.push('# cgo is required (import "C"): CGO_ENABLED=1 links glibc, so the runtime base must have glibc.');
    env.push('CGO_ENABLED=1');
  } else {
    const seen = project.cgoEvidence.filter((e) => e.kind === 'net' || e.kind === 'os-user');
    const why =
      seen.length > 0 ? ` (${[...new Set(seen.map((e) => e.kind))].join(', ')} would pull in libc)` : '';
    L.push(`# CGO_ENABLED=0: a static binary with no libc or loader to need at runtime${why}.`);
    env.push('CGO_ENABLED=0', 'GOOS=$TARGETOS', 'GOARCH=$TARGETARCH');
  }
  if (project.goWork) env.push('GOWORK=off');
  for (const [k, v] of Object.entries(release?.env ?? {})) {
    if (!['CGO_ENABLED', 'GOOS', 'GOARCH'].includes(k)) env.push(`${k}=${shellWord(v)}`);
  }
  const ldflags = ['-s', '-w', ...(injection?.otherLdflags ?? [])];
  if (injection && injection.flags.length > 0) {
    L.push(
      `# Version injection taken from ${injection.source}; set it with --build-arg (see the Build line).`,
    );
    L.push(`ARG ${injection.args.map((a) => `${a.name}=${a.default ?? argPlaceholder(a)}`).join(' ')}`);
    for (const f of injection.flags) ldflags.push(`-X ${f.symbol}=${f.value}`);
  }
  const extraFlags = (release?.flags ?? []).filter((f) => f !== '-trimpath');
  L.push(
    '# -trimpath: no build paths in the binary; -s -w: no symbol table or DWARF (the real size win, not UPX).',
  );
  const tagFlag = release && release.tags.length > 0 ? ` -tags=${release.tags.join(',')}` : '';
  L.push(
    `# Build cache mount (${GOCACHE}, the builder's GOCACHE): a source change recompiles only what changed.`,
  );
  const buildMounts = [`--mount=type=cache,target=${GOCACHE}`];
  if (!project.vendored) buildMounts.unshift(`--mount=type=cache,target=${GOMODCACHE}`);
  const modFlag = project.vendored ? ' -mod=vendor' : '';
  const pkg = mainDir === '.' ? '.' : `./${mainDir}`;
  const derived = platformShell(fields);
  if (derived) L.push(...derived.comment);
  if (arm32) L.push(GOARM_COMMENT);
  const shell = [...(arm32 ? [GOARM_SHELL] : []), ...(derived ? [derived.shell] : [])];
  L.push(
    `RUN ${buildMounts.join(CONT)}${CONT}${shell.map((line) => `${line}${CONT}`).join('')}${env.join(' ')} go build${modFlag} -trimpath${extraFlags.map((f) => ` ${shellWord(f)}`).join('')}${tagFlag} -ldflags="${ldflags.join(' ')}" -o /out/${binaryName} ${pkg}`,
  );
  L.push('');

  L.push(`# Runtime: ${runtime.reason}.`);
  L.push(`FROM ${runtime.image}`);
  const labels = [`org.opencontainers.image.title="${binaryName}"`];
  const src = sourceUrl(project.goMod.module);
  if (src) labels.push(`org.opencontainers.image.source="${src}"`);
  if (runtime.image !== 'scratch') labels.push(`org.opencontainers.image.base.name="${runtime.image}"`);
  L.push(`LABEL ${labels.join(CONT)}`);
  if (runtime.copyCaBundle) {
    L.push('# TLS calls need the CA bundle; only this file, not a package manager.');
    L.push(`COPY --from=build ${CA_BUNDLE} ${CA_BUNDLE}`);
  }
  if (runtime.copyZoneinfo) {
    L.push('# time.LoadLocation reads zoneinfo (or build with -tags timetzdata to embed it).');
    L.push(`COPY --from=build ${ZONEINFO} ${ZONEINFO}`);
  }
  L.push('# Only the binary leaves the build stage.');
  L.push(`COPY --from=build /out/${binaryName} ${BINARY_PATH}`);
  if (runtime.nonrootBuiltin) {
    L.push('# nonroot (65532), as the base image defines it.');
  } else {
    L.push('# Not root: a numeric user needs no /etc/passwd.');
  }
  L.push('USER 65532:65532');
  if (port !== undefined) L.push(`EXPOSE ${port}`);
  else notes.push('no listening port found in the source: no EXPOSE (use --port)');
  L.push('# Exec form: the binary is PID 1 and receives SIGTERM; no shell needed.');
  L.push(`ENTRYPOINT ["${BINARY_PATH}"]`);

  return {
    dockerfile: `${L.join('\n')}\n`,
    plan: {
      builderImage,
      goVersion: go.version,
      mainDir,
      binaryName,
      cgo,
      runtime,
      port,
      copiedPaths: copied,
    },
    notes,
  };
}
