/**
 * Where an image is, in skopeo's transport syntax: docker-archive:FILE, oci:DIR[:TAG],
 * oci-archive:FILE[:TAG], docker://REFERENCE (see oci/reference.ts), docker-daemon:NAME[:TAG].
 */
import { UsageError } from '../core/errors.js';
import { parseReference, type Reference } from '../oci/reference.js';
import type { SourceKind } from './types.js';

export type SourceRef =
  | { kind: 'docker-archive'; path: string }
  | { kind: 'oci'; path: string; tag: string | null }
  | { kind: 'oci-archive'; path: string; tag: string | null }
  | { kind: 'docker'; ref: Reference }
  | { kind: 'docker-daemon'; name: string };

const LAYOUT_TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** Splits `PATH[:TAG]` where the tag is the text after the last colon, if it looks like one. */
function splitPathTag(text: string): { path: string; tag: string | null } {
  const i = text.lastIndexOf(':');
  if (i > 0 && LAYOUT_TAG_RE.test(text.slice(i + 1)))
    return { path: text.slice(0, i), tag: text.slice(i + 1) };
  return { path: text, tag: null };
}

/**
 * A registry reference as registry, repository and what to ask for (tag or digest).
 * Kept for callers that want the three strings; it is parseReference underneath.
 */
export function parseRegistryRef(text: string): { registry: string; repository: string; reference: string } {
  const ref = parseReference(text);
  return { registry: ref.registry, repository: ref.repository, reference: ref.identifier };
}

export function parseSourceRef(text: string): SourceRef {
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
      return { kind: 'docker', ref: parseReference(rest.slice(2)) };
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
