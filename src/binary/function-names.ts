/**
 * The functions a binary holds whose names start with given prefixes: those in the function
 * table, and those the compiler inlined into others, which only their callers' inline trees
 * record (govulncheck's binary mode counts both). When the trees cannot be read (a layout before
 * Go 1.18, no funcdata base found, trees outside the binary), the function table's names alone.
 */
import { InputError } from '../core/errors.js';
import type { ElfFile } from './elf.js';
import { inlinedNameOffsets } from './inline-tree.js';
import { funcdataBase } from './moduledata.js';
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
  const base = await funcdataBase(elf, table);
  if (base === null) return names;
  let inlined: number[] = [];
  try {
    inlined = await inlinedNameOffsets(elf, table, base, firsts);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
  }
  // Many calls inline the same few functions: each name becomes a string once.
  const seen = new Set<number>();
  for (const nameAt of inlined) {
    if (seen.has(nameAt)) continue;
    seen.add(nameAt);
    if (matches(nameAt)) names.push(cname(data, nameAt));
  }
  return names;
}
