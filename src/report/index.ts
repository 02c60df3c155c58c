export { escapeData, escapeProperty, type GithubOptions, githubAnnotation, renderGithub } from './github.js';
export { contractFinding, type JsonReport, type JsonReportInput, jsonReport, renderJson } from './json.js';
export { visible } from './sanitize.js';
export {
  type FindingWithFix,
  renderSarif,
  type SarifFix,
  type SarifLevel,
  type SarifLog,
  type SarifOptions,
  type SarifResult,
  type SarifRule,
  sarifLevel,
  sarifLog,
} from './sarif.js';
export { renderText, summaryLine, type TextOptions, type TextPalette } from './text.js';
