/**
 * The rule catalog: one table holding every rule's public metadata, shared by `goimg audit`
 * (Dockerfile, .dockerignore, go.mod) and `goimg image` (built images). Rule ids are a public
 * contract. Checks live in separate modules keyed by these ids; docs/rules.md is generated
 * from this table plus the checks' examples, so the documentation cannot drift.
 */
import type { Severity } from '../core/finding.js';

export type RuleCategory =
  | 'structure'
  | 'caching'
  | 'context'
  | 'layers'
  | 'binary'
  | 'runtime'
  | 'security'
  | 'parse';

/** Where a rule can fire: in source files (audit), in a built image, or both. */
export type RuleScope = 'source' | 'image' | 'both';

export interface RuleMeta {
  id: string;
  severity: Severity;
  category: RuleCategory;
  scope: RuleScope;
  /** One line, imperative or descriptive. */
  title: string;
  /** Why a user should care: the reason from the source articles. */
  why: string;
  /** Whether `goimg audit --fix` can repair it (in at least some cases). */
  fixable: boolean;
  /** The same check in other linters, so a team can switch off the duplicate in one of them. */
  sameAs?: SameAs;
}

/**
 * Rule ids of hadolint and of BuildKit's build checks (`docker build --check`) that flag the
 * same instruction for the same reason. Only true overlaps: a check that merely touches the
 * same instruction for another reason is not listed.
 */
export interface SameAs {
  hadolint?: readonly string[];
  buildkit?: readonly string[];
}

const DOCS_BASE = 'docs/rules.md';

export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE}#${id}`;
}

/**
 * How severities are chosen (a public contract, printed at the top of docs/rules.md). A rule
 * whose case is only advice may report a finding below its default severity, and says why.
 */
export const SEVERITY_POLICY: readonly { severity: Severity; meaning: string }[] = [
  {
    severity: 'error',
    meaning:
      'the build or the container will fail for certain: a libc the image lacks, a file the build reads excluded by .dockerignore, a Go version go.mod refuses, a shell-form command on an image without a shell.',
  },
  {
    severity: 'warning',
    meaning:
      'a real cost: image size, cache misses, running as root, an unpinned, floating or end-of-life base, credentials in the image.',
  },
  {
    severity: 'info',
    meaning:
      'advice that makes a good build better (strip flags, -trimpath, cache mounts, a syntax directive, a supported Go release), or a cost goimg cannot confirm from the files alone.',
  },
];

/** How findings are scoped (printed with the policy). */
export const FINDING_POLICY =
  'A finding is about what this build really reads and produces: the paths its COPY/ADD/mounts name, the packages its main package imports (not every file of the repository), the commands its RUN lines run. When goimg cannot tell, it says less, not more. One finding per cause, with a count and an example, never one per file.';

export const RULES: readonly RuleMeta[] = [
  // Parse
  {
    id: 'parse-error',
    severity: 'error',
    category: 'parse',
    scope: 'source',
    title: 'The file cannot be parsed',
    why: 'Docker would reject the file too; nothing else can be checked until it parses.',
    fixable: false,
  },
  // Structure and base images
  {
    id: 'single-stage',
    severity: 'warning',
    category: 'structure',
    scope: 'source',
    title: 'The final stage compiles Go or starts from a Go toolchain image',
    why: 'A single-stage build ships the whole toolchain (hundreds of MB) with the binary. Compile in a builder stage and copy only the binary into a small runtime stage. A final stage that compiles nothing and adds build tools to the toolchain (make, a C compiler, git) is a build environment whose program runs go, and is not flagged.',
    fixable: false,
  },
  {
    id: 'fat-runtime-base',
    severity: 'warning',
    category: 'structure',
    scope: 'source',
    title: 'The final stage starts from a full OS or toolchain image',
    why: 'A Go binary needs at most libc, CA certificates and time zone data; a full OS image adds size, CVEs and attack surface for nothing.',
    fixable: false,
  },
  {
    id: 'unpinned-base-image',
    severity: 'warning',
    category: 'structure',
    scope: 'source',
    title: 'Base image on a floating tag (none, :latest, :edge, golang:alpine, golang:1-alpine...)',
    why: 'A moving tag makes builds unreproducible and can change the Go or libc version under you; pin a release and update it deliberately.',
    fixable: true,
    sameAs: { hadolint: ['DL3006', 'DL3007'] },
  },
  {
    id: 'go-version-mismatch',
    severity: 'error',
    category: 'structure',
    scope: 'source',
    title: "The builder's Go is older than go.mod requires",
    why: "Go 1.21+ refuses a module whose go line is newer (the golang images set GOTOOLCHAIN=local), so the build fails; with GOTOOLCHAIN=auto it downloads that go inside the build (a warning), and before Go 1.21 the go line was advisory (a warning). A newer toolchain line alone is a suggestion (info). When the version is the default of an ARG that the project's own build files pass (--build-arg in a Makefile or script, a workflow's build-args, bake or compose args), only a plain docker build fails: a warning.",
    fixable: true,
  },
  {
    id: 'go-version-unsupported',
    severity: 'info',
    category: 'structure',
    scope: 'source',
    title: "The builder's Go release is out of upstream support",
    why: "Only the two newest Go releases get security fixes; older toolchains compile known vulnerabilities into the binary. Every golang stage that runs commands counts, whether it builds with go build, make, a script or go install. A version that is the default of an ARG the project's own build files pass is not judged: the images are built with the value passed.",
    fixable: false,
  },
  // Caching and ordering
  {
    id: 'source-before-deps',
    severity: 'warning',
    category: 'caching',
    scope: 'source',
    title: 'Source is copied before modules are downloaded',
    why: 'Any code change invalidates the layer that downloads dependencies, so every build downloads every module again. Copy go.mod and go.sum, run go mod download, then copy the source.',
    fixable: true,
  },
  {
    id: 'packages-after-source',
    severity: 'warning',
    category: 'caching',
    scope: 'source',
    title: 'System packages are installed after the source is copied',
    why: 'A layer is rebuilt when anything before it changes: installing packages after COPY . . runs the package manager again on every code change. Install them first; they change far less often than the code.',
    fixable: false,
  },
  {
    id: 'no-module-download-step',
    severity: 'warning',
    category: 'caching',
    scope: 'source',
    title: 'No module download step before the source copy',
    why: 'Dependencies are fetched inside go build, in the layer that every source change invalidates.',
    fixable: true,
  },
  {
    id: 'go-sum-not-copied',
    severity: 'error',
    category: 'caching',
    scope: 'source',
    title: 'go.mod is copied without go.sum, and go.sum is still missing when go build runs',
    why: 'A go command that loads packages (build, test, vet, install, run, list, mod vendor) needs go.sum next to go.mod and fails with "missing go.sum entry" without it. go mod download alone succeeds: it checks against the checksum database.',
    fixable: true,
  },
  {
    id: 'local-replace-missing',
    severity: 'error',
    category: 'caching',
    scope: 'source',
    title: 'A local replace target is not in the build before go mod download',
    why: 'go mod download reads replaced modules from disk; if their directory has not been copied (or lies outside the context), the download step fails.',
    fixable: false,
  },
  {
    id: 'no-go-cache-mount',
    severity: 'info',
    category: 'caching',
    scope: 'source',
    title: 'No BuildKit cache mounts for the module and build caches',
    why: 'Cache mounts keep downloaded modules and compiled packages across builds, so a one-line change recompiles one package instead of everything.',
    fixable: true,
  },
  {
    id: 'cache-mount-target-mismatch',
    severity: 'warning',
    category: 'caching',
    scope: 'source',
    title: "A cache mount's target is not the builder's GOMODCACHE/GOCACHE",
    why: 'Go writes its caches elsewhere, so the mount silently does nothing and every build is cold.',
    fixable: false,
  },
  {
    id: 'missing-syntax-directive',
    severity: 'info',
    category: 'caching',
    scope: 'source',
    title: 'BuildKit-only syntax without a # syntax directive',
    why: 'Without `# syntax=docker/dockerfile:1` the engine uses its built-in frontend, which may not know the features used.',
    fixable: true,
  },
  {
    id: 'emulated-cross-build',
    severity: 'info',
    category: 'caching',
    scope: 'source',
    title: 'Multi-platform build compiles Go under emulation',
    why: "Without --platform=$BUILDPLATFORM on the builder, each target platform runs the Go compiler under QEMU, often 5-20x slower; Go cross-compiles natively with GOOS/GOARCH. A build targets several platforms when the Dockerfile uses TARGETARCH/TARGETPLATFORM or the project's build files build it with several (--platform in a Makefile or script, a workflow's platforms:, bake's platforms).",
    fixable: true,
  },
  // Context
  {
    id: 'missing-dockerignore',
    severity: 'warning',
    category: 'context',
    scope: 'source',
    title: 'No .dockerignore',
    why: 'Everything in the directory (.git, build outputs, test data, secrets) is sent to the builder and can bust the COPY cache. When every COPY, ADD and bind mount names its context paths (no COPY . .), BuildKit sends only those: only what a .dockerignore would leave out of them counts, and nothing to leave out is nothing to report.',
    fixable: true,
  },
  {
    id: 'dockerignore-gaps',
    severity: 'info',
    category: 'context',
    scope: 'source',
    title: '.dockerignore lets through files the build does not need',
    why: 'VCS data, build outputs, test data, editor folders and secrets make the context larger and invalidate COPY layers when they change. Only what BuildKit sends counts: a build that names its context paths sends only those.',
    fixable: false,
  },
  {
    id: 'dockerignore-excludes-needed',
    severity: 'error',
    category: 'context',
    scope: 'source',
    title: '.dockerignore excludes a file the build copies',
    why: 'The COPY fails or, worse, the build silently uses a different file. git run on an excluded .git inside a command (`-X main.version=$(git describe)`) prints nothing: the build succeeds with an empty version stamp (a warning).',
    fixable: false,
    sameAs: { buildkit: ['CopyIgnoredFile'] },
  },
  // Layers
  {
    id: 'cleanup-in-later-layer',
    severity: 'warning',
    category: 'layers',
    scope: 'source',
    title: 'Files are removed in a later layer, or package caches are left behind',
    why: 'A layer is immutable: deleting in a later RUN hides the files but the image still carries them. Clean up in the same RUN that created them.',
    fixable: false,
    sameAs: { hadolint: ['DL3009', 'DL3019'] },
  },
  {
    id: 'copy-source-missing',
    severity: 'error',
    category: 'structure',
    scope: 'source',
    title: 'COPY names project files that are not in the build context',
    why: 'A build context is the only directory a build can read. When the command line or the project build files send a subdirectory of the project, and COPY names go.mod, go.sum or Go packages of the project root, the Dockerfile was written for the root as context: the build stops with "not found".',
    fixable: false,
  },
  {
    id: 'arg-out-of-scope',
    severity: 'warning',
    category: 'structure',
    scope: 'source',
    title: 'A RUN reads an ARG its stage never declared',
    why: 'An ARG declared before the first FROM belongs to the FROM lines: a stage sees it only after declaring it again (`ARG NAME`). Until then the shell sees $NAME empty, so a GOARCH, a version stamp or a tag made from it is silently blank and the build still succeeds. BuildKit checks this for the other instructions, not for RUN.',
    fixable: false,
  },
  {
    id: 'copy-from-missing',
    severity: 'error',
    category: 'structure',
    scope: 'source',
    title: 'COPY --from names a path the stage never writes',
    why: 'A stage holds what its base, its COPY steps and its commands put there. When none of them writes the path a later COPY --from names (a go build without -o names its program after the module, not after the directory), the build stops with "not found". The same holds for a program written inside a cache mount, and for a go install that cross-compiles on the build platform: it writes to /go/bin/<os>_<arch>/, so a copy of /go/bin/NAME fails for every target but the build machine (a warning: a builder with a native node per platform does not cross-compile).',
    fixable: false,
  },
  {
    id: 'apt-install-recommends',
    severity: 'info',
    category: 'layers',
    scope: 'source',
    title: 'apt installs recommended packages in the shipped image',
    why: 'apt-get install also installs the packages each package recommends (documentation, optional tools and libraries), often more than the ones asked for. --no-install-recommends installs only what they depend on.',
    fixable: false,
    sameAs: { hadolint: ['DL3015'] },
  },
  {
    id: 'chmod-in-later-layer',
    severity: 'warning',
    category: 'layers',
    scope: 'source',
    title: 'A later RUN changes the mode or owner of a copied program',
    why: 'A layer records every file it changes whole: chmod or chown of a program an earlier COPY or ADD put in the image stores it twice. COPY and ADD set both as they copy (--chmod, --chown).',
    fixable: false,
  },
  {
    id: 'cmd-repeats-entrypoint',
    severity: 'warning',
    category: 'runtime',
    scope: 'source',
    title: 'CMD starts with the program the ENTRYPOINT already runs',
    why: 'The container runs ENTRYPOINT followed by CMD, so a CMD that names the program again passes that name as the first argument: a command-line parser (cobra, urfave/cli) stops with an unknown command, and the flag package stops reading flags at it, ignoring those after. CMD should hold only the arguments.',
    fixable: true,
  },
  {
    id: 'entrypoint-without-exec',
    severity: 'warning',
    category: 'runtime',
    scope: 'source',
    title: 'The entrypoint script starts the program without exec',
    why: 'A shell that is PID 1 and sets no trap ignores SIGTERM and does not pass it on: docker stop waits out its grace period and kills the program. Under tini (without -g) the shell alone gets the signal and exits, and the program is killed with it. Either way it never shuts down cleanly; exec puts the program in place of the shell.',
    fixable: true,
  },
  {
    id: 'add-instead-of-copy',
    severity: 'info',
    category: 'layers',
    scope: 'source',
    title: 'ADD used for local files',
    why: 'ADD also unpacks archives and fetches URLs; COPY does only what it says.',
    fixable: true,
    sameAs: { hadolint: ['DL3020'] },
  },
  {
    id: 'whole-tree-in-final',
    severity: 'warning',
    category: 'layers',
    scope: 'source',
    title: 'The final stage copies a whole source tree or module cache from the builder',
    why: 'Only the binary (and its data files) belongs in the runtime image.',
    fixable: false,
  },
  // Binary
  {
    id: 'cgo-not-disabled',
    severity: 'warning',
    category: 'binary',
    scope: 'source',
    title: 'go build without CGO_ENABLED=0 in a builder with a C compiler',
    why: 'cgo is on by default when gcc is present; net and os/user then link libc dynamically and the binary no longer runs on scratch, distroless/static or alpine.',
    fixable: true,
  },
  {
    id: 'libc-mismatch',
    severity: 'error',
    category: 'binary',
    scope: 'source',
    title: 'The binary links a libc the runtime image does not have',
    why: 'The kernel cannot find the dynamic loader and the container dies with "exec ...: no such file or directory". C code compiled on a newer glibc than the runtime image has (a golang image on Debian 13 shipped on Debian 12) may need symbols the older one lacks: "GLIBC_2.38 not found" (advice, at info).',
    fixable: true,
  },
  {
    id: 'cgo-required-static-base',
    severity: 'error',
    category: 'binary',
    scope: 'source',
    title: 'The shipped program needs cgo but the runtime base has no libc',
    why: 'A cgo binary needs the C library and its loader at run time; use a glibc base (distroless/base, debian-slim) or link fully statically. A binary built outside the Dockerfile (make, a script, a prebuilt release) may be linked statically where goimg cannot see: a warning, not an error.',
    fixable: false,
  },
  {
    id: 'no-strip-flags',
    severity: 'info',
    category: 'binary',
    scope: 'source',
    title: 'go build without -ldflags="-s -w"',
    why: 'The symbol table and DWARF debug info are typically 25-30% of a Go binary and are not needed at run time. A debugger build (-gcflags "all=-N -l") keeps them on purpose and is not flagged.',
    fixable: true,
  },
  {
    id: 'single-arch-binary',
    severity: 'warning',
    category: 'binary',
    scope: 'source',
    title: 'A multi-platform build compiles the program for the wrong CPU',
    why: 'Each platform of a multi-platform build gets its own image, but go build compiles for GOARCH alone: a fixed GOARCH, or none in a builder running on the build platform, puts the same architecture in every image, and the others stop with exec format error. GOOS and GOARCH come from the TARGETOS and TARGETARCH build arguments; for linux/arm/v6 and v5, GOARM from TARGETVARIANT too, since a cross-compile builds ARMv7 code unless told. A prebuilt program copied from the context by a path that names no platform is one binary for all of them.',
    fixable: false,
  },
  {
    id: 'no-trimpath',
    severity: 'info',
    category: 'binary',
    scope: 'source',
    title: 'go build without -trimpath',
    why: 'Build paths leak into the binary and make builds irreproducible across machines. A debugger build (-gcflags "all=-N -l") needs them to find its sources and is not flagged.',
    fixable: true,
  },
  {
    id: 'x-flag-unknown-package',
    severity: 'warning',
    category: 'binary',
    scope: 'source',
    title: '-ldflags -X names a package the build does not have',
    why: 'The linker ignores -X for a symbol of a package that is not in the program, without a word: the version, commit or date the build means to stamp never reaches the binary. -X needs the full import path (github.com/acme/app/internal/version.Version); only package main is named by its name.',
    fixable: false,
  },
  {
    id: 'upx-packed',
    severity: 'warning',
    category: 'binary',
    scope: 'both',
    title: 'The binary is (or is made) UPX-packed',
    why: 'UPX costs start-up time and memory, is flagged by scanners, hides build info from SBOM tools and go version -m, removes pprof symbols, and is flaky on arm64. Use -ldflags="-s -w" and drop bloated dependencies instead.',
    fixable: false,
  },
  {
    id: 'go-vulnerability',
    severity: 'error',
    category: 'binary',
    scope: 'image',
    title: 'A Go binary contains a function with a known vulnerability',
    why: "The Go vulnerability database lists the binary's Go release or one of its modules as affected, and the vulnerable function is in the binary's function table (only with --vuln). An advisory whose function is not linked is reported at info.",
    fixable: false,
  },
  // Runtime
  {
    id: 'runs-as-root',
    severity: 'warning',
    category: 'runtime',
    scope: 'both',
    title: 'The container runs as root',
    why: 'A compromised process has root in the container and more leverage against the host; a Go service rarely needs it. A program that needs root by design is not flagged: one that talks to the engine socket (an engine client library), or switches users, chroots or mounts (syscall or x/sys/unix).',
    fixable: true,
    sameAs: { hadolint: ['DL3002'] },
  },
  {
    id: 'shell-form-without-shell',
    severity: 'error',
    category: 'runtime',
    scope: 'both',
    title: 'Shell-form CMD/ENTRYPOINT on an image without /bin/sh',
    why: 'Shell form runs /bin/sh -c; scratch and distroless have no shell, so the container cannot start.',
    fixable: true,
  },
  {
    id: 'missing-ca-certificates',
    severity: 'warning',
    category: 'runtime',
    scope: 'both',
    title: 'TLS calls without a CA bundle in the image',
    why: 'Every HTTPS call fails with "x509: certificate signed by unknown authority".',
    fixable: false,
  },
  {
    id: 'missing-tzdata',
    severity: 'warning',
    category: 'runtime',
    scope: 'both',
    title: 'Time zones are loaded but no zoneinfo is available',
    why: 'time.LoadLocation fails with "unknown time zone" on images without /usr/share/zoneinfo unless time/tzdata is linked (-tags timetzdata).',
    fixable: false,
  },
  {
    id: 'missing-interpreter',
    severity: 'error',
    category: 'runtime',
    scope: 'image',
    title: "The entrypoint's dynamic loader is not in the image",
    why: 'The kernel cannot start the program: the container fails with "exec ...: no such file or directory" although the file exists.',
    fixable: false,
  },
  {
    id: 'missing-library',
    severity: 'error',
    category: 'runtime',
    scope: 'image',
    title: 'A shared library the entrypoint needs is not in the image',
    why: 'The loader stops with "error while loading shared libraries" before main runs.',
    fixable: false,
  },
  {
    id: 'toolchain-in-image',
    severity: 'warning',
    category: 'layers',
    scope: 'image',
    title: 'A Go toolchain or source tree is left in the final image',
    why: 'The toolchain is hundreds of MB the service never uses; it belongs in a builder stage.',
    fixable: false,
  },
  // Security
  {
    id: 'secrets-in-build-args',
    severity: 'warning',
    category: 'security',
    scope: 'source',
    title: 'ARG/ENV carries credentials',
    why: 'Build args and env are stored in the image history and config; use RUN --mount=type=secret (with GOPRIVATE for private modules).',
    fixable: false,
    sameAs: { buildkit: ['SecretsUsedInArgOrEnv'] },
  },
  {
    id: 'go-insecure',
    severity: 'warning',
    category: 'security',
    scope: 'source',
    title: 'Module checksum or TLS verification is turned off',
    why: 'GOINSECURE, GONOSUMDB, GOSUMDB=off and -insecure let a tampered module into the build unnoticed.',
    fixable: false,
  },
  {
    id: 'base-image-eol',
    severity: 'warning',
    category: 'security',
    scope: 'both',
    title: 'Base image release past its end of life',
    why: "An end-of-life release gets no security updates. A release that is the default of an ARG the project's own build files pass is not judged: the images are built with the value passed.",
    fixable: false,
  },
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function getRule(id: string): RuleMeta {
  const rule = BY_ID.get(id);
  if (!rule) throw new Error(`unknown rule id ${id}`);
  return rule;
}

export function hasRule(id: string): boolean {
  return BY_ID.has(id);
}
