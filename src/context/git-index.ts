/**
 * The paths git tracks, read from its index file (.git/index, versions 2 to 4) without running
 * git: a repository's config can make git run commands, and an audit must not. Learnt from
 * git's Documentation/gitformat-index.txt; only the entries' paths are read.
 */

const HEADER = 12;
/** ctime, mtime, dev, ino, mode, uid, gid, size: ten 32-bit fields. */
const STAT_BYTES = 40;
const EXTENDED = 0x4000;

/**
 * The tracked paths of an index (forward slashes, relative to the work tree), or undefined when
 * the bytes are not an index goimg can read. `hashBytes` is 20 for SHA-1 repositories, 32 for
 * SHA-256 ones.
 */
export function trackedPaths(index: Buffer, hashBytes = 20): string[] | undefined {
  if (index.length < HEADER || index.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = index.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const count = index.readUInt32BE(8);
  const paths: string[] = [];
  let at = HEADER;
  let previous: Buffer = Buffer.alloc(0);
  for (let n = 0; n < count; n++) {
    const start = at;
    const flagsAt = start + STAT_BYTES + hashBytes;
    if (flagsAt + 2 > index.length) return undefined;
    const flags = index.readUInt16BE(flagsAt);
    at = flagsAt + 2 + (version >= 3 && flags & EXTENDED ? 2 : 0);
    let name: Buffer;
    if (version === 4) {
      // The name drops `strip` bytes from the end of the previous one and adds a suffix.
      let strip = 0;
      let byte: number;
      let first = true;
      do {
        if (at >= index.length) return undefined;
        byte = index[at++]!;
        strip = first ? byte & 0x7f : ((strip + 1) << 7) | (byte & 0x7f);
        first = false;
      } while (byte & 0x80);
      const end = index.indexOf(0, at);
      if (end < 0 || strip > previous.length) return undefined;
      name = Buffer.concat([previous.subarray(0, previous.length - strip), index.subarray(at, end)]);
      at = end + 1;
    } else {
      const end = index.indexOf(0, at);
      if (end < 0) return undefined;
      name = index.subarray(at, end);
      // Entries are padded with NULs to a multiple of eight bytes.
      at = start + Math.ceil((end - start + 1) / 8) * 8;
    }
    previous = name;
    paths.push(name.toString('utf8'));
  }
  return paths;
}
