// goimg cache on real (small) git repositories: history shapes and bad input.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { replayHistory } from '../../../src/cache/replay.js';
import { analyseChanged } from '../../../src/cache/working-tree.js';
import { runGoimg } from '../../helpers/cli.js';
import { ScratchRepo } from '../../helpers/git-repo.js';
import { assertMatchesSchema } from '../../helpers/schema.js';

const DOCKERFILE = `FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /app .

FROM scratch
COPY --from=build /app /app
ENTRYPOINT ["/app"]
`;

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function scratch(): ScratchRepo {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-cache-unit-'));
  dirs.push(dir);
  return new ScratchRepo(dir);
}

function baseRepo(): ScratchRepo {
  const r = scratch();
  r.write('go.mod', 'module x\n\ngo 1.23\n');
  r.write('go.sum', '');
  r.write('main.go', 'package main\nfunc main() {}\n');
  r.write('Dockerfile', DOCKERFILE);
  r.write('.dockerignore', '.git\n*.md\n');
  r.commit('initial');
  return r;
}

function replay(r: ScratchRepo, commits = 50) {
  return replayHistory({ repoDir: r.dir, context: '', dockerfile: 'Dockerfile', commits });
}

test('a source edit rebuilds from COPY . .; an ignored file rebuilds nothing', () => {
  const r = baseRepo();
  r.write('main.go', 'package main\nfunc main() { println() }\n');
  r.commit('edit');
  r.write('README.md', '# x\n');
  r.commit('docs');
  const result = replay(r);
  const [root, edit, docs] = result.commits;
  assert.match(root!.note!, /cold build/);
  assert.equal(edit!.firstRebuilt?.line, 5);
  assert.deepEqual(edit!.firstRebuilt?.reasons, [{ kind: 'files', source: '.', files: ['main.go'] }]);
  assert.equal(docs!.firstRebuilt, null);
  const download = result.steps.find((s) => s.instruction === 'RUN go mod download');
  assert.equal(download?.hitRate, 1);
  assert.deepEqual(result.moduleDownload, { reused: 2, total: 2 });
});

test('without .git in .dockerignore, every commit busts COPY . . (the .git directory is in the context)', () => {
  const r = baseRepo();
  r.write('.dockerignore', '*.md\n');
  r.commit('stop ignoring .git');
  r.write('NOTES.md', 'x\n');
  r.commit('ignored file only');
  const last = replay(r).commits.at(-1)!;
  assert.equal(last.firstRebuilt?.instruction, 'COPY . .');
  assert.deepEqual(last.firstRebuilt?.reasons, [{ kind: 'files', source: '.', files: ['.git'] }]);
});

test('go.mod changes rebuild from the dependency copy; steps after COPY --from are unknown', () => {
  const r = baseRepo();
  r.write('go.mod', 'module x\n\ngo 1.23\n\n// c\n');
  r.commit('go.mod');
  const c = replay(r).commits.at(-1)!;
  assert.equal(c.firstRebuilt?.instruction, 'COPY go.mod go.sum ./');
  const copyFrom = c.steps.find((s) => s.instruction.startsWith('COPY --from'));
  assert.equal(copyFrom?.status, 'unknown');
});

test('a mode-only change is a change; a rename is a deletion plus an addition', () => {
  const r = baseRepo();
  r.write('run.sh', 'echo\n');
  r.commit('script');
  r.chmod('run.sh', 0o755);
  r.commit('chmod');
  r.git('mv', 'run.sh', 'start.sh');
  r.commit('rename');
  const [, , chmod, rename] = replay(r).commits;
  assert.deepEqual(chmod!.firstRebuilt?.reasons, [{ kind: 'files', source: '.', files: ['run.sh'] }]);
  assert.deepEqual(rename!.changed.sort(), ['run.sh', 'start.sh']);
});

test('editing the Dockerfile after the download step keeps the download step cached', () => {
  const r = baseRepo();
  r.write('.dockerignore', '.git\n*.md\nDockerfile\n');
  r.commit('ignore the Dockerfile');
  r.write('Dockerfile', DOCKERFILE.replace('RUN go build -o /app .', 'RUN go build -trimpath -o /app .'));
  r.commit('trimpath');
  const c = replay(r).commits.at(-1)!;
  assert.equal(c.firstRebuilt?.instruction, 'RUN go build -trimpath -o /app .');
  assert.deepEqual(c.firstRebuilt?.reasons, [{ kind: 'definition' }]);
});

test('a .dockerignore change that un-ignores files rebuilds what copies them', () => {
  const r = baseRepo();
  r.write('docs.md', 'x\n');
  r.commit('docs');
  r.write('.dockerignore', '.git\n');
  r.commit('stop ignoring markdown');
  const c = replay(r).commits.at(-1)!;
  assert.equal(c.firstRebuilt?.instruction, 'COPY . .');
  const files = c.firstRebuilt?.reasons[0];
  assert.ok(files?.kind === 'files' && files.files.includes('docs.md'));
});

test('merge commits are compared with their first parent; a deleted Dockerfile is reported, not a crash', () => {
  const r = baseRepo();
  r.git('checkout', '-q', '-b', 'feature');
  r.write('feature.go', 'package main\n');
  r.commit('feature');
  r.git('checkout', '-q', 'main');
  r.git('merge', '-q', '--no-ff', '-m', 'merge feature', 'feature');
  r.remove('Dockerfile');
  r.commit('drop the Dockerfile');
  const commits = replay(r).commits;
  const merge = commits.find((c) => c.subject === 'merge feature')!;
  assert.deepEqual(merge.changed, ['feature.go']);
  assert.match(commits.at(-1)!.note!, /does not exist at this commit/);
});

test('a shallow clone treats its boundary commit as a cold build', () => {
  const r = baseRepo();
  for (let i = 0; i < 3; i++) {
    r.write('main.go', `package main\nfunc main() { println(${i}) }\n`);
    r.commit(`edit ${i}`);
  }
  const clone = mkdtempSync(join(tmpdir(), 'goimg-cache-shallow-'));
  dirs.push(clone);
  execFileSync('git', ['clone', '-q', '--depth', '2', `file://${r.dir}`, clone]);
  const result = replayHistory({ repoDir: clone, context: '', dockerfile: 'Dockerfile', commits: 10 });
  assert.equal(result.commits.length, 2);
  assert.match(result.commits[0]!.note!, /shallow/);
  assert.equal(result.commits[1]!.firstRebuilt?.instruction, 'COPY . .');
});

test('--changed outside git names the first step to rebuild per stage; without files it is a clear error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-cache-nogit-'));
  dirs.push(dir);
  const r = new ScratchRepo(join(dir, 'tmp-init'));
  r.write('x', '');
  for (const [name, text] of [
    ['Dockerfile', DOCKERFILE],
    ['go.mod', 'module x\n'],
  ]) {
    execFileSync('sh', ['-c', `cat > ${join(dir, name!)}`], { input: text });
  }
  rmSync(join(dir, 'tmp-init'), { recursive: true });
  const result = analyseChanged(dir, join(dir, 'Dockerfile'), ['go.mod']);
  assert.equal(result.firstRebuilt[0]?.instruction, 'COPY go.mod go.sum ./');
  const cli = runGoimg(['cache', dir]);
  assert.equal(cli.status, 2);
  assert.match(cli.stderr, /not in a git repository/);
  assert.match(cli.stderr, /--changed FILE/);
});

test('goimg cache --changed FILE... and --format json', () => {
  const r = baseRepo();
  const cli = runGoimg(['cache', r.dir, '--changed', 'main.go', 'go.sum', '--format', 'json']);
  assert.equal(cli.status, 0, cli.stderr);
  const json = JSON.parse(cli.stdout) as { version: number; firstRebuilt: { instruction: string }[] };
  assertMatchesSchema('cache.schema.json', json);
  assert.equal(json.version, 1);
  assert.equal(json.firstRebuilt[0]?.instruction, 'COPY go.mod go.sum ./');
});

test('history replay JSON (with --compare) matches its schema and reports the gain', () => {
  const r = baseRepo();
  r.write('.dockerignore', '*.md\n');
  r.commit('forget .git');
  r.write('main.go', 'package main\nfunc main() { println(1) }\n');
  r.commit('edit');
  const better = join(r.dir, '..', `better-${Date.now()}.Dockerfile`);
  execFileSync('sh', ['-c', `cat > ${better}`], { input: DOCKERFILE });
  dirs.push(better);
  const cli = runGoimg(['cache', r.dir, '--compare', better, '--format', 'json']);
  assert.equal(cli.status, 0, cli.stderr);
  const json = JSON.parse(cli.stdout);
  assertMatchesSchema('cache.schema.json', json);
  assert.equal(json.mode, 'history');
  assert.equal(json.commits.length, 3);
  const text = runGoimg(['cache', r.dir, '--compare', better]);
  assert.match(text.stdout, /module download reused in \d+\/\d+ commits instead of/);
  assert.match(text.stdout, /Hit rate per step/);
});

test('--bench estimates the rebuild time of the history from goimg bench timings', () => {
  const r = baseRepo();
  r.write('main.go', 'package main\nfunc main() { println(2) }\n');
  r.commit('source');
  r.write('go.mod', 'module x\n\ngo 1.23\n\n// dep\n');
  r.commit('deps');
  r.write('NOTES.md', 'x\n');
  r.commit('ignored');
  // The fields of `goimg bench --format json` that the estimate reads.
  const bench = join(r.dir, '..', `bench-${Date.now()}.json`);
  const timings = (cold: number, noChange: number, sourceChange: number, depChange: number) => ({
    cold,
    noChange,
    sourceChange,
    depChange,
  });
  execFileSync('sh', ['-c', `cat > ${bench}`], {
    input: JSON.stringify({
      version: 1,
      variants: [
        { name: 'current', timings: timings(60, 1, 20, 40) },
        { name: 'goimg', timings: timings(50, 1, 2, 5) },
      ],
    }),
  });
  dirs.push(bench);
  const cli = runGoimg(['cache', r.dir, '--bench', bench, '--format', 'json']);
  assert.equal(cli.status, 0, cli.stderr);
  const json = JSON.parse(cli.stdout);
  assertMatchesSchema('cache.schema.json', json);
  assert.deepEqual(
    json.commits.map((c: { rebuild: string }) => c.rebuild),
    ['cold', 'sourceChange', 'depChange', 'noChange'],
  );
  assert.deepEqual(json.estimatedCost, { variant: 'current', totalSeconds: 121, commits: 4 });
  const missing = runGoimg(['cache', r.dir, '--bench', bench, '--bench-variant', 'nope']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no bench variant "nope" \(it has: current, goimg\)/);
});
