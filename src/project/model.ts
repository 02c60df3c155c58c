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
}

export interface GoWorkFile {
  file: string;
  go?: string;
  toolchain?: string;
  /** `use` directories, relative to the go.work file. */
  uses: string[];
  replaces: GoModReplace[];
}

/** Why a package needs (or may use) cgo. */
export interface CgoEvidence {
  kind: 'import-c' | 'cgo-module' | 'net' | 'os-user';
  /** The Go package import path or directory where it was seen. */
  package: string;
  file: string;
  line: number;
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
  /** Port the service listens on when it can be told from the source (e.g. ":8080"). */
  ports: number[];
  /** Local replace targets (from go.mod and go.work), relative to the root. */
  localReplaceDirs: string[];
}
