/**
 * Bytes per Go package, keyed by the bytes of a symbol name: the 35,000 function names of a
 * large binary are scanned where they lie (in the pclntab or the string table) and never become
 * strings. A name's package is the prefix before the first '.' after the last '/' outside
 * generic brackets; consecutive names nearly always share it, so the previous prefix is compared
 * byte for byte first, then a map from the raw prefix. Only a new prefix decodes its full name and
 * goes through packageOf, so every result is exactly what packageOf gives for the string.
 */
import { C_CODE, GENERATED, packageOf } from './symbol-package.js';

/** Longest name read, as for any NUL-terminated name (a hostile table cannot make us scan far). */
const MAX_NAME = 4096;

export class PackageTotals {
  /** Package names by id. */
  readonly names: string[] = [];
  /** Function bytes by package id. */
  readonly text: number[] = [];
  /** Data-symbol bytes by package id. */
  readonly data: number[] = [];
  /** Whether anything (function or data symbol) was attributed to the id. */
  readonly used: boolean[] = [];
  /** Full names that may be cgo's (they contain "cgo" or "_C"): all cgo evidence needs. */
  readonly cgoNames: string[] = [];
  /** Set by packageAt: the name just scanned contains "cgo" or "_C". */
  cgoCandidate = false;
  /** Set by packageAt: where the name just scanned ends (its NUL or the scan cap). */
  nameEnd = 0;
  private readonly byName = new Map<string, number>();
  private readonly byKey = new Map<string, number>();
  /** The first '[' of the name just scanned (-1: none), for the bytes-to-string fallback. */
  private bracket = -1;
  private lastBuf: Buffer | null = null;
  private lastStart = 0;
  private lastLen = -1;
  private lastId = -1;
  readonly generated: number;
  readonly cCode: number;

  constructor() {
    this.generated = this.idOf(GENERATED);
    this.cCode = this.idOf(C_CODE);
  }

  idOf(name: string): number {
    let id = this.byName.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.text.push(0);
      this.data.push(0);
      this.used.push(false);
      this.byName.set(name, id);
    }
    return id;
  }

  addText(id: number, bytes: number): void {
    this.text[id] = (this.text[id] as number) + bytes;
    this.used[id] = true;
  }

  addData(id: number, bytes: number): void {
    this.data[id] = (this.data[id] as number) + bytes;
    this.used[id] = true;
  }

  /** The decoded name packageAt last scanned (for the few names that need a string). */
  nameString(buf: Buffer, o: number): string {
    let ascii = true;
    for (let i = o; i < this.nameEnd; i++) if ((buf[i] as number) >= 0x80) ascii = false;
    return buf.toString(ascii ? 'latin1' : 'utf8', o, this.nameEnd);
  }

  /** Package id of the NUL-terminated name at `buf[o]` (`o` must lie inside `buf`). */
  packageAt(buf: Buffer, o: number): number {
    const dot = this.scanBytes(buf, o);
    return this.resolve(buf, o, this.nameEnd, dot, this.bracket);
  }

  /** The package of the name [o, end) from what the scan found (its dot and first bracket). */
  private resolve(buf: Buffer, o: number, end: number, dot: number, bracket: number): number {
    this.nameEnd = end;
    if (isGenerated(buf, o, end)) return this.generated;
    // No '.' after the last '/', or one at the very start: no Go package (packageOf's C_CODE).
    if (dot <= o) return this.cCode;
    // A bracket inside the prefix: the prefix bytes are not the stripped name's; decode it.
    if (bracket >= 0 && bracket < dot) return this.idOf(packageOf(this.nameString(buf, o)));
    const len = dot - o;
    if (len === this.lastLen && sameBytes(buf, o, this.lastBuf as Buffer, this.lastStart, len)) {
      if (buf !== this.lastBuf) {
        this.lastBuf = buf;
        this.lastStart = o;
      }
      return this.lastId;
    }
    const key = buf.toString('latin1', o, dot);
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.idOf(packageOf(this.nameString(buf, o)));
      this.byKey.set(key, id);
    }
    this.lastBuf = buf;
    this.lastStart = o;
    this.lastLen = len;
    this.lastId = id;
    return id;
  }

  /** Scans one name: sets nameEnd, bracket and cgoCandidate; returns the package's dot (-1: none). */
  private scanBytes(buf: Buffer, o: number): number {
    const stop = Math.min(buf.length, o + MAX_NAME);
    let depth = 0;
    let dot = -1;
    let bracket = -1;
    let cgo = false;
    let end = o;
    // Hot loop (2.5 MB of names in docker's pclntab): lower-case letters, the commonest bytes,
    // take the first branch, where only the 'o' of "cgo" needs a second look.
    for (; end < stop; end++) {
      const b = buf[end] as number;
      if (b > 0x5d) {
        if (b === 0x6f && end - 2 >= o && buf[end - 1] === 0x67 && buf[end - 2] === 0x63) cgo = true;
        continue;
      }
      if (b === 0) break;
      if (b === 0x2e) {
        if (depth === 0 && dot < 0) dot = end;
      } else if (b === 0x2f) {
        if (depth === 0) dot = -1;
      } else if (b === 0x5b) {
        if (bracket < 0) bracket = end;
        depth++;
      } else if (b === 0x5d) {
        if (depth > 0) depth--;
      } else if (b === 0x43) {
        if (end > o && buf[end - 1] === 0x5f) cgo = true;
      }
    }
    this.nameEnd = end;
    this.bracket = bracket;
    this.cgoCandidate = cgo;
    return dot;
  }
}

function sameBytes(a: Buffer, ao: number, b: Buffer, bo: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

/** packageOf's compiler-generated prefixes: '$', 'go:', 'go.', 'type:', 'type.'. */
function isGenerated(buf: Buffer, o: number, end: number): boolean {
  const n = end - o;
  const c = buf[o];
  if (c === 0x24) return n > 0;
  if (c === 0x67) return n >= 3 && buf[o + 1] === 0x6f && (buf[o + 2] === 0x3a || buf[o + 2] === 0x2e);
  if (c === 0x74)
    return (
      n >= 5 &&
      buf[o + 1] === 0x79 &&
      buf[o + 2] === 0x70 &&
      buf[o + 3] === 0x65 &&
      (buf[o + 4] === 0x3a || buf[o + 4] === 0x2e)
    );
  return false;
}
