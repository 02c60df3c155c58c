/**
 * A Go vulnerability database in the layout older clients (Debian's govulncheck) read:
 * index.json and one file per module, written from the same OSV records as the current layout.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes the records of `db` (a directory in the current layout) in the legacy layout; returns its path. */
export function writeLegacyVulnDb(db: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-legacy-vulndb-'));
  const byModule = new Map<string, unknown[]>();
  const index: Record<string, string> = {};
  mkdirSync(join(dir, 'ID'));
  for (const name of readdirSync(join(db, 'ID'))) {
    const text = readFileSync(join(db, 'ID', name), 'utf8');
    const entry = JSON.parse(text) as { modified: string; affected: { package: { name: string } }[] };
    writeFileSync(join(dir, 'ID', name), text);
    for (const a of entry.affected) {
      byModule.set(a.package.name, [...(byModule.get(a.package.name) ?? []), entry]);
      index[a.package.name] = entry.modified;
    }
  }
  for (const [mod, entries] of byModule) {
    mkdirSync(dirname(join(dir, `${mod}.json`)), { recursive: true });
    writeFileSync(join(dir, `${mod}.json`), JSON.stringify(entries));
  }
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
  writeFileSync(join(dir, 'aliases.json'), '{}');
  return dir;
}
