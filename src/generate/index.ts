/**
 * `goimg init`'s library entry: the Dockerfile and .dockerignore for a project, as text.
 * The Dockerfile is a pure function of the model; the .dockerignore suggestion (src/context)
 * also looks at the files in the project, so it never excludes one the build reads.
 */
import { suggestDockerignore } from '../context/index.js';
import type { ProjectModel } from '../project/model.js';
import { type BuildPlan, generateDockerfile } from './dockerfile.js';
import { guardDockerignore, pathsTheBuildReads } from './dockerignore-guard.js';
import type { GenerateOptions } from './options.js';

export { generateCi } from './ci.js';
export { type BuildPlan, builderGoVersion, chooseMain, generateDockerfile } from './dockerfile.js';
export { DEFAULT_GENERATE_OPTIONS, type GenerateOptions } from './options.js';

export interface GeneratedFiles {
  dockerfile: string;
  dockerignore: string;
  notes: string[];
  plan: BuildPlan;
}

export function generateProjectFiles(project: ProjectModel, options: GenerateOptions): GeneratedFiles {
  const { dockerfile, plan, notes } = generateDockerfile(project, options);
  const suggested = suggestDockerignore(project);
  for (const d of suggested.dropped) notes.push(`.dockerignore: left out ${d.pattern} (${d.path}: ${d.why})`);
  const guarded = guardDockerignore(suggested.text, pathsTheBuildReads(project));
  if (guarded.reincluded.length > 0) {
    notes.push(`.dockerignore: re-included ${guarded.reincluded.join(', ')} (the build copies them)`);
  }
  return { dockerfile, dockerignore: guarded.text, notes, plan };
}
