export type { BinaryFacts, BinaryModule, GoBinary } from './binary.js';
export { readBinaryFacts } from './binary.js';
export { checkBinary, type VulnReport } from './check.js';
export { DEFAULT_TTL_MS, type OpenOptions, openVulnDb, PUBLIC_VULN_DB, type VulnDb } from './db.js';
export { matchVulns, STDLIB, type VulnFinding, type VulnLevel, type VulnPackage } from './match.js';
export {
  counts,
  dbLine,
  renderVulnJson,
  renderVulnReport,
  renderVulnText,
  type VulnRun,
  vulnSarif,
} from './render.js';
