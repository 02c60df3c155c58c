/**
 * goimg's image library: open any image source as an Image with lazy, streamed layers; analyse it
 * in one pass (layers, merged filesystem, waste, executables); build the `goimg image` report.
 */
import { type AnalyzeOptions, analyzeImage } from './analyze.js';
import { type OpenImageOptions, openImage } from './open.js';
import { buildImageReport, type ImageReport, type ReportOptions } from './report.js';

export { type AnalyzeOptions, analyzeImage, type ImageAnalysis, type LayerReport } from './analyze.js';
export { type MergedFile, MergedFs, type WastedPath } from './merge.js';
export { type OpenImageOptions, openImage } from './open.js';
export { parseSourceRef, type SourceRef } from './ref.js';
export { buildImageReport, type ImageReport, type ReportOptions } from './report.js';
export type { ConfigFile, Image, ImageManifest, Layer, SourceKind } from './types.js';

/** Opens, analyses and reports on an image in one call. */
export async function inspectImage(
  ref: string,
  options: OpenImageOptions & AnalyzeOptions & ReportOptions = {},
): Promise<ImageReport> {
  const image = await openImage(ref, options);
  try {
    return buildImageReport(await analyzeImage(image, options), options);
  } finally {
    await image.close();
  }
}
