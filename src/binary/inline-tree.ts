/**
 * Go's inline trees (FUNCDATA_InlTree): for each function, the calls the compiler inlined into
 * it. A function inlined everywhere keeps no out-of-line copy, so only its callers' trees record
 * it; govulncheck's binary mode counts those names too. Format learnt from Go's
 * runtime/symtab.go, runtime/symtabinl.go and debug/gosym (the code is ours):
 *   - the functab is nfunc pairs of uint32 (entry offset, record offset from the functab);
 *   - a function record (_func, 40 bytes in Go 1.18–1.19, 44 from 1.20; npcdata at 28, nfuncdata
 *     its last byte) is followed by npcdata uint32 offsets of pc-value tables, then nfuncdata
 *     uint32 offsets from the funcdata base (the `go:func.*` symbol; ~0 means none). Funcdata 3
 *     is the inline tree;
 *   - the tree is an undelimited array of inlinedCall records. Its length is one more than the
 *     largest value of pc-value table 2 (PCDATA_InlTreeIndex: the tree entry each instruction
 *     comes from, -1 for the function's own code);
 *   - a record names the callee by an offset into funcnametab: 20-byte records with the offset
 *     at 12 in Go 1.18–1.19, 16-byte records with it at 4 from Go 1.20.
 * Layouts before 1.18 are not read: their funcdata are absolute addresses, in another record
 * layout, and govulncheck refuses binaries built before Go 1.18.
 *
 * Hostile tables: every read is bounds-checked (a bad record is skipped), and the pc-value steps
 * and tree entries read are capped by the sizes of the data they come from, so the work stays
 * linear in the input.
 */
import type { ElfFile } from './elf.js';
import type { PclnLayout, Pclntab } from './pclntab.js';

const PCDATA_INL_TREE_INDEX = 2;
const FUNCDATA_INL_TREE = 3;
const NPCDATA_FIELD = 28;
const NONE = 0xffffffff;

interface TreeFormat {
  funcSize: number;
  entrySize: number;
  nameField: number;
}

const FORMATS: Partial<Record<PclnLayout, TreeFormat>> = {
  '1.18': { funcSize: 40, entrySize: 20, nameField: 12 },
  '1.20': { funcSize: 44, entrySize: 16, nameField: 4 },
};

/**
 * The offsets in the function table's data of the names of the functions inlined into others,
 * one per tree entry (repeats included), read with the funcdata at `base`; only names whose first
 * byte `firsts` flags (a name filter's cheap first step, which keeps the list short). None for a
 * layout whose trees goimg does not read; trees that lie outside the binary are skipped.
 */
export async function inlinedNameOffsets(
  elf: ElfFile,
  table: Pclntab,
  base: number,
  firsts: Uint8Array,
): Promise<number[]> {
  const format = FORMATS[table.header.layout];
  const trees = format && locateTrees(table, format);
  if (!format || !trees || trees.offsets.length === 0) return [];
  const { offsets, counts } = trees;
  const { entrySize, nameField } = format;
  let start = Number.MAX_SAFE_INTEGER;
  let end = 0;
  for (let i = 0; i < offsets.length; i++) {
    const o = offsets[i] as number;
    if (o < start) start = o;
    if (o + (counts[i] as number) * entrySize > end) end = o + (counts[i] as number) * entrySize;
  }
  // One read for all the trees, within the loaded segment that holds the first.
  const at = elf.mapAddress(base + start);
  if (!at) return [];
  const bytes = await elf.source.read(
    at.offset,
    Math.min(end - start, at.available, elf.source.size - at.offset),
  );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const le = table.littleEndian;
  const { nameBase } = table.header;
  const data = table.data;
  const limit = data.length;
  const names: number[] = [];
  // Trees may be shared, but one entry per byte read is more than any real binary has.
  let budget = bytes.length;
  for (let i = 0; i < offsets.length; i++) {
    const count = counts[i] as number;
    const from = (offsets[i] as number) - start;
    const to = from + count * entrySize;
    if (to > bytes.length) continue;
    budget -= count;
    if (budget < 0) break;
    for (let o = from + nameField; o < to; o += entrySize) {
      const nameAt = nameBase + view.getInt32(o, le);
      if (nameAt >= nameBase && nameAt < limit && firsts[data[nameAt] as number] === 1) names.push(nameAt);
    }
  }
  return names;
}

/**
 * Each function's tree: its offset from the funcdata base and its entry count. Null when the
 * pc-value step budget (one step per byte of the table, far more than a real table needs) is
 * spent: the table is hostile.
 */
function locateTrees(
  table: Pclntab,
  format: TreeFormat,
): { offsets: Uint32Array; counts: Uint32Array } | null {
  const { data, littleEndian: le } = table;
  const { nfunc, tabBase, pcBase } = table.header;
  const { funcSize } = format;
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  const end = data.length;
  // Typed arrays, one slot per function: element stores keep the optimised loop's feedback stable.
  const offsets = new Uint32Array(nfunc);
  const counts = new Uint32Array(nfunc);
  let trees = 0;
  const scan = { steps: end };
  for (let i = 0; i < nfunc; i++) {
    const entry = tabBase + i * 8 + 4;
    if (entry + 4 > end) break;
    const fixedEnd = tabBase + view.getUint32(entry, le) + funcSize;
    if (fixedEnd > end || (data[fixedEnd - 1] as number) <= FUNCDATA_INL_TREE) continue;
    const npcdata = view.getUint32(fixedEnd - funcSize + NPCDATA_FIELD, le);
    const treeField = fixedEnd + npcdata * 4 + FUNCDATA_INL_TREE * 4;
    if (npcdata <= PCDATA_INL_TREE_INDEX || treeField + 4 > end) continue;
    const tree = view.getUint32(treeField, le);
    const index = view.getUint32(fixedEnd + PCDATA_INL_TREE_INDEX * 4, le);
    if (tree === NONE || index === 0) continue;
    const largest = largestValue(data, pcBase + index, scan);
    if (scan.steps < 0) return null;
    if (largest >= 0) {
      offsets[trees] = tree;
      counts[trees++] = largest + 1;
    }
  }
  return { offsets: offsets.subarray(0, trees), counts: counts.subarray(0, trees) };
}

/**
 * The largest value of the pc-value table at `p`: zigzag value deltas, each followed by a pc
 * delta (skipped, not decoded); a zero value delta after the first entry ends the table. -1 when
 * the table is empty or runs off the end. Each step spends one of `scan.steps`.
 */
function largestValue(data: Buffer, p: number, scan: { steps: number }): number {
  const end = data.length;
  let value = -1;
  let largest = -1;
  let first = true;
  let steps = scan.steps;
  let result = -1;
  while (--steps >= 0 && p < end) {
    let b = data[p++] as number;
    let uv = b & 0x7f;
    for (let shift = 7; b >= 0x80 && p < end && shift <= 28; shift += 7) {
      b = data[p++] as number;
      uv |= (b & 0x7f) << shift;
    }
    if (b >= 0x80) break;
    if (uv === 0 && !first) {
      result = largest;
      break;
    }
    first = false;
    value = (value + (uv & 1 ? ~(uv >>> 1) : uv >>> 1)) | 0;
    if (value > largest) largest = value;
    do b = data[p++] as number;
    while (b >= 0x80 && p < end);
  }
  scan.steps = steps;
  return result;
}
