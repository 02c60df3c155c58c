/** `goimg binary FILE --html`: one binary's treemap, or a comparison of two. */
import type { BinaryReport } from '../binary/report.js';
import { InputError } from '../core/errors.js';
import { type Change, changeOf, diffSizes } from './diff.js';
import { escapeHtml, humanBytes, signedBytes } from './format.js';
import { KIND_COLOURS, legend, renderPage } from './page.js';
import { binaryTree, type TreeNode } from './tree.js';

export const KIND_LEGEND: [string, string][] = [
  ['standard library', KIND_COLOURS.std!],
  ['main module', KIND_COLOURS.main!],
  ['dependencies', KIND_COLOURS.dep!],
  ['cgo / C code', KIND_COLOURS.cgo!],
  ['runtime data (type descriptors, itabs)', KIND_COLOURS.runtime!],
  ['headers, tables, unattributed', KIND_COLOURS.other!],
];

function sizesOf(report: BinaryReport) {
  if (!report.sizes)
    throw new InputError(`${report.file}: no size attribution (UPX-packed or not a Go binary)`);
  return report.sizes;
}

/** Module table rows: path, version, bytes. */
export function moduleTable(report: BinaryReport, limit = 30): string {
  const rows = sizesOf(report)
    .modules.slice(0, limit)
    .map(
      (m) =>
        `<tr class="module" data-module="${escapeHtml(m.path)}" data-size="${m.size}"><td>${escapeHtml(m.path)}</td><td>${escapeHtml(m.version ?? '')}</td><td class="n">${humanBytes(m.size)}</td></tr>`,
    )
    .join('');
  return `<table><tr><th>module</th><th>version</th><th>size</th></tr>${rows}</table>`;
}

export function binaryPage(report: BinaryReport): string {
  const tree = binaryTree(report, sizesOf(report));
  const s = sizesOf(report);
  const subtitle = [
    `${humanBytes(report.size)}`,
    report.goVersion ?? 'not Go',
    report.linkage.kind,
    report.stripped ? 'stripped' : 'not stripped',
    `${humanBytes(s.attributed)} attributed to ${s.packages.length} packages in ${s.modules.length} modules`,
  ]
    .map(escapeHtml)
    .join(' · ');
  const aside = `<h2>Modules</h2>${moduleTable(report)}<h2>Verdicts</h2><ul>${report.verdicts
    .map((v) => `<li>${escapeHtml(v)}</li>`)
    .join('')}</ul>`;
  return renderPage({ title: report.file, subtitle, aside, legend: legend(KIND_LEGEND), tree });
}

const CHANGE_LEGEND: [string, string][] = [
  ['new', KIND_COLOURS.new!],
  ['grew', KIND_COLOURS.grew!],
  ['shrank', KIND_COLOURS.shrank!],
  ['unchanged', KIND_COLOURS.same!],
];

function changeTable(title: string, rows: Change[], cls: string): string {
  if (rows.length === 0) return `<h2>${title}</h2><p>none</p>`;
  const body = rows
    .map(
      (r) =>
        `<tr class="${cls}" data-name="${escapeHtml(r.name)}" data-before="${r.before}" data-after="${r.after}"><td>${escapeHtml(r.name)}</td><td class="n">${humanBytes(r.before)}</td><td class="n">${humanBytes(r.after)}</td><td class="n">${signedBytes(r.after - r.before)}</td></tr>`,
    )
    .join('');
  return `<h2>${title}</h2><table><tr><th>name</th><th>before</th><th>after</th><th>change</th></tr>${body}</table>`;
}

/** FILE → OTHER, as `goimg binary FILE --compare OTHER` prints it: OTHER drawn, coloured by change. */
export function comparePage(file: BinaryReport, other: BinaryReport): string {
  const before = sizesOf(file);
  const after = sizesOf(other);
  const modules = diffSizes(
    before.modules.map((m) => ({ name: m.path, size: m.size })),
    after.modules.map((m) => ({ name: m.path, size: m.size })),
  );
  const packages = diffSizes(before.packages, after.packages);
  const base = new Map<string, number>();
  for (const m of before.modules) base.set(`module\0${m.path}`, m.size);
  for (const p of before.packages) base.set(`package\0${p.name}`, p.size);
  const baseline = (n: TreeNode) =>
    n.role === 'binary'
      ? file.size
      : (base.get(`${n.role}\0${n.name}`) ?? (n.role === 'rest' ? undefined : 0));
  const colour = (n: TreeNode) =>
    n.role === 'module' || n.role === 'package'
      ? changeOf(base.get(`${n.role}\0${n.name}`), n.size)
      : n.colour;
  const subtitle = escapeHtml(
    `${file.file} (${humanBytes(file.size)}) → ${other.file} (${humanBytes(other.size)}): ${signedBytes(other.size - file.size)}`,
  );
  const aside = [
    changeTable('Modules that grew', modules.grew, 'grew'),
    changeTable('New modules', modules.added, 'new'),
    changeTable('Modules that went away', modules.removed, 'gone'),
    changeTable('Modules that shrank', modules.shrank, 'shrank'),
    changeTable('Packages that grew (top 30)', packages.grew.slice(0, 30), 'pkg-grew'),
    changeTable('New packages (top 30)', packages.added.slice(0, 30), 'pkg-new'),
    changeTable('Packages that went away (top 30)', packages.removed.slice(0, 30), 'pkg-gone'),
  ].join('');
  return renderPage({
    title: `${file.file} → ${other.file}`,
    subtitle,
    aside,
    legend: legend(CHANGE_LEGEND),
    tree: binaryTree(other, after),
    baseline,
    colour,
  });
}
