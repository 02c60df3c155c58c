/**
 * `goimg image REF --html`: the layers as a stacked bar, the merged file system as a zoomable
 * treemap coloured by layer (Go binaries open into their modules and packages), and the Go
 * binaries, waste and findings beside it.
 */
import type { ImageAnalysis } from '../image/analyze.js';
import type { ImageReport } from '../rules/image/report.js';
import { KIND_LEGEND } from './binary-page.js';
import { escapeHtml, humanBytes } from './format.js';
import { layerColour, legend, renderPage } from './page.js';
import { binaryParts, fsTree, type TreeNode } from './tree.js';

function short(text: string | null): string {
  return (text ?? '')
    .replace(/^\/bin\/sh -c (#\(nop\) )?/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function layerBar(report: ImageReport, wasteLayers: Set<number>): string {
  const total = report.layers.reduce((n, l) => n + l.uncompressedSize, 0) || 1;
  const bar = report.layers
    .map((l, i) => {
      const pct = (l.uncompressedSize / total) * 100;
      const tip = `layer ${i}: ${humanBytes(l.uncompressedSize)} (${humanBytes(l.size)} ${l.compression}), ${l.files} files\n${short(l.createdBy)}${wasteLayers.has(i) ? '\nholds bytes later overwritten or deleted (waste)' : ''}`;
      return `<div class="layer${wasteLayers.has(i) ? ' waste' : ''}" data-index="${i}" style="width:${pct}%;background:${layerColour(i)}" title="${escapeHtml(tip)}">${i}</div>`;
    })
    .join('');
  const rows = report.layers
    .map(
      (l, i) =>
        `<tr class="layer-row" data-index="${i}" data-size="${l.size}" data-uncompressed="${l.uncompressedSize}" data-files="${l.files}"><td><i style="display:inline-block;width:10px;height:10px;background:${layerColour(i)}"></i> ${i}</td><td class="n">${humanBytes(l.uncompressedSize)}</td><td class="n">${humanBytes(l.size)}</td><td class="n">${l.files}</td><td>${wasteLayers.has(i) ? '<b class="error">waste</b> ' : ''}${escapeHtml(short(l.createdBy).slice(0, 160))}</td></tr>`,
    )
    .join('');
  return `<h2>Layers</h2><div class="bar">${bar}</div><table><tr><th>layer</th><th>size</th><th>compressed</th><th>files</th><th>made by</th></tr>${rows}</table>`;
}

/** Index path of each Go binary in the tree, for the links that zoom to it. */
function binaryPaths(tree: TreeNode): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (node: TreeNode, names: string[], ix: number[]) => {
    node.children?.forEach((c, i) => {
      const n = [...names, c.name];
      if (c.role === 'binary') out.set(`/${n.join('/')}`, [...ix, i].join('.'));
      else if (c.role === 'dir') walk(c, n, [...ix, i]);
    });
  };
  walk(tree, [], []);
  return out;
}

export function imagePage(report: ImageReport, analysis: ImageAnalysis): string {
  const tree = fsTree(analysis.fs.root, (path, node) => {
    const found = analysis.binaryAt(path, node.layer);
    return found?.sizes && found.report.goVersion ? binaryParts(found.report, found.sizes) : null;
  });
  const wasteLayers = new Set(analysis.fs.wastedPaths().flatMap((w) => w.layers));
  const zoomTo = binaryPaths(tree);
  const binaries = report.goBinaries
    .map((g) => {
      const ix = zoomTo.get(g.path);
      const mods = (g.modules ?? [])
        .map(
          (m) =>
            `<li class="module" data-module="${escapeHtml(m.path)}" data-size="${m.size}">${escapeHtml(m.path)} <b>${humanBytes(m.size)}</b></li>`,
        )
        .join('');
      const name =
        ix === undefined ? escapeHtml(g.path) : `<a data-zoom="${ix}" href="#">${escapeHtml(g.path)}</a>`;
      return `<div class="gobinary" data-path="${escapeHtml(g.path)}">${name} ${humanBytes(g.size)} <span class="sub">${escapeHtml(g.goVersion)}</span><ul>${mods}</ul></div>`;
    })
    .join('');
  const waste = report.waste.paths
    .map(
      (p) =>
        `<li>${escapeHtml(p.path)} <b>${humanBytes(p.bytes)}</b> <span class="sub">layers ${p.layers.join(', ')}</span></li>`,
    )
    .join('');
  const findings = report.findings
    .map((f) => `<li class="${f.severity}">[${escapeHtml(f.rule)}] ${escapeHtml(f.message)}</li>`)
    .join('');
  const aside = [
    `<h2>Go binaries</h2>${binaries || '<p>none</p>'}`,
    `<h2>Waste: ${humanBytes(report.waste.bytes)}</h2><ul>${waste || '<li>none</li>'}</ul>`,
    `<h2>Findings</h2><ul>${findings || '<li>none</li>'}</ul>`,
  ].join('');
  const uncompressed = report.layers.reduce((n, l) => n + l.uncompressedSize, 0);
  const compressed = report.layers.reduce((n, l) => n + l.size, 0);
  const subtitle = escapeHtml(
    `${report.platform} · ${report.layers.length} layers · ${humanBytes(uncompressed)} (${humanBytes(compressed)} compressed) · files ${humanBytes(tree.size)} · efficiency ${(report.waste.efficiency * 100).toFixed(2)}%`,
  );
  const layers = legend(report.layers.map((_l, i) => [`layer ${i}`, layerColour(i)]));
  return renderPage({
    title: report.ref,
    subtitle,
    top: layerBar(report, wasteLayers),
    aside,
    legend: `${layers}<br>${legend(KIND_LEGEND)}`,
    tree,
  });
}
