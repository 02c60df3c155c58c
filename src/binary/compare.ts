/** Two reports side by side: what grew, what shrank, and what changed in linkage and settings. */
import type { BinaryReport } from './report.js';

export interface SizeDelta {
  name: string;
  file: number;
  other: number;
  delta: number;
}

export interface Comparison {
  version: 1;
  file: string;
  other: string;
  size: { file: number; other: number; delta: number };
  goVersion: { file: string | null; other: string | null };
  linkage: { file: string; other: string };
  settings: { key: string; file: string | null; other: string | null }[];
  modules: SizeDelta[];
  packages: SizeDelta[];
}

function deltas(
  a: { name: string; size: number }[],
  b: { name: string; size: number }[],
  limit: number,
): SizeDelta[] {
  const m = new Map<string, SizeDelta>();
  for (const x of a) m.set(x.name, { name: x.name, file: x.size, other: 0, delta: 0 });
  for (const y of b) {
    const d = m.get(y.name) ?? { name: y.name, file: 0, other: 0, delta: 0 };
    d.other = y.size;
    m.set(y.name, d);
  }
  const out = [...m.values()].map((d) => ({ ...d, delta: d.other - d.file })).filter((d) => d.delta !== 0);
  out.sort(
    (x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0),
  );
  return out.slice(0, limit);
}

const linkageLine = (r: BinaryReport): string =>
  r.upx.packed
    ? 'UPX-packed'
    : r.linkage.kind === 'static'
      ? 'static'
      : `dynamic (${r.linkage.interpreter ?? 'no loader'}; ${r.linkage.needed.join(', ') || 'no libraries'})`;

/** Deltas are other minus file: positive means OTHER is bigger. */
export function compareReports(file: BinaryReport, other: BinaryReport, limit = 20): Comparison {
  const keys = new Set([
    ...Object.keys(file.buildInfo?.settings ?? {}),
    ...Object.keys(other.buildInfo?.settings ?? {}),
  ]);
  const settings = [...keys]
    .map((key) => ({
      key,
      file: file.buildInfo?.settings[key] ?? null,
      other: other.buildInfo?.settings[key] ?? null,
    }))
    .filter((s) => s.file !== s.other);
  const mods = (r: BinaryReport) => (r.sizes?.modules ?? []).map((m) => ({ name: m.path, size: m.size }));
  return {
    version: 1,
    file: file.file,
    other: other.file,
    size: { file: file.size, other: other.size, delta: other.size - file.size },
    goVersion: { file: file.goVersion, other: other.goVersion },
    linkage: { file: linkageLine(file), other: linkageLine(other) },
    settings,
    modules: deltas(mods(file), mods(other), limit),
    packages: deltas(file.sizes?.packages ?? [], other.sizes?.packages ?? [], limit),
  };
}
