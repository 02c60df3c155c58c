/**
 * A self-contained HTML page for a benchmark report: one horizontal bar chart per measure (inline
 * SVG, no script, no external resource), the raw report embedded as JSON for scripts. Every bar
 * carries its metric, variant and exact value as data attributes, so a test can check that what
 * is drawn is what was measured.
 */
import { type BenchReport, type BenchVariant, formatBytes, formatSeconds, ratio } from './report.js';

interface Chart {
  metric: string;
  title: string;
  unit: 'bytes' | 'seconds';
  value: (v: BenchVariant) => number | null;
  /** A reference line (the host's go build, the binary itself). */
  reference?: { label: string; value: number | null };
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const COLORS = ['#8c8c8c', '#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd'];

export function charts(report: BenchReport): Chart[] {
  return [
    {
      metric: 'imageSize',
      title: 'Image size',
      unit: 'bytes',
      value: (v) => v.imageSize,
      reference: { label: 'stripped static binary', value: report.host.strippedBinarySize },
    },
    {
      metric: 'overheadBytes',
      title: 'Image overhead over the binary inside',
      unit: 'bytes',
      value: (v) => v.overheadBytes,
    },
    {
      metric: 'cold',
      title: 'Cold build (no layer cache, empty cache mounts)',
      unit: 'seconds',
      value: (v) => v.timings.cold,
    },
    {
      metric: 'noChange',
      title: 'Rebuild, nothing changed',
      unit: 'seconds',
      value: (v) => v.timings.noChange,
    },
    {
      metric: 'sourceChange',
      title: 'Rebuild after a one-line source change',
      unit: 'seconds',
      value: (v) => v.timings.sourceChange,
      reference: { label: 'host go build', value: report.host.goBuildIncremental },
    },
    {
      metric: 'depChange',
      title: 'Rebuild after a dependency change',
      unit: 'seconds',
      value: (v) => v.timings.depChange,
    },
  ];
}

export function formatValue(unit: 'bytes' | 'seconds', value: number | null): string {
  return unit === 'bytes' ? formatBytes(value) : formatSeconds(value);
}

function chartSvg(chart: Chart, variants: BenchVariant[]): string {
  const rowH = 26;
  const labelW = 150;
  const barMax = 520;
  const rows = variants.map((v, i) => ({ v, i, value: chart.value(v) }));
  const ref = chart.reference && chart.reference.value !== null ? chart.reference : undefined;
  const values = rows.map((r) => r.value ?? 0).concat(ref?.value ?? 0);
  const max = Math.max(...values, 1e-9);
  const height = rows.length * rowH + (ref ? rowH : 0) + 8;
  const parts: string[] = [];
  for (const r of rows) {
    const y = 4 + r.i * rowH;
    const w = r.value === null ? 0 : Math.max(1, (r.value / max) * barMax);
    const shown = r.value === null ? 'not measured' : formatValue(chart.unit, r.value);
    parts.push(
      `<g class="bar" data-metric="${chart.metric}" data-variant="${esc(r.v.name)}" data-value="${r.value ?? ''}" data-max="${max}">` +
        `<text x="0" y="${y + 16}" class="label">${esc(r.v.name)}</text>` +
        `<rect x="${labelW}" y="${y}" width="${w.toFixed(2)}" height="${rowH - 8}" fill="${COLORS[r.i % COLORS.length]}"></rect>` +
        `<text x="${labelW + w + 6}" y="${y + 14}" class="value">${esc(shown)}</text></g>`,
    );
  }
  if (ref && ref.value !== null) {
    const y = 4 + rows.length * rowH;
    const w = Math.max(1, (ref.value / max) * barMax);
    parts.push(
      `<g class="bar reference" data-metric="${chart.metric}" data-variant="reference" data-value="${ref.value}" data-max="${max}">` +
        `<text x="0" y="${y + 16}" class="label">${esc(ref.label)}</text>` +
        `<rect x="${labelW}" y="${y}" width="${w.toFixed(2)}" height="${rowH - 8}" fill="none" stroke="#444" stroke-dasharray="4 3"></rect>` +
        `<text x="${labelW + w + 6}" y="${y + 14}" class="value">${esc(formatValue(chart.unit, ref.value))}</text></g>`,
    );
  }
  return `<section class="chart" data-metric="${chart.metric}"><h2>${esc(chart.title)}</h2><svg width="${labelW + barMax + 140}" height="${height}" role="img" aria-label="${esc(chart.title)}">${parts.join('')}</svg></section>`;
}

function summary(report: BenchReport): string {
  const items: string[] = [];
  const goimg = report.variants.find((v) => v.name === 'goimg');
  const host = report.host.goBuildIncremental;
  for (const v of report.variants) {
    if (!goimg || v === goimg) continue;
    const src = ratio(v.timings.sourceChange, goimg.timings.sourceChange);
    if (src !== null)
      items.push(`goimg's source-change rebuild is <b>${src.toFixed(1)}×</b> faster than ${esc(v.name)}'s`);
    const cold = ratio(goimg.timings.cold, v.timings.cold);
    if (cold !== null)
      items.push(`goimg's cold build takes <b>${cold.toFixed(2)}×</b> the time of ${esc(v.name)}'s`);
    if (goimg.imageSize !== null && v.imageSize !== null) {
      items.push(
        `goimg's image is ${formatBytes(goimg.imageSize)} vs ${formatBytes(v.imageSize)} for ${esc(v.name)}`,
      );
    }
  }
  for (const v of report.variants) {
    const r = ratio(v.timings.sourceChange, host);
    if (r !== null)
      items.push(`${esc(v.name)}: source-change rebuild = ${r.toFixed(1)}× the host's incremental go build`);
    if (v.error) items.push(`${esc(v.name)}: <span class="err">${esc(v.error)}</span>`);
  }
  return `<ul class="summary">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

function table(report: BenchReport): string {
  const head = report.variants.map((v) => `<th>${esc(v.name)}</th>`).join('');
  const row = (label: string, f: (v: BenchVariant) => string) =>
    `<tr><th>${esc(label)}</th>${report.variants.map((v) => `<td>${esc(f(v))}</td>`).join('')}</tr>`;
  return `<table><tr><th></th>${head}</tr>${[
    row('Dockerfile', (v) => v.dockerfile),
    row('starts', (v) => (v.starts === null ? '-' : `${v.starts ? 'yes' : 'no'} (${v.startDetail ?? ''})`)),
    row('binary', (v) => `${v.binaryPath ?? '-'} ${formatBytes(v.binarySize)}`),
    row('static', (v) =>
      v.verification?.static == null
        ? '-'
        : v.verification.static
          ? 'yes'
          : `no (${v.verification.interpreter})`,
    ),
    row('arch', (v) => v.verification?.arch ?? '-'),
    row('stripped', (v) => (v.verification?.stripped == null ? '-' : v.verification.stripped ? 'yes' : 'no')),
    row(
      'findings',
      (v) => (v.verification?.findings ?? []).map((f) => `${f.severity} ${f.rule}`).join(', ') || '-',
    ),
  ].join('')}</table>`;
}

export function renderHtml(report: BenchReport): string {
  const json = JSON.stringify(report).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>goimg bench: ${esc(report.project)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:900px}
h1{font-size:20px}h2{font-size:15px;margin:18px 0 4px}
.label{font-size:12px}.value{font-size:12px;fill:#333}
table{border-collapse:collapse;margin-top:16px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;font-size:12px}
.err{color:#b00}.meta{color:#666;font-size:12px}
</style></head><body>
<h1>goimg bench</h1>
<p class="meta">${esc(report.project)} · ${esc(report.date)} · ${report.machine.cpus} CPUs · ${esc(report.machine.os)} · engine ${esc(report.engine.version ?? '?')} (${esc(report.engine.mode)})<br>
source change: ${esc(report.edits.sourceChange)}; dependency change: ${esc(report.edits.depChange)}</p>
${summary(report)}
${charts(report)
  .map((c) => chartSvg(c, report.variants))
  .join('\n')}
${table(report)}
<script type="application/json" id="bench-data">${json}</script>
</body></html>
`;
}
