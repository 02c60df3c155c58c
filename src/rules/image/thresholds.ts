/** --max-waste BYTES|PCT and --min-efficiency F, checked against a report. */
import { UsageError } from '../../core/errors.js';
import type { ImageReport } from './report.js';

export type WasteLimit = { kind: 'bytes'; bytes: number } | { kind: 'percent'; percent: number };

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gib: 1024 ** 3,
};

export function parseWasteLimit(text: string): WasteLimit {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (pct) {
    const percent = Number(pct[1]);
    if (percent > 100) throw new UsageError(`--max-waste: ${text} is more than 100%`);
    return { kind: 'percent', percent };
  }
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined)
    throw new UsageError(`--max-waste: "${text}" is neither BYTES (e.g. 20MB) nor PCT (e.g. 10%)`);
  return { kind: 'bytes', bytes: Math.round(Number(m[1]) * unit) };
}

export function parseMinEfficiency(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`--min-efficiency must be a number from 0 to 1, got "${text}"`);
  return n;
}

export interface ThresholdResult {
  check: 'max-waste' | 'min-efficiency';
  limit: string;
  actual: string;
  passed: boolean;
  /** One line saying why it failed (or what passed). */
  message: string;
}

export function checkThresholds(
  report: ImageReport,
  maxWaste: WasteLimit | null,
  minEfficiency: number | null,
): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  const { bytes, totalBytes, efficiency } = report.waste;
  if (maxWaste) {
    const pct = totalBytes === 0 ? 0 : (bytes / totalBytes) * 100;
    const passed = maxWaste.kind === 'bytes' ? bytes <= maxWaste.bytes : pct <= maxWaste.percent;
    const limit = maxWaste.kind === 'bytes' ? `${maxWaste.bytes} bytes` : `${maxWaste.percent}%`;
    const actual = maxWaste.kind === 'bytes' ? `${bytes} bytes` : `${pct.toFixed(2)}%`;
    out.push({
      check: 'max-waste',
      limit,
      actual,
      passed,
      message: `wasted ${actual} ${passed ? 'within' : 'exceeds'} --max-waste ${limit}`,
    });
  }
  if (minEfficiency !== null) {
    const passed = efficiency >= minEfficiency;
    out.push({
      check: 'min-efficiency',
      limit: String(minEfficiency),
      actual: efficiency.toFixed(4),
      passed,
      message: `efficiency ${efficiency.toFixed(4)} ${passed ? 'meets' : 'is below'} --min-efficiency ${minEfficiency}`,
    });
  }
  return out;
}
