#!/usr/bin/env node
/**
 * goimg's GitHub Action (action.yml): runs the bundled CLI of the action's own checkout, so
 * nothing is installed at run time. One goimg run prints the chosen format (annotations by
 * default) and decides the step's verdict; the JSON it also writes feeds the job summary and
 * the outputs, and the SARIF, when asked, is the file github/codeql-action/upload-sarif uploads.
 */
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rebaseSarif } from './sarif.mjs';
import { counts, renderSummary } from './summary.mjs';
import { errorCommand, input, outputText } from './workflow.mjs';

const ACTION_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = resolve(ACTION_ROOT, 'dist/cli/main.js');

/**
 * Runs the bundled CLI in this process (one Node start-up, not two), its output going to the
 * job's log; returns its exit code. The CLI never throws: errors come back as exit codes.
 */
async function goimg(args, cwd) {
  process.chdir(cwd);
  process.env.NO_COLOR = '1';
  const { main } = await import(pathToFileURL(BUNDLE).href);
  return main(args);
}

/** The audited directory relative to the workspace, which prefixes the findings' files. */
function auditPrefix(command, path, workspace) {
  if (command !== 'audit') return '';
  const abs = resolve(workspace, path);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) return '';
  const rel = relative(workspace, abs).replace(/\\/g, '/');
  return rel.startsWith('..') || isAbsolute(rel) ? '' : rel;
}

async function run(env) {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const command = input(env, 'command', 'audit');
  const path = input(env, 'path', '.');
  const failOn = input(env, 'fail-on', 'error');
  const format = input(env, 'format', 'github');
  const sarifFile = input(env, 'sarif');
  const extra = input(env, 'args').split(/\s+/).filter(Boolean);
  const summary = input(env, 'summary', 'true') === 'true';
  if (command !== 'audit' && command !== 'image') {
    process.stdout.write(errorCommand(`input command must be audit or image, got "${command}"`));
    return 2;
  }
  if (!existsSync(BUNDLE)) {
    process.stdout.write(
      errorCommand('this checkout of the goimg action has no built CLI (dist/cli): use a release tag'),
    );
    return 3;
  }
  const prefix = auditPrefix(command, path, workspace);
  // One run: the printed format, plus JSON (summary, outputs) and SARIF written to files.
  const scratch = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'goimg-action-'));
  const jsonFile = join(scratch, 'report.json');
  const sarifTemp = join(scratch, 'report.sarif');
  const args = [
    command,
    path,
    '--fail-on',
    failOn,
    ...extra,
    '--format',
    format,
    '--output',
    `json=${jsonFile}`,
  ];
  if (sarifFile !== '') args.push('--output', `sarif=${sarifTemp}`);
  let exitCode;
  let findings;
  const outputs = { 'exit-code': 0, sarif: '' };
  try {
    exitCode = await goimg(args, workspace);
    outputs['exit-code'] = exitCode;
    if (exitCode <= 1) {
      findings = JSON.parse(readFileSync(jsonFile, 'utf8')).findings;
      if (sarifFile !== '') {
        const log = rebaseSarif(JSON.parse(readFileSync(sarifTemp, 'utf8')), workspace, prefix);
        writeFileSync(resolve(workspace, sarifFile), `${JSON.stringify(log, null, 2)}\n`);
        outputs.sarif = sarifFile;
      }
    } else {
      process.stdout.write(errorCommand(`goimg ${command} stopped with exit code ${exitCode}`));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (findings !== undefined) {
    const c = counts(findings);
    Object.assign(outputs, {
      findings: findings.length,
      errors: c.error,
      warnings: c.warning,
      infos: c.info,
    });
  }
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, outputText(outputs));
  if (summary && env.GITHUB_STEP_SUMMARY)
    appendFileSync(
      env.GITHUB_STEP_SUMMARY,
      renderSummary({ command, target: path, failOn, exitCode, findings, prefix }),
    );
  return exitCode;
}

let code;
try {
  code = await run(process.env);
} catch (err) {
  // The runner shows this as an annotation; no stack trace for a user.
  process.stdout.write(
    errorCommand(`goimg action failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  code = 3;
}
// As bin/goimg.js does: what may still hold the process open (an HTTP client's keep-alive
// connections) is idle by now; exit once stdout is flushed.
process.stdout.write('', () => process.exit(code));
