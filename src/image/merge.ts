/**
 * The merged (flattened) filesystem of an image, built layer by layer with OCI whiteout
 * semantics, and the waste it reveals: every earlier version of an overwritten path and every
 * deleted path, counted once, in the layer that carried it.
 */
import { InputError } from '../core/errors.js';
import type { EntryType, LayerEntry } from './layer-reader.js';
import { basename, dirname } from './tar-path.js';

export interface FsNode {
  type: Exclude<EntryType, 'whiteout' | 'opaque'>;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkname?: string;
  /** Index of the layer this version comes from. */
  layer: number;
  children?: Map<string, FsNode>;
}

export interface WastedPath {
  path: string;
  bytes: number;
  /** Layers holding the wasted versions, in order. */
  layers: number[];
}

export interface MergedFile {
  path: string;
  node: FsNode;
}

function newDir(layer: number): FsNode {
  return { type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, layer, children: new Map() };
}

export class MergedFs {
  readonly root: FsNode = newDir(-1);
  /** Sum of every layer's regular-file bytes. */
  totalFileBytes = 0;
  wasteBytes = 0;
  private readonly waste = new Map<string, { bytes: number; layers: Set<number> }>();
  private walked: MergedFile[] | null = null;

  /** Applies one layer: its whiteouts against the lower layers first, then its entries in order. */
  apply(layer: number, entries: readonly LayerEntry[], what = `layer ${layer}`): void {
    this.walked = null;
    for (const e of entries) {
      if (e.type === 'whiteout') {
        const parent = this.lookupDir(dirname(e.target!));
        const name = basename(e.target!);
        const victim = parent?.children?.get(name);
        if (parent && victim) {
          this.discard(e.target!, victim);
          parent.children!.delete(name);
        }
      } else if (e.type === 'opaque') {
        const dir = this.lookupDir(e.target!);
        if (dir) {
          for (const [name, child] of dir.children!) this.discard(joinKey(e.target!, name), child);
          dir.children!.clear();
        }
      }
    }
    for (const e of entries) {
      if (e.type === 'whiteout' || e.type === 'opaque') continue;
      if (e.type === 'file') this.totalFileBytes += e.size;
      if (e.type === 'hardlink' && !this.get(e.linkname!)) {
        throw new InputError(
          `${what}: hard link "${e.path}" points to "${e.linkname}", which is not in the image`,
        );
      }
      const parent = this.ensureDir(dirname(e.path), layer);
      const name = basename(e.path);
      const old = parent.children!.get(name);
      if (old && old.type === 'dir' && e.type === 'dir') {
        old.mode = e.mode;
        old.uid = e.uid;
        old.gid = e.gid;
        old.layer = layer;
        continue;
      }
      if (old) this.discard(e.path, old);
      const node: FsNode = { type: e.type, size: e.size, mode: e.mode, uid: e.uid, gid: e.gid, layer };
      if (e.linkname !== undefined) node.linkname = e.linkname;
      if (e.type === 'dir') node.children = new Map();
      parent.children!.set(name, node);
    }
  }

  /** The node at a path, without following symlinks. */
  get(path: string): FsNode | undefined {
    if (path === '') return this.root;
    let node: FsNode | undefined = this.root;
    for (const part of path.split('/')) {
      node = node?.children?.get(part);
      if (!node) return undefined;
    }
    return node;
  }

  /**
   * Every path in the merged view, depth first in name order (directories included). Built once
   * and kept until the next layer is applied: reports walk the tree several times.
   */
  walk(): readonly MergedFile[] {
    if (this.walked) return this.walked;
    const out: MergedFile[] = [];
    const visit = (dir: FsNode, prefix: string) => {
      for (const name of [...dir.children!.keys()].sort()) {
        const node = dir.children!.get(name)!;
        const path = joinKey(prefix, name);
        out.push({ path, node });
        if (node.type === 'dir') visit(node, path);
      }
    };
    visit(this.root, '');
    this.walked = out;
    return out;
  }

  get efficiency(): number {
    return this.totalFileBytes === 0 ? 1 : 1 - this.wasteBytes / this.totalFileBytes;
  }

  /** Wasted paths, biggest first. */
  wastedPaths(limit = Number.POSITIVE_INFINITY): WastedPath[] {
    return [...this.waste]
      .map(([path, w]) => ({ path, bytes: w.bytes, layers: [...w.layers].sort((a, b) => a - b) }))
      .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
      .slice(0, limit);
  }

  largestFiles(limit: number): { path: string; bytes: number; layer: number }[] {
    const top: { path: string; bytes: number; layer: number }[] = [];
    for (const { path, node } of this.walk()) {
      if (node.type !== 'file' || node.size === 0) continue;
      if (top.length < limit || node.size > top[top.length - 1]!.bytes) {
        top.push({ path, bytes: node.size, layer: node.layer });
        top.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
        if (top.length > limit) top.pop();
      }
    }
    return top;
  }

  private lookupDir(path: string): FsNode | undefined {
    const node = this.get(path);
    return node?.type === 'dir' ? node : undefined;
  }

  /** Walks to a directory, creating missing ones; a non-directory in the way is replaced. */
  private ensureDir(path: string, layer: number): FsNode {
    let node = this.root;
    if (path === '') return node;
    let at = '';
    for (const part of path.split('/')) {
      at = joinKey(at, part);
      let next = node.children!.get(part);
      if (next?.type !== 'dir') {
        if (next) this.discard(at, next);
        next = newDir(layer);
        node.children!.set(part, next);
      }
      node = next;
    }
    return node;
  }

  /** Counts a removed version (and, for a directory, everything under it) as waste. */
  private discard(path: string, node: FsNode): void {
    if (node.type === 'dir') {
      for (const [name, child] of node.children!) this.discard(joinKey(path, name), child);
      return;
    }
    if (node.type !== 'file' || node.size === 0) return;
    this.wasteBytes += node.size;
    const w = this.waste.get(path);
    if (w) {
      w.bytes += node.size;
      w.layers.add(node.layer);
    } else {
      this.waste.set(path, { bytes: node.size, layers: new Set([node.layer]) });
    }
  }
}

function joinKey(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
