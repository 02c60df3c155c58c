/**
 * The Go project model: what goimg knows about a Go project from its files alone (no Go
 * toolchain needed). Produced by `scanProject()` in src/project/scan.ts; consumed by audit
 * rules, the Dockerfile generator, the cache model and the daemonless builder.
 * Paths are relative to the project root, with forward slashes.
 */

export interface GoModReplace {
  oldPath: string;
  oldVersion?: string;
  /** Module path, or a local directory (starts with ./ or ../ or /). */
  newPath: string;
  newVersion?: string;
  /** True when newPath is a filesystem path. */
  local: boolean;
  /** 1-based line in go.mod / go.work. */
  line: number;
}

export interface GoModRequire {
  path: string;
  version: string;
  indirect: boolean;
  line: number;
}

export interface GoModFile {
  /** Relative path of the go.mod file. */
  file: string;
  module: string;
  /** The `go` directive, e.g. "1.21" or "1.22.3"; undefined when absent. */
  go?: string;
  /** The `toolchain` directive, e.g. "go1.23.1". */
  toolchain?: string;
  requires: GoModRequire[];
  replaces: GoModReplace[];
  excludes: { path: string; version: string }[];
  /** `retract` versions or intervals ("v1.0.0" or "[v1.0.0, v1.2.0]"). */
  retracts?: { version: string; line: number }[];
  /** `tool` directives (Go 1.24). */
  tools?: string[];
  /** 1-based lines of the module, go and toolchain directives, for findings. */
  moduleLine?: number;
  goLine?: number;
  toolchainLine?: number;
}

export interface GoWorkFile {
  file: string;
  go?: string;
  toolchain?: string;
  /** `use` directories, relative to the go.work file. */
  uses: string[];
  replaces: GoModReplace[];
  goLine?: number;
  toolchainLine?: number;
}

/** Why a package needs (or may use) cgo. */
export interface CgoEvidence {
  kind: 'import-c' | 'cgo-module' | 'net' | 'os-user';
  /** The Go package import path or directory where it was seen. */
  package: string;
  file: string;
  line: number;
  /** What was seen: the imported package ("net/http", "C") or the go.mod module path. */
  via?: string;
  /** import "C" in a package that also has a pure-Go (`!cgo`) fallback: cgo is used if on, not required. */
  optional?: boolean;
}

/** C code the build compiles (import "C", a cgo-only module), unlike the net and os/user lookups cgo only changes. */
export function compilesC(e: CgoEvidence): boolean {
  return e.kind === 'import-c' || e.kind === 'cgo-module';
}

/** A place in the source that shows a runtime need (CA bundle, zoneinfo) or a listening port. */
export interface SourceEvidence {
  /** Short machine-readable reason, e.g. "http-client", "https-url", "time.LoadLocation". */
  kind: string;
  /** The code or literal that was seen, e.g. `http.Get` or "https://api.example.com". */
  detail: string;
  file: string;
  line: number;
}

/** What one non-test Go file of a package contributes, kept so a build's own files can be chosen. */
export interface GoFileFacts {
  name: string;
  /** `//go:build` expression, when the file has one. */
  goBuild?: string;
  /** Old `// +build` lines, when the file has no //go:build. */
  plusBuild?: string[];
  /** False when the file needs a build tag the default build does not set (`//go:build sqlite`). */
  defaultBuild: boolean;
  imports: string[];
  cgo: CgoEvidence[];
  tls: SourceEvidence[];
  /** tls.Config seen: a CA need unless the package serves certificates. */
  tlsConfigOnly: SourceEvidence[];
  tlsServer: boolean;
  /** The file's TLS clients verify nothing or trust only roots it adds: its TLS use shows no CA need. */
  noSystemRoots?: boolean;
  tz: SourceEvidence[];
  /** The file imports time/tzdata. */
  tzdata: boolean;
  /** What in the file needs root in the container (a root-only call, an engine client). */
  root?: SourceEvidence[];
  /** What in the file runs the go command at run time (exec of go, go/packages' go list). */
  goTool?: SourceEvidence[];
  /** Files the program writes by a relative path: into its working directory. */
  writes?: SourceEvidence[];
}

export interface GoPackage {
  /** Directory relative to the project root ("." for the root). */
  dir: string;
  /** Import path when known (module path + dir). */
  importPath: string;
  name: string;
  /** Non-test .go files. */
  files: string[];
  imports: string[];
  /** `//go:embed` patterns. */
  embeds: string[];
  /** Module path of the go.mod that owns this directory, when there is one. */
  module?: string;
  /** `_test.go` files (not used for the program's needs). */
  testFiles?: string[];
  /** Per-file facts of the non-test files that build for linux with some set of tags. */
  fileFacts?: GoFileFacts[];
  /** The package belongs to a module the build compiles (the root module, go.work uses, local replaces). */
  inBuild?: boolean;
}

/** A vendored package, as a build that imports it sees it. */
export interface VendorPackage {
  imports: string[];
  cgo: CgoEvidence[];
}

export interface ProjectModel {
  root: string;
  goMod?: GoModFile;
  goWork?: GoWorkFile;
  hasGoSum: boolean;
  /** vendor/modules.txt present. */
  vendored: boolean;
  /** Directories holding `package main` (relative, "." for the root). */
  mainPackages: string[];
  packages: GoPackage[];
  /** cgo is required: `import "C"` in a non-test file, or a known cgo-only module. */
  cgoRequired: boolean;
  /** cgo would be used if enabled: net (DNS resolver), os/user, or import "C". */
  cgoEvidence: CgoEvidence[];
  /** The program makes TLS calls (crypto/tls, net/http client, https:// URLs): needs a CA bundle. */
  usesTls: boolean;
  /** The program loads time zones (time.LoadLocation, TZ) : needs zoneinfo. */
  loadsTimeZones: boolean;
  /** time/tzdata is imported (or -tags timetzdata is expected): zoneinfo embedded. */
  embedsTzdata: boolean;
  /**
   * The program reads what go build stamps from git (`"vcs.revision"` through
   * debug.ReadBuildInfo): the build needs .git. `modified`: it also reads whether the tree had
   * changes (`"vcs.modified"`), so files git tracks must be there too.
   */
  readsVcsStamp?: 'stamp' | 'modified';
  /** Port the service listens on when it can be told from the source (e.g. ":8080"). */
  ports: number[];
  /** Local replace targets (from go.mod and go.work), relative to the root. */
  localReplaceDirs: string[];
  /** Every go.mod under the root (the root's own first), nested modules and replace targets included. */
  modules?: GoModFile[];
  /** go.work `use` directories, relative to the root. */
  workUseDirs?: string[];
  /** Why usesTls is true (empty when false). */
  tlsEvidence?: SourceEvidence[];
  /** Why loadsTimeZones is true (empty when false). */
  timeZoneEvidence?: SourceEvidence[];
  /** Files the program opens by name at run time, relative to its working directory (`.env` for godotenv.Load). */
  runtimeFiles?: SourceEvidence[];
  /** Where each port in `ports` was found. */
  portEvidence?: (SourceEvidence & { port: number })[];
  /** `//go:embed` patterns made relative to the root (the files a build must see). */
  embedPaths?: string[];
  /** Modules listed in vendor/modules.txt, with the packages the build uses. */
  vendorModules?: { path: string; version?: string; packages: string[] }[];
  /** Vendored packages by import path: what each imports and its cgo evidence (for per-binary needs). */
  vendorPackages?: Map<string, VendorPackage>;
  /** Number of .go files read and the scan's wall time, for diagnostics. */
  stats?: { goFiles: number; bytes: number; millis: number };
}
