// goimg cache's predictions against real BuildKit: a scripted history is built commit by commit
// on the test engine, and for every commit and every step that does not depend on build output,
// goimg's hit/miss must equal BuildKit's CACHED/not-CACHED.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type BuildKitStep, buildkitBuild, removeImage } from '../../helpers/buildkit.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { hasEngine, hasImage } from '../../helpers/env.js';
import { ScratchRepo } from '../../helpers/git-repo.js';
import { need } from '../../helpers/requirements.js';

interface PredictedStep {
  stage: string;
  line: number;
  instruction: string;
  status: 'hit' | 'miss' | 'unknown';
}

interface CacheJson {
  commits: { sha: string; subject: string; steps: PredictedStep[]; note?: string }[];
}

// The first article's Dockerfile, exactly as examples/seed-article keeps it.
const ARTICLE_DOCKERFILE = readFileSync(join(REPO_ROOT, 'examples', 'seed-article', 'Dockerfile'), 'utf8');

// The shape goimg init generates (cache mounts, local replace copied before the download),
// without the syntax line, which this engine cannot fetch.
const GENERATED_DOCKERFILE = `FROM --platform=$BUILDPLATFORM golang:1.21 AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY libs/money/ libs/money/
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
USER nonroot:nonroot
ENTRYPOINT ["/app"]
`;

function mainGo(message: string, extraImport = ''): string {
  const imports = extraImport ? `import (\n\t"os"\n\t${extraImport}\n)` : 'import "os"';
  return `package main\n\n${imports}\n\nfunc main() {\n\tos.Stdout.WriteString(${JSON.stringify(`${message}\n`)})\n}\n`;
}

/** A commit of the scripted history: its subject and the change it makes. */
type Step = [subject: string, change: (repo: ScratchRepo) => void];

/** The article's project: no local replaces (that Dockerfile cannot build them offline). */
function articleHistory(nonce: string): Step[] {
  const withStep = (build: string) =>
    ARTICLE_DOCKERFILE.replace('RUN go build -o main .', `${build}\nRUN echo built > /built.txt`);
  return [
    [
      'initial',
      (r) => {
        r.write('go.mod', `module example.com/cachedemo\n\n// run ${nonce}\ngo 1.21\n`);
        r.write('go.sum', '');
        r.write('main.go', mainGo('v1'));
        r.write('Dockerfile', ARTICLE_DOCKERFILE);
        r.write('README.md', '# cache demo\n');
      },
    ],
    ['source edit', (r) => r.write('main.go', mainGo('v2'))],
    ['README edit without .dockerignore', (r) => r.append('README.md', 'more words\n')],
    ['add .dockerignore', (r) => r.write('.dockerignore', '.git\nREADME.md\ndocs/\n')],
    ['README edit, now ignored', (r) => r.append('README.md', 'ignored now\n')],
    ['docs added, ignored', (r) => r.write('docs/guide.md', '# guide\n')],
    [
      'test-only file',
      (r) => r.write('main_test.go', 'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n'),
    ],
    ['go.mod change', (r) => r.append('go.mod', '\n// a comment\n')],
    ['add a script', (r) => r.write('scripts/run.sh', '#!/bin/sh\necho run\n')],
    ['mode-only change', (r) => r.chmod('scripts/run.sh', 0o755)],
    ['add util.go', (r) => r.write('util.go', 'package main\n\nfunc helper() int { return 1 }\n')],
    ['rename util.go', (r) => r.git('mv', 'util.go', 'helpers.go')],
    ['ignore Dockerfile and .dockerignore', (r) => r.append('.dockerignore', 'Dockerfile\n.dockerignore\n')],
    [
      'Dockerfile: extra step at the end of the builder',
      (r) => r.write('Dockerfile', withStep('RUN go build -o main .')),
    ],
    ['go.sum change', (r) => r.write('go.sum', '\n')],
    ['source edit 2', (r) => r.write('main.go', mainGo('v3'))],
    ['delete helpers.go', (r) => r.remove('helpers.go')],
    ['docs edit', (r) => r.append('docs/guide.md', 'more\n')],
    [
      'new package',
      (r) => r.write('internal/greet/greet.go', 'package greet\n\nfunc Hello() string { return "hi" }\n'),
    ],
    ['.dockerignore edit: ignore scripts (itself ignored)', (r) => r.append('.dockerignore', 'scripts/\n')],
    ['Dockerfile: -trimpath', (r) => r.write('Dockerfile', withStep('RUN go build -trimpath -o main .'))],
    ['README edit 3', (r) => r.append('README.md', 'last\n')],
  ];
}

/** goimg init's layout, with a local replace module that changes too. */
function generatedHistory(nonce: string): Step[] {
  const main = (v: string) =>
    mainGo(v, '"example.com/money"').replace('func main() {', 'var _ = money.Cents\n\nfunc main() {');
  return [
    [
      'initial',
      (r) => {
        r.write(
          'go.mod',
          `module example.com/shop\n\n// run ${nonce}\ngo 1.21\n\nrequire example.com/money v0.0.0\n\nreplace example.com/money => ./libs/money\n`,
        );
        r.write('go.sum', '');
        r.write('libs/money/go.mod', 'module example.com/money\n\ngo 1.21\n');
        r.write('libs/money/money.go', 'package money\n\nfunc Cents() int { return 100 }\n');
        r.write('main.go', main('v1'));
        r.write('Dockerfile', GENERATED_DOCKERFILE);
        r.write('.dockerignore', '.git\n*.md\ndocs/\n');
        r.write('README.md', '# shop\n');
      },
    ],
    ['source edit', (r) => r.write('main.go', main('v2'))],
    ['README edit (ignored)', (r) => r.append('README.md', 'docs\n')],
    [
      'local replace module edit',
      (r) => r.append('libs/money/money.go', '\nfunc Euros() int { return 1 }\n'),
    ],
    ['go.mod edit', (r) => r.append('go.mod', '\n// tidy\n')],
    ['test file', (r) => r.write('main_test.go', 'package main\n')],
    ['Dockerfile comment (Dockerfile is in the context)', (r) => r.append('Dockerfile', '\n# a comment\n')],
    ['replace target go.mod edit', (r) => r.append('libs/money/go.mod', '\n// note\n')],
    ['docs (ignored)', (r) => r.write('docs/a.md', 'a\n')],
    ['source edit 2', (r) => r.write('main.go', main('v3'))],
  ];
}

function positionOf(steps: PredictedStep[], index: number): number {
  const stage = steps[index]!.stage;
  return 1 + steps.slice(0, index + 1).filter((s) => s.stage === stage).length;
}

async function checkAgreement(
  t: import('node:test').TestContext,
  name: string,
  history: Step[],
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `goimg-cache-${name}-`));
  const tag = `goimg-e2e/cache-${name}:${randomBytes(4).toString('hex')}`;
  try {
    const repo = new ScratchRepo(dir);
    const observed = new Map<string, BuildKitStep[]>();
    let first = '';
    for (const [subject, change] of history) {
      change(repo);
      const sha = repo.commit(subject);
      first ||= sha;
      const run = buildkitBuild(dir, tag);
      assert.ok(run.ok, `build of ${sha.slice(0, 7)} failed:\n${run.output.slice(-3000)}`);
      observed.set(sha, run.steps);
    }
    const r = runGoimg(['cache', dir, '--range', `${first}..HEAD`, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const predicted = JSON.parse(r.stdout) as CacheJson;
    assert.equal(predicted.commits.length, history.length - 1);
    const mismatches: string[] = [];
    let compared = 0;
    for (const commit of predicted.commits) {
      const actual = observed.get(commit.sha);
      assert.ok(actual, `no build for ${commit.sha}`);
      commit.steps.forEach((s, i) => {
        if (s.status === 'unknown') return;
        const position = positionOf(commit.steps, i);
        const bk = actual.find((a) => a.stage === s.stage && a.position === position);
        if (!bk) {
          mismatches.push(
            `${commit.subject}: no BuildKit step for [${s.stage} ${position}] ${s.instruction}`,
          );
          return;
        }
        compared++;
        if ((s.status === 'hit') !== bk.cached) {
          mismatches.push(
            `${commit.subject}: [${s.stage} ${position}] ${s.instruction}: goimg ${s.status}, BuildKit ${bk.cached ? 'CACHED' : 'ran'}`,
          );
        }
      });
    }
    t.diagnostic(`${name}: ${compared} step outcomes compared over ${predicted.commits.length} commits`);
    assert.deepEqual(mismatches, []);
    assert.ok(compared >= predicted.commits.length * 3, 'enough steps were compared');
  } finally {
    removeImage(tag);
    rmSync(dir, { recursive: true, force: true });
  }
}

test('cache predictions equal BuildKit for the article Dockerfile over 22 commits', {
  timeout: 1_500_000,
}, async (t) => {
  if (!need(t, hasEngine(), 'a Docker engine at the test socket')) return;
  if (!need(t, hasImage('golang:1.21') && hasImage('alpine:latest'), 'the golang:1.21 and alpine stand-ins'))
    return;
  await checkAgreement(t, 'article', articleHistory(randomBytes(8).toString('hex')));
});

test('cache predictions equal BuildKit for the generated Dockerfile with a local replace', {
  timeout: 1_200_000,
}, async (t) => {
  if (!need(t, hasEngine(), 'a Docker engine at the test socket')) return;
  if (
    !need(
      t,
      hasImage('golang:1.21') && hasImage('gcr.io/distroless/static-debian12:nonroot'),
      'the golang:1.21 and distroless stand-ins',
    )
  )
    return;
  await checkAgreement(t, 'generated', generatedHistory(randomBytes(8).toString('hex')));
});
