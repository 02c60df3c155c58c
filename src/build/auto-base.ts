/**
 * `--base auto`: the base synthesised in code from what the program needs, nothing more.
 * Always: /etc/passwd and /etc/group naming the non-root user 65532 (the image runs as it), its
 * home, and /tmp. A CA bundle only for TLS clients. Time zone data only when zones are loaded and
 * not already embedded, and then in the compact form: Go's own tzdata linked into the binary with
 * `-tags timetzdata` (about 450 KB) instead of a 4 MB /usr/share/zoneinfo tree.
 */
import { existsSync, statSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { LayerEntry } from './tar.js';

export const NONROOT_UID = 65532;
export const NONROOT_HOME = '/home/nonroot';
export const CA_BUNDLE_PATH = '/etc/ssl/certs/ca-certificates.crt';
/** Where Debian, Ubuntu, Alpine and Fedora keep the host's bundle, first match wins. */
const HOST_CA_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
];

export interface ProgramNeeds {
  usesTls: boolean;
  loadsTimeZones: boolean;
  embedsTzdata: boolean;
}

export type TzChoice = 'none' | 'embedded' | 'timetzdata';

export interface ImageFile {
  /** Absolute path in the image. */
  path: string;
  size: number;
  kind: 'binary' | 'data' | 'asset' | 'base';
  /** Why the file is there. */
  reason: string;
}

export interface AutoBase {
  entries: LayerEntry[];
  files: ImageFile[];
  env: string[];
  /** Build tags the program must be built with (timetzdata). */
  tags: string[];
  caBundle: string | null;
  tz: TzChoice;
}

export function findHostCaBundle(): string | undefined {
  return HOST_CA_BUNDLES.find((p) => existsSync(p));
}

const PASSWD = `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${NONROOT_UID}:${NONROOT_UID}:nonroot:${NONROOT_HOME}:/sbin/nologin\n`;
const GROUP = `root:x:0:\nnonroot:x:${NONROOT_UID}:\n`;

function bytesFile(path: string, text: string): LayerEntry {
  return {
    type: 'file',
    path,
    mode: 0o644,
    uid: 0,
    gid: 0,
    content: { kind: 'bytes', data: Buffer.from(text) },
  };
}

/**
 * Decides the auto base. `caBundle` overrides the host bundle's path; `tags` are the user's
 * build tags (timetzdata among them means zones are already embedded).
 */
export function autoBase(
  needs: ProgramNeeds,
  options: { caBundle?: string; tags?: string[] } = {},
): AutoBase {
  const entries: LayerEntry[] = [
    bytesFile('etc/passwd', PASSWD),
    bytesFile('etc/group', GROUP),
    { type: 'dir', path: 'tmp', mode: 0o1777, uid: 0, gid: 0 },
    { type: 'dir', path: 'home/nonroot', mode: 0o700, uid: NONROOT_UID, gid: NONROOT_UID },
  ];
  const files: ImageFile[] = [
    {
      path: '/etc/passwd',
      size: PASSWD.length,
      kind: 'base',
      reason: `user nonroot (${NONROOT_UID}) the image runs as`,
    },
    { path: '/etc/group', size: GROUP.length, kind: 'base', reason: `group nonroot (${NONROOT_UID})` },
  ];
  const env: string[] = [];
  let caBundle: string | null = null;
  if (needs.usesTls || options.caBundle) {
    const source = options.caBundle ?? findHostCaBundle();
    if (!source) {
      throw new InputError(
        'the program makes TLS calls but no CA bundle was found on this machine',
        'install ca-certificates or give one with --ca-bundle PATH',
      );
    }
    if (!existsSync(source)) throw new InputError(`--ca-bundle: ${source} does not exist`);
    const size = statSync(source).size;
    entries.push({
      type: 'file',
      path: CA_BUNDLE_PATH.slice(1),
      mode: 0o644,
      uid: 0,
      gid: 0,
      content: { kind: 'file', path: source, size },
    });
    files.push({
      path: CA_BUNDLE_PATH,
      size,
      kind: 'data',
      reason: needs.usesTls ? 'the program makes TLS client calls' : 'given with --ca-bundle',
    });
    env.push(`SSL_CERT_FILE=${CA_BUNDLE_PATH}`);
    caBundle = source;
  }
  const userTags = options.tags ?? [];
  let tz: TzChoice = 'none';
  const tags: string[] = [];
  if (needs.loadsTimeZones) {
    if (needs.embedsTzdata || userTags.includes('timetzdata')) tz = 'embedded';
    else {
      tz = 'timetzdata';
      tags.push('timetzdata');
    }
  }
  return { entries, files, env, tags, caBundle, tz };
}
