/**
 * What an audit rule sees: the parsed Dockerfile, the Go project in the build context, facts
 * about the build context, and derived facts computed once and shared by the rules.
 */

import { posix } from 'node:path';
import type { ContextInventory } from '../../context/inventory.js';
import { type GoBuild, type GoModStep, goCommands } from '../../dockerfile/go-commands.js';
import { scopeAt } from '../../dockerfile/instruction.js';
import type { DockerfileModel, Flag, Instruction, Span, Stage } from '../../dockerfile/model.js';
import { substitute, unquote } from '../../dockerfile/parse.js';
import type { Fix } from '../../fix/edit.js';
import type { ReleaseBuild } from '../../project/goreleaser.js';
import type { ProjectModel } from '../../project/model.js';
import type { ReleaseData } from '../../releases/types.js';
import { type BaseInfo, describeBase } from './base-images.js';

/** Facts about the build context; the engine fills them from src/context. */
export interface BuildContextInfo {
  /** The .dockerignore in effect (relative path and text), if any. */
  dockerignore?: { file: string; text: string };
  /** True when the .dockerignore excludes `path` (relative, forward slashes). */
  isExcluded(path: string): boolean;
  /** Bytes the context sends without a .dockerignore and with the suggested one. */
  size?: { bytes: number; files: number };
  suggestion?: { text: string; savedBytes: number };
  /** What the existing .dockerignore lets through (already cleared of what the build reads). */
  gaps?: {
    category?: string;
    what: string;
    pattern: string;
    bytes: number;
    files: number;
    /** Where it leaks: the top of each leaking tree, up to five (context-relative). */
    examples?: string[];
  }[];
  /** Every path of the context, sent or excluded, when the audit walked it. */
  inventory?: ContextInventory;
  /** The Go project's root relative to the context ("" when the same), if inside it. */
  projectDir?: string;
  /** Relative path of the context from the audited directory ("" when the same). */
  prefix: string;
  /**
   * Set when a release tool assembles the context itself (goreleaser's dockers: the prebuilt
   * binary and its extra_files in a directory of its own), so the checkout is not what is sent.
   */
  assembledBy?: string;
  /**
   * Set when the image is a GitHub Actions container action (its action.yml runs this
   * Dockerfile): GitHub runs it as root, as its documentation requires.
   */
  containerAction?: string;
  /**
   * Build argument names the project's own build files pass (`--build-arg NAME` in a Makefile or
   * script, a workflow's `build-args`, bake or compose `args`): an ARG default with such a name
   * is not what its images are built with.
   */
  passedArgs?: ReadonlySet<string>;
  /** Image names (no tag) the project's own build files build (`docker build -t`, compose). */
  builtImages?: ReadonlySet<string>;
  /** Image names (no tag) the project's workflows push (metadata-action images, build-push-action tags). */
  pushedImages?: ReadonlySet<string>;
  /** The builds of the project's goreleaser configurations (what its prebuilt binaries are). */
  releaseBuilds?: readonly Pick<ReleaseBuild, 'main' | 'tags' | 'binary'>[];
  /** Credential-named files (.npmrc, .env) COPY takes from the context, read (context path → text). */
  credentialFiles?: ReadonlyMap<string, string>;
  /** Entrypoint scripts the Dockerfile starts, found in the context (context path → text). */
  entrypointScripts?: ReadonlyMap<string, string>;
  /** Stages the project's compose files build to run as services. */
  serviceTargets?: ReadonlySet<string>;
  /** A compose file runs the project's image with root's privileges (privileged, NET_ADMIN, a TUN device). */
  runsPrivileged?: boolean;
  /** Images whose FROM line project files read by pattern (image name → those files). */
  fromReaders?: ReadonlyMap<string, readonly string[]>;
  /**
   * Set when the context is a directory inside the Go project that the command line or the
   * project's build files name for this Dockerfile: its path from the project root.
   */
  statedSubdirectory?: string;
  /**
   * Set with statedSubdirectory when that directory holds Go code of its own, so no project is
   * loaded: the files (go.mod, go.sum) the enclosing module has at its root.
   */
  moduleRootFiles?: string[];
  /** The platforms the project's build files build this Dockerfile for, when several. */
  targetPlatforms?: string[];
  /** The build files build other stages of this Dockerfile (--target) for several platforms, not this one. */
  otherStagesMultiPlatform?: boolean;
  /** The project's build files link Go binaries statically (`-extldflags "-static"`). */
  staticLink?: boolean;
  /**
   * Set when the build names every context path it reads (no `COPY . .`): BuildKit then sends
   * only these paths (their contents and parent directories), and the sizes above count only them.
   */
  sentPaths?: string[];
}

export interface AuditContext {
  /** The Dockerfile's path relative to the audited directory. */
  file: string;
  df: DockerfileModel;
  project?: ProjectModel;
  context: BuildContextInfo;
  now: Date;
  /** Go releases and base-image lifecycles, as loaded by the caller. */
  releases: ReleaseData;
  facts: Facts;
}

/** What a rule reports; the engine adds the rule id, severity, file and fixability. */
export interface RuleHit {
  message: string;
  /** Where in the Dockerfile; omitted for file-level findings (line 1). */
  span?: Span;
  /** A finding in another file (.dockerignore, go.mod) instead of the Dockerfile. */
  file?: string;
  line?: number;
  fix?: Fix;
  /** A lower severity than the rule's default, when this case is only advice. */
  severity?: 'info' | 'warning';
}

export type Check = (ctx: AuditContext) => RuleHit[];

export interface RuleModule {
  id: string;
  check: Check;
  examples: { bad: string; good: string };
  fixDescription?: string;
}

/** Derived facts, computed lazily and cached per audit. */
export class Facts {
  readonly df: DockerfileModel;
  private goCache = new Map<number, { builds: GoBuild[]; modSteps: GoModStep[] }>();
  private baseCache = new Map<number, BaseInfo>();
  private lineageCache = new Map<number, Stage[]>();
  private installedCache = new Map<number, string[]>();
  private workdirCache = new Map<number, { at: Map<Instruction, string | null>; end: string | null }>();
  private memo = new Map<string, unknown>();

  constructor(df: DockerfileModel) {
    this.df = df;
  }

  /** The stage a `--target` build stops at, when one is named. */
  target: Stage | undefined;

  /** The stage that becomes the image: the target, else the last one. */
  get finalStage(): Stage | undefined {
    return this.target ?? this.df.stages[this.df.stages.length - 1];
  }

  go(stage: Stage): { builds: GoBuild[]; modSteps: GoModStep[] } {
    let v = this.goCache.get(stage.index);
    if (!v) {
      v = goCommands(stage);
      this.goCache.set(stage.index, v);
    }
    return v;
  }

  /** The root image stage of `stage` (following FROM <stage> links). */
  root(stage: Stage): Stage {
    let s = stage;
    const seen = new Set<number>();
    while (s.parent !== undefined && !seen.has(s.index)) {
      seen.add(s.index);
      s = this.df.stages[s.parent]!;
    }
    return s;
  }

  /** What the stage's base image offers, plus what the stage (and its parents) install. */
  base(stage: Stage): BaseInfo {
    let v = this.baseCache.get(stage.index);
    if (!v) {
      const root = this.root(stage);
      v = { ...describeBase(root.image, root.scratch) };
      for (const s of this.lineage(stage)) {
        for (const pkg of this.installed(s)) {
          if (
            pkg === 'gcc' ||
            pkg === 'build-base' ||
            pkg === 'build-essential' ||
            pkg === 'musl-dev' ||
            pkg === 'clang'
          )
            v.cc = true;
          if (pkg === 'ca-certificates' || pkg === 'ca-certificates-bundle') v.caCerts = true;
          if (pkg === 'tzdata') v.tzdata = true;
        }
        if (recommendsCaBundle(s)) v.caCerts = true;
      }
      this.baseCache.set(stage.index, v);
    }
    return v;
  }

  /** Packages the stage installs (memoized installedPackages). */
  installed(stage: Stage): string[] {
    let v = this.installedCache.get(stage.index);
    if (!v) {
      v = installedPackages(stage);
      this.installedCache.set(stage.index, v);
    }
    return v;
  }

  /** Memoizes a derived value shared by several rules under `key`. */
  cached<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = compute();
    this.memo.set(key, v);
    return v;
  }

  /** The stage and its parent stages, root first. */
  lineage(stage: Stage): Stage[] {
    const hit = this.lineageCache.get(stage.index);
    if (hit) return hit;
    const out: Stage[] = [];
    let s: Stage | undefined = stage;
    const seen = new Set<number>();
    while (s && !seen.has(s.index)) {
      seen.add(s.index);
      out.unshift(s);
      s = s.parent !== undefined ? this.df.stages[s.parent] : undefined;
    }
    this.lineageCache.set(stage.index, out);
    return out;
  }

  /** Resolves a `--from` value to a stage (by name or index, global ARGs substituted), if it names one. */
  stageRef(from: string): Stage | undefined {
    const v = substitute(from, this.df.globalArgs).toLowerCase();
    const byName = this.df.stages.find((s) => s.name === v);
    if (byName) return byName;
    if (/^\d+$/.test(v)) return this.df.stages[Number(v)];
    return undefined;
  }

  /**
   * A path argument of `ins` resolved against `dir`: the ARG and ENV values in scope, then what
   * the base image sets (GOPATH in the golang images), as BuildKit expands them; null while a
   * variable or a command substitution is left, or a relative path meets an unknown `dir`.
   */
  resolve(dir: string | null, arg: string, ins: Instruction): string | null {
    let v = substitute(arg, scopeAt(ins));
    const stage = this.df.stages[ins.stage];
    const env = stage && v.includes('$') ? this.base(stage).env : undefined;
    if (env) v = substitute(v, env);
    if (v.includes('$') || v.includes('`')) return null;
    if (v.startsWith('/')) return abs('/', v);
    return dir === null ? null : abs(dir, v);
  }

  /** WORKDIR in effect before `ins`, through the stage's lineage ("/" when none; null when unknown). */
  workdirAt(ins: Instruction): string | null {
    const stage = this.df.stages[ins.stage];
    return stage ? (this.workdirs(stage).at.get(ins) ?? null) : null;
  }

  /** WORKDIR at the end of `stage`: where its container starts. */
  finalWorkdir(stage: Stage): string | null {
    return this.workdirs(stage).end;
  }

  private workdirs(stage: Stage): { at: Map<Instruction, string | null>; end: string | null } {
    const hit = this.workdirCache.get(stage.index);
    if (hit) return hit;
    const parent = stage.parent !== undefined ? this.df.stages[stage.parent] : undefined;
    let wd: string | null = parent && parent.index < stage.index ? this.workdirs(parent).end : '/';
    const at = new Map<Instruction, string | null>();
    for (const ins of stage.instructions) {
      at.set(ins, wd);
      if (ins.keyword === 'WORKDIR') wd = this.resolve(wd, ins.args[0]?.value ?? '/', ins);
    }
    const v = { at, end: wd };
    this.workdirCache.set(stage.index, v);
    return v;
  }

  /** Stages whose output reaches the final stage (the final stage, its parents, COPY --from sources). */
  shippedStages(): Stage[] {
    return this.cached('shippedStages', () => this.reachedStages(false));
  }

  /** Stages BuildKit runs to build the final stage: the shipped ones and those RUN --mount=from reads. */
  builtStages(): Stage[] {
    return this.cached('builtStages', () => this.reachedStages(true));
  }

  /** The final stage, its parents and the stages they copy from (and, with `mounts`, mount from), in order. */
  private reachedStages(mounts: boolean): Stage[] {
    const final = this.finalStage;
    if (!final) return [];
    const out = new Map<number, Stage>();
    const visit = (s: Stage): void => {
      if (out.has(s.index)) return;
      out.set(s.index, s);
      for (const p of this.lineage(s)) {
        out.set(p.index, p);
        for (const ins of p.instructions) {
          const refs =
            ins.keyword === 'COPY' || ins.keyword === 'ADD'
              ? [flagValue(ins, 'from')]
              : mounts
                ? ins.flags.filter((f) => f.name === 'mount').map((f) => f.options.from)
                : [];
          for (const ref of refs) {
            const src = ref ? this.stageRef(ref) : undefined;
            if (src && src.index < s.index) visit(src);
          }
        }
      }
    };
    visit(final);
    return [...out.values()].sort((a, b) => a.index - b.index);
  }

  /** Go builds whose binaries can reach the final image. */
  shippedBuilds(): GoBuild[] {
    return this.cached('shippedBuilds', () => this.shippedStages().flatMap((s) => this.go(s).builds));
  }

  /** Every Go build in the file. */
  allBuilds(): GoBuild[] {
    return this.cached('allBuilds', () => this.df.stages.flatMap((s) => this.go(s).builds));
  }
}

/** `p` resolved against `cwd`, normalised, without a trailing slash. */
export function abs(cwd: string, p: string): string {
  return posix.normalize(p.startsWith('/') ? p : posix.join(cwd, p)).replace(/\/+$/, '') || '/';
}

export function flagValue(ins: Instruction, name: string): string | undefined {
  return ins.flags.find((f) => f.name === name)?.value ?? undefined;
}

/**
 * Debian and Ubuntu packages whose dependencies, recommended packages included, are known and
 * never bring ca-certificates. apt installs recommended packages, and those of every dependency,
 * unless told not to: any other package (curl, git, a library that pulls libcurl) may bring it.
 */
const NO_CA_CLOSURE = new Set([
  'tzdata',
  'tini',
  'dumb-init',
  'gosu',
  'netbase',
  'procps',
  'bash',
  'locales',
  'jq',
  'sqlite3',
  'libsqlite3-0',
]);

/** An apt install in the stage that may bring ca-certificates in as a recommended package. */
function recommendsCaBundle(stage: Stage): boolean {
  return stage.instructions.some(
    (ins) =>
      ins.keyword === 'RUN' &&
      ins.commands.some((cmd) => {
        const words = cmd.words.map((w) => w.value);
        if ((words[0] !== 'apt-get' && words[0] !== 'apt') || !words.includes('install')) return false;
        if (words.some((w) => w === '--no-install-recommends' || /Install-Recommends/i.test(w))) return false;
        const packages = words.slice(words.indexOf('install') + 1).filter((w) => !w.startsWith('-'));
        return packages.some((w) => !NO_CA_CLOSURE.has(w.split('=')[0]!));
      }),
  );
}

/** Packages a stage installs with apk/apt-get/apt/yum/dnf/microdnf. */
export function installedPackages(stage: Stage): string[] {
  const out: string[] = [];
  for (const ins of stage.instructions) {
    if (ins.keyword !== 'RUN') continue;
    for (const cmd of ins.commands) {
      const name = cmd.words[0]?.value;
      if (
        name !== 'apk' &&
        name !== 'apt-get' &&
        name !== 'apt' &&
        name !== 'yum' &&
        name !== 'dnf' &&
        name !== 'microdnf'
      )
        continue;
      // The subcommand is the first word that is not an option (`apk --update add`, `apt-get -y install`).
      let k = 1;
      while (k < cmd.words.length && cmd.words[k]!.value.startsWith('-')) k++;
      const sub = cmd.words[k]?.value;
      if (name === 'apk' ? sub !== 'add' : sub !== 'install') continue;
      // A list in a variable (`apk add $PACKAGES`) names its packages once expanded.
      const scope = scopeAt(ins);
      for (k++; k < cmd.words.length; k++) {
        for (const v of substitute(cmd.words[k]!.value, scope).split(/\s+/))
          if (v !== '' && !v.startsWith('-')) out.push(v.split('=')[0]!);
      }
    }
  }
  return out;
}

/** Where a `--mount` puts its files (`target`, or its aliases `dst` and `destination`). */
export function mountTarget(f: Flag): string | undefined {
  return f.options.target ?? f.options.dst ?? f.options.destination;
}

/** A `--mount` of the build context: a bind mount (the default type) without `from=`. */
export function isContextMount(f: Flag): boolean {
  return f.name === 'mount' && (f.options.type ?? 'bind') === 'bind' && f.options.from === undefined;
}

/** A COPY/ADD source fetched from elsewhere (a URL, a git@ address), not read from the context. */
export function isRemoteSource(src: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(src) || src.startsWith('git@');
}

/** A context-relative path from a COPY source or bind mount source ("" for the root). */
export function contextRel(src: string): string {
  return posix.normalize(`/${src}`).replace(/\/+$/, '').slice(1);
}

/** A COPY or ADD that reads the build context (no --from). */
export function copiesFromContext(ins: Instruction): boolean {
  return (ins.keyword === 'COPY' || ins.keyword === 'ADD') && !ins.flags.some((f) => f.name === 'from');
}

/**
 * Where a COPY or ADD puts each literal source (globs, variables and URLs left out), the path as
 * written: inside the destination when it ends with / or takes several sources, else at it.
 */
export function copyPlacements(ins: Instruction): { source: string; path: string }[] {
  const { sources, dest } = copySources(ins);
  const into = dest.endsWith('/') || sources.length > 1;
  return sources
    .filter((src) => !/[*?[\]$]/.test(src) && !src.includes('://'))
    .map((src) => {
      const source = posix.normalize(src).replace(/^\.?\/+/, '');
      return { source, path: into ? posix.join(dest, posix.basename(source)) : posix.normalize(dest) };
    });
}

/** COPY/ADD sources (heredocs left out) and destination, as written. */
export function copySources(ins: Instruction): { sources: string[]; dest: string } {
  if (ins.exec === null && ins.argsText.trim().startsWith('[')) {
    try {
      const arr = JSON.parse(ins.argsText.trim()) as string[];
      return { sources: arr.slice(0, -1), dest: arr[arr.length - 1] ?? '' };
    } catch {
      // fall through to the plain form
    }
  }
  // BuildKit reads the words as a shell would: "https://…" is the URL without its quotes.
  const values = ins.args.filter((a) => !a.value.startsWith('<<')).map((a) => unquote(a.value));
  return { sources: values.slice(0, -1), dest: values[values.length - 1] ?? '' };
}

/** A platform argument in a path: BuildKit fills it with one name (amd64, linux). */
const PLATFORM_ARG =
  /\$\{(?:TARGET|BUILD)(?:OS|ARCH|VARIANT)(?:[:][-+][^}]*)?\}|\$(?:TARGET|BUILD)(?:OS|ARCH|VARIANT)\b/g;

/**
 * The context paths BuildKit sends for this Dockerfile, as its Dockerfile frontend decides them:
 * the sources of every COPY and ADD that reads the context (not --from, not a URL) and of every
 * bind mount of it, relative to the context (glob patterns kept). BuildKit then sends only those
 * paths, what is under them and their parent directories; `null` when it sends the whole
 * context (a source is the context itself, or one goimg cannot resolve); [] when nothing is read.
 * Every stage counts, built or not: a superset errs towards the whole context.
 */
export function followedContextPaths(df: DockerfileModel): string[] | null {
  const paths = new Set<string>();
  const add = (raw: string, ins: Instruction): boolean => {
    // A platform argument is one name (amd64, linux): any of them, as a glob. Any other
    // variable goimg cannot resolve may be anything below the directories written before it
    // (`dist/$NAME`: all of dist), and the whole context when nothing is.
    let value = substitute(raw, scopeAt(ins)).replace(PLATFORM_ARG, '*');
    if (value.includes('$')) {
      const segments = value.split('/');
      value = segments
        .slice(
          0,
          segments.findIndex((x) => x.includes('$')),
        )
        .join('/');
    }
    const clean = contextRel(value);
    // The root is the whole context (a pattern at the root, `*`, follows what it matches).
    if (clean === '') return false;
    paths.add(clean);
    return true;
  };
  for (const ins of df.instructions) {
    if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
      if (ins.flags.some((f) => f.name === 'from')) continue;
      for (const src of copySources(ins).sources) {
        if (ins.keyword === 'ADD' && isRemoteSource(src)) continue;
        if (!add(src, ins)) return null;
      }
    } else if (ins.keyword === 'RUN') {
      for (const f of ins.flags)
        if (isContextMount(f) && !add(f.options.source ?? f.options.src ?? '/', ins)) return null;
    }
  }
  return [...paths].sort();
}
