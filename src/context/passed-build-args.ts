/**
 * The build arguments a project's own build passes to `docker build`, by name: from Makefiles,
 * scripts, CI workflows (docker/build-push-action's `build-args`), bake files, compose files and
 * goreleaser configs. A Dockerfile's ARG default with one of these names is not what the
 * project's images are built with (`ARG GO_VERSION=1.20` with `--build-arg GO_VERSION=1.23` in
 * the Makefile), so what the default alone implies is not certain.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

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
      if (line.length - line.trimStart().length <= indent) break;
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

const BUILD_FILE =
  /^(makefile|gnumakefile|.*\.mk|.*\.sh|.*\.bash|taskfile\.ya?ml|justfile|.*\.hcl|.*compose.*\.ya?ml|\.?goreleaser\.ya?ml|\.gitlab-ci\.ya?ml|magefile\.go)$/i;
/** Folders whose build files are read too (one level down), besides the root and the Dockerfile's. */
const BUILD_DIRS = [
  '.github/workflows',
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

/**
 * The build argument names the build files of the project at `root` pass: the root's, those of
 * the folders where builds usually live, and those of each folder from `dockerfileDir` up to the root.
 */
export function passedBuildArgs(root: string, dockerfileDir: string): Set<string> {
  const dirs = new Set<string>([root]);
  for (const d of BUILD_DIRS) dirs.add(join(root, d));
  const rel = relative(root, dockerfileDir);
  if (rel !== '' && !rel.startsWith('..'))
    for (let d = dockerfileDir; d.length > root.length; d = dirname(d)) dirs.add(d);
  const names = new Set<string>();
  let read = 0;
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    const workflows = dir.endsWith(`.github${sep}workflows`);
    for (const name of entries.sort()) {
      if (!(BUILD_FILE.test(name) || (workflows && /\.ya?ml$/i.test(name)))) continue;
      if (++read > MAX_FILES) return names;
      const file = join(dir, name);
      try {
        const st = statSync(file);
        if (!st.isFile() || st.size > MAX_FILE) continue;
        for (const n of buildArgsIn(name, readFileSync(file, 'utf8'))) names.add(n);
      } catch {
        // An unreadable file passes nothing.
      }
    }
  }
  return names;
}
