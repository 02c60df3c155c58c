/** goimg binary's library API: inspect a Go executable from a path or from bytes in memory. */
export type { Cgo as BinaryCgo, CgoEvidence as BinaryCgoEvidence } from './cgo.js';
export { type Comparison, compareReports, type SizeDelta } from './compare.js';
export { type InspectOptions, inspectBinary } from './inspect.js';
export type { Linkage } from './linkage.js';
export { type BuildInfo, type DepInfo, formatGoVersionM, type ModuleInfo, parseModinfo } from './modinfo.js';
export { renderComparison, renderReport } from './render.js';
export type { BinaryReport, DebugInfo } from './report.js';
export type { ModuleSize, PackageSize, SectionSize, Sizes } from './sizes.js';
export { type ByteSource, bufferSource, type FileSource, fileSource } from './source.js';
export type { UpxInfo } from './upx.js';
