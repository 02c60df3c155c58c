/**
 * Executables found while a layer streams past: each ELF is inspected from memory with goimg
 * binary's library (never written to disk), and only its small report is kept. Entry-point
 * candidates also get the runtime evidence the checks need (TLS, time zones), read from the
 * Go function table.
 */
import { ElfFile } from '../binary/elf.js';
import { inspectBinary } from '../binary/index.js';
import { readPclntab } from '../binary/pclntab.js';
import type { BinaryReport } from '../binary/report.js';
import type { Sizes } from '../binary/sizes.js';
import type { ByteSource } from '../binary/source.js';
import { InputError } from '../core/errors.js';
import { checkBinary, type VulnDb, type VulnReport } from '../vuln/index.js';

export interface RuntimeEvidence {
  /** Functions that make TLS connections or load the system CA pool. */
  tls: string[];
  /** Whether the system roots are embedded (x509roots/fallback): no bundle needed. */
  embeddedRoots: boolean;
  /** Functions that load zones from the filesystem. */
  tz: string[];
  /** Whether time/tzdata is linked (-tags timetzdata): no zoneinfo needed. */
  embeddedTzdata: boolean;
}

export interface FoundBinary {
  /** The report, its package and module lists cut to the 20 largest. */
  report: BinaryReport;
  /** Every package and module, for the pictures (null when not attributed). */
  sizes: Sizes | null;
  evidence: RuntimeEvidence | null;
  /** The vulnerability check, when a database was given and the file is Go (or packed). */
  vulns: VulnReport | null;
}

const REPORTED_PACKAGES = 20;

// Client-side TLS only: every net/http binary links crypto/tls's handshake and the system-root
// loader (a server can serve TLS), but only a program that dials out links the HTTP transport's
// round trip or a TLS dial, and only those need the CA bundle. Measured with Go 1.23 on a
// server-only and a client net/http program.
const TLS_FUNCS = [
  'net/http.(*Transport).roundTrip',
  'net/http.(*Client).do',
  'crypto/tls.dial',
  'crypto/tls.(*Dialer).DialContext',
  'crypto/tls.Client',
  'crypto/x509.SystemCertPool',
];
const TZ_FUNCS = ['time.LoadLocation'];

async function isElf(data: ByteSource): Promise<boolean> {
  return data.size >= 4 && (await data.read(0, 4)).readUInt32BE(0) === 0x7f454c46;
}

async function evidenceOf(data: ByteSource): Promise<RuntimeEvidence | null> {
  try {
    const elf = await ElfFile.open(data);
    const pcln = await readPclntab(elf);
    if (!pcln) return null;
    const names = new Set(pcln.funcs.map((f) => f.name));
    let embeddedRoots = false;
    let embeddedTzdata = false;
    for (const f of pcln.funcs) {
      if (f.name.startsWith('golang.org/x/crypto/x509roots/fallback.')) embeddedRoots = true;
      if (f.name.startsWith('time/tzdata.')) embeddedTzdata = true;
    }
    return {
      tls: TLS_FUNCS.filter((n) => names.has(n)),
      embeddedRoots,
      tz: TZ_FUNCS.filter((n) => names.has(n)),
      embeddedTzdata,
    };
  } catch {
    return null;
  }
}

/** Inspects one executable held in memory; null when it is not an ELF file or is unreadable. */
export async function inspectExecutable(
  path: string,
  data: ByteSource,
  entrypointCandidate: boolean,
  vulnDb?: VulnDb,
): Promise<FoundBinary | null> {
  if (!(await isElf(data))) return null;
  let found: FoundBinary;
  try {
    // Every binary is attributed: `goimg image` lists each Go binary's largest modules.
    const report = await inspectBinary(data, { name: `/${path}` });
    const sizes = report.sizes;
    if (sizes)
      report.sizes = {
        ...sizes,
        packages: sizes.packages.slice(0, REPORTED_PACKAGES),
        modules: sizes.modules.slice(0, REPORTED_PACKAGES),
      };
    const evidence = entrypointCandidate && report.goVersion ? await evidenceOf(data) : null;
    found = { report, sizes, evidence, vulns: null };
  } catch {
    return null;
  }
  if (vulnDb && (found.report.goVersion || found.report.upx.packed))
    found.vulns = await vulnsOf(path, data, vulnDb);
  return found;
}

/**
 * The binary checked against the database. A database that cannot be read ends the run (the
 * user asked for the check); a file whose tables cannot be read is reported, not fatal.
 */
async function vulnsOf(path: string, data: ByteSource, db: VulnDb): Promise<VulnReport> {
  try {
    return await checkBinary(data, db, `/${path}`);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { file: `/${path}`, status: 'not-go', reason: err.message, goVersion: null, findings: [] };
  }
}
