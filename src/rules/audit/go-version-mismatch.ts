import { goBuilderPolicy } from '../../project/go-policy.js';
import { compareVersions, knownGo } from './base-images.js';
import type { AuditContext, RuleHit } from './context.js';
import { builderStages, replace } from './support.js';

export const id = 'go-version-mismatch';

export const examples = {
  bad: '# go.mod: go 1.23\nFROM golang:1.21 AS build',
  good: '# go.mod: go 1.23\nFROM golang:1.23 AS build',
};

export const fixDescription =
  "Raises the golang tag's version to the newest Go release that satisfies go.mod's go and toolchain lines (goimg init's policy), keeping any suffix (-alpine, -bookworm).";

/** The version go.mod needs: the higher of `go` and `toolchain`. */
export function requiredGo(ctx: AuditContext): { version: string; line?: number } | undefined {
  const mod = ctx.project?.goMod;
  if (!mod?.go) return undefined;
  const tc = mod.toolchain ? /^go(\d+(?:\.\d+)*)/.exec(mod.toolchain)?.[1] : undefined;
  if (tc && compareVersions(tc, mod.go) > 0) return { version: tc, line: mod.toolchainLine };
  return { version: mod.go, line: mod.goLine };
}

export function check(ctx: AuditContext): RuleHit[] {
  const need = requiredGo(ctx);
  if (!need) return [];
  const hits: RuleHit[] = [];
  for (const stage of builderStages(ctx)) {
    const base = ctx.facts.base(stage);
    const have = base.goVersion;
    if (!have || have === 'latest') continue;
    // golang:1.21 means the newest 1.21.x: compare only the parts the tag names.
    if (compareVersions(have, need.version, true) >= 0) continue;
    const root = ctx.facts.root(stage);
    const arg = root.from.args[0]!;
    const hit: RuleHit = {
      message: `the builder ${root.base} has Go ${have} but go.mod requires go ${need.version}: the build fails or downloads a toolchain inside the build`,
      span: arg.span,
    };
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
