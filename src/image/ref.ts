/**
 * Image references in skopeo's transport syntax: docker-archive:FILE, oci:DIR[:TAG],
 * oci-archive:FILE[:TAG], docker://REGISTRY/NAME[:TAG|@DIGEST], docker-daemon:NAME[:TAG].
 */
import { UsageError } from '../core/errors.js';
import type { SourceKind } from './types.js';

export type ImageRef =
  | { kind: 'docker-archive'; path: string }
  | { kind: 'oci'; path: string; tag: string | null }
  | { kind: 'oci-archive'; path: string; tag: string | null }
  | { kind: 'docker'; registry: string; repository: string; reference: string }
  | { kind: 'docker-daemon'; name: string };

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** Splits `PATH[:TAG]` where the tag is the text after the last colon, if it looks like one. */
function splitPathTag(text: string): { path: string; tag: string | null } {
  const i = text.lastIndexOf(':');
  if (
    i > 0 &&
    /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(text.slice(i + 1)) &&
    !text.slice(i + 1).includes('/')
  ) {
    return { path: text.slice(0, i), tag: text.slice(i + 1) };
  }
  return { path: text, tag: null };
}

export function parseRegistryRef(text: string): { registry: string; repository: string; reference: string } {
  let rest = text;
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(reference)) throw new UsageError(`"${reference}" is not a sha256 digest`);
  } else {
    const slash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > slash) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  const first = rest.indexOf('/');
  const head = first >= 0 ? rest.slice(0, first) : '';
  let registry: string;
  let repository: string;
  if (first >= 0 && (head.includes('.') || head.includes(':') || head === 'localhost')) {
    registry = head;
    repository = rest.slice(first + 1);
  } else {
    registry = 'registry-1.docker.io';
    repository = first >= 0 ? rest : `library/${rest}`;
  }
  if (!/^[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*$/.test(repository)) {
    throw new UsageError(`"${repository}" is not a valid repository name`);
  }
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(reference) && !DIGEST_RE.test(reference)) {
    throw new UsageError(`"${reference}" is not a valid tag`);
  }
  return { registry, repository, reference };
}

export function parseImageRef(text: string): ImageRef {
  const colon = text.indexOf(':');
  const transport = colon > 0 ? text.slice(0, colon) : '';
  const rest = colon > 0 ? text.slice(colon + 1) : '';
  switch (transport as SourceKind | '') {
    case 'docker-archive':
      if (!rest) break;
      return { kind: 'docker-archive', path: splitPathTag(rest).path };
    case 'oci':
      if (!rest) break;
      return { kind: 'oci', ...splitPathTag(rest) };
    case 'oci-archive':
      if (!rest) break;
      return { kind: 'oci-archive', ...splitPathTag(rest) };
    case 'docker':
      if (!rest.startsWith('//') || rest.length <= 2) break;
      return { kind: 'docker', ...parseRegistryRef(rest.slice(2)) };
    case 'docker-daemon':
      if (!rest) break;
      return { kind: 'docker-daemon', name: rest };
    default:
      break;
  }
  throw new UsageError(
    `"${text}" is not an image reference`,
    'use docker-archive:FILE, oci:DIR[:TAG], oci-archive:FILE, docker://REGISTRY/NAME:TAG or docker-daemon:NAME:TAG',
  );
}
