/** The build context: .dockerignore semantics, the walk BuildKit does, and its transfer size. */
export {
  type ContextFilter,
  type DockerignorePattern,
  type LoadOptions,
  loadDockerignore,
  makeFilter,
  parseDockerignore,
} from './dockerignore.js';
export { type ContextSize, ContextSizer, contextSize, entryTransferBytes } from './size.js';
export { type ContextEntry, type ContextEntryType, type WalkOptions, walkContext } from './walk.js';
