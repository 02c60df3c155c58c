/**
 * Runtime files shipped beside the binary. Convention: a `goimg-data/` directory next to the main
 * package is copied to `/app/data/` in its own layer (between the base and the binary, since it
 * changes less often than code), and GOIMG_DATA_DIR points at it.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageFile } from './auto-base.js';
import type { LayerEntry } from './tar.js';

export const ASSETS_DIR_NAME = 'goimg-data';
export const ASSETS_IMAGE_DIR = 'app/data';

export function collectAssets(dir: string): { entries: LayerEntry[]; files: ImageFile[] } {
  const entries: LayerEntry[] = [];
  const files: ImageFile[] = [];
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const a = join(abs, name);
      const r = `${rel}/${name}`;
      const st = lstatSync(a);
      if (st.isDirectory()) {
        entries.push({ type: 'dir', path: r, mode: 0o755, uid: 0, gid: 0 });
        walk(a, r);
      } else if (st.isSymbolicLink()) {
        entries.push({ type: 'symlink', path: r, target: readlinkSync(a), uid: 0, gid: 0 });
      } else if (st.isFile()) {
        // Only the executable bit survives from the disk: everything else is fixed.
        const mode = st.mode & 0o111 ? 0o755 : 0o644;
        entries.push({
          type: 'file',
          path: r,
          mode,
          uid: 0,
          gid: 0,
          content: { kind: 'file', path: a, size: st.size },
        });
        files.push({ path: `/${r}`, size: st.size, kind: 'asset', reason: `shipped in ${ASSETS_DIR_NAME}/` });
      }
    }
  };
  try {
    if (!lstatSync(dir).isDirectory()) return { entries, files };
  } catch {
    return { entries, files };
  }
  walk(dir, ASSETS_IMAGE_DIR);
  return { entries, files };
}
