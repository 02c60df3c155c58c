import { baseImageEol, goMajor } from '../../audit/base-images.js';
import type { AuditContext, RuleHit } from '../../audit/context.js';
import type { Stage } from '../../dockerfile/model.js';
import { replace } from './support.js';

export const id = 'unpinned-base-image';

export const examples = {
  bad: 'FROM golang AS build\n...\nFROM alpine:latest',
  good: 'FROM golang:1.23 AS build\n...\nFROM alpine:3.22',
};

export const fixDescription =
  "Pins the Go builder to go.mod's Go version (golang:1.N) and other known bases (alpine, debian, ubuntu) to the newest release in the dated table data/base-image-eol.json.";

function pinFor(ctx: AuditContext, stage: Stage): string | undefined {
  const image = stage.image!;
  const repo = image.registry ? `${image.registry}/${image.name}` : image.name;
  const table = baseImageEol().distros;
  if (image.name === 'golang') {
    const go = ctx.project?.goMod?.go;
    return go ? `${repo}:${goMajor(go)}` : undefined;
  }
  if (image.name === 'alpine') return `${repo}:${table.alpine[0]!.version}`;
  if (image.name === 'debian') return `${repo}:${table.debian[0]!.codename}-slim`;
  if (image.name === 'ubuntu') return `${repo}:${table.ubuntu[0]!.version}`;
  return undefined;
}

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const stage of ctx.df.stages) {
    const image = stage.image;
    if (!image || image.digest) continue;
    if (image.tag !== undefined && image.tag !== 'latest') continue;
    // distroless and chainguard put the release in the name; their latest tag is the norm.
    if (image.name.startsWith('distroless/') || image.registry === 'cgr.dev') continue;
    const arg = stage.from.args[0]!;
    const hit: RuleHit = {
      message: `${stage.base} ${image.tag ? 'uses the moving :latest tag' : 'has no tag (it means :latest)'}; pin a release so builds are reproducible`,
      span: arg.span,
    };
    const pin = pinFor(ctx, stage);
    // Fix only a literal reference: an ARG-built one is pinned where the ARG is.
    if (pin && stage.baseRaw === stage.base) {
      hit.message += ` (e.g. ${pin})`;
      hit.fix = {
        description: `pin ${stage.base} to ${pin}`,
        edits: [replace(ctx, arg.span.start, arg.span.end, pin)],
      };
    }
    hits.push(hit);
  }
  return hits;
}
