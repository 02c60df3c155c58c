import type { ImageRef } from '../../dockerfile/model.js';
import { goBuilderPolicy } from '../../project/go-policy.js';
import { isStale } from '../../releases/calendar.js';
import { compareVersions, imageOf, knownGo, parseGoTag } from './base-images.js';
import type { AuditContext, RuleHit } from './context.js';
import { baseSetByBuild, replace } from './support.js';

export const id = 'unpinned-base-image';

export const examples = {
  bad: 'FROM golang AS build\n...\nFROM alpine:latest',
  good: 'FROM golang:1.27 AS build\n...\nFROM alpine:3.24',
};

export const fixDescription =
  "Pins golang:latest (or golang:alpine, golang:1-alpine) to the newest supported Go release that satisfies go.mod's go and toolchain lines, and other known bases (alpine, debian, ubuntu) at :latest to the newest release in goimg's release data (endoflife.date, else the bundled table).";

/** Tags that move by design, whatever the image. */
const MOVING =
  /^(latest|edge|lts|current|stable|oldstable|rolling|nightly|unstable|testing|sid|devel)([-_.].*)?$/;

/** What a tag leaves free to change, or undefined when it pins a release. */
function floats(image: ImageRef): string | undefined {
  const tag = (image.tag ?? 'latest').toLowerCase();
  const name = image.name;
  const word = MOVING.exec(tag)?.[1];
  if (word === 'latest')
    return image.tag ? 'everything (the :latest tag)' : 'everything (no tag means :latest)';
  if (
    word === 'edge' ||
    word === 'sid' ||
    word === 'unstable' ||
    word === 'testing' ||
    word === 'devel' ||
    word === 'nightly'
  )
    return `everything (${word} is a development branch, rebuilt continuously)`;
  if (word) return `the release (${word} moves to each new release)`;
  if (name === 'golang' || name.endsWith('/golang')) {
    const go = parseGoTag(tag);
    if (go === undefined)
      return 'the Go version (the tag names no Go release, so each new Go release replaces it)';
    if (!go.includes('.')) return `the Go minor release (golang:${go} follows every Go ${go}.x release)`;
    return undefined;
  }
  if (name === 'alpine' && /^\d+$/.test(tag))
    return `the Alpine release (alpine:${tag} follows every ${tag}.x release)`;
  // A runtime image whose tags lead with its version (node:22-alpine): one naming only a variant
  // (node:alpine, python:slim-bookworm) follows each new release.
  if (VERSIONED_IMAGES.has(name) && VARIANT.test(tag.split('-')[0]!))
    return `the ${name} release (the tag names only a variant, so each new ${name} release replaces it)`;
  return undefined;
}

/** Official runtime images whose tags lead with the runtime's version. */
const VERSIONED_IMAGES = new Set(['node', 'python', 'ruby', 'php', 'rust', 'perl']);

/** Tag words that name a variant (a distro, a size), not a release. */
const VARIANT = /^(alpine|slim|bookworm|bullseye|buster|trixie|jammy|noble|focal)[\d.]*$/;

/** What a distroless reference leaves free: the Debian release, when neither name nor tag names it. */
function distrolessFloats(image: ImageRef): string | undefined {
  if (/-debian\d+$/.test(image.name)) return undefined;
  const tag = (image.tag ?? 'latest').toLowerCase();
  if (tag !== 'latest') return undefined;
  return `the Debian release (${image.name} without -debianNN follows each new Debian release)`;
}

/** goimg's one Go version policy (the same as init's), on the releases known on `now` (never one only Go's calendar expects). */
function goPin(ctx: AuditContext): string {
  const mod = ctx.project?.goMod;
  return goBuilderPolicy({
    go: mod?.go,
    toolchain: mod?.toolchain,
    releases: knownGo(ctx.releases.go, ctx.now),
  }).version;
}

function pinFor(ctx: AuditContext, image: ImageRef): string | undefined {
  const repo = image.registry ? `${image.registry}/${image.name}` : image.name;
  const tag = (image.tag ?? 'latest').toLowerCase();
  const table = ctx.releases.eol.distros;
  if (image.name === 'golang') {
    const go = goPin(ctx);
    // Only tags whose pinned form is published for every release: latest, alpine, 1, 1-alpine.
    if (tag === 'latest' || tag === '1') return `${repo}:${go}`;
    if (tag === 'alpine' || tag === '1-alpine') return `${repo}:${go}-alpine`;
    return undefined;
  }
  if (tag !== 'latest') return undefined;
  if (image.name === 'alpine') return `${repo}:${table.alpine[0]!.version}`;
  if (image.name === 'debian') return `${repo}:${table.debian[0]!.codename}-slim`;
  if (image.name === 'ubuntu') return `${repo}:${table.ubuntu[0]!.version}`;
  return undefined;
}

/**
 * A golang tag naming only a distro release (`golang:alpine3.20`, `golang:bullseye`) stops moving
 * once the golang images drop that release: they build for the two newest Alpine and the two
 * newest Debian releases only. An older one is frozen at the last Go it got (which base-image-eol
 * and go-version-unsupported judge), not floating.
 */
function frozenGolangVariant(ctx: AuditContext, image: ImageRef): boolean {
  if (image.name !== 'golang') return false;
  // The variant alone (bullseye) or after a Go version (1-bullseye, 1.22-alpine3.18).
  const tag = (image.tag ?? '').toLowerCase().replace(/^\d+(\.\d+)*-/, '');
  const { alpine, debian } = ctx.releases.eol.distros;
  const m = /^alpine(\d+\.\d+)$/.exec(tag);
  if (m) return alpine[1] !== undefined && compareVersions(m[1]!, alpine[1].version) < 0;
  return debian.findIndex((r) => r.codename === tag) >= 2;
}

/** Whether `raw` (a FROM reference as written) uses a global ARG that has no value. */
function argsWithoutValue(ctx: AuditContext, raw: string): boolean {
  for (const m of raw.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const value = ctx.df.globalArgs.get(m[1]!);
    if (value === undefined || value === '') return true;
  }
  return false;
}

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const stage of ctx.df.stages) {
    const image = imageOf(stage);
    if (!image || image.digest) continue;
    // An image the project's own build files build (compose, docker build -t) has no releases.
    if (ctx.context.builtImages?.has(stage.base.replace(/:[^/:]*$/, ''))) continue;
    // A reference built from an ARG with no default, or one the project's build files pass, is
    // whatever the build passes: goimg cannot judge it, unless the tag floats by a word written
    // out (`latest-${ARCH}`).
    const rawTag = stage.baseRaw.slice(stage.baseRaw.lastIndexOf(':') + 1);
    const passed = argsWithoutValue(ctx, stage.baseRaw) || baseSetByBuild(ctx, stage) !== undefined;
    if (passed && !MOVING.test(rawTag.toLowerCase())) continue;
    // distroless and chainguard put the release in the name; their latest tag is the norm.
    // A distroless name without its Debian release (distroless/static) follows each new one.
    const what = image.name.startsWith('distroless/')
      ? distrolessFloats(image)
      : image.registry === 'cgr.dev'
        ? undefined
        : floats(image);
    if (!what || frozenGolangVariant(ctx, image)) continue;
    const arg = stage.from.args[0]!;
    const hit: RuleHit = {
      message: `${stage.base} floats: ${what} can change under you between builds; pin a release so builds are reproducible`,
      span: arg.span,
    };
    const pin = pinFor(ctx, image);
    // Fix only a literal reference: an ARG-built one is pinned where the ARG is.
    if (pin && stage.baseRaw === stage.base) {
      const { date } = image.name === 'golang' ? ctx.releases.go : ctx.releases.eol;
      const old = isStale(date, ctx.now) ? `; release data from ${date}, newer releases likely` : '';
      hit.message += ` (e.g. ${pin}${old})`;
      hit.fix = {
        description: `pin ${stage.base} to ${pin}`,
        edits: [replace(ctx, arg.span.start, arg.span.end, pin)],
      };
    }
    hits.push(hit);
  }
  return hits;
}
