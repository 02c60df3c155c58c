import type { Instruction } from '../../dockerfile/model.js';
import { describeBase, imageOf } from './base-images.js';
import { shippedPrograms, tlsCallEvidence } from './binaries.js';
import type { AuditContext, RuleHit } from './context.js';
import { runsGo, startsNothing } from './support.js';

export const id = 'apt-install-recommends';

export const examples = {
  bad: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y ffmpeg && rm -rf /var/lib/apt/lists/*',
  good: 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*',
};

/**
 * Loader libraries whose drivers Debian ships only as their recommendations (libvulkan1 recommends
 * mesa-vulkan-drivers, libva2 va-driver-all…): installed without a driver named, the
 * recommendations are the point, and dropping them sends the program to its CPU fallback.
 */
const DRIVERS_BY_RECOMMENDATION =
  /^(libvulkan1|libva2|libvdpau1|ocl-icd-libopencl1|libgl1|libegl1|libgbm1)(:\S+)?(=\S+)?$/;

/** The first apt install of the RUN that takes recommended packages, as `apt-get` or `apt`. */
function installsRecommends(ins: Instruction): string | undefined {
  for (const cmd of ins.commands) {
    const words = cmd.words.map((w) => w.value);
    if ((words[0] !== 'apt-get' && words[0] !== 'apt') || !words.includes('install')) continue;
    if (words.some((w) => w === '--no-install-recommends' || /Install-Recommends/i.test(w))) continue;
    const packages = words.slice(words.indexOf('install') + 1).filter((w) => !w.startsWith('-'));
    if (packages.some((p) => DRIVERS_BY_RECOMMENDATION.test(p))) continue;
    if (packages.length > 0) return words[0];
  }
  return undefined;
}

const HTTPS_CLIENTS = new Set(['curl', 'wget', 'git']);

export function check(ctx: AuditContext): RuleHit[] {
  // Only layers that ship count; a test runner is not shipped.
  const final = ctx.facts.finalStage;
  if (!final || runsGo(ctx, final) || startsNothing(ctx, final)) return [];
  const lineage = ctx.facts.lineage(final);
  const runs = lineage.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN');
  // An apt configuration written earlier (APT::Install-Recommends "false") already says so.
  if (runs.some((r) => /Install-Recommends/i.test(r.argsText))) return [];
  const root = lineage[0]!;
  // The CA bundle may come only as a recommendation (curl, wget): name it when TLS needs it.
  // A tag the build passes (`ubuntu:${UBUNTU_VER}`) still names the image: no Ubuntu tag has the bundle.
  const noBundle =
    describeBase(imageOf(root), root.scratch).caCerts === false &&
    !lineage.some((s) => ctx.facts.installed(s).includes('ca-certificates'));
  const programNeedsCa = (shippedPrograms(ctx) ?? []).some(
    (p) => tlsCallEvidence(p.needs) !== undefined && !p.needs.embedsCaRoots,
  );
  // A download over https in the build (curl, wget, git) needs the bundle as much as the program.
  const download = runs.find((r) =>
    r.commands.some(
      (c) => HTTPS_CLIENTS.has(c.words[0]?.value ?? '') && c.words.some((w) => w.value.includes('https://')),
    ),
  );
  const caAtRisk = !noBundle
    ? undefined
    : programNeedsCa
      ? 'which the program needs for TLS'
      : download
        ? `which the https download on line ${download.span.line} needs`
        : undefined;
  const hits: RuleHit[] = [];
  for (const ins of runs) {
    const apt = installsRecommends(ins);
    if (!apt) continue;
    hits.push({
      message: `${apt} install without --no-install-recommends also installs every package these recommend, which the image seldom needs: add --no-install-recommends${caAtRisk ? ` and name ca-certificates, ${caAtRisk} and may now come only as a recommendation` : ''}`,
      span: ins.span,
    });
  }
  return hits;
}
