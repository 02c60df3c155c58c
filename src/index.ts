/**
 * goimg's library entry point. Everything the CLI does is available here as functions over
 * typed models; the CLI only wires them to arguments and output.
 */

export { type AuditFinding, type AuditInput, auditDockerfile } from './audit/engine.js';
export { type FixOutcome, fixUntilStable } from './audit/fix-loop.js';
export { type AuditOptions, type AuditResult, auditDirectory } from './audit/load.js';
export type { BenchReport, BenchVariant } from './bench/report.js';
export { type BenchInput, runBench } from './bench/run.js';
export * from './binary/index.js';
export { type ReplayOptions, type ReplayResult, replayHistory } from './cache/replay.js';
export { analyseChanged, type ChangedResult } from './cache/working-tree.js';
export { main } from './cli/main.js';
export * as config from './config/index.js';
export * from './core/errors.js';
export * from './core/finding.js';
export {
  type ParsedDockerfile,
  type ParsedError,
  type ParsedInstruction,
  type ParsedPosition,
  type ParsedTrigger,
  parseDockerfile,
} from './dockerfile/api.js';
export type { DockerfileModel, Instruction, Stage } from './dockerfile/model.js';
export { splitShell } from './dockerfile/shell.js';
export { type DoctorReport, doctor } from './env/doctor.js';
export { findGoToolchain, findGoToolchains, type GoToolchain } from './env/go-toolchains.js';
export * as fix from './fix/index.js';
export {
  DEFAULT_GENERATE_OPTIONS,
  type GeneratedFiles,
  type GenerateOptions,
  generateDockerfile,
  generateProjectFiles,
} from './generate/index.js';
export * as image from './image/index.js';
export * as oci from './oci/index.js';
export { isLocalPath, parseGoMod, parseGoSum, parseGoWork, scanProject } from './project/index.js';
export type * from './project/model.js';
export { type FetchedManifest, MANIFEST_ACCEPT, RegistryClient } from './registry/client.js';
export { type Credentials, findCredentials } from './registry/credentials.js';
export { RegistryTransport, type TransportOptions, type TransportRequest } from './registry/transport.js';
export * from './releases/index.js';
export * as report from './report/index.js';
export { AUDIT_RULES } from './rules/audit/index.js';
export { getRule, RULES, type RuleMeta, ruleDocsUrl } from './rules/catalog.js';
export {
  buildImageReport,
  type ImageReport,
  inspectImage,
  type ReportOptions as ImageReportOptions,
} from './rules/image/report.js';
