/**
 * Image references (`[REGISTRY/]REPOSITORY[:TAG][@DIGEST]`), with the meaning the docker CLI and
 * go-containerregistry's `name.ParseReference` give them:
 *
 * - The first path part names a registry only when it is `localhost` or holds a `.` or a `:`
 *   (`gcr.io/x`, `127.0.0.1:5055/x`, `localhost/x`); otherwise the name is on Docker Hub
 *   (`index.docker.io`, the name `docker.io` is rewritten to it), where a name without a `/`
 *   gets the `library/` namespace: `alpine` is `index.docker.io/library/alpine`.
 * - A tag is the text after the last `:` when that text holds no `/` (so a registry port is not
 *   a tag); without one the tag is `latest`. Tags: 1 to 128 of `A-Z a-z 0-9 _ . -`.
 * - A digest follows the one `@`: `sha256:` and 64 lower-case hex digits. `name:tag@digest`
 *   names the digest; the tag is kept as information only.
 * - Repositories: 1 to 255 of `a-z 0-9 _ - . /` (upper case is refused); registries are URI
 *   authorities (host, `[IPv6]`, optional `:port`), upper case allowed.
 */
import { UsageError } from '../core/errors.js';

/** Docker Hub, as references name it. */
export const DOCKER_HUB = 'index.docker.io';
const DOCKER_HUB_ALIAS = 'docker.io';
export const DEFAULT_TAG = 'latest';

export interface Reference {
  /** host[:port], e.g. `ghcr.io`, `127.0.0.1:5055`, `index.docker.io`. */
  registry: string;
  /** e.g. `library/alpine`, `org/app`. */
  repository: string;
  /** The tag written, or `latest` when neither tag nor digest was; with a digest, information only. */
  tag?: string;
  digest?: string;
  /** What the registry is asked for: the digest, else the tag. */
  identifier: string;
  /** The text as written. */
  original: string;
}

export interface ParseReferenceOptions {
  /** Registry of names without one (default Docker Hub). */
  defaultRegistry?: string;
  /** Tag of names without tag or digest (default `latest`). */
  defaultTag?: string;
}

class BadReference extends Error {}

const TAG_RE = /^[A-Za-z0-9_.-]{1,128}$/;
const REPOSITORY_RE = /^[a-z0-9_./-]{1,255}$/;
const HEX64_RE = /^[a-f0-9]{64}$/;
// A URI authority: reg-name (unreserved and sub-delims) or an IPv6 literal, then an optional port.
const REGISTRY_RE = /^(?:[A-Za-z0-9._~!$&'()*+,;=-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$/;

function checkRegistry(name: string): string {
  if (!REGISTRY_RE.test(name)) throw new BadReference(`"${name}" is not a registry host[:port]`);
  return name === DOCKER_HUB_ALIAS ? DOCKER_HUB : name;
}

function parseRepository(
  name: string,
  options: ParseReferenceOptions,
): { registry: string; repository: string } {
  if (name === '') throw new BadReference('a repository name must be given');
  let registry = '';
  let repository = name;
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const first = name.slice(0, slash);
    if (first === 'localhost' || first.includes('.') || first.includes(':')) {
      registry = first;
      repository = name.slice(slash + 1);
    }
  }
  if (!REPOSITORY_RE.test(repository)) {
    if (repository.toLowerCase() !== repository && REPOSITORY_RE.test(repository.toLowerCase()))
      throw new BadReference(`repository "${repository}" must be lower case`);
    throw new BadReference(
      `repository "${repository}" must be 1 to 255 characters of a-z, 0-9, "_", "-", "." and "/"`,
    );
  }
  registry = registry === '' ? (options.defaultRegistry ?? DOCKER_HUB) : registry;
  registry = checkRegistry(registry);
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository };
}

function parseTagged(
  name: string,
  options: ParseReferenceOptions,
): { registry: string; repository: string; tag: string } {
  const colon = name.lastIndexOf(':');
  let base = name;
  let tag = '';
  if (colon >= 0 && !name.slice(colon + 1).includes('/')) {
    base = name.slice(0, colon);
    tag = name.slice(colon + 1);
    if (tag === '') throw new BadReference(`"${name}" has no tag after its ":"`);
    if (!TAG_RE.test(tag))
      throw new BadReference(`tag "${tag}" must be 1 to 128 characters of A-Z, a-z, 0-9, "_", "." and "-"`);
  }
  return { ...parseRepository(base, options), tag: tag || (options.defaultTag ?? DEFAULT_TAG) };
}

function parseDigested(name: string, options: ParseReferenceOptions): Omit<Reference, 'original'> {
  const parts = name.split('@');
  if (parts.length !== 2) throw new BadReference(`"${name}" must hold at most one "@"`);
  const [base, digest] = parts as [string, string];
  if (!digest.startsWith('sha256:'))
    throw new BadReference(`"${digest}" is not a sha256 digest (sha256:<64 hex digits>)`);
  if (!HEX64_RE.test(digest.slice('sha256:'.length)))
    throw new BadReference(`"${digest}" is not sha256: followed by 64 lower-case hex digits`);
  // `name:tag@digest`: the digest decides; the tag stays as information.
  const colon = base.lastIndexOf(':');
  const hasTag = colon >= 0 && !base.slice(colon + 1).includes('/');
  if (hasTag) return { ...parseTagged(base, options), digest, identifier: digest };
  return { ...parseRepository(base, options), digest, identifier: digest };
}

/** Parses an image reference; bad ones fail with a UsageError that says what is wrong. */
export function parseReference(text: string, options: ParseReferenceOptions = {}): Reference {
  try {
    if (text.includes('@')) return { ...parseDigested(text, options), original: text };
    const tagged = parseTagged(text, options);
    return { ...tagged, identifier: tagged.tag, original: text };
  } catch (err) {
    if (!(err instanceof BadReference)) throw err;
    throw new UsageError(`"${text}" is not an image reference: ${err.message}`);
  }
}

/** The full name: `REGISTRY/REPOSITORY:TAG`, or `REGISTRY/REPOSITORY@DIGEST` when a digest is known. */
export function referenceName(ref: Reference): string {
  return `${ref.registry}/${ref.repository}${ref.digest ? `@${ref.digest}` : `:${ref.tag ?? DEFAULT_TAG}`}`;
}

/** Docker Hub under any of its names. */
export function isDockerHub(registry: string): boolean {
  return registry === DOCKER_HUB || registry === DOCKER_HUB_ALIAS || registry === 'registry-1.docker.io';
}
