/**
 * The one Go version policy for a builder image, shared by `goimg init`, the audit's pinning fix
 * and `goimg build`'s toolchain hint: the newest Go release that satisfies go.mod's `go` and
 * `toolchain` lines (a `go` line is a minimum, not a wish), never older than what the Dockerfile
 * already had. Pure: the caller passes the release table.
 */

export interface GoPolicyInput {
  /** go.mod's (or go.work's) `go` line, e.g. "1.13" or "1.22.3". */
  go?: string;
  /** go.mod's `toolchain` line, e.g. "go1.23.1". */
  toolchain?: string;
  /** The Go version the existing Dockerfile's builder names ("1.22"), if any. */
  current?: string;
  /** Released Go majors, newest first ("1.27", "1.26", ...); empty when no table is at hand. */
  releases: string[];
  /** The release table's date, quoted in the reason. */
  tableDate?: string;
}

export interface GoPolicy {
  /** "major.minor", the golang image tag. */
  version: string;
  /** One line for a generated file's comment. */
  reason: string;
}

/** "go1.23.1" or "1.23.1" → [1, 23]; undefined for anything else. */
export function goMinorOf(text: string | undefined): [number, number] | undefined {
  const m = text === undefined ? null : /^(?:go)?(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const cmp = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
const text = (v: [number, number]) => `${v[0]}.${v[1]}`;

export function goBuilderPolicy(input: GoPolicyInput): GoPolicy {
  const wants: { v: [number, number]; why: string }[] = [];
  const go = goMinorOf(input.go);
  if (go) wants.push({ v: go, why: `go.mod's go ${input.go}` });
  const tc = goMinorOf(input.toolchain);
  if (tc) wants.push({ v: tc, why: `go.mod's toolchain ${input.toolchain}` });
  wants.sort((a, b) => cmp(b.v, a.v));
  const need = wants[0];
  const newest = goMinorOf(input.releases[0]);
  const current = goMinorOf(input.current);
  const table = input.tableDate ? ` (release table of ${input.tableDate})` : '';
  let version: [number, number];
  let reason: string;
  if (newest && (!need || cmp(newest, need.v) >= 0)) {
    version = newest;
    reason = need
      ? `Go ${text(newest)}, the newest release${table}; ${need.why} is a minimum`
      : `Go ${text(newest)}, the newest release${table}; go.mod names no version`;
  } else if (need) {
    version = need.v;
    reason = newest
      ? `Go ${text(need.v)}, as ${need.why} requires (newer than every release in the table${input.tableDate ? ` of ${input.tableDate}` : ''})`
      : `Go ${text(need.v)}, as ${need.why} requires`;
  } else {
    version = [1, 23];
    reason = 'Go 1.23: go.mod names no version and no release table is at hand';
  }
  if (current && cmp(current, version) > 0) {
    version = current;
    reason = `Go ${text(current)}, as the existing Dockerfile had (never older than it)`;
  }
  return { version: text(version), reason };
}
