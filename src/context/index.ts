/** The build context: .dockerignore semantics, the walk BuildKit does, and its transfer size. */

export { GAP_CATEGORIES, JUNK_PATTERNS, type JunkCategory, type JunkPattern } from './categories.js';
export {
  type ContextFilter,
  type DockerignorePattern,
  type LoadOptions,
  loadDockerignore,
  makeFilter,
  parseDockerignore,
} from './dockerignore.js';
export { type ContextInventory, contextInventory } from './inventory.js';
export { type NeededMatcher, neededByBuild } from './needed.js';
export {
  type ContextSize,
  ContextSizer,
  contextSize,
  entryTransferBytes,
  goFileMode,
  varintLen,
} from './size.js';
export {
  type ContextReads,
  type DockerignoreGap,
  type DockerignoreSuggestion,
  dockerignoreSavings,
  gapsInDockerignore,
  renderDockerignore,
  suggestDockerignore,
} from './suggest.js';
export { type ContextEntry, type ContextEntryType, type WalkOptions, walkContext } from './walk.js';
