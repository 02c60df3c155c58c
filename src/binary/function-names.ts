/** The functions a binary holds whose names start with given prefixes, from the function table. */
import type { ElfFile } from './elf.js';
import { cname, eachFunction, openPclntab } from './pclntab.js';

/** Null when there is no function table. Names are compared as bytes, only those kept become strings. */
export async function readFunctionNames(elf: ElfFile, prefixes: readonly string[]): Promise<string[] | null> {
  const table = await openPclntab(elf);
  if (!table) return null;
  const { data, littleEndian, header } = table;
  const wanted = prefixes.map((p) => Buffer.from(p, 'latin1'));
  // Most names differ from every prefix in their first byte: one array lookup rejects them.
  const firsts = new Uint8Array(256);
  for (const p of wanted) firsts[p[0] ?? 0] = 1;
  // A byte loop: Buffer.compare's argument checks cost more than these short prefixes.
  const startsWith = (nameAt: number, p: Buffer): boolean => {
    if (nameAt + p.length > data.length) return false;
    for (let i = 0; i < p.length; i++) if (data[nameAt + i] !== p[i]) return false;
    return true;
  };
  const matches = (nameAt: number): boolean => wanted.some((p) => startsWith(nameAt, p));
  const names: string[] = [];
  eachFunction(
    data,
    littleEndian,
    header,
    (nameAt) => {
      if (nameAt >= 0 && firsts[data[nameAt] ?? 0] === 1 && matches(nameAt)) names.push(cname(data, nameAt));
    },
    false,
  );
  return names;
}
