/**
 * The one-file HTML page: inline CSS, the data as JSON in a script tag, and the treemap script
 * (page-script.ts and squarify.ts, inlined from their source text). Nothing is fetched: no
 * network, no external scripts or fonts.
 */

import { escapeHtml } from './format.js';
import { type CompactNode, pageMain } from './page-script.js';
import { squarify } from './squarify.js';
import type { Role, TreeNode } from './tree.js';

export interface PageParts {
  title: string;
  subtitle: string;
  /** HTML above the treemap (the layer bar). */
  top?: string;
  /** HTML beside the treemap (binaries, waste, findings, changes). */
  aside: string;
  /** The colour legend, as [label, colour key] pairs. */
  legend: string;
  tree: TreeNode;
  /** Baseline sizes by node, for a comparison. */
  baseline?: (node: TreeNode) => number | undefined;
  /** Overrides a node's colour key (a comparison colours by change). */
  colour?: (node: TreeNode) => number | string;
}

/** The one-letter role codes the page carries, and the role names it shows. */
const ROLE_LETTERS: Record<Role, string> = {
  dir: 'd',
  file: 'f',
  binary: 'b',
  module: 'm',
  package: 'p',
  rest: 'r',
};
const ROLE_NAMES = Object.fromEntries(Object.entries(ROLE_LETTERS).map(([name, letter]) => [letter, name]));

export function compact(
  node: TreeNode,
  baseline?: PageParts['baseline'],
  colour?: PageParts['colour'],
): CompactNode {
  const kids = node.children?.map((c) => compact(c, baseline, colour));
  const base = baseline?.(node);
  const out: CompactNode = [node.name, node.size, ROLE_LETTERS[node.role], colour?.(node) ?? node.colour];
  if (kids?.length || base !== undefined) out.push(kids ?? []);
  if (base !== undefined) out.push(base);
  return out;
}

/** JSON that can sit inside a script element: no "</script>", no HTML comment openers. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const CSS = `
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:18px;margin:0 0 4px}h2{font-size:14px;margin:16px 0 6px}
.sub{color:#666;margin-bottom:12px}
.main{display:flex;gap:16px;align-items:flex-start}
.left{flex:1 1 auto;min-width:0}.aside{flex:0 0 400px;max-height:900px;overflow:auto}
.aside td:first-child{word-break:break-all}
#crumbs{margin:4px 0}#crumbs a{color:#1a5fb4;text-decoration:none}
#treemap{position:relative;height:640px;border:1px solid #999;overflow:hidden;background:#f4f4f4}
.node{position:absolute;box-sizing:border-box;border:1px solid rgba(0,0,0,.35);overflow:hidden;cursor:pointer}
.node .label{display:block;font-size:11px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:0 2px}
.role-binary{border:2px solid #333}.role-module{border-color:#555}
.bar{display:flex;height:34px;border:1px solid #999;margin-bottom:6px}
.layer{box-sizing:border-box;border-right:1px solid #fff;overflow:hidden;font-size:11px;padding:2px;white-space:nowrap}
.layer.waste{background-image:repeating-linear-gradient(45deg,transparent 0 6px,rgba(200,0,0,.35) 6px 9px)}
table{border-collapse:collapse;font-size:12px}td,th{padding:2px 6px;text-align:left;border-bottom:1px solid #eee}
td.n{text-align:right;white-space:nowrap}
.legend span{display:inline-block;margin-right:10px}.legend i{display:inline-block;width:10px;height:10px;margin-right:3px;border:1px solid #888}
ul{padding-left:18px;margin:4px 0}a[data-zoom]{color:#1a5fb4;cursor:pointer}
.error{color:#b00}.warning{color:#a60}.info{color:#268}
`;

export function renderPage(parts: PageParts): string {
  const data = compact(parts.tree, parts.baseline, parts.colour);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(parts.title)}</title>
<style>${CSS}</style></head>
<body>
<h1>${escapeHtml(parts.title)}</h1>
<div class="sub">${parts.subtitle}</div>
${parts.top ?? ''}
<div class="main"><div class="left">
<div class="legend">${parts.legend}</div>
<div id="crumbs"></div>
<div id="treemap"></div>
</div><div class="aside">${parts.aside}</div></div>
<script type="application/json" id="goimg-data">${scriptJson(data)}</script>
<script>
(${pageMain.toString()})(JSON.parse(document.getElementById('goimg-data').textContent), ${squarify.toString()}, ${scriptJson(KIND_COLOURS)}, ${layerColour.toString()}, ${scriptJson(ROLE_NAMES)});
</script>
</body></html>
`;
}

/** Legend entries as HTML. */
export function legend(entries: [string, string][]): string {
  return entries
    .map(([label, css]) => `<span><i style="background:${css}"></i>${escapeHtml(label)}</span>`)
    .join('');
}

/** The fill of each code kind and change, as the page script paints them. */
export const KIND_COLOURS: Record<string, string> = {
  std: '#8fb3de',
  main: '#8fd19e',
  dep: '#f2c078',
  cgo: '#c7a2e0',
  runtime: '#b8c4cc',
  other: '#d9d9d9',
  new: '#e8837c',
  grew: '#f2b27c',
  shrank: '#9fd3a8',
  same: '#d9d9d9',
};

export function layerColour(layer: number): string {
  return `hsl(${(layer * 137.5) % 360} 50% 74%)`;
}
