/**
 * The entrypoint scripts a Dockerfile starts, read from the build context: the audit judges
 * which user they start the service as, and what they run. Found by the COPY that puts the
 * started path in place (`COPY docker/run.sh /run.sh`), by name (the script's file name among the
 * context's files, when only one file has it) or, for a program started by a relative path, at
 * that path when it is a script (#!); small files only.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ContextInventory } from '../context/inventory.js';
import type { DockerfileModel } from '../dockerfile/model.js';
import { BuildModel } from '../rules/audit/build-reads.js';
import { copiesFromContext, copyPlacements, copySources, Facts } from '../rules/audit/context.js';
import { ENTRYPOINT_SCRIPT } from '../rules/audit/entrypoint-user.js';

const MAX_SCRIPT = 64 * 1024;

export function entrypointScripts(
  df: DockerfileModel,
  inventory: ContextInventory | undefined,
  contextDir: string,
  overlay: ReadonlyMap<string, string> | undefined,
): Map<string, string> {
  const out = new Map<string, string>();
  const names = new Set<string>();
  const paths = new Set<string>();
  const started = new Set<string>();
  for (const ins of df.instructions) {
    if (ins.keyword !== 'ENTRYPOINT' && ins.keyword !== 'CMD') continue;
    const words = ins.exec ?? ins.args.map((a) => a.value);
    for (const w of words) {
      if (!ENTRYPOINT_SCRIPT.test(w) || w.includes('$')) continue;
      names.add(posix.basename(w));
      if (w.startsWith('/')) started.add(posix.normalize(w));
    }
    // A program started by a relative path (`script/test`) may be a script of the context too.
    const first = words[0];
    if (first && /^[\w.-]+\/[\w./-]+$/.test(first) && !first.startsWith('.'))
      paths.add(posix.normalize(first));
  }
  for (const path of paths) {
    const text = readContextFile(inventory, contextDir, path, overlay);
    if (text?.startsWith('#!')) out.set(path, text);
  }
  for (const path of [...copiedTo(df, started), ...copiedThroughStages(df, inventory, started)]) {
    const text = out.has(path) ? undefined : readContextFile(inventory, contextDir, path, overlay);
    if (text !== undefined) out.set(path, text);
  }
  // A context a release tool assembles holds the COPY sources as the checkout names them.
  const sources = df.instructions
    .filter(copiesFromContext)
    .flatMap((i) => copySources(i).sources)
    .map((s) => posix.normalize(s).replace(/^\.?\/+/, ''));
  for (const name of names) {
    const found = inventory
      ? inventory.files.filter((f) => posix.basename(f) === name && !inventory.excluded.has(f))
      : sources.filter((f) => posix.basename(f) === name);
    // A script started by its path is read already.
    if (found.length !== 1 || out.has(found[0]!)) continue;
    const text = readSmall(join(contextDir, found[0]!), overlay);
    if (text !== undefined) out.set(found[0]!, text);
  }
  return out;
}

/** The context files that COPY (from the context) puts at the given image paths. */
function copiedTo(df: DockerfileModel, targets: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (targets.size === 0) return out;
  for (const ins of df.instructions) {
    if (!copiesFromContext(ins)) continue;
    const { dest } = copySources(ins);
    if (!dest.startsWith('/') || dest.includes('$')) continue;
    for (const p of copyPlacements(ins)) if (targets.has(p.path)) out.push(p.source);
  }
  return out;
}

/**
 * The context files a stage's copy of the context puts at the given image paths of a later
 * stage (`COPY . /src` in the builder, then `COPY --from=builder /src/docker/run.sh /`).
 */
function copiedThroughStages(
  df: DockerfileModel,
  inventory: ContextInventory | undefined,
  targets: ReadonlySet<string>,
): string[] {
  if (targets.size === 0 || !inventory) return [];
  const model = new BuildModel(new Facts(df), inventory);
  const out = new Set<string>();
  for (const stage of df.stages)
    for (const target of targets) {
      const o = model.origin(model.model(stage).mappings, target);
      if (o?.kind === 'context' && inventory.isFile(o.path)) out.add(o.path);
    }
  return [...out];
}

/** A small file the build context sends (not excluded), read; undefined otherwise. */
export function readContextFile(
  inventory: ContextInventory | undefined,
  contextDir: string,
  path: string,
  overlay: ReadonlyMap<string, string> | undefined,
): string | undefined {
  if (!inventory?.isFile(path) || inventory.excluded.has(path)) return undefined;
  return readSmall(join(contextDir, path), overlay);
}

/** A small file's text (the editor's unsaved text first), or undefined when missing, unreadable or big. */
function readSmall(path: string, overlay: ReadonlyMap<string, string> | undefined): string | undefined {
  try {
    return overlay?.get(path) ?? (statSync(path).size <= MAX_SCRIPT ? readFileSync(path, 'utf8') : undefined);
  } catch {
    // A missing or unreadable script tells nothing.
    return undefined;
  }
}
