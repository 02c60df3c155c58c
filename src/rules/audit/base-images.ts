/**
 * What goimg knows about common base images from their reference alone: libc, shell, C
 * compiler, CA bundle, zoneinfo, default user, Go toolchain version, distro release. `undefined`
 * means "not known": rules only fire on what is known. Release data comes from src/releases.
 */
import type { ImageRef, Stage } from '../../dockerfile/model.js';
import { parseImageRef } from '../../dockerfile/parse.js';
import { projectGo } from '../../releases/calendar.js';
import type { GoRelease, GoReleaseTable } from '../../releases/types.js';

export type Libc = 'glibc' | 'musl' | 'none';

export interface BaseInfo {
  kind:
    | 'scratch'
    | 'golang'
    | 'alpine'
    | 'distroless'
    | 'chainguard'
    | 'debian'
    | 'ubuntu'
    | 'full-os'
    | 'busybox'
    | 'windows'
    | 'other';
  libc?: Libc;
  shell?: boolean;
  /** A C compiler is present, so cgo is on by default. */
  cc?: boolean;
  caCerts?: boolean;
  tzdata?: boolean;
  /** The image's default user is not root. */
  nonRoot: boolean;
  /** A full OS or toolchain image. */
  fat: boolean;
  /** Go version from a golang tag ("1.21", "1.22.3"), or "latest" when the tag names none. */
  goVersion?: string;
  release?: { distro: 'alpine' | 'debian' | 'ubuntu'; version: string };
  /** Variables the image's config sets, which BuildKit substitutes in WORKDIR, COPY and the like. */
  env?: ReadonlyMap<string, string>;
}

/** What the golang images set that Dockerfiles use in paths (`WORKDIR $GOPATH/src/...`). */
const GOLANG_ENV: ReadonlyMap<string, string> = new Map([['GOPATH', '/go']]);

const FULL_OS = new Set([
  'ubuntu',
  'fedora',
  'centos',
  'rockylinux',
  'almalinux',
  'amazonlinux',
  'oraclelinux',
  'archlinux',
  'opensuse/leap',
  'opensuse/tumbleweed',
  'node',
  'python',
  'ruby',
  'openjdk',
  'eclipse-temurin',
  'buildpack-deps',
  'php',
]);

/** Tags of Windows variants (golang:1.23-nanoserver-ltsc2022, powershell:lts-windowsservercore-1809). */
const WINDOWS_TAG = /(?:^|-)(?:nanoserver|servercore|windowsservercore)(?:-|$)/;

const DEBIAN_CODENAMES: Record<string, string> = {
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
};
const UBUNTU_CODENAMES: Record<string, string> = {
  xenial: '16.04',
  bionic: '18.04',
  focal: '20.04',
  jammy: '22.04',
  noble: '24.04',
  resolute: '26.04',
};

function debianRelease(tag: string): string | undefined {
  for (const [name, v] of Object.entries(DEBIAN_CODENAMES)) if (tag.includes(name)) return v;
  const m = /^(\d+)(?:[.-]|$)/.exec(tag);
  return m ? m[1] : undefined;
}

/** The image reference, also when an ARG without a default is left in the tag only (`:latest-${ARCH}`). */
export function imageOf(stage: Stage): ImageRef | undefined {
  if (stage.image) return stage.image;
  if (stage.parent !== undefined || stage.scratch) return undefined;
  const colon = stage.base.lastIndexOf(':');
  const repo = colon > stage.base.lastIndexOf('/') ? stage.base.slice(0, colon) : stage.base;
  if (repo.includes('$') || repo === '') return undefined;
  return parseImageRef(stage.base);
}

/** Describes a base image by its reference. */
export function describeBase(image: ImageRef | undefined, scratch: boolean): BaseInfo {
  if (scratch || !image) {
    return scratch
      ? {
          kind: 'scratch',
          libc: 'none',
          shell: false,
          cc: false,
          caCerts: false,
          tzdata: false,
          nonRoot: false,
          fat: false,
        }
      : { kind: 'other', nonRoot: false, fat: false };
  }
  const name = image.name;
  const tag = (image.tag ?? 'latest').toLowerCase();
  const last = name.split('/').pop()!;
  // Windows images have no libc, uids or /etc: nothing goimg knows of Linux images holds there.
  if ((image.registry === 'mcr.microsoft.com' && name.startsWith('windows/')) || WINDOWS_TAG.test(tag))
    return { kind: 'windows', nonRoot: false, fat: false };
  if (name === 'golang' || name.endsWith('/golang')) {
    const alpine = tag.includes('alpine');
    const go = parseGoTag(tag);
    const info: BaseInfo = {
      kind: 'golang',
      libc: alpine ? 'musl' : 'glibc',
      shell: true,
      cc: !alpine,
      caCerts: true,
      // Debian variants ship tzdata; every golang image has $GOROOT/lib/time/zoneinfo.zip, which
      // time.LoadLocation falls back to.
      tzdata: true,
      nonRoot: false,
      fat: true,
      goVersion: go ?? 'latest',
      env: GOLANG_ENV,
    };
    // Pinned by digest alone: which Go and which variant (Debian or Alpine) it is, goimg cannot tell.
    if (image.digest && !image.tag) {
      delete info.libc;
      delete info.cc;
      delete info.goVersion;
      return info;
    }
    const am = /alpine(\d+\.\d+)/.exec(tag);
    if (am) info.release = { distro: 'alpine', version: am[1]! };
    else if (!alpine) {
      const d = Object.keys(DEBIAN_CODENAMES).find((c) => tag.includes(c));
      if (d) info.release = { distro: 'debian', version: DEBIAN_CODENAMES[d]! };
    }
    return info;
  }
  if (name === 'alpine' || name.endsWith('/alpine')) {
    const info: BaseInfo = {
      kind: 'alpine',
      libc: 'musl',
      shell: true,
      cc: false,
      caCerts: true,
      tzdata: false,
      nonRoot: false,
      fat: false,
    };
    const m = /^(\d+\.\d+)/.exec(tag);
    if (m) info.release = { distro: 'alpine', version: m[1]! };
    return info;
  }
  if (name.startsWith('distroless/') || (image.registry === 'gcr.io' && name.startsWith('distroless'))) {
    const static_ = last.startsWith('static');
    const info: BaseInfo = {
      kind: 'distroless',
      libc: static_ ? 'none' : 'glibc',
      shell: tag.includes('debug'),
      cc: false,
      // Every distroless image holds static's CA bundle; nossl only leaves out libssl.
      caCerts: true,
      tzdata: true,
      nonRoot: tag.includes('nonroot'),
      fat: false,
    };
    const m = /debian(\d+)/.exec(last);
    if (m) info.release = { distro: 'debian', version: m[1]! };
    return info;
  }
  if (image.registry === 'cgr.dev' || name.startsWith('chainguard/')) {
    const static_ = last === 'static';
    return {
      kind: 'chainguard',
      libc: static_ ? 'none' : last.includes('glibc') ? 'glibc' : undefined,
      shell: tag.includes('dev') ? true : static_ ? false : undefined,
      cc: false,
      caCerts: true,
      tzdata: true,
      nonRoot: !tag.includes('dev'),
      fat: false,
    } as BaseInfo;
  }
  if (name === 'debian') {
    const slim = tag.includes('slim');
    const info: BaseInfo = {
      kind: 'debian',
      libc: 'glibc',
      shell: true,
      cc: false,
      caCerts: false,
      nonRoot: false,
      fat: !slim,
    };
    if (slim) info.tzdata = false;
    const v = debianRelease(tag);
    if (v) info.release = { distro: 'debian', version: v };
    return info;
  }
  if (name === 'ubuntu') {
    const info: BaseInfo = {
      kind: 'ubuntu',
      libc: 'glibc',
      shell: true,
      cc: false,
      caCerts: false,
      tzdata: false,
      nonRoot: false,
      fat: true,
    };
    const m = /^(\d+\.\d+)/.exec(tag);
    const v = m ? m[1] : UBUNTU_CODENAMES[tag.split('-')[0]!];
    if (v) info.release = { distro: 'ubuntu', version: v };
    return info;
  }
  if (name === 'busybox') {
    const libc: Libc | undefined = tag.includes('musl')
      ? 'musl'
      : tag.includes('glibc')
        ? 'glibc'
        : undefined;
    const info: BaseInfo = {
      kind: 'busybox',
      shell: true,
      cc: false,
      caCerts: false,
      tzdata: false,
      nonRoot: false,
      fat: false,
    };
    if (libc) info.libc = libc;
    return info;
  }
  if (FULL_OS.has(name)) return { kind: 'full-os', libc: 'glibc', shell: true, nonRoot: false, fat: true };
  return { kind: 'other', nonRoot: false, fat: false };
}

/** glibc of the releases goimg knows, by "distro version", and the golang tag suffix of each Debian one. */
const GLIBC: Record<string, { glibc: string; golangSuffix?: string }> = {
  'debian 10': { glibc: '2.28', golangSuffix: 'buster' },
  'debian 11': { glibc: '2.31', golangSuffix: 'bullseye' },
  'debian 12': { glibc: '2.36', golangSuffix: 'bookworm' },
  'debian 13': { glibc: '2.41', golangSuffix: 'trixie' },
  'ubuntu 18.04': { glibc: '2.27' },
  'ubuntu 20.04': { glibc: '2.31' },
  'ubuntu 22.04': { glibc: '2.35' },
  'ubuntu 24.04': { glibc: '2.39' },
};

export interface GlibcRelease {
  name: string;
  glibc: string;
  golangSuffix?: string;
}

/** A glibc base's release and glibc version, when its tag tells. */
export function glibcRelease(info: BaseInfo): GlibcRelease | undefined {
  let release = info.release;
  // The golang images follow Debian stable: a tag that names no release is Debian 13 (trixie)
  // for every Go release from 1.25 on and for the floating tags. Older tags are left alone:
  // a patch release pinned from before the switch is still Debian 12.
  if (!release && info.kind === 'golang' && info.libc === 'glibc') {
    const go = info.goVersion ?? '';
    if (go === 'latest' || go === '1' || compareVersions(go, '1.25', true) >= 0)
      release = { distro: 'debian', version: '13' };
  }
  if (!release || info.libc !== 'glibc') return undefined;
  const known = GLIBC[`${release.distro} ${release.version}`];
  if (!known) return undefined;
  return { name: `${release.distro === 'debian' ? 'Debian' : 'Ubuntu'} ${release.version}`, ...known };
}

/** Compares dotted versions numerically over the parts both have ("1.21" vs "1.21.5" → 0). */
export function compareVersions(a: string, b: string, onlyCommon = false): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const len = onlyCommon ? Math.min(pa.length, pb.length) : Math.max(pa.length, pb.length);
  for (let i = 0; i < len; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** "1.22.3" → "1.22"; "go1.23.1" → "1.23". */
export function goMajor(version: string): string {
  const m = /(\d+)\.(\d+)/.exec(version);
  return m ? `${m[1]}.${m[2]}` : version;
}

/**
 * Go releases out by `now`, newest first; with stale data, the majors Go's calendar says must
 * be out too (marked `projected`).
 */
export function releasedGo(go: GoReleaseTable, now: Date): GoRelease[] {
  const t = now.getTime();
  return projectGo(go, now).releases.filter((r) => new Date(`${r.released}T00:00:00Z`).getTime() <= t);
}

/** The Go majors the data lists as out by `now`, newest first: what a pin may name (never a projected one). */
export function knownGo(go: GoReleaseTable, now: Date): string[] {
  return releasedGo(go, now)
    .filter((r) => !r.projected)
    .map((r) => r.version);
}

/** The Go majors upstream supports on `now`: the two newest released by then. */
export function supportedGo(go: GoReleaseTable, now: Date): string[] {
  return releasedGo(go, now)
    .slice(0, 2)
    .map((r) => r.version);
}

/** The Go version a golang tag names ("1.22.3", "1.22", "1"), or undefined (latest, alpine, trixie). */
export function parseGoTag(tag: string): string | undefined {
  return /^(\d+(?:\.\d+){0,2})(?:(?:rc|beta)\d+)?(?:$|-)/.exec(tag)?.[1];
}
