/**
 * goimg's image library: open any image source as an Image with lazy, streamed layers; analyse it
 * in one pass (layers, merged filesystem, waste, executables). The `goimg image` report, which
 * runs the image rules on an analysis, is in rules/image/report.ts.
 */
export { type AnalyzeOptions, analyzeImage, type ImageAnalysis, type LayerReport } from './analyze.js';
export { type AnalyzeRefOptions, analyzeRef } from './analyze-ref.js';
export { type MergedFile, MergedFs, type WastedPath } from './merge.js';
export { type OpenImageOptions, openImage } from './open.js';
export { parseSourceRef, type SourceRef } from './ref.js';
export type { ConfigFile, Image, ImageManifest, Layer, SourceKind } from './types.js';
