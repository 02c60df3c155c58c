import type { Instruction, Stage } from '../../dockerfile/model.js';
import { shippedPrograms } from './binaries.js';
import { type AuditContext, flagValue, type RuleHit } from './context.js';
import {
  discardsOutput,
  installsBuildTools,
  isToolInstall,
  makeBuildRun,
  runsGo,
  startsNothing,
} from './support.js';

export const id = 'single-stage';

export const examples = {
  bad: 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]',
  good: 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
};

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  if (!final) return [];
  const base = ctx.facts.base(final);
  const lineage = ctx.facts.lineage(final);
  const all = lineage.flatMap((s) => ctx.facts.go(s).builds);
  const builds = all.filter((b) => !discardsOutput(b));
  if (builds.length === 0 && base.kind !== 'golang') return [];
  // A stage that only compile-checks (-o /dev/null) or installs tools at a version, and starts
  // nothing, is a CI or development toolchain image: the toolchain is what it is for.
  if (builds.every(isToolInstall) && all.length > 0 && startsNothing(ctx, final)) return [];
  // A toolchain image that builds through a script or make goimg cannot read, takes no program
  // from another stage and starts nothing is a build environment other builds copy from.
  if (
    builds.length === 0 &&
    startsNothing(ctx, final) &&
    !copiesFromStage(ctx, final) &&
    (makeBuildRun(ctx, final) !== undefined || runsScript(final))
  )
    return [];
  if (runsGo(ctx, final)) return [];
  // A program that runs the go command (go/packages, exec of go) needs the toolchain it ships with.
  if (shippedPrograms(ctx)?.some((p) => p.needs.goToolEvidence.length > 0)) return [];
  if (builds.length === 0 && installsBuildTools(ctx, final)) return [];
  // Already split into stages, yet the final one is the toolchain image again and ships no
  // program of the project: a tool that runs go itself (a code generator, a linter).
  if (builds.length === 0 && copiesFromStage(ctx, final) && !shippedPrograms(ctx)?.length) return [];
  // A toolchain from the distro's packages, removed again by the RUN that compiles: what stays
  // is what the build wrote (module and build caches, sources), unless that RUN removes it too.
  if (builds.length > 0 && builds.every((b) => removesToolchain(b.instruction))) {
    if (builds.every((b) => CACHE_REMOVAL.test(b.instruction.argsText))) return [];
    return [
      {
        message:
          'the final stage compiles in a RUN that removes its toolchain again, but the module cache, build cache and sources the build wrote stay in the layer; compile in a builder stage and copy only the binary into a small runtime stage',
        span: final.from.span,
      },
    ];
  }
  const why =
    builds.length > 0
      ? 'the final stage runs go build'
      : `the final stage starts from the Go toolchain image ${final.base}`;
  return [
    {
      message: `${why}, so the image ships the whole toolchain with the binary; compile in a builder stage and copy only the binary into a small runtime stage`,
      span: final.from.span,
    },
  ];
}

/** A RUN of the stage that runs a script of the source (`./build`, `sh scripts/build.sh`). */
function runsScript(stage: Stage): boolean {
  return stage.instructions.some(
    (i) =>
      i.keyword === 'RUN' &&
      i.commands.some((c) => {
        const [name, arg] = c.words.map((w) => w.value);
        return (
          /^\.{1,2}\//.test(name ?? '') || (/^(ba|da)?sh$/.test(name ?? '') && /\.sh$|^\.\//.test(arg ?? ''))
        );
      }),
  );
}

const GO_PACKAGE = /^(go|golang(-[\w.]+)?|go\d[\w.]*)$/;
const CACHE_REMOVAL = /\brm\s+-\w*r\w*\s[^;&|]*(\.cache|go-build)/;

/** A RUN that installs Go from the distro's packages and deletes that install before it ends. */
function removesToolchain(ins: Instruction): boolean {
  const installed = new Set<string>();
  let removed = false;
  for (const cmd of ins.commands) {
    const words = cmd.words.map((w) => w.value);
    const sub = words.slice(1).find((w) => !w.startsWith('-'));
    const args = words.slice(words.indexOf(sub ?? '') + 1);
    if (words[0] === 'apk' && sub === 'add') {
      // `apk add --virtual .build-deps go git`: the group name removes them all.
      const names = args.filter((w) => !w.startsWith('-'));
      if (names.some((n) => GO_PACKAGE.test(n))) for (const n of names) installed.add(n);
    } else if ((words[0] === 'apt-get' || words[0] === 'apt') && sub === 'install') {
      for (const n of args.filter((w) => !w.startsWith('-') && GO_PACKAGE.test(w))) installed.add(n);
    } else if (
      (words[0] === 'apk' && sub === 'del') ||
      ((words[0] === 'apt-get' || words[0] === 'apt') && (sub === 'purge' || sub === 'remove'))
    ) {
      removed ||= args.some((a) => installed.has(a));
    }
  }
  return removed;
}

function copiesFromStage(ctx: AuditContext, final: Stage): boolean {
  return ctx.facts
    .lineage(final)
    .flatMap((s) => s.instructions)
    .some((i) => i.keyword === 'COPY' && ctx.facts.stageRef(flagValue(i, 'from') ?? '') !== undefined);
}
