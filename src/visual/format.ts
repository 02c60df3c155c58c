/** Byte counts for people (decimal units, as `goimg image` prints them) and HTML escaping. */
import { humanBytes } from '../core/bytes.js';

export { humanBytes };

/** A change in bytes with its sign: +1.2 MB, -300 B, 0 B. */
export function signedBytes(delta: number): string {
  return `${delta > 0 ? '+' : delta < 0 ? '-' : ''}${humanBytes(Math.abs(delta))}`;
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
