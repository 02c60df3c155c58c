/** Content digests (`sha256:<64 hex>`), the only algorithm goimg writes or accepts. */
import { createHash } from 'node:crypto';

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function isDigest(text: string): boolean {
  return DIGEST_RE.test(text);
}

/** The hex part of a sha256 digest; throws on anything else. */
export function digestHex(digest: string): string {
  if (!DIGEST_RE.test(digest)) throw new Error(`unsupported digest "${digest}"`);
  return digest.slice('sha256:'.length);
}
