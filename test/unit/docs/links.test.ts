/**
 * The documentation's links: every relative link names a file of the repository (and, for a
 * Markdown page, a heading or anchor in it); nothing links outside the repository.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../helpers/cli.js';

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...markdownFiles(p));
    else if (name.endsWith('.md')) out.push(p);
  }
  return out;
}

const PAGES = [
  ...['README.md', 'CONTRIBUTING.md', 'BENCHMARKS.md'].map((f) => join(REPO_ROOT, f)),
  ...markdownFiles(join(REPO_ROOT, 'docs')),
];

/** The text outside fenced code blocks and inline code, where links are links. */
function prose(text: string): string {
  let inFence = false;
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (!inFence) lines.push(line.replace(/`[^`]*`/g, ''));
  }
  return lines.join('\n');
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slug(h[1] ?? '');
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a (?:id|name)="([^"]+)"/g)) anchors.add(m[1] ?? '');
  }
  return anchors;
}

test('the documentation pages exist and the README stays under 10 KB', () => {
  for (const page of PAGES) assert.ok(existsSync(page), page);
  assert.ok(readFileSync(join(REPO_ROOT, 'README.md')).length <= 10 * 1024, 'README.md is at most 10 KB');
  assert.ok(PAGES.some((p) => p.endsWith(`docs${sep}rules.md`)));
});

test('every link in the documentation resolves inside the repository', () => {
  const problems: string[] = [];
  for (const page of PAGES) {
    const where = relative(REPO_ROOT, page);
    for (const m of prose(readFileSync(page, 'utf8')).matchAll(
      /\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<(https?:[^>]+)>/g,
    )) {
      const target = m[1] ?? m[2] ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
        problems.push(`${where}: ${target} points outside the repository`);
        continue;
      }
      const [path = '', anchor] = target.split('#');
      const file = path === '' ? page : resolve(dirname(page), decodeURIComponent(path));
      if (relative(REPO_ROOT, file).startsWith('..')) {
        problems.push(`${where}: ${target} points outside the repository`);
        continue;
      }
      if (!existsSync(file)) {
        problems.push(`${where}: ${target} does not exist`);
        continue;
      }
      if (anchor !== undefined && file.endsWith('.md') && !anchorsOf(file).has(anchor)) {
        problems.push(`${where}: ${target} names no heading or anchor of ${relative(REPO_ROOT, file)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
