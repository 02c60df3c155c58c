/**
 * `goimg bench [DIR]`: builds the project's own Dockerfile, goimg's generated one and any other
 * given with --variant, with real BuildKit, and reports sizes, build times and whether each image
 * starts, side by side (text, JSON, or a self-contained HTML page).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderHtml } from '../bench/html.js';
import { renderText } from '../bench/report.js';
import { type BenchVariantInput, runBench } from '../bench/run.js';
import { EnvironmentError, ExitCode, UsageError } from '../core/errors.js';
import { findBuildKitClient, probeEngine } from '../env/docker-engine.js';
import { DEFAULT_GENERATE_OPTIONS, generateProjectFiles } from '../generate/index.js';
import { goReleaseOptions } from '../generate/releases.js';
import { parseBase } from '../oci/base-choice.js';
import { parsePlatforms } from '../oci/platform.js';
import { scanProject } from '../project/index.js';
import type { Command } from './command.js';
import { builderReleases } from './go-releases.js';
import { flagOption, listOption, stringOption } from './options.js';

export const benchCommand: Command = {
  name: 'bench',
  summary: "build the project's Dockerfile and goimg's with BuildKit; compare size, build times, startup",
  usage: 'goimg bench [DIR] [--variant NAME=DOCKERFILE]... [--html FILE] [--format text|json]',
  help: [
    'Builds, in a private copy of DIR, the project\'s Dockerfile ("current", if there is one) and the',
    'one `goimg init` would write ("goimg"), plus any --variant, with real BuildKit builds; for each:',
    'cold build (no layer cache, empty cache mounts), no-change rebuild, one-line source change,',
    'dependency change; image size and its overhead over the binary inside; whether it starts and',
    "answers HTTP; static verification of the binary. The host's incremental go build is the reference.",
    'Your files, tags and build cache are not touched: cache mounts get ids of their own, and every',
    'throwaway tag, container and cache mount made is removed at the end, on failure and on Ctrl-C.',
    '',
    'Options:',
    '  --dockerfile FILE          the current Dockerfile (default DIR/Dockerfile)',
    '  --variant NAME=FILE        another Dockerfile to compare (repeatable)',
    '  --no-current               skip the current Dockerfile',
    '  --main ./cmd/x             main package for the generated Dockerfile (when there are several)',
    '  --go, --base, --cgo        passed to the generator (see goimg init --help)',
    '  --platform linux/ARCH      build for this platform (startup is checked only for the host one)',
    '  --no-syntax-directive      drop "# syntax=" from every variant (engines that cannot fetch it)',
    '  --docker PATH              the docker client to use (default: one with buildx, else a 20.10 one)',
    '  --runs N                   build cycles per variant, interleaved; timings are medians (default 1)',
    '  --html FILE                also write a self-contained HTML report with bar charts',
    '  --offline                  pick the Go release from cached or bundled release data, never fetch it',
    '',
    'Example: goimg bench examples/seed-article --no-syntax-directive --html bench.html',
  ].join('\n'),
  formats: ['text', 'json'],
  options: {
    dockerfile: { type: 'string' },
    variant: { type: 'string', multiple: true },
    'no-current': { type: 'boolean' },
    main: { type: 'string' },
    go: { type: 'string' },
    base: { type: 'string' },
    cgo: { type: 'string' },
    platform: { type: 'string' },
    'no-syntax-directive': { type: 'boolean' },
    docker: { type: 'string' },
    html: { type: 'string' },
    offline: { type: 'boolean' },
    runs: { type: 'string' },
  },
  async run({ args, options, format, out, cwd }) {
    if (args.length > 1) throw new UsageError('bench takes at most one directory');
    const root = resolve(cwd, args[0] ?? '.');
    if (!existsSync(resolve(root, 'go.mod'))) throw new UsageError(`${root} has no go.mod`);
    const platforms = parsePlatforms(stringOption(options, 'platform'));
    if (platforms.length > 1) throw new UsageError('bench builds one --platform at a time');
    const cgo = stringOption(options, 'cgo') ?? 'auto';
    if (!['auto', 'on', 'off'].includes(cgo))
      throw new UsageError(`--cgo must be auto, on or off, got "${cgo}"`);

    const client = findBuildKitClient(stringOption(options, 'docker'));
    if (!client) {
      throw new EnvironmentError(
        'no docker client that runs BuildKit builds (docker buildx, or a docker <= 20.10 with DOCKER_BUILDKIT=1)',
        'install the buildx plugin, or point --docker at such a client',
      );
    }
    const engine = await probeEngine();
    if (!engine.reachable) {
      throw new EnvironmentError(
        `no Docker engine at DOCKER_HOST: ${engine.error}`,
        'start one, or set DOCKER_HOST',
      );
    }

    const project = await scanProject(root);
    const generated = generateProjectFiles(project, {
      ...DEFAULT_GENERATE_OPTIONS,
      ...goReleaseOptions(await builderReleases(options), new Date()),
      base: parseBase(stringOption(options, 'base')),
      cgo: cgo as 'auto' | 'on' | 'off',
      main: stringOption(options, 'main'),
      goVersion: stringOption(options, 'go'),
      platforms,
    });
    const variants: BenchVariantInput[] = [];
    const currentPath = resolve(cwd, stringOption(options, 'dockerfile') ?? resolve(root, 'Dockerfile'));
    if (!flagOption(options, 'no-current')) {
      if (existsSync(currentPath)) {
        variants.push({
          name: 'current',
          source: currentPath,
          dockerfile: readFileSync(currentPath, 'utf8'),
        });
      } else if (stringOption(options, 'dockerfile')) {
        throw new UsageError(`--dockerfile ${currentPath}: no such file`);
      }
    }
    variants.push({
      name: 'goimg',
      source: 'generated by goimg init',
      dockerfile: generated.dockerfile,
      dockerignore: generated.dockerignore,
    });
    for (const spec of listOption(options, 'variant')) {
      const m = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(spec);
      if (!m) throw new UsageError(`--variant ${spec}: expected NAME=DOCKERFILE`);
      const file = resolve(cwd, m[2]!);
      if (!existsSync(file)) throw new UsageError(`--variant ${spec}: no such file ${file}`);
      if (variants.some((v) => v.name === m[1])) throw new UsageError(`--variant ${m[1]}: name used twice`);
      variants.push({ name: m[1]!, source: file, dockerfile: readFileSync(file, 'utf8') });
    }

    const runs = Number(stringOption(options, 'runs') ?? '1');
    if (!Number.isInteger(runs) || runs < 1 || runs > 20)
      throw new UsageError('--runs must be a whole number from 1 to 20');
    const tty = Boolean(process.stderr.isTTY) && !out.options.quiet;
    let live = '';
    const report = await runBench({
      runs,
      project,
      mainDir: generated.plan.mainDir,
      goMinor: generated.plan.goVersion,
      variants,
      client,
      engineVersion: engine.version ?? null,
      stripSyntax: flagOption(options, 'no-syntax-directive'),
      platform: platforms[0] ? `${platforms[0].os}/${platforms[0].arch}` : undefined,
      progress: (line) => {
        if (tty && live) process.stderr.write('\r\u001b[2K');
        live = '';
        out.note(`bench: ${line}`);
      },
      step: tty
        ? (text) => {
            live = text.slice(0, (process.stderr.columns ?? 100) - 2);
            process.stderr.write(`\r\u001b[2K${out.paint.dim(live)}`);
          }
        : undefined,
    });
    if (tty && live) process.stderr.write('\r\u001b[2K');

    const html = stringOption(options, 'html');
    if (html) {
      writeFileSync(resolve(cwd, html), renderHtml(report));
      out.note(`bench: HTML report written to ${html}`);
    }
    out.result(format === 'json' ? JSON.stringify(report, null, 2) : renderText(report));
    // Another variant may fail by design (the article's cannot build vendored code offline).
    return report.variants.find((v) => v.name === 'goimg')?.ok === false
      ? ExitCode.Environment
      : ExitCode.Clean;
  },
};
