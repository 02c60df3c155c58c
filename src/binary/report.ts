/** The report `goimg binary --format json` prints: its JSON contract, version 1 (schemas/binary.schema.json). */
import type { Cgo } from './cgo.js';
import type { Linkage } from './linkage.js';
import type { BuildInfo } from './modinfo.js';
import type { Sizes } from './sizes.js';
import type { UpxInfo } from './upx.js';

export interface DebugInfo {
  /** DWARF sections present. */
  dwarf: boolean;
  /** Any DWARF section compressed (SHF_COMPRESSED or .zdebug_*). */
  compressed: boolean;
  /** Bytes of DWARF sections in the file. */
  bytes: number;
}

export interface BinaryReport {
  version: 1;
  file: string;
  size: number;
  format: 'elf';
  class: 32 | 64;
  endianness: 'little' | 'big';
  arch: string;
  type: 'NONE' | 'REL' | 'EXEC' | 'DYN' | 'CORE' | 'OTHER';
  goVersion: string | null;
  buildInfo: BuildInfo | null;
  linkage: Linkage;
  /** No .symtab. */
  stripped: boolean;
  debugInfo: DebugInfo;
  /** Bytes `-s -w` would save; null when it cannot be told (UPX-packed, not Go). */
  stripSavings: number | null;
  upx: UpxInfo;
  cgo: Cgo;
  /** null when attribution was not asked for (`attribution: false`). */
  sizes: Sizes | null;
  verdicts: string[];
}
