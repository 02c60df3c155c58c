/**
 * Undoes the call/jump filter UPX applies to x86 code before compressing it (filter 0x49): the
 * 32-bit displacement after each E8 (call), E9 (jmp) and 0F 8x (jcc) opcode whose target lies in
 * the block was replaced by the target's block offset, stored big-endian with its top byte set
 * to a marker (the block's cto8) so that compressible runs appear. A displacement whose first
 * byte is not the marker was left alone. One pass, in place.
 */
export const CTO_FILTER = 0x49;

export function unfilterCto(buf: Uint8Array, cto8: number): void {
  const end = buf.length - 4;
  for (let j = 0; j < end; j++) {
    const op = buf[j] as number;
    const isCall = op === 0xe8 || op === 0xe9;
    const isJcc = op >= 0x80 && op <= 0x8f && j > 0 && buf[j - 1] === 0x0f;
    if ((!isCall && !isJcc) || buf[j + 1] !== cto8) continue;
    const at = j + 1;
    const target = ((buf[at + 1] as number) << 16) | ((buf[at + 2] as number) << 8) | (buf[at + 3] as number);
    const rel = (target - at) >>> 0;
    buf[at] = rel & 0xff;
    buf[at + 1] = (rel >>> 8) & 0xff;
    buf[at + 2] = (rel >>> 16) & 0xff;
    buf[at + 3] = rel >>> 24;
    j += 4;
  }
}
