import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { generateDockerfile } from '../../../src/generate/dockerfile.js';
import { missingEmbeds } from '../../../src/generate/generated-assets.js';
import { DEFAULT_GENERATE_OPTIONS } from '../../../src/generate/options.js';
import { scanProject } from '../../../src/project/index.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: 'web', private: true, scripts });
const LOCK = JSON.stringify({ name: 'web', lockfileVersion: 3, packages: { '': { name: 'web' } } });

/** A Go program that embeds `pattern` (absent), plus the given files. */
async function project(pattern: string, files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'goimg-assets-'));
  dirs.push(root);
  const all: Record<string, string> = {
    'go.mod': 'module example.com/site\n\ngo 1.22\n',
    'main.go': `package main\n\nimport "embed"\n\n//go:embed ${pattern}\nvar site embed.FS\n\nfunc main() { _ = site }\n`,
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  const model = await scanProject(root);
  const missing = missingEmbeds(model);
  const { dockerfile, notes } = generateDockerfile(model, {
    ...DEFAULT_GENERATE_OPTIONS,
    missingEmbeds: missing,
  });
  return { missing, dockerfile, notes };
}

test('a Makefile target whose recipe is cd DIR && npm ci && npm run build: the asset stage builds it there', async () => {
  const { missing, dockerfile } = await project('ui/build', {
    'frontend/package.json': pkg({ build: 'node build.mjs' }),
    'frontend/package-lock.json': LOCK,
    Makefile: 'ui/build: frontend/package.json\n\tcd frontend && npm ci && npm run build\n',
  });
  assert.deepEqual(missing[0]?.producer, {
    kind: 'npm',
    dir: 'frontend',
    script: 'build',
    lockfile: true,
    make: 'ui/build',
    output: '../ui/build',
  });
  assert.match(missing[0]!.why, /written by make ui\/build \(npm run build in frontend\/\)/);
  assert.match(
    dockerfile,
    /^# Assets: ui\/build is embedded .* built by make ui\/build, whose recipe is npm run build/m,
  );
  assert.match(dockerfile, /^WORKDIR \/web\/frontend$/m);
  assert.match(dockerfile, /^COPY frontend\/package\.json frontend\/package-lock\.json \.\/$/m);
  assert.match(dockerfile, /^RUN --mount=type=cache,target=\/root\/\.npm npm ci$/m);
  assert.match(dockerfile, /^COPY --from=assets \/web\/ui\/build ui\/build$/m);
});

test('recipe lines each in their own shell, prefixes, another script name and no lockfile', async () => {
  const { missing, dockerfile } = await project('static', {
    'web/package.json': pkg({ 'build:prod': 'node build.mjs' }),
    Makefile:
      'all: static\n\nstatic: web/node_modules\n\t@cd web && npm install\n\t-cd web/ ; npm run build:prod\n',
  });
  assert.equal(missing[0]?.producer?.kind, 'npm');
  assert.match(dockerfile, /^RUN --mount=type=cache,target=\/root\/\.npm npm install$/m);
  assert.match(dockerfile, /^RUN npm run build:prod$/m);
  assert.match(dockerfile, /^COPY --from=assets \/web\/static static$/m);
});

test('an inline recipe in the root package', async () => {
  const { missing } = await project('public', {
    'package.json': pkg({ bundle: 'node bundle.mjs' }),
    Makefile: 'public: ; npm run bundle\n',
  });
  assert.deepEqual(missing[0]?.producer, {
    kind: 'npm',
    dir: '.',
    script: 'bundle',
    lockfile: false,
    make: 'public',
    output: 'public',
  });
});

for (const [what, files] of [
  [
    'a copy after the npm build',
    { Makefile: 'static:\n\tcd web && npm run build && cp -r dist ../static\n' },
  ],
  ['yarn', { Makefile: 'static:\n\tcd web && yarn build\n' }],
  ['a script the package.json lacks', { Makefile: 'static:\n\tcd web && npm run bundle\n' }],
  [
    'a prerequisite built by another target',
    { Makefile: 'static: gen\n\tcd web && npm run build\ngen:\n\tgo generate ./...\n' },
  ],
  ['lines in different directories', { Makefile: 'static:\n\tcd web && npm ci\n\tnpm run build\n' }],
  ['a directory outside the project', { Makefile: 'static:\n\tcd ../web && npm run build\n' }],
] as const) {
  test(`a Makefile recipe with ${what}: no stage, a note names the pattern and why the build fails`, async () => {
    const { missing, dockerfile, notes } = await project('static', {
      'web/package.json': pkg({ build: 'node build.mjs' }),
      ...files,
    });
    assert.deepEqual(missing[0]?.producer, { kind: 'make', target: 'static' });
    assert.doesNotMatch(dockerfile, /AS assets/);
    const note = notes.find((n) => n.includes('//go:embed static'));
    assert.ok(note, notes.join('\n'));
    assert.match(
      note,
      /matches no file, so go build fails .*written by make static, whose recipe is not an npm build/,
    );
    assert.match(note, /build it before docker build, or commit it/);
  });
}
