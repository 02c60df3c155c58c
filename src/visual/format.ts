/** Byte counts for people (decimal units, as `goimg image` prints them) and HTML escaping. */
export function humanBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

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
