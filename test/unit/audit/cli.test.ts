/** `goimg audit` as users run it: formats, exit codes, inline ignores, overrides, fixes. */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bundledGoReleases } from '../../../src/releases/bundled.js';
import { releasedGo } from '../../../src/rules/audit/base-images.js';
import { REPO_ROOT, runGoimg } from '../../helpers/cli.js';
import { assertMatchesSchema } from '../../helpers/schema.js';

const scratch = mkdtempSync(join(tmpdir(), 'goimg-audit-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
function seedCopy(dockerfile?: string): string {
  const dir = join(scratch, `p${n++}`);
  cpSync(join(REPO_ROOT, 'examples/seed-article'), dir, { recursive: true });
  if (dockerfile !== undefined) writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

interface Report {
  version: number;
  findings: {
    rule: string;
    severity: string;
    message: string;
    file: string;
    line: number;
    column: number;
    fixable: boolean;
  }[];
  summary: { error: number; warning: number; info: number };
}

function json(args: string[]): { status: number; report: Report } {
  const r = runGoimg(['audit', ...args, '--format', 'json']);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assertMatchesSchema('audit.schema.json', report);
  return { status: r.status, report };
}

test('json: version 1, 1-based positions, summary; exit 1 on the article (libc-mismatch is an error)', () => {
  const { status, report } = json([seedCopy()]);
  assert.equal(status, 1);
  assert.equal(report.version, 1);
  const libc = report.findings.find((f) => f.rule === 'libc-mismatch')!;
  assert.deepEqual(
    [libc.file, libc.line, libc.column, libc.severity, libc.fixable],
    ['Dockerfile', 7, 5, 'error', true],
  );
  assert.equal(report.summary.error, 1);
  assert.ok(!('fix' in libc));
});

test('lint is an alias; --fail-on never exits 0; text ends with a summary line', () => {
  const dir = seedCopy();
  const r = runGoimg(['lint', dir, '--fail-on', 'never']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /libc-mismatch/);
  assert.match(r.stdout, /RUN go build -o main \./);
  assert.match(r.stdout.trim().split('\n').pop()!, /1 error, 3 warnings, \d+ info/);
});

test('inline ignores: next instruction and whole file', () => {
  const text = readFileSync(join(REPO_ROOT, 'examples/seed-article/Dockerfile'), 'utf8')
    .replace(
      'RUN go build -o main .',
      '# goimg-ignore libc-mismatch,no-trimpath -- glibc runtime coming\nRUN go build -o main .',
    )
    .replace('# 编译阶段', '# goimg-ignore-file runs-as-root\n# 编译阶段');
  const rules = json([seedCopy(text)]).report.findings.map((f) => f.rule);
  assert.ok(!rules.includes('libc-mismatch'));
  assert.ok(!rules.includes('no-trimpath'));
  assert.ok(!rules.includes('runs-as-root'));
  assert.ok(rules.includes('no-strip-flags'), 'other rules on the same line still fire');
});

test('--rule and .goimg.yaml change levels; unknown ids and keys are usage errors', () => {
  const dir = seedCopy();
  writeFileSync(join(dir, '.goimg.yaml'), 'rules:\n  libc-mismatch: warning\n  no-trimpath: "off"\n');
  const { status, report } = json([dir, '--rule', 'no-strip-flags=off']);
  assert.equal(status, 0);
  assert.equal(report.findings.find((f) => f.rule === 'libc-mismatch')?.severity, 'warning');
  assert.ok(!report.findings.some((f) => f.rule === 'no-trimpath' || f.rule === 'no-strip-flags'));
  assert.equal(runGoimg(['audit', dir, '--rule', 'no-such-rule=off']).status, 2);
  writeFileSync(join(dir, '.goimg.yaml'), 'failon: warning\n');
  const bad = runGoimg(['audit', dir]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown key "failon"/);
});

test('sarif is SARIF 2.1.0 with real regions; github prints annotations', () => {
  const dir = seedCopy();
  const sarif = JSON.parse(runGoimg(['audit', dir, '--format', 'sarif']).stdout) as {
    version: string;
    runs: {
      results: {
        ruleId: string;
        locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[];
      }[];
    }[];
  };
  assert.equal(sarif.version, '2.1.0');
  const libc = sarif.runs[0]!.results.find((r) => r.ruleId === 'libc-mismatch')!;
  assert.deepEqual(libc.locations[0]!.physicalLocation.region.startLine, 7);
  const gh = runGoimg(['audit', dir, '--format', 'github']).stdout;
  assert.match(gh, /^::error file=.*Dockerfile,line=7,col=5,.*title=libc-mismatch::/m);
});

test('parse errors are one finding with a position; no Dockerfile is exit 2', () => {
  const { status, report } = json([seedCopy('FROM golang:1.21\nFROBNICATE now\n')]);
  assert.equal(status, 1);
  assert.deepEqual(
    report.findings.filter((f) => f.file === 'Dockerfile').map((f) => [f.rule, f.line]),
    [['parse-error', 2]],
  );
  const empty = join(scratch, 'empty');
  mkdirSync(empty);
  const r = runGoimg(['audit', empty]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no Dockerfile/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test('--fix-dry-run prints a diff and changes nothing; --fix keeps CRLF and comments', () => {
  const dir = seedCopy();
  const before = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  const dry = runGoimg(['audit', dir, '--fix-dry-run']);
  assert.match(
    dry.stdout,
    /^\+RUN --mount=type=cache,target=\/root\/\.cache\/go-build \\\n\+ {4}CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o main \.$/m,
  );
  assert.match(dry.stdout, /^\+\+\+ b\/\.dockerignore$/m);
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), before);
  assert.ok(!existsSync(join(dir, '.dockerignore')));

  const crlf = seedCopy(before.replace(/\n/g, '\r\n'));
  runGoimg(['audit', crlf, '--fix']);
  const fixed = readFileSync(join(crlf, 'Dockerfile'), 'utf8');
  assert.ok(!/[^\r]\n/.test(fixed), 'every line still ends with CRLF');
  assert.match(fixed, /# 运行时阶段\r\n/);
  assert.match(fixed, /USER 65534:65534\r\nCMD \["\.\/main"\]/);
});

test('fixes for the other fixable rules apply and are idempotent', () => {
  const text = [
    'FROM golang AS build',
    'ARG TARGETARCH',
    'WORKDIR /src',
    'COPY go.mod ./',
    'ADD . .',
    'RUN go mod download',
    'RUN go build -ldflags "-X main.v=1" -o /app .',
    'FROM scratch',
    'COPY --from=build /app /app',
    'CMD /app --port 8080',
    '',
  ].join('\n');
  const dir = seedCopy(text);
  writeFileSync(join(dir, '.dockerignore'), '.git\n');
  runGoimg(['audit', dir, '--fix']);
  const fixed = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  // golang (latest) is pinned to the newest Go release out today (offline: the bundled data), never to go.mod's minimum.
  const newest = releasedGo(bundledGoReleases(), new Date()).find((r) => !r.projected)!.version;
  assert.match(
    fixed,
    new RegExp(`^FROM --platform=\\$BUILDPLATFORM golang:${newest.replace('.', '\\.')} AS build$`, 'm'),
  );
  assert.match(fixed, /^COPY go\.mod go\.sum \.\/$/m);
  assert.match(fixed, /^copy|^COPY \. \.$/m);
  assert.match(fixed, /-ldflags "-s -w -X main\.v=1"/);
  assert.match(fixed, /GOOS=\$TARGETOS GOARCH=\$TARGETARCH/);
  assert.match(fixed, /^CMD \["\/app", "--port", "8080"\]$/m);
  const rules = json([dir]).report.findings.map((f) => f.rule);
  for (const r of [
    'add-instead-of-copy',
    'source-before-deps',
    'go-sum-not-copied',
    'unpinned-base-image',
    'shell-form-without-shell',
    'emulated-cross-build',
    'no-strip-flags',
  ]) {
    assert.ok(!rules.includes(r), `${r} still fires:\n${fixed}`);
  }
  runGoimg(['audit', dir, '--fix']);
  assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), fixed);
});

test('real context: .dockerignore gaps and excluded sources are reported in the .dockerignore', () => {
  const dir = seedCopy();
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(dir, '.git/packed-refs'), 'x'.repeat(8000));
  mkdirSync(join(dir, 'testdata'));
  writeFileSync(join(dir, 'testdata/big.bin'), 'x'.repeat(5000));
  writeFileSync(join(dir, '.dockerignore'), 'bin\nstore.go\n');
  const found = json([dir]).report.findings.filter((f) => f.file === '.dockerignore');
  const gaps = found.filter((f) => f.rule === 'dockerignore-gaps');
  assert.equal(gaps.length, 2);
  const excluded = found.find((f) => f.rule === 'dockerignore-excludes-needed');
  assert.ok(excluded);
  assert.equal(excluded.line, 2);
  assert.equal(excluded.severity, 'error');
});

test("go-version-mismatch fixes the tag, or the ARG default the tag comes from, by init's version policy", () => {
  // The newest release that satisfies go.mod (go 1.21 here), as goimg init picks it.
  const newest = releasedGo(bundledGoReleases(), new Date())
    .find((r) => !r.projected)!
    .version.replace('.', '\\.');
  const literal = seedCopy('FROM golang:1.19-alpine AS b\nRUN CGO_ENABLED=0 go build -o /app .\n');
  runGoimg(['audit', literal, '--fix']);
  assert.match(
    readFileSync(join(literal, 'Dockerfile'), 'utf8'),
    new RegExp(`^FROM golang:${newest}-alpine AS b$`, 'm'),
  );
  const viaArg = seedCopy(
    'ARG GO_VERSION=1.19\nFROM golang:${GO_VERSION} AS b\nRUN CGO_ENABLED=0 go build -o /app .\n',
  );
  runGoimg(['audit', viaArg, '--fix']);
  assert.match(
    readFileSync(join(viaArg, 'Dockerfile'), 'utf8'),
    new RegExp(`^ARG GO_VERSION=${newest}$`, 'm'),
  );
  assert.ok(!json([viaArg]).report.findings.some((f) => f.rule === 'go-version-mismatch'));
});

test("goimg init's Dockerfile passes goimg audit with no warning or error", () => {
  const dir = seedCopy();
  const init = runGoimg(['init', dir, '--force']);
  assert.equal(init.status, 0, init.stderr);
  const { status, report } = json([dir]);
  assert.equal(status, 0);
  assert.deepEqual(
    report.findings.filter((f) => f.severity !== 'info').map((f) => f.rule),
    [],
  );
});

test('--target judges the named stage as the image and leaves out the stages it does not need', () => {
  // A test stage after the image: built only with --target test.
  const seed = readFileSync(join(REPO_ROOT, 'examples/seed-article/Dockerfile'), 'utf8');
  const text = `${seed.replace('FROM alpine:latest', 'FROM alpine:latest AS runtime')}
FROM golang:1.21 AS test
WORKDIR /src
COPY . .
RUN go test ./...
`;
  const dir = seedCopy(text);
  const testLine = text.split('\n').findIndex((l) => l.startsWith('FROM golang:1.21 AS test')) + 1;
  const rules = (report: Report) => report.findings.map((f) => `${f.rule}:${f.line}`);
  // Without --target the last stage is the image: its golang base ships.
  const whole = json([dir, '--fail-on', 'never']).report;
  assert.ok(
    whole.findings.some((f) => f.line >= testLine),
    'the test stage is judged',
  );
  assert.ok(!whole.findings.some((f) => f.rule === 'libc-mismatch'), 'a glibc image runs the glibc binary');
  // With the image's stage named, the test stage is not built and the alpine stage is the image.
  const image = json([dir, '--target', 'runtime', '--fail-on', 'never']).report;
  assert.ok(
    image.findings.every((f) => f.line < testLine),
    `findings in the unbuilt stage: ${rules(image)}`,
  );
  assert.ok(
    image.findings.some((f) => f.rule === 'libc-mismatch'),
    'the image is the alpine stage',
  );
  // .goimg.yaml's audit.target does the same.
  writeFileSync(join(dir, '.goimg.yaml'), 'audit:\n  target: runtime\n');
  assert.deepEqual(rules(json([dir, '--fail-on', 'never']).report), rules(image));
  const unknown = runGoimg(['audit', dir, '--target', 'nosuch']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Dockerfile has no stage named nosuch/);
  assert.doesNotMatch(unknown.stderr, /at .*\.js:\d+/);
});

test("--build-arg replaces an ARG's default; a default the project's Makefile passes is not judged as built", () => {
  const seed = readFileSync(join(REPO_ROOT, 'examples/seed-article/Dockerfile'), 'utf8');
  const text = `ARG GO_VERSION=1.16\n${seed.replace(/^FROM golang:[^\s]+/m, 'FROM golang:${GO_VERSION}')}`;
  const dir = seedCopy(text);
  const goRules = (report: Report) =>
    report.findings
      .filter((f) => f.rule.startsWith('go-version'))
      .map((f) => `${f.rule}:${f.severity}`)
      .sort();
  // The default alone: Go 1.16 is unsupported and older than go.mod's go line.
  const plain = goRules(json([dir, '--fail-on', 'never']).report);
  assert.ok(plain.includes('go-version-unsupported:info'), `${plain}`);
  // The value the build passes is judged instead: a supported Go, nothing to say.
  const newest = releasedGo(bundledGoReleases(), new Date())[0]!.version;
  assert.deepEqual(
    goRules(json([dir, '--build-arg', `GO_VERSION=${newest}`, '--fail-on', 'never']).report),
    [],
  );
  writeFileSync(join(dir, '.goimg.yaml'), `audit:\n  buildArgs:\n    GO_VERSION: "${newest}"\n`);
  assert.deepEqual(goRules(json([dir, '--fail-on', 'never']).report), []);
  rmSync(join(dir, '.goimg.yaml'));
  // The project's Makefile passes its own GO_VERSION: the default is not what its images use,
  // so its support is not judged, and the mismatch says it holds for a plain build only.
  writeFileSync(join(dir, 'Makefile'), 'image:\n\tdocker build --build-arg GO_VERSION=$(GO) -t app .\n');
  const passed = json([dir, '--fail-on', 'never']).report.findings.filter((f) =>
    f.rule.startsWith('go-version'),
  );
  assert.deepEqual(
    passed.map((f) => `${f.rule}:${f.severity}`),
    ['go-version-mismatch:warning'],
  );
  assert.match(
    passed[0]!.message,
    /when GO_VERSION keeps its default; the project's build files pass their own GO_VERSION/,
  );
  const bad = runGoimg(['audit', dir, '--build-arg', 'GO_VERSION']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--build-arg "GO_VERSION" is not NAME=VALUE/);
});
