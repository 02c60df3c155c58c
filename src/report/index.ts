export { type CheckstyleOptions, renderCheckstyle } from './checkstyle.js';
export { escapeData, escapeProperty, type GithubOptions, githubAnnotation, renderGithub } from './github.js';
export {
  type GitlabIssue,
  type GitlabOptions,
  type GitlabSeverity,
  gitlabIssues,
  gitlabSeverity,
  renderGitlab,
} from './gitlab.js';
export { contractFinding, type JsonReport, type JsonReportInput, jsonReport, renderJson } from './json.js';
export { type JunitOptions, renderJunit } from './junit.js';
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
export { xmlAttr, xmlText } from './xml.js';
