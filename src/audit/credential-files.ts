/**
 * Credential-named files (.npmrc, .netrc, .env…) that a Dockerfile copies from its build context,
 * read so the audit can tell a file of settings from one that holds a token; small files only.
 */
import { join } from 'node:path';
import type { ContextInventory } from '../context/inventory.js';
import type { DockerfileModel } from '../dockerfile/model.js';
import { contextRel, copySources } from '../rules/audit/context.js';
import { CREDENTIAL_FILES } from '../rules/audit/secrets-in-build-args.js';
import { readSmall } from './entrypoint-scripts.js';

export function credentialFiles(
  df: DockerfileModel,
  inventory: ContextInventory | undefined,
  contextDir: string,
  overlay: ReadonlyMap<string, string> | undefined,
): Map<string, string> {
  const out = new Map<string, string>();
  if (!inventory) return out;
  for (const ins of df.instructions) {
    if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || ins.flags.some((f) => f.name === 'from'))
      continue;
    for (const src of copySources(ins).sources) {
      const path = contextRel(src);
      if (
        !CREDENTIAL_FILES.test(path) ||
        out.has(path) ||
        !inventory.isFile(path) ||
        inventory.excluded.has(path)
      )
        continue;
      const text = readSmall(join(contextDir, path), overlay);
      if (text !== undefined) out.set(path, text);
    }
  }
  return out;
}
