/**
 * One binary checked against the vulnerability database: its facts are read, the advisories of
 * its modules fetched (only those the index lists for them), and matched.
 */
import type { ByteSource } from '../binary/source.js';
import type { BinaryFacts } from './binary.js';
import { readBinaryFacts } from './binary.js';
import type { VulnDb } from './db.js';
import { type MatchInput, matchVulns, modulesToCheck, type VulnFinding } from './match.js';

export interface VulnReport {
  file: string;
  /** checked, or why it could not be: packed (UPX), not-go. */
  status: 'checked' | 'packed' | 'not-go';
  reason?: string;
  goVersion: string | null;
  findings: VulnFinding[];
}

export async function checkFacts(facts: BinaryFacts, db: VulnDb): Promise<VulnReport> {
  if (facts.status !== 'go')
    return { file: facts.file, status: facts.status, reason: facts.reason, goVersion: null, findings: [] };
  const input: MatchInput = facts;
  const ids = new Set<string>();
  for (const m of modulesToCheck(input)) for (const v of db.modules.get(m.path)?.vulns ?? []) ids.add(v.id);
  const entries = await db.entries([...ids].sort());
  return {
    file: facts.file,
    status: 'checked',
    goVersion: facts.goVersion,
    findings: matchVulns(input, entries),
  };
}

export async function checkBinary(
  source: ByteSource | string,
  db: VulnDb,
  name?: string,
): Promise<VulnReport> {
  return checkFacts(await readBinaryFacts(source, name), db);
}
