/** goimg binary's library API: inspect a Go executable from a path or from bytes in memory. */
export type { Cgo, CgoEvidence } from './cgo.js';
export { type InspectOptions, inspectBinary } from './inspect.js';
export type { Linkage } from './linkage.js';
export { type BuildInfo, type DepInfo, formatGoVersionM, type ModuleInfo, parseModinfo } from './modinfo.js';
export type { BinaryReport, DebugInfo } from './report.js';
export type { ModuleSize, PackageSize, SectionSize, Sizes } from './sizes.js';
export { type ByteSource, bufferSource, type FileSource, fileSource } from './source.js';
export type { UpxInfo } from './upx.js';
