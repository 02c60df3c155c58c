/**
 * What a project's own build files (Makefiles, scripts, CI workflows, bake, compose and
 * goreleaser configs) say about its docker builds:
 * - the build arguments they pass, by name: a Dockerfile's ARG default with one of these names is
 *   not what the project's images are built with (`ARG GO_VERSION=1.20` with `--build-arg
 *   GO_VERSION=1.23` in the Makefile), so what the default alone implies is not certain;
 * - the images they build and name (`docker build -t base`, a compose service with `build:` and
 *   `image: base`): a `FROM base` elsewhere is the project's own image, not a registry's;
 * - the Dockerfiles they build for several platforms (`--platform linux/amd64,linux/arm64`, a
 *   workflow's `platforms:`, bake's `platforms = [...]`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { pathMatchRegExp } from './path-match.js';

const NAME = '([A-Za-z_][A-Za-z0-9_]*)';
// `--build-arg NAME=v`, `--build-arg=NAME`, `"--build-arg", "NAME="+v` (a Go or Python list).
const FLAG = new RegExp(`--build-arg(?:=|[\\s"',]+)["']?${NAME}`, 'g');
const ARG_ITEM = new RegExp(`^\\s*(?:-\\s*)?["']?${NAME}=`);
// Compose's map form too: `NAME: value`.
const ARG_ENTRY = new RegExp(`^\\s*(?:-\\s*)?["']?${NAME}["']?\\s*[=:]`);
const CSV_ITEM = new RegExp(`(?:^|[\\s,])["']?${NAME}=`, 'g');

/** Names in the lines indented under `key:` (a YAML block) or inline after it. */
function yamlBlock(lines: string[], key: RegExp, item: RegExp, into: Set<string>): void {
  for (let i = 0; i < lines.length; i++) {
    const m = key.exec(lines[i]!);
    if (!m) continue;
    const indent = m[1]!.length;
    const inline = m[2]!.replace(/^[|>][-+]?/, '').trim();
    for (const item of inline.matchAll(CSV_ITEM)) into.add(item[1]!);
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      if (depthOf(line) <= indent) break;
      const m = item.exec(line);
      if (m) into.add(m[1]!);
    }
  }
}

/** The build argument names one build file passes (`path` decides how its blocks are read). */
export function buildArgsIn(path: string, text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(FLAG)) names.add(m[1]!);
  const lines = text.split(/\r?\n/);
  const file = path.toLowerCase();
  if (/\.ya?ml$/.test(file)) {
    // GitHub's docker/build-push-action and most CI build steps.
    yamlBlock(lines, /^(\s*)-?\s*build[-_]args:(.*)$/, ARG_ITEM, names);
    // Compose files: `build: args:` as a map or a list.
    if (/compose/.test(file)) yamlBlock(lines, /^(\s*)args:(.*)$/, ARG_ENTRY, names);
  }
  if (file.endsWith('.hcl')) {
    // Bake: `args = { NAME = "v" }`, one per line or inline.
    for (let i = 0; i < lines.length; i++) {
      const open = /\bargs\s*=\s*\{(.*)$/.exec(lines[i]!);
      if (!open) continue;
      let body = open[1]!;
      for (let j = i + 1; !body.includes('}') && j < lines.length; j++) body += `\n${lines[j]}`;
      for (const m of body
        .slice(0, body.indexOf('}') < 0 ? undefined : body.indexOf('}'))
        .matchAll(new RegExp(`["']?${NAME}["']?\\s*=`, 'g')))
        names.add(m[1]!);
    }
  }
  return names;
}

// `docker build ... -t NAME[:TAG]` (buildx and podman too); lines joined at backslashes first.
const BUILD_CMD = /\b(?:docker|podman)\s+(?:buildx\s+)?build\b[^\n;&|]*/g;
const TAG_FLAG = /(?:^|\s)(?:-t|--tag)(?:=|\s+)["']?([a-z0-9][a-z0-9._/-]*(?::\d+\/[a-z0-9._/-]+)?)/g;

/** Image names (no tag) one build file builds. */
export function imagesBuiltIn(path: string, text: string): Set<string> {
  const names = new Set<string>();
  for (const cmd of text.replace(/\\\r?\n/g, ' ').matchAll(BUILD_CMD))
    for (const m of cmd[0].matchAll(TAG_FLAG)) names.add(m[1]!);
  const file = path.toLowerCase();
  if (/compose.*\.ya?ml$/.test(file)) {
    // A service with both `build:` and `image: NAME` builds NAME.
    let services = -1; // depth of the `services:` key, while inside it
    let service = -1; // depth of the service keys
    let builds = false;
    let image: string | undefined;
    const close = () => {
      if (builds && image) names.add(image.replace(/:[^/:]*$/, ''));
      builds = false;
      image = undefined;
    };
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      const depth = depthOf(line);
      if (services >= 0 && depth <= services) {
        close();
        services = -1;
      }
      if (services < 0) {
        if (/^\s*services:\s*$/.test(line)) {
          services = depth;
          service = -1;
        }
        continue;
      }
      if (service < 0) service = depth;
      if (depth <= service) {
        close();
        continue;
      }
      const key = /^\s*(build|image):\s*["']?([^"'\s#]*)/.exec(line);
      if (key?.[1] === 'build') builds = true;
      else if (key?.[1] === 'image' && key[2]) image = key[2];
    }
    close();
  }
  return names;
}

/** An image name with a namespace (`user/app`, `ghcr.io/org/app`), a tag allowed. */
const PUSHED_IMAGE = /^([a-z0-9][a-z0-9._-]*(?::\d+)?(?:\/[a-z0-9][a-z0-9._-]*)+)(?::[\w.-]+)?$/;

/**
 * The images a workflow pushes: docker/metadata-action's `images:` (`name=user/app,enable=...`
 * too) and docker/build-push-action's `tags:`, written inline (commas) or as a block, or in a
 * workflow variable they name (`images: ${{ env.IMAGES }}`).
 */
export function pushedImages(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const valuesOf = (keys: ReadonlySet<string>): string[] => {
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const m = /^(\s*)([\w-]+):\s*(.*)$/.exec(lines[i]!);
      if (!m || !keys.has(m[2]!)) continue;
      const inline = m[3]!.replace(/\s+#.*$/, '').trim();
      if (inline !== '' && !/^[|>][-+]?$/.test(inline)) out.push(...inline.split(','));
      else
        for (let j = i + 1; j < lines.length; j++) {
          const line = lines[j]!;
          if (line.trim() === '') continue;
          if (/^\s*/.exec(line)![0].length <= m[1]!.length) break;
          out.push(line.trim().replace(/^-\s+/, ''));
        }
    }
    return out.map((e) => e.trim().replace(/^["']|["']$/g, ''));
  };
  const entries = valuesOf(new Set(['images', 'tags']));
  const named = entries.flatMap((e) => [...e.matchAll(/\$\{\{\s*env\.(\w+)\s*\}\}/g)].map((m) => m[1]!));
  if (named.length > 0) entries.push(...valuesOf(new Set(named)));
  const out: string[] = [];
  for (const value of entries) {
    const name = value.startsWith('name=') ? value.slice(5).split(',')[0]! : value;
    const image = PUSHED_IMAGE.exec(name);
    if (image) out.push(image[1]!);
  }
  return out;
}

const PLATFORM_FLAG = /--platform(?:=|\s+)["']?([^\s"']+)/;
const TARGET_FLAG = /--target(?:=|\s+)["']?([^\s"']+)/;

/** The key of a Dockerfile's platforms when the build names a stage: `ref` and the stage, split by a NUL. */
export function targetedRef(ref: string, target: string): string {
  return `${ref}\0${target}`;
}

/** A platforms key read back: the Dockerfile ref, and the stage when the build names one. */
export function refAndTarget(key: string): { ref: string; target?: string } {
  const [ref, target] = key.split('\0');
  return target === undefined ? { ref: ref! } : { ref: ref!, target };
}
const FILE_FLAG = /(?:^|\s)(?:-f|--file)(?:=|\s+)["']?([^\s"']+)/;

/** A Dockerfile as a build file names it: a path, or `prefix*` where it is an expression. */
function dockerfileRef(value: string | undefined): string {
  if (value === undefined || value === '') return 'Dockerfile';
  const clean = value.replace(/^["']|["']$/g, '').replace(/^\.\//, '');
  const expr = clean.search(/\$\{\{|\$\{|\$\(/);
  return expr < 0 ? clean : `${clean.slice(0, expr)}*`;
}

/**
 * Platform names in a list written as `a,b`, `["a", "b"]`, one item per line, or inside a
 * workflow expression (`release && 'linux/amd64,linux/arm64' || 'linux/amd64'`: every platform
 * some run builds).
 */
function platformsOf(text: string): string[] {
  return [...text.matchAll(PLATFORM)].map((m) => m[0]);
}

const PLATFORM = /(?<![\w/.-])(?:linux|windows|darwin|freebsd)\/[a-z0-9]+(?:\/[a-z0-9]+)?(?![\w/.-])/g;

/** The Dockerfiles one build file builds for several platforms, or names with one, with those platforms. */
export function multiPlatformBuildsIn(path: string, text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  // A Dockerfile named with one platform is kept too: it says what that Dockerfile is built for
  // where an expression (`file: ${{ matrix.dockerfile }}`) lists platforms for any.
  // A build of one stage (`--target x`) says what that stage is built for, not the others.
  const add = (ref: string, platforms: string[], target?: string) => {
    if (platforms.length >= 2 || (platforms.length === 1 && !ref.includes('*')))
      addPlatforms(out, target && !/[$'"{]/.test(target) ? targetedRef(ref, target) : ref, platforms);
  };
  for (const cmd of text.replace(/\\\r?\n/g, ' ').matchAll(BUILD_CMD))
    add(
      dockerfileRef(FILE_FLAG.exec(cmd[0])?.[1]),
      platformsOf(PLATFORM_FLAG.exec(cmd[0])?.[1] ?? ''),
      TARGET_FLAG.exec(cmd[0])?.[1],
    );
  const file = path.toLowerCase();
  const lines = text.split(/\r?\n/);
  if (/\.ya?ml$/.test(file)) {
    // A workflow's env values (`PLATFORMS: linux/amd64,linux/arm64`), which `${{ env.X }}` names.
    const env = new Map<string, string>();
    for (const m of text.matchAll(/^\s+([A-Z][A-Z0-9_]*):[ \t]*(.*)$/gm))
      env.set(m[1]!, m[2]!.replace(/\s+#.*$/, ''));
    lines.forEach((line, i) => {
      const m = /^(\s*)platforms:\s*(.*)$/.exec(line);
      if (!m) return;
      const indent = m[1]!.length;
      // The step's other keys: the lines around at the same indentation, up to a shallower one.
      // A workflow step names its Dockerfile `file:`, goreleaser and compose `dockerfile:`.
      const block: string[] = [];
      let j = i - 1;
      for (; j >= 0 && depthOf(lines[j]!) >= indent; j--) block.push(lines[j]!);
      // The list item's first key sits after its dash (`- dockerfile: x`), at the same depth.
      const item = j >= 0 ? /^(\s*-\s+)\S/.exec(lines[j]!) : null;
      if (item && item[1]!.length === indent) block.push(' '.repeat(indent) + lines[j]!.slice(indent));
      // A list (`- linux/amd64`) or a block scalar (`platforms: |`, one per line) below.
      const scalar = /^[|>]/.test(m[2]!);
      // The list ends at the next key of the step (goreleaser's `flags:` list is not platforms).
      const items: string[] = [];
      let listed = true;
      for (let j = i + 1; j < lines.length && depthOf(lines[j]!) >= indent; j++) {
        const deeper = depthOf(lines[j]!) > indent && lines[j]!.trim() !== '';
        if (!deeper && lines[j]!.trim() !== '') listed = false;
        if (listed && deeper && (scalar || /^\s*-\s*\S/.test(lines[j]!))) items.push(lines[j]!);
        else block.push(lines[j]!);
      }
      const key = (re: RegExp) => block.map((l) => re.exec(l)).find((x) => x && depthOf(x[0]) === indent);
      const named = key(/^\s*(?:docker)?file:\s*(.+?)\s*(#.*)?$/);
      // A stage named by `target:`, or by a --target flag goreleaser passes (flags, build_flag_templates).
      const target =
        key(/^\s*target:\s*["']?([\w.-]+)["']?\s*(#.*)?$/) ??
        block.map((l) => TARGET_FLAG.exec(l)).find(Boolean);
      const list = scalar ? items.join('\n') : `${m[2]}\n${items.join('\n')}`;
      add(
        dockerfileRef(named?.[1]),
        platformsOf(list.replace(ENV_REF, (ref, name) => env.get(name) ?? ref)),
        target?.[1],
      );
    });
  }
  if (file.endsWith('.hcl')) {
    for (const target of text.split(/\btarget\s+"[^"]*"\s*\{/).slice(1)) {
      const platforms = /\bplatforms\s*=\s*\[([^\]]*)\]/.exec(target)?.[1] ?? '';
      add(
        dockerfileRef(/\bdockerfile\s*=\s*"([^"]*)"/.exec(target)?.[1]),
        platformsOf(platforms),
        /\btarget\s*=\s*"([^"]*)"/.exec(target)?.[1],
      );
    }
  }
  return out;
}

/**
 * The text with its comment lines blanked (lines kept, so positions hold): a build commented
 * out in a script, Makefile, workflow or bake file is not one the project runs.
 */
export function withoutCommentLines(text: string): string {
  return text.replace(/^[ \t]*#.*$/gm, '');
}

const STATIC_LINK = /-extldflags[\s=]+\\?["']?[^"'\n]*-static\b/;

const ENV_REF = /\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** `docker build` flags that take no value (every other flag is followed by one unless it has `=`). */
const BARE_FLAGS = new Set([
  '--no-cache',
  '--pull',
  '--push',
  '--load',
  '-q',
  '--quiet',
  '--rm',
  '--force-rm',
  '--squash',
]);

/**
 * The build contexts one build file gives its Dockerfiles, as [Dockerfile, context] paths relative
 * to the file's folder (a workflow's: to the repository root): `docker build -f F CTX`, a
 * workflow step's `file:` and `context:`, a compose service's `build: context:` and `dockerfile:`.
 * Paths with expressions are left out.
 */
export function contextsIn(path: string, text: string): [string, string][] {
  const out: [string, string][] = [];
  const add = (file: string | undefined, context: string | undefined) => {
    const f = file === undefined ? undefined : file.replace(/^["']|["']$/g, '');
    const c = (context ?? '').replace(/^["']|["']$/g, '');
    if (f === undefined || c === '' || /\$/.test(f + c) || c.includes('://')) return;
    out.push([posix.normalize(f), posix.normalize(c)]);
  };
  for (const cmd of text.replace(/\\\r?\n/g, ' ').matchAll(BUILD_CMD)) {
    const words = cmd[0].trim().split(/\s+/).slice(2);
    if (words[0] === 'build') words.shift();
    let file = 'Dockerfile';
    let context: string | undefined;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w === '-f' || w === '--file') file = words[++i] ?? file;
      else if (w.startsWith('--file=')) file = w.slice(7);
      else if (w.startsWith('-')) {
        if (!w.includes('=') && !BARE_FLAGS.has(w)) i++;
      } else context ??= w;
    }
    // -f is relative to the working directory, like the context.
    add(file, context);
  }
  if (!/\.ya?ml$/i.test(path)) return out;
  const lines = text.split(/\r?\n/);
  const compose = /compose/i.test(path);
  lines.forEach((line, i) => {
    const m = /^(\s*)-?\s*context:\s*(\S+?)\s*(#.*)?$/.exec(line);
    if (!m) return;
    const indent = m[1]!.length;
    let file: string | undefined;
    for (let j = i - 1; j >= 0 && depthOf(lines[j]!) >= indent; j--)
      file ??= sameLevelFile(lines[j]!, indent);
    for (let j = i + 1; j < lines.length && depthOf(lines[j]!) >= indent; j++)
      file ??= sameLevelFile(lines[j]!, indent);
    // compose: the dockerfile is relative to the context.
    if (compose) add(posix.join(m[2]!, file ?? 'Dockerfile'), m[2]);
    else add(file ?? posix.join(m[2]!, 'Dockerfile'), m[2]);
  });
  return out;
}

/** The `target:` stages of a compose file's `build:` sections. */
export function composeTargets(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^\s+target:\s*["']?([A-Za-z][A-Za-z0-9_.-]*)["']?\s*(?:#.*)?$/gm))
    out.add(m[1]!.toLowerCase());
  return out;
}

/** Capabilities only root has by default, and devices that need them. */
const PRIVILEGE =
  /^\s*privileged:\s*true\b|^\s*-?\s*["']?(?:CAP_)?(?:NET_ADMIN|SYS_ADMIN|NET_RAW|SYS_PTRACE|DAC_READ_SEARCH|ALL)["']?\s*$|\/dev\/net\/tun|\/dev\/fuse/m;

/**
 * The images a compose file's services run with root's privileges: `.` for a service it builds,
 * else the image name without tag or digest.
 */
export function privilegedServices(text: string): Set<string> {
  const out = new Set<string>();
  const lines = text.split(/\r?\n/);
  const top = lines.findIndex((l) => /^services:\s*(#.*)?$/.test(l));
  if (top < 0) return out;
  let start = -1;
  let indent = -1;
  const close = (end: number): void => {
    if (start < 0) return;
    const block = lines.slice(start + 1, end).join('\n');
    if (!PRIVILEGE.test(block)) return;
    if (/^\s*build:/m.test(block)) out.add('.');
    const image = /^\s*image:\s*["']?([^\s"'#@]+)/m.exec(block)?.[1];
    if (image) out.add(image.replace(/:[^/:]*$/, '').toLowerCase());
  };
  let end = lines.length;
  for (let i = top + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const depth = depthOf(line);
    if (depth === 0) {
      end = i;
      break;
    }
    if (indent < 0) indent = depth;
    if (depth === indent) {
      close(i);
      start = i;
    }
  }
  close(end);
  return out;
}

function sameLevelFile(line: string, indent: number): string | undefined {
  const m = /^(\s*)-?\s*(?:file|dockerfile):\s*(\S+?)\s*(#.*)?$/.exec(line);
  return m && m[1]!.length === indent ? m[2] : undefined;
}

/** A line's indentation; a blank line counts as deeper than any (it ends no block). */
function depthOf(line: string): number {
  return line.trim() === '' ? Number.POSITIVE_INFINITY : line.length - line.trimStart().length;
}

function addPlatforms(into: Map<string, Set<string>>, ref: string, platforms: Iterable<string>): void {
  const set = into.get(ref) ?? new Set<string>();
  for (const p of platforms) set.add(p);
  into.set(ref, set);
}

const BUILD_FILE =
  /^(makefile|gnumakefile|.*\.mk|.*\.sh|.*\.bash|taskfile\.ya?ml|justfile|.*\.hcl|.*compose.*\.ya?ml|\.?goreleaser\.ya?ml|\.gitlab-ci\.ya?ml|magefile\.go)$/i;
/** Folders whose build files are read too (one level down), besides the root and the Dockerfile's. */
const BUILD_DIRS = [
  '.github',
  '.github/workflows',
  '.github/scripts',
  'scripts',
  'script',
  'hack',
  'build',
  'ci',
  '.ci',
  'tools',
  'docker',
];
const MAX_FILE = 512 * 1024;
const MAX_FILES = 200;

export interface BuildFileFacts {
  /** Build argument names passed to docker builds. */
  passedArgs: Set<string>;
  /** Image names (without tag) the project builds itself. */
  builtImages: Set<string>;
  /** Image names (without tag) the project's workflows push: its published images. */
  pushedImages: Set<string>;
  /** Dockerfiles built for several platforms (paths from the root, or `prefix*`), with them. */
  multiPlatform: Map<string, Set<string>>;
  /** [Dockerfile, context] pairs the build files name, as absolute paths. */
  contexts: [string, string][];
  /** A build file links Go binaries statically (`-extldflags "-static"`, `-extldflags=-static`). */
  staticLink: boolean;
  /** Stages a compose file builds (`target:`) to run as services: images of their own. */
  serviceTargets: Set<string>;
  /** Images whose FROM line project files read by pattern (a version script, Renovate), with those files. */
  fromReaders: Map<string, string[]>;
  /**
   * Images a compose file runs with root's privileges (privileged, cap_add of an admin
   * capability, a TUN or FUSE device), by name without tag; `.` for a service it builds.
   */
  privilegedImages: Set<string>;
}

const noFacts = (): BuildFileFacts => ({
  passedArgs: new Set(),
  builtImages: new Set(),
  pushedImages: new Set(),
  multiPlatform: new Map(),
  contexts: [],
  staticLink: false,
  serviceTargets: new Set(),
  fromReaders: new Map(),
  privilegedImages: new Set(),
});

const MAKEFILE = /^(makefile|gnumakefile|.*\.mk)$/i;
const RENOVATE = /^(renovate\.json5?|\.renovaterc(\.json5?)?)$/i;

/**
 * A pattern that reads a Dockerfile's FROM line with the image right after FROM: a version
 * script's `grep '^FROM[[:space:]]+golang:'`, a Renovate regex manager's `FROM golang:(?<currentValue>…)`.
 */
const FROM_READ = /\bFROM(?:\[\[:space:\]\]|\\s|\[ \\t\]| )[+*]?([a-z0-9][a-z0-9._/-]*)(?=:|\\:|@)/g;

/** Images whose FROM line the text matches by pattern: a flag inserted after FROM would break it. */
export function fromLineReads(text: string): string[] {
  return [...text.matchAll(FROM_READ)].map((m) => m[1]!);
}

/**
 * What each build file directly in `dir` says, in name order (one entry per file tried), then
 * the Makefiles a Makefile includes (`include` lines, globs too), wherever they live.
 */
function dirFacts(dir: string): BuildFileFacts[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const workflows = dir.endsWith(`.github${sep}workflows`);
  const out: BuildFileFacts[] = [];
  const seen = new Set<string>();
  const pending = entries
    .sort()
    .filter((name) => BUILD_FILE.test(name) || RENOVATE.test(name) || (workflows && /\.ya?ml$/i.test(name)))
    .map((name) => join(dir, name));
  while (pending.length > 0 && out.length < MAX_FILES) {
    const file = pending.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const name = basename(file);
    const facts = noFacts();
    out.push(facts);
    try {
      const st = statSync(file);
      if (!st.isFile() || st.size > MAX_FILE) continue;
      const text = withoutCommentLines(readFileSync(file, 'utf8'));
      for (const image of fromLineReads(text)) facts.fromReaders.set(image, [file]);
      if (RENOVATE.test(name)) continue;
      facts.passedArgs = buildArgsIn(name, text);
      facts.builtImages = imagesBuiltIn(name, text);
      if (workflows) facts.pushedImages = new Set(pushedImages(text));
      facts.multiPlatform = multiPlatformBuildsIn(name, text);
      // A workflow runs at the repository root; other build files where they are.
      const from = workflows ? resolve(dir, '..', '..') : dirname(file);
      facts.contexts = contextsIn(name, text).map(([f, c]) => [resolve(from, f), resolve(from, c)]);
      facts.staticLink = STATIC_LINK.test(text);
      if (/compose/i.test(name) && /\.ya?ml$/i.test(name)) {
        facts.serviceTargets = composeTargets(text);
        facts.privilegedImages = privilegedServices(text);
      }
      if (MAKEFILE.test(name)) pending.push(...makeIncludes(dirname(file), text));
    } catch {
      // An unreadable file passes nothing.
    }
  }
  return out;
}

/**
 * The files a Makefile's `include` (`-include`, `sinclude`) lines name, relative to its folder
 * (where make runs), `*` matched within one name. Names with make variables are left out.
 */
export function makeIncludes(dir: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*-?s?include[ \t]+(.+)$/gm)) {
    for (const word of m[1]!.replace(/#.*$/, '').trim().split(/\s+/)) {
      if (word === '' || word.includes('$') || isAbsolute(word)) continue;
      out.push(...globFiles(dir, word.split('/')));
    }
  }
  return out;
}

/** The files under `dir` that a path matches, an element with `*` read as a glob within one name. */
function globFiles(dir: string, parts: string[]): string[] {
  const [part, ...rest] = parts;
  if (part === undefined) return [dir];
  if (part === '..' || part === '.') return rest.length === 0 ? [] : globFiles(join(dir, part), rest);
  let names: string[];
  if (!part.includes('*')) names = [part];
  else {
    const re = pathMatchRegExp(part);
    try {
      names = readdirSync(dir)
        .filter((n) => re.test(n) && !n.startsWith('.'))
        .sort();
    } catch {
      return [];
    }
  }
  return names.flatMap((n) => globFiles(join(dir, n), rest));
}

/**
 * What the build files of the project at `root` say: the root's, those of the folders where
 * builds usually live, and those of each folder from `dockerfileDir` up to the root. `read`
 * keeps each folder's facts, so that the Dockerfiles of one project read each folder once.
 */
export function readBuildFiles(
  root: string,
  dockerfileDir: string,
  read: Map<string, BuildFileFacts[]> = new Map(),
): BuildFileFacts {
  const dirs = new Set<string>([root]);
  for (const d of BUILD_DIRS) dirs.add(join(root, d));
  const rel = relative(root, dockerfileDir);
  if (rel !== '' && !rel.startsWith('..'))
    for (let d = dockerfileDir; d.length > root.length; d = dirname(d)) dirs.add(d);
  const facts = noFacts();
  let files = 0;
  for (const dir of dirs) {
    let each = read.get(dir);
    if (!each) {
      each = dirFacts(dir);
      read.set(dir, each);
    }
    for (const one of each) {
      if (++files > MAX_FILES) return facts;
      for (const n of one.passedArgs) facts.passedArgs.add(n);
      for (const n of one.builtImages) facts.builtImages.add(n);
      for (const n of one.pushedImages) facts.pushedImages.add(n);
      for (const [ref, platforms] of one.multiPlatform) addPlatforms(facts.multiPlatform, ref, platforms);
      facts.contexts.push(...one.contexts);
      facts.staticLink ||= one.staticLink;
      for (const t of one.serviceTargets) facts.serviceTargets.add(t);
      for (const i of one.privilegedImages) facts.privilegedImages.add(i);
      for (const [image, files] of one.fromReaders)
        facts.fromReaders.set(image, [
          ...(facts.fromReaders.get(image) ?? []),
          ...files.map((f) => relative(root, f).split(sep).join('/')),
        ]);
    }
  }
  return facts;
}
