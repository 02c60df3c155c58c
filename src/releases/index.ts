export { bundledReleaseData } from './bundled.js';
export { isStale, projectGo } from './calendar.js';
export { EOL_API_URL } from './eol-api.js';
export { GO_INDEX_URL } from './go-index.js';
export {
  DEFAULT_TTL_MS,
  type Loaded,
  loadBaseImageEol,
  loadGoReleases,
  loadReleaseData,
  type ReleaseLoadOptions,
} from './load.js';
export type * from './types.js';
