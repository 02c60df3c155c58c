#!/usr/bin/env node
// Runs the compiled test suites with node:test. Usage: node scripts/run-tests.mjs unit e2e [fuzz]
// Unit tests run in parallel; end-to-end tests share one Docker engine and run one file at a time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const suites = process.argv.slice(2);
if (suites.length === 0) suites.push('unit');

function collect(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(collect(p));
    else if (name.endsWith('.test.js') && hasSource(p)) out.push(p);
  }
  return out;
}

// tsc never deletes output: a compiled test whose source was removed or renamed would still run.
function hasSource(compiled) {
  const source = compiled.replace(/^dist[\\/]/, '').replace(/\.js$/, '.ts');
  return statSync(source, { throwIfNoEntry: false }) !== undefined;
}

const filter = process.env.GOIMG_TEST_FILTER;
// Every temporary file of the run (the tests', and the tools' they start: go, docker, Chromium) goes
// under one directory, removed afterwards: a test that forgets to clean up leaves nothing behind
// (before, each full run left ~0.5 GB in /tmp). GOIMG_TEST_KEEP_TMP=1 keeps it for a post-mortem.
const runTmp = mkdtempSync(join(tmpdir(), 'goimg-tests-'));
const env = { ...process.env, TMPDIR: runTmp };
process.on('exit', () => {
  if (process.env.GOIMG_TEST_KEEP_TMP) console.log(`[run-tests] temporary files kept in ${runTmp}`);
  else rmSync(runTmp, { recursive: true, force: true });
});
let failed = false;
for (const suite of suites) {
  let files = collect(join('dist', 'test', suite));
  if (filter) files = files.filter((f) => f.includes(filter));
  if (files.length === 0) {
    console.log(`[run-tests] ${suite}: no test files`);
    continue;
  }
  const concurrency = suite === 'unit' ? '2' : '1';
  const started = Date.now();
  console.log(`[run-tests] ${suite}: ${files.length} files`);
  const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files], {
    stdio: 'inherit',
    env,
  });
  console.log(
    `[run-tests] ${suite}: ${r.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
