/**
 * goimg's library entry point. Everything the CLI does is available here as functions over
 * typed models; the CLI only wires them to arguments and output.
 */

export { type DoctorReport, doctor } from './cli/doctor.js';
export { main } from './cli/main.js';
export * from './core/errors.js';
export * from './core/finding.js';
export { findGoToolchain, findGoToolchains, type GoToolchain } from './env/go-toolchains.js';
export { getRule, RULES, type RuleMeta, ruleDocsUrl } from './rules/catalog.js';
export { isLocalPath, parseGoMod, parseGoSum, parseGoWork, scanProject } from './project/index.js';
export type * from './project/model.js';
export * from './binary/index.js';
export * as report from './report/index.js';
export * as fix from './fix/index.js';
export * as config from './config/index.js';
export { type AuditFinding, type AuditInput, auditDockerfile } from './audit/engine.js';
export { type AuditOptions, type AuditResult, auditDirectory } from './audit/load.js';
export { type FixOutcome, fixUntilStable } from './audit/fix-loop.js';
export { AUDIT_RULES } from './rules/audit/index.js';
export type { DockerfileModel, Instruction, Stage } from './dockerfile/model.js';
export { parseDockerfile } from './dockerfile/parse.js';
export { splitShell } from './dockerfile/shell.js';
