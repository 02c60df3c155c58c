#!/usr/bin/env node
// `goimg vuln` against `govulncheck` (Debian's, binary mode) on the same file and the same
// advisories (test/fixtures/vulndb; govulncheck reads it written in the older layout it knows):
// wall time, CPU and peak RSS, medians of interleaved runs, and what each one found.
// Usage: node bench/vuln.mjs [FILE] [RUNS]   (run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeLegacyVulnDb } from '../dist/test/helpers/legacy-vulndb.js';
import { GOIMG, loadNote, race } from './binary-lib.mjs';

const file = process.argv[2] ?? '/usr/sbin/dockerd';
const runs = Number(process.argv[3] ?? 7);
const DB = fileURLToPath(new URL('../test/fixtures/vulndb', import.meta.url));

/** The fixture advisories in the layout Debian's govulncheck reads (index.json, <module>.json). */
function legacyDb() {
  return writeLegacyVulnDb(DB);
}

const legacy = legacyDb();
// govulncheck runs `go env`: Go 1.19 (its own toolchain) first on PATH.
const env = ['env', `GOVULNDB=file://${legacy}`, `PATH=/usr/lib/go-1.19/bin:${process.env.PATH}`];
const commands = {
  goimg: [GOIMG, 'vuln', '--vuln-db', DB, '--format', 'json', '--fail-on', 'never', file],
  govulncheck: [...env, 'govulncheck', '-json', file],
};
try {
  const found = Object.fromEntries(
    Object.entries(commands).map(([k, argv]) => {
      const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30 });
      if (r.status !== 0) throw new Error(`${k} failed: ${r.stderr.slice(-500)}`);
      const json = JSON.parse(r.stdout);
      const ids =
        k === 'goimg'
          ? json.binaries.flatMap((b) => b.findings.filter((f) => f.level === 'symbol').map((f) => f.id))
          : (json.Vulns ?? []).map((v) => v.OSV.id);
      return [k, [...new Set(ids)].sort()];
    }),
  );
  const r = race(commands, runs);
  const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
  const line = (name, x) =>
    `  ${name.padEnd(12)} wall ${ms(x.wall)}, cpu ${x.cpu === null ? '?' : ms(x.cpu)}, peak RSS ${x.rssKB === null ? '?' : `${Math.round(x.rssKB / 1024)} MB`}`;
  console.log(
    `vuln: ${file} (${(statSync(file).size / 1048576).toFixed(1)} MiB), median of ${runs} runs, ${loadNote()}`,
  );
  console.log(line('goimg vuln', r.goimg));
  console.log(line('govulncheck', r.govulncheck));
  console.log(
    `  ratio goimg / govulncheck  wall ${(r.goimg.wall / r.govulncheck.wall).toFixed(2)}x, cpu ${r.goimg.cpu && r.govulncheck.cpu ? (r.goimg.cpu / r.govulncheck.cpu).toFixed(2) : '?'}x, RSS ${r.goimg.rssKB && r.govulncheck.rssKB ? (r.goimg.rssKB / r.govulncheck.rssKB).toFixed(2) : '?'}x`,
  );
  console.log(`  reachable advisories  goimg: ${found.goimg.join(', ') || 'none'}`);
  console.log(`                        govulncheck: ${found.govulncheck.join(', ') || 'none'}`);
} finally {
  rmSync(legacy, { recursive: true, force: true });
}
