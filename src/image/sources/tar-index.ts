/**
 * An index of a tar file on disk: name -> byte range of its data, found by reading only the
 * headers (seeking past the data). Archive sources then stream each blob straight from its range,
 * so a multi-GB `docker save` is never read twice or buffered.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { InputError } from '../../core/errors.js';

export interface TarMember {
  offset: number;
  size: number;
  type: string;
  linkname: string;
}

function parseOctal(buf: Buffer, start: number, len: number): number {
  const field = buf.subarray(start, start + len);
  if (field[0]! & 0x80) {
    // base-256 (GNU) for sizes past 8 GiB
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
    return n;
  }
  const text = field.toString('ascii').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error(`bad octal field "${text}"`);
  return Number.parseInt(text, 8);
}

function cString(buf: Buffer, start: number, len: number): string {
  const field = buf.subarray(start, start + len);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? len : nul).toString('utf8');
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  try {
    return sum === parseOctal(h, 148, 8);
  } catch {
    return false;
  }
}

function paxPath(data: Buffer): { path?: string; linkpath?: string; size?: number } {
  const out: { path?: string; linkpath?: string; size?: number } = {};
  let at = 0;
  while (at < data.length) {
    const sp = data.indexOf(0x20, at);
    if (sp < 0) break;
    const len = Number.parseInt(data.subarray(at, sp).toString('ascii'), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.subarray(sp + 1, at + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    else if (key === 'linkpath') out.linkpath = value;
    else if (key === 'size') out.size = Number(value);
    at += len;
  }
  return out;
}

async function readAt(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, offset);
  return buf.subarray(0, bytesRead);
}

/** Reads every header of the tar at `file`; names are normalised (no leading ./). */
export async function indexTar(file: string, what: string): Promise<Map<string, TarMember>> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`${what}: cannot open ${file} (${e.code ?? e.message})`);
  }
  try {
    const { size: fileSize } = await fh.stat();
    const members = new Map<string, TarMember>();
    let at = 0;
    let longName: string | null = null;
    let longLink: string | null = null;
    let pax: ReturnType<typeof paxPath> = {};
    while (true) {
      const h = await readAt(fh, at, 512);
      if (h.length === 0 || (h.length === 512 && h.every((b) => b === 0))) break;
      if (h.length < 512) throw new InputError(`${what}: truncated tar header at byte ${at}`);
      if (!checksumOk(h)) throw new InputError(`${what}: not a tar file, or corrupt header at byte ${at}`);
      const type = String.fromCharCode(h[156]!) || '0';
      let size: number;
      try {
        size = parseOctal(h, 124, 12);
      } catch {
        throw new InputError(`${what}: corrupt size field at byte ${at}`);
      }
      const dataAt = at + 512;
      if (pax.size !== undefined && type !== 'x') size = pax.size;
      if (dataAt + size > fileSize) {
        throw new InputError(
          `${what}: entry at byte ${at} claims ${size} bytes but the file ends first (truncated)`,
        );
      }
      at = dataAt + Math.ceil(size / 512) * 512;
      if (type === 'L' || type === 'K' || type === 'x') {
        if (size > 1024 * 1024)
          throw new InputError(`${what}: oversized extended header at byte ${dataAt - 512}`);
        const data = await readAt(fh, dataAt, size);
        if (type === 'L') longName = cString(data, 0, data.length);
        else if (type === 'K') longLink = cString(data, 0, data.length);
        else pax = paxPath(data);
        continue;
      }
      if (type === 'g') continue;
      const prefix = h.subarray(257, 262).toString('ascii') === 'ustar' ? cString(h, 345, 155) : '';
      let name = pax.path ?? longName ?? (prefix ? `${prefix}/${cString(h, 0, 100)}` : cString(h, 0, 100));
      const linkname = pax.linkpath ?? longLink ?? cString(h, 157, 100);
      longName = null;
      longLink = null;
      pax = {};
      name = name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
      members.set(name, { offset: dataAt, size, type, linkname });
    }
    return members;
  } finally {
    await fh.close();
  }
}
