/** The lines a user acts on, derived from the finished report. */
import { type Cgo, cgoSentence } from './cgo.js';
import type { Linkage } from './linkage.js';
import type { UpxInfo } from './upx.js';

export interface VerdictInput {
  goVersion: string | null;
  isGo: boolean;
  linkage: Linkage;
  upx: UpxInfo;
  cgo: Cgo;
  stripped: boolean;
  dwarf: boolean;
  stripSavings: number | null;
  size: number;
}

const pct = (n: number, of: number): string => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;

export function verdicts(v: VerdictInput): string[] {
  const out: string[] = [];
  if (v.upx.packed) {
    const how = [v.upx.version && `UPX ${v.upx.version}`, v.upx.method].filter(Boolean).join(', ');
    out.push(
      `UPX-packed${how ? ` (${how})` : ''}: build info, symbols and linkage are hidden until it unpacks itself at every start — go version -m and SBOM/vulnerability scanners see nothing, pprof and crash traces lose symbols, start-up is slower and memory is not shared; ${v.upx.unpackedSize ?? '?'} bytes unpacked`,
    );
    return out;
  }
  const l = v.linkage;
  if (l.kind === 'static') {
    out.push(l.pie ? 'static-pie — runs on scratch' : 'static — runs on scratch');
  } else if (l.interpreter) {
    const family = l.libc ?? 'unknown libc';
    if (l.libc === 'glibc') {
      out.push(`needs glibc loader ${l.interpreter} — will NOT run on alpine or distroless/static`);
    } else if (l.libc === 'musl') {
      out.push(
        `needs musl loader ${l.interpreter} — runs on alpine; will NOT run on debian, distroless or scratch`,
      );
    } else {
      out.push(`needs loader ${l.interpreter} (${family}) — will NOT run on scratch`);
    }
    if (l.needed.length > 0)
      out.push(`needs shared libraries: ${l.needed.join(', ')} — the runtime image must provide each`);
  } else {
    out.push(
      `dynamically linked without a loader (a shared library?) — needs ${l.needed.join(', ') || 'nothing named'}`,
    );
  }
  const sentence = cgoSentence(v.cgo);
  if (sentence && v.isGo) {
    const hint =
      v.cgo.enabled && l.kind === 'dynamic' ? ' — build with CGO_ENABLED=0 for a static binary' : '';
    out.push(`${sentence}${hint}`);
  }
  if (v.isGo && v.stripSavings !== null) {
    if (v.stripped && !v.dwarf) out.push('stripped: no symbol table, no DWARF');
    else if (v.stripSavings > 0) {
      out.push(
        `not stripped: -ldflags="-s -w" would save about ${v.stripSavings} bytes (${pct(v.stripSavings, v.size)} of the file)`,
      );
    }
  }
  if (!v.isGo) out.push('not a Go binary (no Go build info and no Go function table)');
  else if (v.goVersion === null)
    out.push(
      'Go function table present but no build info (built before Go 1.13, or the build info was removed)',
    );
  return out;
}
