import { isGoCommand } from '../../dockerfile/go-commands.js';
import { scopeAt } from '../../dockerfile/instruction.js';
import type { Stage } from '../../dockerfile/model.js';
import { unwrapCommand } from '../../dockerfile/shell.js';
import { goBuilderPolicy } from '../../project/go-policy.js';
import { compareVersions, knownGo } from './base-images.js';
import type { AuditContext, RuleHit } from './context.js';
import { baseSetByBuild, makeArgs, projectBuilds, replace } from './support.js';

export const id = 'go-version-mismatch';

export const examples = {
  bad: '# go.mod: go 1.23\nFROM golang:1.21 AS build',
  good: '# go.mod: go 1.23\nFROM golang:1.23 AS build',
};

export const fixDescription =
  "Raises the golang tag's version to the newest Go release that satisfies go.mod's go and toolchain lines (goimg init's policy), keeping any suffix (-alpine, -bookworm).";

/** GOTOOLCHAIN as the stage sets it (ENV or ARG in scope), or undefined: the golang images' `local`. */
function toolchainSetting(stage: Stage): string | undefined {
  const first = stage.instructions.find((i) => i.keyword === 'RUN') ?? stage.from;
  return scopeAt(first).get('GOTOOLCHAIN');
}

/**
 * What the builder's go does with the module, as a finding. Go 1.21+ treats go.mod's go line
 * as a minimum, and the golang images set GOTOOLCHAIN=local: an older go refuses the module.
 * Before 1.21 the go line was advisory (the build fails only where the code uses newer
 * features). The toolchain line is a suggestion: with GOTOOLCHAIN=local the builder's go is used.
 */
function mismatch(
  have: string,
  base: string,
  mod: { go: string; toolchain?: string },
  gotoolchain: string | undefined,
): Pick<RuleHit, 'message' | 'severity'> | undefined {
  // Go 1.19 and older read go.mod with the grammar before Go 1.21: a go line with a patch
  // number and the toolchain line are errors to them.
  if (compareVersions(have, '1.20', true) < 0) {
    const rejects: string[] = [];
    if (/^\d+\.\d+\.\d+/.test(mod.go))
      rejects.push(`the go line ${mod.go} ("invalid go version '${mod.go}': must match format 1.23")`);
    if (mod.toolchain) rejects.push('the toolchain line ("unknown directive: toolchain")');
    if (rejects.length > 0)
      return {
        message: `the builder ${base} has Go ${have}, which cannot read this go.mod: it rejects ${rejects.join(' and ')}, the build fails`,
      };
  }
  if (compareVersions(have, mod.go, true) < 0) {
    const head = `the builder ${base} has Go ${have} but go.mod requires go ${mod.go}`;
    // Go 1.19.13+ and 1.20.8+ refuse modules that declare Go 1.22 or later, as 1.21 does; a
    // golang tag without a patch number is the newest patch of its release, which does.
    const [, minor, patch] = /^1\.(\d+)(?:\.(\d+))?$/.exec(have) ?? [];
    const backported =
      (minor === '19' && (patch === undefined || Number(patch) >= 13)) ||
      (minor === '20' && (patch === undefined || Number(patch) >= 8));
    if (backported && compareVersions(mod.go, '1.22') >= 0)
      return {
        message: `${head}: Go 1.19.13+ and 1.20.8+ refuse a module that declares Go 1.22 or later, the build fails`,
      };
    if (compareVersions(have, '1.21') < 0)
      return {
        message: `${head}: Go before 1.21 builds it anyway and fails only where the code uses newer language or library features ("note: module requires Go ${mod.go}")`,
        severity: 'warning',
      };
    if (gotoolchain !== undefined && gotoolchain !== 'local')
      return {
        message: `${head}: with GOTOOLCHAIN=${gotoolchain} the build downloads go ${mod.go} first, slowly, and fails offline`,
        severity: 'warning',
      };
    return {
      message: `${head}: go refuses the module (GOTOOLCHAIN=local in the golang images), the build fails`,
    };
  }
  if (mod.toolchain && compareVersions(have, mod.toolchain, true) < 0)
    return {
      message: `the builder ${base} has Go ${have}, older than the toolchain go${mod.toolchain} go.mod suggests: the build uses Go ${have} (the go line, ${mod.go}, is the minimum)`,
      severity: 'info',
    };
  return undefined;
}

/** go mod commands that load go.mod and so refuse a module that needs a newer Go. */
const MOD_LOADING = new Set(['download', 'tidy', 'verify', 'vendor', 'graph', 'why']);

/** A RUN of the stage that runs make: what it runs is in the Makefile, which a Go project's runs go. */
function runsMake(stage: Stage): boolean {
  return stage.instructions.some(
    (i) => i.keyword === 'RUN' && i.commands.some((c) => makeArgs(c) !== undefined),
  );
}

/** Stages where go reads the project's go.mod: certainly (go build, go mod download), or through make. */
function goStages(ctx: AuditContext): { stage: Stage; throughMake: boolean }[] {
  const out: { stage: Stage; throughMake: boolean }[] = [];
  for (const stage of ctx.df.stages) {
    const go = ctx.facts.go(stage);
    // `go mod init` writes a go.mod of the builder's own Go: that stage's module is not the project's.
    const ownModule = go.modSteps.some((m) => m.action === 'init');
    if (
      projectBuilds(ctx, stage).length > 0 ||
      (!ownModule && go.modSteps.some((m) => MOD_LOADING.has(m.action)))
    )
      out.push({ stage, throughMake: false });
    else if (runsMake(stage)) out.push({ stage, throughMake: true });
  }
  return out;
}

export function check(ctx: AuditContext): RuleHit[] {
  const mod = ctx.project?.goMod;
  if (!mod?.go) return [];
  const toolchain = mod.toolchain ? /^go(\d+(?:\.\d+)*)/.exec(mod.toolchain)?.[1] : undefined;
  const hits: RuleHit[] = [];
  for (const { stage, throughMake } of goStages(ctx)) {
    const base = ctx.facts.base(stage);
    const have = base.goVersion;
    if (!have || have === 'latest') continue;
    const root = ctx.facts.root(stage);
    const arg = root.from.args[0]!;
    // golang:1.21 means the newest 1.21.x: compare only the parts the tag names.
    const found = mismatch(
      have,
      root.base,
      { go: mod.go, ...(toolchain ? { toolchain } : {}) },
      toolchainSetting(stage),
    );
    if (!found) continue;
    // goimg does not read the Makefile's recipes: likely, not certain.
    if (throughMake)
      Object.assign(found, {
        severity: found.severity ?? 'warning',
        message: found.message.endsWith(', the build fails')
          ? `${found.message} when the make run here runs go, as a Go project's Makefile does`
          : `${found.message} (when the make run here runs go)`,
      });
    const passed = baseSetByBuild(ctx, root);
    // The project's build passes its own value: this holds for builds that do not (a plain
    // docker build), so it is not certain (a warning at most).
    if (passed)
      Object.assign(found, {
        severity: found.severity ?? 'warning',
        message: `${found.message} (when ${passed} keeps its default; the project's build files pass their own ${passed})`,
      });
    // From Go 1.18, go get no longer builds or installs programs: a newer builder would stop
    // the tool installs written for an older one. The message says so; no fix.
    if (compareVersions(have, '1.18') < 0 && installsWithGoGet(ctx, stage)) {
      hits.push({
        ...found,
        message: `${found.message}; raise it together with its go get installs, which Go 1.18 and later no longer build (go install pkg@version does)`,
        span: arg.span,
      });
      continue;
    }
    const hit: RuleHit = { ...found, span: arg.span };
    const tag = root.image?.tag ?? '';
    // goimg's one version policy, as init applies it: the newest release that satisfies go.mod.
    const wanted = goBuilderPolicy({
      go: ctx.project?.goMod?.go,
      toolchain: ctx.project?.goMod?.toolchain,
      releases: knownGo(ctx.releases.go, ctx.now),
    }).version;
    if (root.baseRaw === root.base && tag.startsWith(have)) {
      const start = arg.span.end - tag.length;
      hit.fix = {
        description: `use golang ${wanted}`,
        edits: [replace(ctx, start, start + have.length, wanted)],
      };
    } else {
      // `FROM golang:${GO_VERSION}`: raise the global ARG's default instead.
      const name = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(root.baseRaw)?.[1];
      const argWord = ctx.df.instructions
        .filter((i) => i.stage === -1 && i.keyword === 'ARG')
        .flatMap((i) => i.args)
        .find((a) => a.value.startsWith(`${name}=${have}`));
      if (name && argWord) {
        const start = argWord.span.start + name.length + 1;
        hit.fix = {
          description: `use golang ${wanted}`,
          edits: [replace(ctx, start, start + have.length, wanted)],
        };
      }
    }
    hits.push(hit);
  }
  return hits;
}

/** A RUN of the stage's lineage that installs a program with go get (not go get -d). */
function installsWithGoGet(ctx: AuditContext, stage: Stage): boolean {
  return ctx.facts
    .lineage(stage)
    .flatMap((s) => s.instructions)
    .some(
      (i) =>
        i.keyword === 'RUN' &&
        i.commands.some((c) => {
          const { name, args } = unwrapCommand(c);
          const words = args.map((a) => a.value);
          return isGoCommand(name) && words[0] === 'get' && !words.includes('-d');
        }),
    );
}
