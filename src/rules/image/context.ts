/**
 * What an image runtime check sees: the analysed image, the command it would run, the resolved
 * entrypoint and its inspected binary. Each check is one module exporting `{ id, check }`; its
 * metadata (severity, title, why) lives in src/rules/catalog.ts under the same id.
 */
import type { Finding } from '../../core/finding.js';
import type { ImageAnalysis } from '../../image/analyze.js';
import type { FoundBinary } from '../../image/binaries.js';
import { type Command, resolveInImage } from '../../image/resolve.js';
import type { ConfigFile } from '../../image/types.js';
import type { EolTable } from '../../releases/types.js';
import { getRule } from '../catalog.js';
import type { BaseFreshness } from './base-freshness.js';

export interface EntrypointInfo {
  /** The program as written in the config (argv[0], or the first word of a shell-form command). */
  path: string | null;
  /** Where it resolved in the image (absolute), or null. */
  resolved: string | null;
  /** Why it did not resolve. */
  problem: string | null;
  binary: FoundBinary | null;
  /** For a script, its `#!` line (interpreter and argument). */
  shebang: string | null;
}

export interface ImageRuleContext {
  analysis: ImageAnalysis;
  config: ConfigFile;
  command: Command;
  entrypoint: EntrypointInfo;
  /** True when the absolute path exists in the merged filesystem (symlinks followed inside it). */
  exists(path: string): boolean;
  /** True when the path is a directory holding at least one entry. */
  nonEmptyDir(path: string): boolean;
  /** Base-image lifecycles, as loaded by the caller. */
  eol: EolTable;
  /** The image's OS release judged against them, or null without an os-release. */
  base: BaseFreshness | null;
}

export interface ImageRule {
  id: string;
  check(ctx: ImageRuleContext): Finding[];
}

export function finding(id: string, message: string, path?: string): Finding {
  const meta = getRule(id);
  const f: Finding = { rule: id, severity: meta.severity, message };
  if (path !== undefined) f.path = path;
  f.fixable = false;
  return f;
}

export function makeExists(analysis: ImageAnalysis): (path: string) => boolean {
  return (path) => resolveInImage(analysis.fs, path.replace(/^\/+/, '')).ok;
}

export function makeNonEmptyDir(analysis: ImageAnalysis): (path: string) => boolean {
  return (path) => {
    const r = resolveInImage(analysis.fs, path.replace(/^\/+/, ''));
    return r.ok && r.node.type === 'dir' && (r.node.children?.size ?? 0) > 0;
  };
}
