/**
 * Which files the language server lints and which changes invalidate its project model, and the
 * conversion between the client's URIs and file paths.
 */
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDockerfileName } from '../audit/load.js';

export type DocumentKind = 'dockerfile' | 'dockerignore';

/** A Dockerfile by any name the audit reads, or a .dockerignore (BuildKit's per-Dockerfile one too). */
export function documentKind(path: string, languageId?: string): DocumentKind | undefined {
  const name = basename(path);
  if (name === '.dockerignore' || name.endsWith('.dockerignore')) return 'dockerignore';
  if (isDockerfileName(name) || languageId === 'dockerfile') return 'dockerfile';
  return undefined;
}

const PROJECT_NAMES = new Set([
  'go.mod',
  'go.sum',
  'go.work',
  'go.work.sum',
  'modules.txt',
  '.goimg.yaml',
  '.goimg.yml',
]);

/** True when a change to `path` can change the project model, the context or the settings. */
export function affectsProject(path: string): boolean {
  const name = basename(path);
  return PROJECT_NAMES.has(name) || name.endsWith('.go') || name.endsWith('.dockerignore');
}

/** The glob patterns the server asks the client to watch (what `affectsProject` accepts). */
export const WATCHED_GLOBS: readonly string[] = [
  '**/go.{mod,sum,work}',
  '**/go.work.sum',
  '**/vendor/modules.txt',
  '**/*.go',
  '**/.dockerignore',
  '**/*.dockerignore',
  '**/.goimg.{yaml,yml}',
];

/** The file path of a `file:` URI, undefined for any other scheme (an unsaved buffer). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}
