/**
 * What kind of executable a file is, from its first bytes. A module of its own, without imports,
 * so that the context scan can tell a test binary from a text fixture without loading the ELF
 * reader.
 */

/** Names what a file is: ELF, or Mach-O and PE (which get a clear "not supported yet"). */
export function detectFormat(ident: Buffer): 'elf' | 'macho' | 'pe' | 'unknown' {
  if (ident.length >= 4 && ident.readUInt32BE(0) === 0x7f454c46) return 'elf';
  if (ident.length >= 2 && ident[0] === 0x4d && ident[1] === 0x5a) return 'pe';
  if (ident.length >= 4) {
    const m = ident.readUInt32BE(0);
    if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(m)) return 'macho';
  }
  return 'unknown';
}
