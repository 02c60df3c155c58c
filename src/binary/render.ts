/**
 * Human text for a report. For a Go binary it starts with exactly what `go version -m` prints,
 * then goimg's findings, indented under the file name.
 */
import type { Comparison } from './compare.js';
import { formatGoVersionM } from './modinfo.js';
import type { BinaryReport } from './report.js';
import { STD } from './sizes.js';

export interface Paint {
  bold: (s: string) => string;
  dim: (s: string) => string;
  yellow: (s: string) => string;
  green: (s: string) => string;
}

const PLAIN: Paint = { bold: (s) => s, dim: (s) => s, yellow: (s) => s, green: (s) => s };

const kb = (n: number): string =>
  n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
const pct = (n: number, of: number): string => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;

export function renderReport(r: BinaryReport, paint: Paint = PLAIN, top = 15): string {
  const lines: string[] = [];
  if (r.goVersion) lines.push(formatGoVersionM(r.file, r.goVersion, r.buildInfo).trimEnd());
  else lines.push(`${r.file}: ${r.upx.packed ? 'UPX-packed, Go build info hidden' : 'no Go build info'}`);
  const row = (label: string, value: string) => lines.push(`  ${paint.dim(label.padEnd(10))}${value}`);
  lines.push('');
  row(
    'format',
    `ELF ${r.class}-bit ${r.endianness}-endian ${r.arch} ${r.type}${r.linkage.pie ? ' (PIE)' : ''}, ${r.size} bytes`,
  );
  const l = r.linkage;
  row(
    'linkage',
    l.kind === 'static'
      ? 'static'
      : `dynamic: loader ${l.interpreter ?? '(none)'}${l.libc ? ` (${l.libc})` : ''}; needs ${l.needed.join(', ') || 'no libraries'}`,
  );
  if (l.rpath.length) row('rpath', l.rpath.join(':'));
  if (l.runpath.length) row('runpath', l.runpath.join(':'));
  row(
    'upx',
    r.upx.packed
      ? `packed by UPX ${r.upx.version ?? '?'} (${r.upx.method ?? '?'}), ${r.upx.unpackedSize ?? '?'} bytes unpacked`
      : 'not packed',
  );
  const dwarf = r.debugInfo.dwarf
    ? `DWARF ${kb(r.debugInfo.bytes)}${r.debugInfo.compressed ? ' (compressed)' : ''}`
    : 'no DWARF';
  const save = r.stripSavings ? `; -s -w would save ${kb(r.stripSavings)}` : '';
  row('symbols', `${r.stripped ? 'stripped' : 'symbol table present'}, ${dwarf}${save}`);
  if (r.cgo.enabled !== null) {
    row('cgo', r.cgo.enabled ? 'on' : 'off');
    for (const e of r.cgo.evidence) row('', paint.dim(`${e.kind}: ${e.detail}`));
  }
  if (r.sizes && r.sizes.packages.length > 0) {
    const s = r.sizes;
    row(
      'size',
      `${pct(s.attributed, s.attributed + s.unattributed)} attributed to packages (${kb(s.attributed)}), ${kb(s.unattributed)} unattributed`,
    );
    const main = r.buildInfo?.main?.path;
    const tag = (path: string) =>
      path === STD ? '[std] ' : path === main ? '[main]' : path.startsWith('(') ? '      ' : '[dep] ';
    lines.push(`  ${paint.bold('modules')}`);
    for (const m of s.modules.slice(0, top)) {
      lines.push(
        `    ${kb(m.size).padStart(10)}  ${tag(m.path)} ${m.path}${m.version ? ` ${m.version}` : ''}`,
      );
    }
    lines.push(
      `  ${paint.bold('packages')}${paint.dim('   (size = function bytes + data symbols; text = function bytes)')}`,
    );
    for (const p of s.packages.slice(0, top)) {
      lines.push(`    ${kb(p.size).padStart(10)}  ${paint.dim(`text ${kb(p.text)}`.padEnd(16))} ${p.name}`);
    }
  }
  lines.push(`  ${paint.bold('verdict')}`);
  for (const v of r.verdicts) lines.push(`    - ${v}`);
  return lines.join('\n');
}

const signed = (n: number): string => (n > 0 ? `+${n}` : `${n}`);

export function renderComparison(c: Comparison, paint: Paint = PLAIN): string {
  const lines = [paint.bold(`${c.file} -> ${c.other}`)];
  lines.push(
    `  size      ${c.size.file} -> ${c.size.other} bytes (${signed(c.size.delta)}, ${pct(c.size.delta, c.size.file)})`,
  );
  if (c.goVersion.file !== c.goVersion.other)
    lines.push(`  go        ${c.goVersion.file} -> ${c.goVersion.other}`);
  if (c.linkage.file !== c.linkage.other) lines.push(`  linkage   ${c.linkage.file} -> ${c.linkage.other}`);
  for (const s of c.settings)
    lines.push(`  setting   ${s.key}: ${s.file ?? '(unset)'} -> ${s.other ?? '(unset)'}`);
  if (c.modules.length) lines.push(`  ${paint.bold('modules')}`);
  for (const m of c.modules) lines.push(`    ${signed(m.delta).padStart(10)}  ${m.name}`);
  if (c.packages.length) lines.push(`  ${paint.bold('packages')}`);
  for (const p of c.packages) lines.push(`    ${signed(p.delta).padStart(10)}  ${p.name}`);
  return lines.join('\n');
}
