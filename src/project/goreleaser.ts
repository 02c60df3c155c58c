/**
 * `.goreleaser.y(a)ml` (schema v1 and v2) and `.ko.yaml`: the build a project already defines for
 * its releases (main package, binary, flags, ldflags, tags, env, platforms) and, for goreleaser,
 * the Dockerfiles its `dockers:` section builds from a prebuilt binary. `goimg init` and
 * `goimg build` start from the chosen build instead of guessing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { InputError, UsageError } from '../core/errors.js';

export interface ReleaseBuild {
  id: string;
  /** Main package directory relative to the root: "." or "cmd/x". */
  main: string;
  /** Binary name, when the config names one (templates other than ProjectName left out). */
  binary?: string;
  flags: string[];
  /** -ldflags words, templates as written. */
  ldflags: string[];
  tags: string[];
  env: Record<string, string>;
  /** linux/ARCH pairs the build targets ("linux/amd64"). */
  platforms: string[];
  /** Flags, tags and env entries left out: goreleaser templates goimg cannot evaluate there. */
  unevaluated: string[];
}

export interface ReleaseConfig {
  /** The file the builds come from (".goreleaser.yaml", ".ko.yaml"). */
  file: string;
  kind: 'goreleaser' | 'ko';
  /** goreleaser's project_name, used by {{.ProjectName}}. */
  projectName?: string;
  builds: ReleaseBuild[];
  /**
   * Dockerfiles goreleaser's dockers (and dockers_v2) sections build, relative to the root, with
   * the stage a `--target` flag names (its other stages are built with another context).
   */
  dockerfiles: { path: string; target?: string }[];
  /** ko's defaultBaseImage. */
  baseImage?: string;
}

const GORELEASER_FILES = ['.goreleaser.yml', '.goreleaser.yaml', 'goreleaser.yml', 'goreleaser.yaml'];

/** goreleaser's ldflags when a build sets none (its documented default). */
const GORELEASER_DEFAULT_LDFLAGS = [
  '-s',
  '-w',
  '-X',
  'main.version={{.Version}}',
  '-X',
  'main.commit={{.Commit}}',
  '-X',
  'main.date={{.Date}}',
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];

/** Splits flag text into words as a shell would for plain quoting ('a b', "a b"); templates stay whole. */
export function splitFlagWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  let template = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    // A goreleaser template ({{ .Version }}) is one word, blanks and all.
    if (text.startsWith('{{', i)) template++;
    else if (template > 0 && ch === '}' && text[i - 1] === '}') template--;
    if (template > 0 && !quote) {
      cur += ch;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      any = true;
    } else if (/\s/.test(ch)) {
      if (cur !== '' || any) words.push(cur);
      cur = '';
      any = false;
    } else cur += ch;
  }
  if (cur !== '' || any) words.push(cur);
  return words;
}

/** "./cmd/x", "cmd/x/main.go", "." → "cmd/x" or ".". */
function mainDir(main: string | undefined, dir: string | undefined): string {
  let m = main ?? '.';
  if (m.endsWith('.go')) m = posix.dirname(m);
  return posix.normalize(posix.join(dir ?? '.', m)).replace(/\/$/, '') || '.';
}

function linuxPlatforms(goos: string[], goarch: string[], defaults: string[]): string[] {
  const oses = goos.length > 0 ? goos : ['linux'];
  if (!oses.includes('linux')) return [];
  const arches = goarch.length > 0 ? goarch : defaults;
  return arches.map((a) => `linux/${a}`);
}

const TEMPLATE = /\{\{.*?\}\}/;

/** The entries without a goreleaser template; the others are named in `left`, with their field. */
function evaluable(list: string[], field: string, left: string[]): string[] {
  return list.filter((v) => {
    if (!TEMPLATE.test(v)) return true;
    left.push(`${field} "${v}"`);
    return false;
  });
}

function envOf(list: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of list) {
    const eq = e.indexOf('=');
    if (eq > 0) env[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return env;
}

/** What a build's unevaluated templates cost, said once by init and build. */
export function unevaluatedNote(file: string | undefined, build: ReleaseBuild): string {
  return `${file ?? 'release configuration'} build ${build.id}: left out ${build.unevaluated.join(', ')}: goimg evaluates goreleaser templates only in ldflags`;
}

/** A parsed goreleaser document (v1 or v2: the keys goimg reads are the same). */
export function goreleaserConfig(doc: unknown, file: string): ReleaseConfig {
  if (!isObj(doc)) throw new InputError(`${file}: not a goreleaser configuration (a YAML mapping)`);
  const projectName = typeof doc.project_name === 'string' ? doc.project_name : undefined;
  const rawBuilds = Array.isArray(doc.builds) ? doc.builds.filter(isObj) : [{}];
  const builds: ReleaseBuild[] = [];
  rawBuilds.forEach((b, i) => {
    if (b.skip === true || (typeof b.builder === 'string' && b.builder !== 'go')) return;
    const ldflagText = strings(b.ldflags);
    const unevaluated: string[] = [];
    builds.push({
      id:
        typeof b.id === 'string'
          ? b.id
          : rawBuilds.length === 1
            ? (projectName ?? 'default')
            : `build-${i + 1}`,
      main: mainDir(
        typeof b.main === 'string' ? b.main : undefined,
        typeof b.dir === 'string' ? b.dir : undefined,
      ),
      ...(typeof b.binary === 'string' ? { binary: b.binary } : {}),
      flags: evaluable(strings(b.flags).flatMap(splitFlagWords), 'flags', unevaluated),
      ldflags: b.ldflags === undefined ? GORELEASER_DEFAULT_LDFLAGS : ldflagText.flatMap(splitFlagWords),
      tags: evaluable(
        strings(b.tags)
          .flatMap((t) => (TEMPLATE.test(t) ? [t] : t.split(/[\s,]+/)))
          .filter(Boolean),
        'tags',
        unevaluated,
      ),
      env: envOf(evaluable(strings(b.env), 'env', unevaluated)),
      platforms: linuxPlatforms(strings(b.goos), strings(b.goarch), ['amd64', 'arm64', '386']),
      unevaluated,
    });
  });
  const dockerfiles = new Map<string, { path: string; target?: string }>();
  for (const d of [doc.dockers, doc.dockers_v2].flatMap((x) => (Array.isArray(x) ? x.filter(isObj) : []))) {
    const path = posix.normalize(typeof d.dockerfile === 'string' ? d.dockerfile : 'Dockerfile');
    const target = targetFlag([...strings(d.build_flag_templates), ...strings(d.flags)]);
    dockerfiles.set(`${path}\0${target ?? ''}`, target ? { path, target } : { path });
  }
  return {
    file,
    kind: 'goreleaser',
    ...(projectName ? { projectName } : {}),
    builds,
    dockerfiles: [...dockerfiles.values()],
  };
}

/** The stage a docker build's flags name (`--target=x`, or `--target` and `x`). */
function targetFlag(flags: readonly string[]): string | undefined {
  for (const [i, f] of flags.entries()) {
    const m = /^--target(?:=|\s+)(\S+)$/.exec(f.trim());
    if (m) return m[1];
    if (f.trim() === '--target') return flags[i + 1]?.trim();
  }
  return undefined;
}

/** A parsed .ko.yaml: builds (id, main, flags, ldflags, env) and defaultBaseImage. */
export function koConfig(doc: unknown, file: string): ReleaseConfig {
  if (!isObj(doc)) throw new InputError(`${file}: not a ko configuration (a YAML mapping)`);
  const defaults = strings(doc.defaultPlatforms)
    .filter((p) => p.startsWith('linux/'))
    .map((p) => p.slice('linux/'.length));
  const builds = (Array.isArray(doc.builds) ? doc.builds.filter(isObj) : []).map((b, i) => {
    const unevaluated: string[] = [];
    return {
      id: typeof b.id === 'string' ? b.id : `build-${i + 1}`,
      main: mainDir(
        typeof b.main === 'string' ? b.main : undefined,
        typeof b.dir === 'string' ? b.dir : undefined,
      ),
      flags: evaluable(strings(b.flags).flatMap(splitFlagWords), 'flags', unevaluated),
      ldflags: strings(b.ldflags).flatMap(splitFlagWords),
      tags: [],
      env: envOf(evaluable(strings(b.env), 'env', unevaluated)),
      platforms: defaults.map((a) => `linux/${a}`),
      unevaluated,
    };
  });
  return {
    file,
    kind: 'ko',
    builds,
    dockerfiles: [],
    ...(typeof doc.defaultBaseImage === 'string' ? { baseImage: doc.defaultBaseImage } : {}),
  };
}

/** The project's goreleaser configuration, else its .ko.yaml, else undefined. */
export async function readReleaseConfig(root: string): Promise<ReleaseConfig | undefined> {
  const found =
    GORELEASER_FILES.find((f) => existsSync(join(root, f))) ??
    (existsSync(join(root, '.ko.yaml')) ? '.ko.yaml' : undefined);
  return found ? parseReleaseFile(root, found) : undefined;
}

/**
 * Every goreleaser configuration of the project: the usual names at the root and the variants
 * kept in a `.goreleaser/` folder (which CI passes with --config), for what the audit learns
 * about prebuilt binaries.
 */
export async function readReleaseConfigs(root: string): Promise<ReleaseConfig[]> {
  const found = GORELEASER_FILES.filter((f) => existsSync(join(root, f)));
  let variants: string[] = [];
  try {
    variants = readdirSync(join(root, '.goreleaser'))
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort()
      .map((f) => posix.join('.goreleaser', f));
  } catch {
    // No such folder.
  }
  const out: ReleaseConfig[] = [];
  for (const f of found) out.push(await parseReleaseFile(root, f));
  for (const f of variants) {
    try {
      out.push(await parseReleaseFile(root, f));
    } catch {
      // A variant goimg cannot read teaches nothing; the project's own file is still checked.
    }
  }
  return out;
}

async function parseReleaseFile(root: string, file: string): Promise<ReleaseConfig> {
  // Loaded only for projects that have such a file.
  const { parseYaml } = await import('./yaml-text.js');
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(join(root, file), 'utf8'));
  } catch (err) {
    throw new InputError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return file === '.ko.yaml' ? koConfig(doc, file) : goreleaserConfig(doc, file);
}

/**
 * The build to follow: the one --goreleaser-build names, else the one for --main, else the only
 * one. Several with nothing to choose by is a question for the user.
 */
export function chooseReleaseBuild(
  config: ReleaseConfig,
  id: string | undefined,
  main: string | undefined,
): ReleaseBuild | undefined {
  const ids = config.builds.map((b) => b.id).join(', ');
  if (id !== undefined) {
    const b = config.builds.find((x) => x.id === id);
    if (!b)
      throw new UsageError(
        `--goreleaser-build ${id}: no such build in ${config.file}`,
        `builds: ${ids || 'none'}`,
      );
    return b;
  }
  if (main !== undefined) {
    const want = posix.normalize(main.replace(/^\.\//, '')).replace(/\/$/, '') || '.';
    return config.builds.find((b) => b.main === want);
  }
  if (config.builds.length <= 1) return config.builds[0];
  throw new UsageError(
    `${config.file} defines ${config.builds.length} builds (${ids}): which one should the image hold?`,
    `choose one with --goreleaser-build ${config.builds[0]!.id} (or --main)`,
  );
}
