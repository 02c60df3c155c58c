/** Pictures of what makes an image and a binary big: HTML pages and SVG treemaps. */
import type { BinaryReport } from '../binary/report.js';
import { InputError } from '../core/errors.js';
import { renderSvg } from './svg.js';
import { binaryTree } from './tree.js';

export { binaryPage, comparePage } from './binary-page.js';
export { imagePage } from './image-page.js';

/** One binary's modules and packages as a static SVG treemap. */
export function binarySvg(report: BinaryReport): string {
  if (!report.sizes) throw new InputError(`${report.file}: no size attribution`);
  return renderSvg(binaryTree(report, report.sizes));
}
