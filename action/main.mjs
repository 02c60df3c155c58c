#!/usr/bin/env node
/**
 * goimg's GitHub Action (action.yml): runs the bundled CLI of the action's own checkout, so
 * nothing is installed at run time. The printed run (annotations by default) decides the
 * step's verdict; a JSON run feeds the job summary and the outputs; a SARIF run, when asked,
 * writes the file github/codeql-action/upload-sarif uploads.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rebaseSarif } from './sarif.mjs';
import { counts, renderSummary } from './summary.mjs';
import { errorCommand, input, outputText } from './workflow.mjs';

const ACTION_ROOT = fileURLToPath(new URL('..', import.meta.url));
const GOIMG = resolve(ACTION_ROOT, 'bin/goimg.js');
const BUNDLE = resolve(ACTION_ROOT, 'dist/cli/main.js');

function goimg(args, cwd) {
  const r = spawnSync(process.execPath, [GOIMG, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 3, stdout: r.stdout };
}

/** The audited directory relative to the workspace, which prefixes the findings' files. */
function auditPrefix(command, path, workspace) {
  if (command !== 'audit') return '';
  const abs = resolve(workspace, path);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) return '';
  const rel = relative(workspace, abs).replace(/\\/g, '/');
  return rel.startsWith('..') || isAbsolute(rel) ? '' : rel;
}

function run(env) {
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
  const base = [command, path, '--fail-on', failOn, ...extra];
  const printed = goimg([...base, '--format', format], workspace);
  process.stdout.write(printed.stdout);
  const exitCode = printed.status;
  const prefix = auditPrefix(command, path, workspace);
  const outputs = { 'exit-code': exitCode, sarif: '' };
  let findings;
  if (exitCode <= 1) {
    const json = format === 'json' ? printed : goimg([...base, '--format', 'json', '--quiet'], workspace);
    if (json.status <= 1) findings = JSON.parse(json.stdout).findings;
    if (sarifFile !== '') {
      const sarif =
        format === 'sarif' ? printed : goimg([...base, '--format', 'sarif', '--quiet'], workspace);
      if (sarif.status <= 1) {
        const log = rebaseSarif(JSON.parse(sarif.stdout), workspace, prefix);
        writeFileSync(resolve(workspace, sarifFile), `${JSON.stringify(log, null, 2)}\n`);
        outputs.sarif = sarifFile;
      }
    }
  } else {
    process.stdout.write(errorCommand(`goimg ${command} stopped with exit code ${exitCode}`));
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

try {
  process.exitCode = run(process.env);
} catch (err) {
  // The runner shows this as an annotation; no stack trace for a user.
  process.stdout.write(
    errorCommand(`goimg action failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  process.exitCode = 3;
}
