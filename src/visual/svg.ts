/**
 * A static treemap as SVG, for a commit or a pull-request comment. Nested levels share their
 * parent's rectangle exactly (no padding), so every leaf's area is proportional to its size;
 * groups are drawn as outlines over their leaves.
 */
import { escapeHtml, humanBytes } from './format.js';
import { KIND_COLOURS, layerColour } from './page.js';
import { squarify } from './squarify.js';
import type { TreeNode } from './tree.js';

export interface SvgOptions {
  width?: number;
  height?: number;
  /** Rectangles smaller than this many square pixels are not drawn (their parent shows). */
  minArea?: number;
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;

export function renderSvg(tree: TreeNode, options: SvgOptions = {}): string {
  const width = options.width ?? 1200;
  const height = options.height ?? 800;
  const minArea = options.minArea ?? 4;
  const title = 28;
  const leaves: string[] = [];
  const groups: string[] = [];
  const labels: string[] = [];
  const fill = (n: TreeNode) =>
    typeof n.colour === 'number' ? layerColour(n.colour) : KIND_COLOURS[n.colour];
  const place = (node: TreeNode, x: number, y: number, w: number, h: number, depth: number): void => {
    const kids = node.children ?? [];
    const attrs = `data-name="${escapeHtml(node.name)}" data-size="${node.size}" data-role="${node.role}"`;
    const box = `x="${r3(x)}" y="${r3(y)}" width="${r3(w)}" height="${r3(h)}"`;
    const tip = `<title>${escapeHtml(`${node.name} ${humanBytes(node.size)}`)}</title>`;
    if (kids.length === 0) {
      leaves.push(
        `<rect class="leaf" ${attrs} ${box} fill="${fill(node)}" stroke="#fff" stroke-width="0.5">${tip}</rect>`,
      );
    } else {
      const rects = squarify(
        kids.map((k) => k.size),
        x,
        y,
        w,
        h,
      );
      kids.forEach((k, i) => {
        const [cx, cy, cw, ch] = rects.slice(i * 4, i * 4 + 4) as [number, number, number, number];
        if (cw * ch >= minArea) place(k, cx, cy, cw, ch, depth + 1);
      });
      if (depth > 0)
        groups.push(
          `<rect class="group" ${attrs} ${box} fill="none" stroke="#333" stroke-width="1.5">${tip}</rect>`,
        );
    }
    const fit = Math.floor(w / 6.5);
    if (depth > 0 && h >= 14 && fit >= 4 && (depth === 1 || kids.length === 0)) {
      const text = `${node.name} ${humanBytes(node.size)}`;
      const shown = text.length > fit ? `${text.slice(0, fit - 1)}…` : text;
      labels.push(
        `<text x="${r3(x + 3)}" y="${r3(y + 12)}"${depth === 1 ? ' font-weight="bold"' : ''}>${escapeHtml(shown)}</text>`,
      );
    }
  };
  place(tree, 0, title, width, height - title, 0);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<text x="4" y="18" font-size="14" font-weight="bold">${escapeHtml(`${tree.name} ${humanBytes(tree.size)}`)}</text>`,
    `<g class="leaves">${leaves.join('')}</g>`,
    `<g class="groups">${groups.join('')}</g>`,
    `<g class="labels" pointer-events="none">${labels.join('')}</g>`,
    '</svg>',
    '',
  ].join('\n');
}
