/**
 * End to end on real projects nobody here wrote: every project of the real-world corpus that can
 * build offline (a Dockerfile at its root and a go.mod that requires no module) is copied, fixed
 * with `goimg audit --fix`, and built with BuildKit; the image must build, and when it names a
 * command, that command must start (no exec failure). The fixes must keep every build working.
 *
 * The corpus is read from GOIMG_REALWORLD_CORPUS, or from `shared/corpus/realworld` found beside
 * the repository or one of its parents. Base images come from the engine's stand-ins: a golang
 * tag the engine lacks is a second name of the golang:1.23 stand-in, used only when the project's
 * go.mod accepts Go 1.23 and its builds set CGO_ENABLED=0 (an Alpine-based golang has no C
 * compiler, which a Debian stand-in would otherwise bring).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { buildkitBuild, removeImage } from '../../helpers/buildkit.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { docker } from '../../helpers/docker.js';
import { hasEngine, hasImage } from '../../helpers/env.js';
import { need } from '../../helpers/requirements.js';

const STAND_IN = 'golang:1.23';

function findCorpus(): string | undefined {
  if (process.env.GOIMG_REALWORLD_CORPUS) return process.env.GOIMG_REALWORLD_CORPUS;
  for (let dir = REPO_ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'corpus', 'realworld');
    if (existsSync(join(candidate, 'score.py'))) return candidate;
    const sibling = join(dir, '..', 'shared', 'corpus', 'realworld');
    if (existsSync(join(sibling, 'score.py'))) return resolve(sibling);
    if (dirname(dir) === dir) return undefined;
  }
}

/** go.mod's `go` line, and whether it requires any module (which would need the network). */
function goMod(dir: string): { go: string; requires: boolean } | undefined {
  const path = join(dir, 'go.mod');
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  return {
    go: /^go\s+(\S+)/m.exec(text)?.[1] ?? '1.0',
    requires: /^require\b/m.test(text),
  };
}

function goAtMost(version: string, limit: string): boolean {
  const [a1 = 0, a2 = 0] = version.split('.').map(Number);
  const [b1 = 0, b2 = 0] = limit.split('.').map(Number);
  return a1 < b1 || (a1 === b1 && a2 <= b2);
}

const corpus = findCorpus();
const scratch = mkdtempSync(join(tmpdir(), 'goimg-e2e-realworld-'));
const tags: string[] = [];
after(() => {
  for (const t of tags) removeImage(t);
  rmSync(scratch, { recursive: true, force: true });
});

function offlineProjects(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .filter((name) => {
      const dir = join(root, name);
      const mod = goMod(dir);
      return (
        existsSync(join(dir, 'Dockerfile')) && mod !== undefined && !mod.requires && goAtMost(mod.go, '1.23')
      );
    })
    .sort();
}

/** Names the stand-in under each golang tag the Dockerfile uses and the engine lacks. */
function provideBases(dockerfile: string): string | undefined {
  const stages = new Set<string>(['scratch']);
  for (const m of dockerfile.matchAll(/^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    const ref = m[1]!;
    if (m[2]) stages.add(m[2].toLowerCase());
    if (stages.has(ref.toLowerCase()) || hasImage(ref)) continue;
    if (!/^golang:/.test(ref)) return `base image ${ref} has no stand-in`;
    const tagged = docker(['tag', STAND_IN, ref]);
    assert.equal(tagged.status, 0, tagged.stderr);
    tags.push(ref);
  }
  return undefined;
}

test('real projects that build offline still build after --fix, and their images start', (t) => {
  if (!need(t, corpus !== undefined, 'the real-world corpus (GOIMG_REALWORLD_CORPUS)')) return;
  if (!need(t, hasEngine() && hasImage(STAND_IN), `a Docker engine with ${STAND_IN}`)) return;
  const projects = offlineProjects(corpus!);
  assert.ok(projects.length >= 3, `offline-buildable projects in the corpus: ${projects.join(', ')}`);
  for (const name of projects) {
    const dir = join(scratch, name);
    cpSync(join(corpus!, name), dir, { recursive: true });
    const fix = runGoimg(['audit', dir, '--fix', '--fail-on', 'never']);
    assert.equal(fix.status, 0, `${name}: ${fix.stderr}`);
    // The fix is idempotent: a second run changes nothing.
    const before = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    assert.equal(runGoimg(['audit', dir, '--fix', '--fail-on', 'never']).status, 0);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), before, `${name}: --fix is not idempotent`);
    const after = runGoimg(['audit', dir, '--format', 'json', '--fail-on', 'never']);
    const errors = (
      JSON.parse(after.stdout) as { findings: { rule: string; severity: string }[] }
    ).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors, [], `${name}: errors left after --fix`);

    // This engine cannot pull Dockerfile frontends: drop the `# syntax=` line the fix adds.
    const text = before.replace(/^# syntax=[^\n]*\n/m, '');
    writeFileSync(join(dir, 'Dockerfile'), text);
    const missing = provideBases(text);
    assert.equal(missing, undefined, `${name}: ${missing}`);
    const tag = `goimg-e2e/realworld-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}:${process.pid}`;
    tags.push(tag);
    const build = buildkitBuild(dir, tag);
    assert.ok(build.ok, `${name}: the fixed build fails:\n${build.output.slice(-3000)}`);

    const config = JSON.parse(docker(['image', 'inspect', '--format', '{{json .Config}}', tag]).stdout) as {
      Entrypoint?: string[] | null;
      Cmd?: string[] | null;
    };
    if (!config.Entrypoint?.length && !config.Cmd?.length) continue;
    const run = docker(['run', '--rm', '--network=host', tag], { timeoutMs: 30_000 });
    // The program may want arguments or a service: it must start, not fail to execute.
    assert.ok(run.status !== 126 && run.status !== 127, `${name}: the image does not start:\n${run.stderr}`);
    assert.doesNotMatch(run.stderr, /exec .*(no such file or directory|permission denied|exec format error)/);
  }
});
