/**
 * `goimg init [DIR]`: writes the Dockerfile and .dockerignore an expert would write for this Go
 * project (and, with --ci, a CI job). Never overwrites an existing different file without
 * --force: it prints a diff instead and exits 2.
 */

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ExitCode, UsageError } from '../core/errors.js';
import { unifiedDiff, writeFileAtomic } from '../fix/index.js';
import { type CiFile, generateCi } from '../generate/ci.js';
import { missingEmbeds } from '../generate/generated-assets.js';
import { DEFAULT_GENERATE_OPTIONS, type GenerateOptions, generateProjectFiles } from '../generate/index.js';
import { readReleaseInputs } from '../generate/release-inputs.js';
import { dockerfileGoVersion, goReleaseOptions } from '../generate/releases.js';
import { parseBase } from '../oci/base-choice.js';
import { parsePlatforms } from '../oci/platform.js';
import { scanProject } from '../project/index.js';
import type { Command, OptionValues } from './command.js';
import { builderReleases } from './go-releases.js';
import { flagOption, listOption, stringOption } from './options.js';

export interface InitResult {
  version: 1;
  project: string;
  files: {
    path: string;
    status: 'created' | 'overwritten' | 'unchanged' | 'conflict' | 'stdout';
    text: string;
  }[];
  builder: string;
  runtime: string;
  main: string;
  cgo: boolean;
  port: number | null;
  notes: string[];
}

function generateOptions(options: OptionValues): GenerateOptions {
  const cgo = stringOption(options, 'cgo') ?? 'auto';
  if (!['auto', 'on', 'off'].includes(cgo))
    throw new UsageError(`--cgo must be auto, on or off, got "${cgo}"`);
  const portText = stringOption(options, 'port');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new UsageError(`--port must be a port number, got "${portText}"`);
  }
  return {
    ...DEFAULT_GENERATE_OPTIONS,
    base: parseBase(stringOption(options, 'base')),
    cgo: cgo as GenerateOptions['cgo'],
    platforms: parsePlatforms(stringOption(options, 'platform')),
    main: stringOption(options, 'main'),
    goVersion: stringOption(options, 'go'),
    port,
    syntaxDirective: !flagOption(options, 'no-syntax-directive'),
    private: listOption(options, 'private')
      .flatMap((p) => p.split(','))
      .filter(Boolean),
  };
}

export const initCommand: Command = {
  name: 'init',
  summary: 'write the optimal Dockerfile and .dockerignore for this Go project',
  usage: 'goimg init [DIR] [options]',
  help: [
    'Reads the Go project in DIR (default .): go.mod/go.work, vendor/, local replaces, main packages,',
    'cgo, TLS and time-zone needs, //go:embed, listening port; writes a multi-stage Dockerfile',
    '(builder: the newest Go release that satisfies go.mod, never older than in an existing Dockerfile;',
    'cross-compiling from $BUILDPLATFORM, module and build',
    'cache mounts, CGO_ENABLED=0 -trimpath -ldflags="-s -w", the smallest runtime that works, non-root,',
    'exec-form ENTRYPOINT, OCI labels) and a .dockerignore that never excludes what the build copies.',
    'A .goreleaser.yml (or .ko.yaml) build is followed: main, binary, flags, ldflags, tags, env,',
    'platforms. -X version injection (goreleaser, Makefile, the existing Dockerfile) becomes build ARGs.',
    '',
    'Options:',
    '  --main ./cmd/x             the main package to build (required when there are several)',
    '  --goreleaser-build ID      the .goreleaser.yml (or .ko.yaml) build to follow when it has several',
    '  --go 1.23                  builder Go version (default: the newest release satisfying go.mod;',
    '                             never older than go.mod)',
    '  --base auto|scratch|distroless|alpine|debian|IMAGE',
    '                             runtime base (auto: scratch, distroless static, or glibc for cgo)',
    '  --cgo auto|on|off          auto: on only when the source imports "C" or a cgo-only module',
    '  --platform LIST            target platforms, e.g. linux/amd64,linux/arm64 (build command, CI)',
    '  --port N                   EXPOSE this port (default: the one found in the source)',
    '  --private PATTERN          GOPRIVATE module pattern(s); credentials via a build secret',
    '  --ci github|gitlab         also write a CI job building with BuildKit and a registry/GHA cache',
    '  --no-syntax-directive      omit "# syntax=docker/dockerfile:1" (engines that cannot fetch it)',
    '  --stdout                   print the files instead of writing them',
    '  --force                    overwrite existing files (otherwise: print a diff and exit 2)',
    '  --offline                  pick the Go release from cached or bundled release data, never fetch it',
    '',
    'Examples:',
    '  goimg init',
    '  goimg init services/api --main ./cmd/api --platform linux/amd64,linux/arm64 --ci github',
  ].join('\n'),
  formats: ['text', 'json'],
  options: {
    main: { type: 'string' },
    'goreleaser-build': { type: 'string' },
    go: { type: 'string' },
    base: { type: 'string' },
    cgo: { type: 'string' },
    platform: { type: 'string' },
    port: { type: 'string' },
    private: { type: 'string', multiple: true },
    ci: { type: 'string' },
    'no-syntax-directive': { type: 'boolean' },
    stdout: { type: 'boolean' },
    force: { type: 'boolean' },
    offline: { type: 'boolean' },
  },
  async run({ args, options, format, out, cwd }) {
    if (args.length > 1) throw new UsageError('init takes at most one directory');
    const root = resolve(cwd, args[0] ?? '.');
    if (!existsSync(join(root, 'go.mod'))) {
      throw new UsageError(`${root} has no go.mod`, 'run goimg init in a Go module (go mod init)');
    }
    const ci = stringOption(options, 'ci');
    if (ci !== undefined && ci !== 'github' && ci !== 'gitlab') {
      throw new UsageError(`--ci must be github or gitlab, got "${ci}"`);
    }
    const existingDockerfile = join(root, 'Dockerfile');
    const currentGo = existsSync(existingDockerfile)
      ? dockerfileGoVersion(readFileSync(existingDockerfile, 'utf8'))
      : undefined;
    const genOptions: GenerateOptions = {
      ...generateOptions(options),
      ...goReleaseOptions(await builderReleases(options), new Date()),
      ...(currentGo ? { currentGo } : {}),
    };
    const main = stringOption(options, 'main');
    genOptions.release = await readReleaseInputs(root, {
      ...(main ? { main } : {}),
      ...(stringOption(options, 'goreleaser-build')
        ? { build: stringOption(options, 'goreleaser-build') }
        : {}),
    });
    const koBase = genOptions.release.config?.baseImage;
    if (koBase && stringOption(options, 'base') === undefined) {
      // ko's defaultBaseImage is the runtime base the project chose.
      genOptions.base = parseBase(koBase);
    }
    const project = await scanProject(root);
    genOptions.missingEmbeds = missingEmbeds(project);
    const generated = generateProjectFiles(project, genOptions);
    const files: CiFile[] = [
      { path: 'Dockerfile', text: generated.dockerfile },
      { path: '.dockerignore', text: generated.dockerignore },
    ];
    if (ci) files.push(generateCi(ci, generated.plan.binaryName, genOptions.platforms));

    const toStdout = flagOption(options, 'stdout');
    const force = flagOption(options, 'force');
    const result: InitResult = {
      version: 1,
      project: root,
      files: [],
      builder: generated.plan.builderImage,
      runtime: generated.plan.runtime.image,
      main: generated.plan.mainDir === '.' ? '.' : `./${generated.plan.mainDir}`,
      cgo: generated.plan.cgo,
      port: generated.plan.port ?? null,
      notes: generated.notes,
    };
    const diffs: string[] = [];
    for (const f of files) {
      const target = join(root, f.path);
      if (toStdout) {
        result.files.push({ path: f.path, status: 'stdout', text: f.text });
        continue;
      }
      const existing = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
      if (existing === f.text) {
        result.files.push({ path: f.path, status: 'unchanged', text: f.text });
      } else if (existing !== undefined && !force) {
        result.files.push({ path: f.path, status: 'conflict', text: f.text });
        diffs.push(unifiedDiff(f.path, existing, f.text));
      } else {
        mkdirSync(dirname(target), { recursive: true });
        await writeFileAtomic(target, f.text);
        result.files.push({
          path: f.path,
          status: existing === undefined ? 'created' : 'overwritten',
          text: f.text,
        });
      }
    }
    const conflict = diffs.length > 0;

    if (format === 'json') {
      out.result(JSON.stringify(result, null, 2));
    } else if (toStdout) {
      out.result(files.map((f) => `# ----- ${f.path} -----\n${f.text}`).join('\n'));
    } else {
      if (conflict) out.result(diffs.join('\n'));
      for (const f of result.files) {
        if (f.status !== 'conflict') out.note(`${f.status.padEnd(11)} ${f.path}`);
      }
    }
    out.note(
      `builder ${result.builder}, runtime ${result.runtime}, main ${result.main}${result.cgo ? ', cgo on' : ''}`,
    );
    for (const n of result.notes) out.note(`note: ${n}`);
    if (conflict) {
      out.error(
        `${result.files
          .filter((f) => f.status === 'conflict')
          .map((f) => f.path)
          .join(', ')} already exist(s) and differ: shown as a diff, not written (use --force to overwrite)`,
      );
      return ExitCode.Usage;
    }
    return ExitCode.Clean;
  },
};
