export { applyEdits, editsOverlap, normalizeEdits, type ReplaceEdit } from './apply-edits.js';
export { type ApplyFixesOptions, applyFixes, type FileChange, type FixResult } from './apply-fixes.js';
export { type DiffOptions, unifiedDiff } from './diff.js';
export type { Edit, Fix } from './edit.js';
export { writeFileAtomic } from './write.js';
