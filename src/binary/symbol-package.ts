/** Which Go package a linker symbol belongs to. */

/** Pseudo-packages for code no Go package owns. */
export const GENERATED = '(compiler-generated)';
export const C_CODE = '(C code)';

function stripGenerics(name: string): string {
  if (!name.includes('[')) return name;
  let out = '';
  let depth = 0;
  for (const ch of name) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/**
 * The Go package a symbol belongs to: the text before the first '.' after the last '/'
 * (the linker escapes dots in the last path element as %2e, so this is exact), unescaped.
 */
export function packageOf(symbol: string): string {
  const c = symbol.charCodeAt(0);
  if (c === 0x24 || (c === 0x67 && /^go[:.]/.test(symbol)) || (c === 0x74 && /^type[:.]/.test(symbol)))
    return GENERATED;
  const name = stripGenerics(symbol);
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  if (dot <= 0) return C_CODE;
  const pkg = name.slice(0, dot);
  return pkg.includes('%')
    ? pkg.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    : pkg;
}
