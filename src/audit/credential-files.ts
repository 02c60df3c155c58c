/**
 * Credential-named files (.npmrc, .netrc, .env…) that a Dockerfile copies from its build context,
 * read so the audit can tell a file of settings from one that holds a token; small files only.
 */
import type { ContextInventory } from '../context/inventory.js';
import type { DockerfileModel } from '../dockerfile/model.js';
import { contextRel, copiesFromContext, copySources } from '../rules/audit/context.js';
import { CREDENTIAL_FILES } from '../rules/audit/secrets-in-build-args.js';
import { readContextFile } from './entrypoint-scripts.js';

export function credentialFiles(
  df: DockerfileModel,
  inventory: ContextInventory | undefined,
  contextDir: string,
  overlay: ReadonlyMap<string, string> | undefined,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const ins of df.instructions) {
    if (!copiesFromContext(ins)) continue;
    for (const src of copySources(ins).sources) {
      const path = contextRel(src);
      if (!CREDENTIAL_FILES.test(path) || out.has(path)) continue;
      const text = readContextFile(inventory, contextDir, path, overlay);
      if (text !== undefined) out.set(path, text);
    }
  }
  return out;
}
