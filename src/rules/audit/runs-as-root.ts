import { posix } from 'node:path';
import { scopeAt } from '../../dockerfile/instruction.js';
import type { Instruction, Stage } from '../../dockerfile/model.js';
import { substitute } from '../../dockerfile/parse.js';
import { isShell } from '../../dockerfile/shell.js';
import { binaryName, binaryNeeds, mainPackagesInBuild } from '../../project/closure.js';
import { describeBase, imageOf } from './base-images.js';
import { namesProgram, shippedNames, shippedPrograms, TEST_TREE } from './binaries.js';
import {
  type AuditContext,
  copyPlacements,
  copySources,
  flagValue,
  installedPackages,
  type RuleHit,
} from './context.js';
import { ENTRYPOINT_SCRIPT, type ScriptDrop, scriptDrops } from './entrypoint-user.js';
import { behindInit, lineageEnv, startCommand, startedScript } from './start-command.js';
import {
  baseSetByBuild,
  insertLinesAfter,
  insertLinesBefore,
  isRootUser,
  runsGo,
  startsNothing,
} from './support.js';

export const id = 'runs-as-root';

export const examples = {
  bad: 'FROM alpine:3.22\nCOPY --from=build /app /app\nCMD ["/app"]',
  good: 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]',
};

export const fixDescription =
  'Adds `USER` with the user the image creates (`adduser app`), else `USER 65532:65532` (distroless nonroot) or `USER 65534:65534` (nobody, present in alpine and debian), before CMD/ENTRYPOINT. Not offered when the program writes data (a VOLUME, a volume its usage comment mounts, an embedded database it links, a file it writes by a relative path) or the image is also built for Windows: that user must own its directories first.';

/** The entrypoint is the base's, which goimg does not know, and files are handed to another user. */
const INHERITED = 'inherited';

/** Programs an entrypoint uses to start the service as another user. */
const DROP_TOOLS = /(^|\/)(su-exec|gosu|setpriv|s6-setuidgid|chpst|runuser|setuidgid|suexec)$/;
const DROP_PACKAGES = new Set(['su-exec', 'gosu', 's6', 's6-overlay', 'runit']);

const SELF_DROPPING_IMAGES = new Set([
  'nginx',
  'httpd',
  'postgres',
  'mysql',
  'mariadb',
  'mongo',
  'redis',
  'rabbitmq',
]);

/**
 * Why the entrypoint probably switches to another user although no USER is set, or undefined:
 * a privilege-dropping tool in ENTRYPOINT/CMD or installed for the entrypoint script to use, or
 * an entrypoint inherited from a base goimg does not know that prepares files for another user.
 */
function dropsPrivileges(ctx: AuditContext, final: Stage): string | undefined {
  const lineage = ctx.facts.lineage(final);
  // An ENTRYPOINT of the stage replaces the base's; CMD alone runs through the base's entrypoint.
  let start: Instruction | undefined;
  for (const s of lineage) for (const i of s.instructions) if (i.keyword === 'ENTRYPOINT') start ??= i;
  for (const s of lineage) {
    for (const i of s.instructions) {
      if (i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD') {
        const words = i.exec ?? i.args.map((a) => a.value);
        const tool = words.find((w) => DROP_TOOLS.test(w));
        if (tool) return `the ${i.keyword} starts the program through ${tool.split('/').pop()}`;
      }
      if (i.keyword === 'COPY' || i.keyword === 'ADD') {
        const tool = copySources(i).sources.find((src) => DROP_TOOLS.test(src.replace(/\/+$/, '')));
        if (tool) return `${tool.split('/').pop()} is copied in for the entrypoint to drop privileges`;
      }
    }
    const pkg = ctx.facts.installed(s).find((p) => DROP_PACKAGES.has(p));
    if (pkg) return `${pkg} is installed, which entrypoints use to drop privileges`;
  }
  // An entrypoint script in an image that creates its own user: scripts that prepare a volume
  // for that user (chown) and then switch to it (su, su-exec) are the common case.
  const first = startProgram(lineage);
  const user = createdUser(lineage);
  if (first && user && ENTRYPOINT_SCRIPT.test(first))
    return `the entrypoint script ${first} may start the program as the ${user} user the image creates`;
  // A daemon built here from other sources (C) in an image that creates its own user: such
  // daemons switch to it themselves (their configuration names it), which goimg cannot read.
  const foreign = user && startedForeignProgram(ctx, lineage);
  if (foreign)
    return `${foreign.program}, built in stage ${foreign.stage} (no Go), may switch to the ${user} user the image creates`;
  const base = ctx.facts.base(final);
  // An official service image started its own way: the server starts as root and hands the work
  // to its own user (nginx and httpd workers, gosu in the database images' entrypoints).
  const image = ctx.facts.root(final).image;
  const official =
    image && (!image.registry || /^(index\.)?docker\.io$/.test(image.registry))
      ? image.name.replace(/^library\//, '')
      : undefined;
  if (!start && official && SELF_DROPPING_IMAGES.has(official)) return INHERITED;
  if (!start && base.kind === 'other') {
    const owner = lineage
      .flatMap((s) => s.instructions)
      .flatMap((i) => i.commands)
      .map((c) =>
        c.words[0]?.value === 'chown' ? c.words.slice(1).find((w) => !w.value.startsWith('-')) : undefined,
      )
      .find((w) => w !== undefined && !isRootUser(w.value));
    if (owner) return INHERITED;
  }
  return undefined;
}

/**
 * The program the container starts (behind an init) when a COPY --from puts it there from a
 * stage whose lineage builds no Go: a program of other sources, whose own code may switch users.
 */
function startedForeignProgram(
  ctx: AuditContext,
  lineage: readonly Stage[],
): { program: string; stage: string } | undefined {
  const command = startCommand(lineage);
  const program = command && behindInit(command, lineageEnv(lineage))?.argv[0];
  if (!program || program.includes('$') || isShell(program)) return undefined;
  const name = posix.basename(program);
  let from: string | undefined;
  for (const s of lineage)
    for (const i of s.instructions) {
      const ref = flagValue(i, 'from');
      if (i.keyword !== 'COPY' || ref === undefined) continue;
      if (copyPlacements(i).some((p) => posix.basename(p.path) === name)) from = ref;
    }
  const stage = from === undefined ? undefined : ctx.facts.stageRef(from);
  if (!stage || !withoutGo(ctx, stage)) return undefined;
  return { program: name, stage: stage.name ?? String(stage.index) };
}

/**
 * Whether a stage certainly has no Go: bases goimg knows that are not toolchain images, no Go
 * installed, and no go build (a make run in a golang image may build Go unseen).
 */
function withoutGo(ctx: AuditContext, stage: Stage): boolean {
  return ctx.facts.lineage(stage).every((s) => {
    const kind = ctx.facts.base(s).kind;
    return (
      kind !== 'golang' &&
      kind !== 'other' &&
      ctx.facts.go(s).builds.length === 0 &&
      !ctx.facts.installed(s).some((p) => /^(go|golang)(-[0-9.]+)?$/.test(p))
    );
  });
}

/** What the container starts: the ENTRYPOINT's first word, else the CMD's. */
function startProgram(lineage: readonly Stage[]): string | undefined {
  let entry: string | undefined;
  let cmd: string | undefined;
  for (const s of lineage)
    for (const i of s.instructions) {
      const first = i.exec ? i.exec[0] : i.args[0]?.value;
      if (i.keyword === 'ENTRYPOINT') entry = first;
      else if (i.keyword === 'CMD') cmd = first;
    }
  return entry ?? cmd;
}

/** The user an image creates (`adduser -S app`, `useradd -r app`), if any. */
function createdUser(lineage: readonly Stage[]): string | undefined {
  let user: string | undefined;
  for (const s of lineage)
    for (const i of s.instructions)
      for (const c of i.commands) {
        const w = c.words.map((x) => substitute(x.value, scopeAt(i)));
        if (w[0] !== 'adduser' && w[0] !== 'useradd') continue;
        const name = w
          .slice(1)
          .reverse()
          .find((x) => /^[a-z_][a-z0-9_-]*$/.test(x));
        if (name) user = name;
      }
  return user;
}

/**
 * What the entrypoint script the container starts does with the user, when goimg could read it
 * from the context: `nonroot` when every drop goes to a non-root user, the drop when one starts
 * the service as root by default (`su-exec ${PUID}` with PUID 0), undefined otherwise.
 */
function scriptUser(
  ctx: AuditContext,
  final: Stage,
): { path: string; drop: ScriptDrop } | 'nonroot' | undefined {
  const script = startedScript(ctx, final);
  if (!script) return undefined;
  const { drops, unknown } = scriptDrops(script.text, lineageEnv(ctx.facts.lineage(final)));
  const root = drops.find((d) => d.root);
  if (root) return { path: script.path, drop: root };
  if (drops.length > 0 && !unknown) return 'nonroot';
  return undefined;
}

export function check(ctx: AuditContext): RuleHit[] {
  const final = ctx.facts.finalStage;
  if (!final) return [];
  let lastUser: Instruction | undefined;
  for (const s of ctx.facts.lineage(final))
    for (const i of s.instructions) if (i.keyword === 'USER') lastUser = i;
  const base = ctx.facts.base(final);
  // The image is read also when an ARG fills its tag (`static:nonroot-${ARCH}`).
  const root = ctx.facts.root(final);
  const image = describeBase(imageOf(root), root.scratch);
  // A Windows container has no uids: its users are ContainerUser and ContainerAdministrator.
  if (image.kind === 'windows') return [];
  // GitHub runs a container action as root, as it requires (it owns the workspace and outputs).
  if (startsNothing(ctx, final) || runsGo(ctx, final) || ctx.context.containerAction) return [];
  // A program that runs the go command needs a build cache in a writable HOME (root's, in a
  // toolchain image): the offered user, nobody, has none, and go would stop building.
  if (shippedPrograms(ctx)?.some((p) => p.needs.goToolEvidence.length > 0)) return [];
  // The program needs root by design (the engine's socket, user switching): the offered USER
  // would stop it working.
  if (needsRoot(ctx, final) || installsNetworkAdmin(ctx, final)) return [];
  // The project's compose file runs it with root's privileges (NET_ADMIN, a TUN device): a
  // non-root user would not have them.
  if (ctx.context.runsPrivileged) return [];
  const drop = dropsPrivileges(ctx, final);
  // An unknown base's own entrypoint that may well switch users: goimg cannot tell, so it is silent.
  if (drop === INHERITED) return [];
  const script = scriptUser(ctx, final);
  if (script === 'nonroot') return [];
  if (script && (!lastUser || isRootUser(lastUser.args[0]?.value ?? ''))) {
    return [
      {
        message: `the entrypoint script ${script.path} starts the service through ${script.drop.tool} as ${script.drop.written}, which is root (uid 0) by default: the service runs as root; give it a non-root default`,
        span: (lastUser ?? ctx.facts.root(final).from).span,
      },
    ];
  }
  if (lastUser) {
    const user = lastUser.args[0]?.value ?? '';
    if (user.includes('$') || !isRootUser(user)) return [];
    return [
      {
        message: drop
          ? `the final stage switches to USER ${user}, but ${drop}: make sure the service itself does not run as root`
          : `the final stage switches to USER ${user}: the service runs as root`,
        span: lastUser.span,
        ...(drop ? { severity: 'info' as const } : {}),
      },
    ];
  }
  if (base.nonRoot || image.nonRoot) return [];
  // An image the project builds or publishes itself: its user is set where that image is built.
  const own = root.base.replace(/:[^/:]*$/, '');
  if (root.image && (ctx.context.builtImages?.has(own) || ctx.context.pushedImages?.has(own))) return [];
  // A base the build files pass is named as written: its default may be a placeholder.
  const named = baseSetByBuild(ctx, final) ? final.baseRaw : final.base;
  if (drop) {
    return [
      {
        message: `the final stage (${named}) sets no USER, but ${drop}: make sure the service itself does not run as root`,
        span: root.from.span,
        severity: 'info',
      },
    ];
  }
  // The user the image creates (with its home) is the one it meant to run as.
  const created = createdUser(ctx.facts.lineage(final));
  const uid = created ?? (base.kind === 'distroless' ? '65532:65532' : '65534:65534');
  const message = `the final stage (${named}) sets no USER, so the container runs as root; ${
    created ? `add USER ${created}, the user it creates` : `add USER ${uid} or use a nonroot base tag`
  }`;
  const span = root.from.span;
  // /root is closed to other users (mode 700), and a program that writes its data (an embedded
  // database, a declared volume) needs a directory the user owns: a USER line alone would stop
  // the program at start.
  const writes = writtenData(ctx, final);
  const before = [
    startsUnderRoot(ctx, final) ? 'after moving the program out of /root (other users cannot enter it)' : '',
    writes ? `once that user owns what the program writes (${writes})` : '',
  ].filter(Boolean);
  if (before.length > 0) return [{ message: `${message}, ${before.join(' and ')}`, span }];
  // A stage chosen by the target OS (`FROM app-$TARGETOS`) is built for Windows too when that
  // stage exists, where USER names a Windows account: the user belongs in the Linux stage.
  const windows = windowsVariant(ctx, final);
  if (windows)
    return [
      {
        message: `${message}; the image is also built for Windows (stage ${windows}), so set the USER in the Linux stage`,
        span,
      },
    ];
  const start = final.instructions.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  const last = final.instructions[final.instructions.length - 1] ?? final.from;
  const edit = start
    ? insertLinesBefore(ctx, start, [`USER ${uid}`])
    : insertLinesAfter(ctx, last, [`USER ${uid}`]);
  return [{ message, span, fix: { description: `run as ${uid}`, edits: [edit] } }];
}

/** The Windows stage a final stage chosen by $TARGETOS (`FROM app-${TARGETOS}`) also builds, if any. */
function windowsVariant(ctx: AuditContext, final: Stage): string | undefined {
  const from = ctx.facts.lineage(final).find((s) => /\$\{?TARGETOS\b/.test(s.baseRaw))?.baseRaw;
  const name = from?.replace(/\$\{TARGETOS\}|\$TARGETOS\b/g, 'windows').toLowerCase();
  return name && ctx.df.stages.some((s) => s.name?.toLowerCase() === name) ? name : undefined;
}

/**
 * Whether a program of the project the image ships needs root (see project/closure.ts). A build
 * of several main packages (`./cmd/...`) counts only the programs the final stage names, when it
 * names some: a test tool built beside the service does not make the service need root.
 */
function needsRoot(ctx: AuditContext, final: Stage): boolean {
  const project = ctx.project;
  if (!project) return false;
  // A module with no main package is a plugin a build tool links into its host program (xcaddy
  // --with): the program the image ships is built from its packages, so it needs what they need.
  if (mainPackagesInBuild(project).length === 0) {
    const dirs = project.packages
      .filter((p) => p.inBuild !== false && !TEST_TREE.test(p.dir))
      .map((p) => p.dir);
    return binaryNeeds(project, dirs).rootEvidence.length > 0;
  }
  const names = shippedNames(ctx, ctx.facts.lineage(final));
  return (shippedPrograms(ctx) ?? []).some((p) => {
    if (p.needs.rootEvidence.length === 0) return false;
    if (p.mains.length <= 1) return true;
    const named = p.mains.filter((dir) => {
      const pkg = project.packages.find((q) => q.dir === dir);
      return pkg !== undefined && namesProgram(names, binaryName(project, pkg));
    });
    // A directory of binaries copied whole names none of them: any may be the one started.
    if (named.length === 0) return true;
    return named.some((dir) => binaryNeeds(project, [dir]).rootEvidence.length > 0);
  });
}

const USAGE_MOUNT = /^[ \t]*#.*\bdocker\s+run\b.*?\s(?:-v|--volume)[ =]\S*?:(\/[^\s:]*)/m;

/** Official images that declare VOLUMEs for what their server writes, owned by root in a fresh volume. */
const BASE_VOLUMES: Record<string, string> = {
  caddy: '/data and /config',
  registry: '/var/lib/registry',
  traefik: '/etc/traefik',
};

/** What shows the program writes data at run time: a VOLUME (declared or in a usage comment), or an embedded database it links. */
function writtenData(ctx: AuditContext, final: Stage): string | undefined {
  const volume = ctx.facts
    .lineage(final)
    .flatMap((s) => s.instructions)
    .find((i) => i.keyword === 'VOLUME');
  if (volume) return `VOLUME ${volume.argsText.trim()}`;
  // A base whose own config declares volumes for the data its server writes.
  const image = ctx.facts.root(final).image;
  const declared = image && !image.registry ? BASE_VOLUMES[image.name.replace(/^library\//, '')] : undefined;
  if (declared) return `the volumes ${image!.name} declares, ${declared}`;
  // A usage comment that mounts a volume (`# docker run -v data:/app/config image`).
  const mounted = USAGE_MOUNT.exec(ctx.df.text);
  if (mounted) return `the volume the usage comment mounts at ${mounted[1]}`;
  const stores = shippedPrograms(ctx)?.flatMap((p) => p.needs.fileStoreEvidence) ?? [];
  const store = stores.find((e) => e.kind === 'file-store') ?? stores[0];
  if (!store) return undefined;
  return store.kind === 'relative-write'
    ? `its working directory, where ${store.detail} at ${store.file}:${store.line} writes`
    : `it links ${store.detail}`;
}

/** Firewall and VPN tools: they work only with CAP_NET_ADMIN, which a container gives root alone. */
const NETWORK_ADMIN_PACKAGES = new Set([
  'iptables',
  'ip6tables',
  'nftables',
  'ipset',
  'wireguard-tools',
  'openvpn',
]);

/** The runtime installs network administration tools: the image is made to run with root's capabilities. */
function installsNetworkAdmin(ctx: AuditContext, final: Stage): boolean {
  return ctx.facts
    .lineage(final)
    .some((s) => installedPackages(s).some((p) => NETWORK_ADMIN_PACKAGES.has(p)));
}

/** Whether the container starts in /root, or runs a program from there. */
function startsUnderRoot(ctx: AuditContext, final: Stage): boolean {
  const under = (p: string) => p === '/root' || p.startsWith('/root/') || p.startsWith('~');
  if (under(ctx.facts.finalWorkdir(final) ?? '')) return true;
  return ctx.facts
    .lineage(final)
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT')
    .some((i) => under((i.exec ?? i.args.map((a) => a.value))[0] ?? ''));
}
