/**
 * One binary checked against the vulnerability database: its modules are read, the advisories
 * the index lists for them fetched, the functions of the packages those advisories name read
 * from the function table and the inline trees, and the whole matched.
 */
import type { ByteSource } from '../binary/source.js';
import { readBinaryFacts } from './binary.js';
import type { VulnDb } from './db.js';
import { matchVulns, modulesToCheck, type VulnFinding } from './match.js';
import type { OsvEntry } from './osv.js';

export interface VulnReport {
  file: string;
  /** checked, or why it could not be: packed (UPX), not-go. */
  status: 'checked' | 'packed' | 'not-go';
  reason?: string;
  goVersion: string | null;
  findings: VulnFinding[];
}

export async function checkBinary(
  source: ByteSource | string,
  db: VulnDb,
  name?: string,
): Promise<VulnReport> {
  let entries: OsvEntry[] = [];
  const facts = await readBinaryFacts(
    source,
    async (binary) => {
      const ids = new Set<string>();
      for (const m of modulesToCheck(binary))
        for (const v of db.modules.get(m.path)?.vulns ?? []) ids.add(v.id);
      entries = await db.entries([...ids].sort());
      return entries.flatMap((e) =>
        e.affected.flatMap((a) => (a.ecosystem_specific?.imports ?? []).map((i) => i.path)),
      );
    },
    name,
  );
  if (facts.status !== 'go')
    return { file: facts.file, status: facts.status, reason: facts.reason, goVersion: null, findings: [] };
  return {
    file: facts.file,
    status: 'checked',
    goVersion: facts.goVersion,
    findings: matchVulns(facts, entries),
  };
}
