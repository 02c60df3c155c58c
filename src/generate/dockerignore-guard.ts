/**
 * A generated .dockerignore must never exclude what the build copies (go.mod, go.sum, vendor/,
 * local replace targets, the main package's sources, //go:embed assets). This checks the text
 * with Docker's own matching rules and re-includes (`!path`) anything that would be lost.
 */
import dockerignore from '@balena/dockerignore';
import type { ProjectModel } from '../project/model.js';

// A CommonJS module whose typings claim an ES default export: Node (and the esbuild bundle)
// give module.exports as the default, which is the factory itself. A static import lets the
// bundle carry it, so the bundled CLI runs without node_modules.
type IgnoreFactory = typeof import('@balena/dockerignore').default;
const ignore = dockerignore as unknown as IgnoreFactory;

/** Paths (files, or a directory's representative file) the build reads from the context. */
export function pathsTheBuildReads(project: ProjectModel): string[] {
  const paths = new Set<string>(['go.mod']);
  if (project.hasGoSum) paths.add('go.sum');
  if (project.goWork) paths.add(project.goWork.file);
  if (project.vendored) paths.add('vendor/modules.txt');
  for (const dir of project.localReplaceDirs) {
    const d = dir.replace(/^\.\//, '').replace(/\/$/, '');
    if (!d.startsWith('../') && !d.startsWith('/')) paths.add(`${d}/go.mod`);
  }
  for (const pkg of project.packages) {
    const prefix = pkg.dir === '.' ? '' : `${pkg.dir}/`;
    for (const file of pkg.files) paths.add(file.includes('/') ? file : `${prefix}${file}`);
    for (const pattern of pkg.embeds) {
      // The literal part of the pattern ("static/*.html" → "static"); "all:" and globs stripped.
      const literal = pattern
        .replace(/^all:/, '')
        .split('/')
        .filter((seg, i, segs) => !/[*?[]/.test(seg) && segs.slice(0, i).every((s) => !/[*?[]/.test(s)))
        .join('/');
      if (literal !== '') paths.add(`${prefix}${literal}`);
    }
  }
  return [...paths].sort();
}

export interface GuardResult {
  text: string;
  /** Paths that the suggested patterns excluded and the guard re-included. */
  reincluded: string[];
}

export function guardDockerignore(text: string, mustKeep: string[]): GuardResult {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const ig = ignore().add(lines);
  const lost = mustKeep.filter((p) => ig.ignores(p));
  if (lost.length === 0) return { text, reincluded: [] };
  const tail = ['', '# Re-included by goimg: the build copies these.', ...lost.map((p) => `!${p}`)].join(
    '\n',
  );
  return { text: `${text.replace(/\n*$/, '')}\n${tail}\n`, reincluded: lost };
}
