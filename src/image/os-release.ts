/**
 * `/etc/os-release` (os-release(5)): KEY=value lines, values optionally in single or double
 * quotes with backslash escapes in double quotes; comments and blank lines ignored.
 */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1).replace(/\\(["\\`$])/g, '$1');
    else if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) value = value.slice(1, -1);
    out[m[1]!] = value;
  }
  return out;
}
