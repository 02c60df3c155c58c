/**
 * Picks the runtime stage: the smallest base that has what the binary needs (article: weigh size,
 * security, maintenance and compatibility), and the files to bring from the builder when the base
 * lacks them (CA bundle for TLS, zoneinfo for time.LoadLocation).
 */

import { UsageError } from '../core/errors.js';
import type { BaseChoice } from '../oci/base-choice.js';

/** The Debian release of the glibc runtimes below, which a cgo builder must match. */
export const GLIBC_RUNTIME_SUITE = 'bookworm';

export const RUNTIME_IMAGES = {
  scratch: 'scratch',
  distrolessStatic: 'gcr.io/distroless/static-debian12:nonroot',
  /** glibc + libssl + CA + tzdata; Debian GLIBC_RUNTIME_SUITE, as the cgo builder. */
  distrolessBase: 'gcr.io/distroless/base-debian12:nonroot',
  alpine: 'alpine:3.20',
  debian: 'debian:bookworm-slim',
} as const;

export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
export const ZONEINFO = '/usr/share/zoneinfo';

export interface RuntimeNeeds {
  cgo: boolean;
  caBundle: boolean;
  zoneinfo: boolean;
}

export interface RuntimePlan {
  image: string;
  /** Why this base, one line for the Dockerfile comment. */
  reason: string;
  copyCaBundle: boolean;
  copyZoneinfo: boolean;
  /** The base already sets a non-root user (distroless :nonroot). */
  nonrootBuiltin: boolean;
  /** True when the base has libc (glibc or musl). */
  hasLibc: boolean;
  notes: string[];
}

function needsText(needs: RuntimeNeeds): string {
  const parts = [
    needs.caBundle ? 'a CA bundle (TLS calls)' : '',
    needs.zoneinfo ? 'zoneinfo (time zones)' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return parts === '' ? 'nothing but the kernel' : parts;
}

export function planRuntime(choice: BaseChoice, needs: RuntimeNeeds): RuntimePlan {
  const kind = choice.kind === 'auto' ? autoKind(needs) : choice.kind;
  switch (kind) {
    case 'scratch':
      rejectCgo(needs, 'scratch');
      return {
        image: RUNTIME_IMAGES.scratch,
        reason: `static binary needing ${needsText(needs)}: scratch adds no byte the binary does not use`,
        copyCaBundle: needs.caBundle,
        copyZoneinfo: needs.zoneinfo,
        nonrootBuiltin: false,
        hasLibc: false,
        notes: [],
      };
    case 'distroless':
      if (needs.cgo) return distrolessBase();
      return {
        image: RUNTIME_IMAGES.distrolessStatic,
        reason: `static binary needing ${needsText(needs)}: distroless static has CA bundle, zoneinfo, /tmp and a nonroot user, no shell`,
        copyCaBundle: false,
        copyZoneinfo: false,
        nonrootBuiltin: true,
        hasLibc: false,
        notes: [],
      };
    case 'alpine':
      if (needs.cgo) {
        throw new UsageError(
          'cgo is on, and a glibc binary from the golang builder dies on alpine (musl) with "no such file or directory"',
          'use --base debian or distroless (glibc), or --cgo off',
        );
      }
      return {
        image: RUNTIME_IMAGES.alpine,
        reason: 'alpine chosen with --base: a shell for debugging; the static binary needs no musl',
        copyCaBundle: needs.caBundle,
        copyZoneinfo: needs.zoneinfo,
        nonrootBuiltin: false,
        hasLibc: true,
        notes: [],
      };
    case 'debian':
      return {
        image: RUNTIME_IMAGES.debian,
        reason: needs.cgo
          ? 'cgo binary: glibc from the same Debian release as the golang builder'
          : 'debian-slim chosen with --base: glibc and a shell',
        // bookworm-slim ships tzdata but not ca-certificates.
        copyCaBundle: needs.caBundle,
        copyZoneinfo: false,
        nonrootBuiltin: false,
        hasLibc: true,
        notes: [],
      };
    case 'image':
      return {
        image: choice.kind === 'image' ? choice.ref : '',
        reason: 'runtime base chosen with --base',
        copyCaBundle: false,
        copyZoneinfo: false,
        nonrootBuiltin: false,
        hasLibc: true,
        notes: [
          `--base ${choice.kind === 'image' ? choice.ref : ''}: goimg cannot see inside it; it must provide ${needsText(needs)}${needs.cgo ? ` and a glibc as new as the Debian ${GLIBC_RUNTIME_SUITE} builder's` : ''}`,
        ],
      };
    default:
      return distrolessBase();
  }
}

/** auto: cgo → glibc distroless; zoneinfo → distroless static (has it); else scratch (+ CA bundle). */
function autoKind(needs: RuntimeNeeds): 'scratch' | 'distroless' | 'glibc' {
  if (needs.cgo) return 'glibc';
  if (needs.zoneinfo) return 'distroless';
  return 'scratch';
}

function distrolessBase(): RuntimePlan {
  return {
    image: RUNTIME_IMAGES.distrolessBase,
    reason: `cgo binary: needs glibc and its loader; distroless base is ${GLIBC_RUNTIME_SUITE} glibc like the golang builder, no shell`,
    copyCaBundle: false,
    copyZoneinfo: false,
    nonrootBuiltin: true,
    hasLibc: true,
    notes: [],
  };
}

function rejectCgo(needs: RuntimeNeeds, base: string): void {
  if (needs.cgo) {
    throw new UsageError(
      `cgo is on, but ${base} has no libc or dynamic loader: the binary would fail with "no such file or directory"`,
      'use --base debian or distroless (glibc), or --cgo off if the cgo code is optional',
    );
  }
}
