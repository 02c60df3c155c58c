/**
 * Whether cgo is on and who turned it on. Evidence: the CGO_ENABLED setting; packages that call
 * C, seen in the function table (which survives stripping) either as Go-side wrappers
 * (`pkg._Cfunc_twice`) or as the C-side stubs cgo generates (`_cgo_<hash>_Cfunc_getaddrinfo`,
 * one hash per package, named after the C function: getaddrinfo means net, mygetpwuid_r means
 * os/user); the runtime/cgo package; libc functions imported through .dynsym.
 */
import { packageOf } from './symbol-package.js';

export type CgoEvidenceKind = 'setting' | 'package' | 'runtime-cgo' | 'dynamic-import';

export interface CgoEvidence {
  kind: CgoEvidenceKind;
  detail: string;
  package: string | null;
}

export interface Cgo {
  enabled: boolean | null;
  evidence: CgoEvidence[];
}

/** libc functions the standard library's cgo code calls, by the package that calls them. */
const LIBC_CALLERS: Record<string, string> = {
  getaddrinfo: 'net',
  freeaddrinfo: 'net',
  gai_strerror: 'net',
  getnameinfo: 'net',
  res_search: 'net',
  res_nsearch: 'net',
  __res_search: 'net',
  __res_nsearch: 'net',
  res_ninit: 'net',
  __res_ninit: 'net',
  res_nclose: 'net',
  __res_nclose: 'net',
  getpwuid_r: 'os/user',
  getpwnam_r: 'os/user',
  getgrgid_r: 'os/user',
  getgrnam_r: 'os/user',
  getgrouplist: 'os/user',
  pthread_create: 'runtime/cgo',
};

/** C functions the standard library's cgo stubs are named after (cgo's own helpers excluded). */
const STD_STUBS: Record<string, string> = {
  getaddrinfo: 'net',
  getnameinfo: 'net',
  res_search: 'net',
  res_nsearch: 'net',
  res_ninit: 'net',
  mygetpwuid_r: 'os/user',
  mygetpwnam_r: 'os/user',
  mygetgrgid_r: 'os/user',
  mygetgrnam_r: 'os/user',
  mygetgrouplist: 'os/user',
};

/** cgo's own conversion helpers, not C functions the package chose to call. */
const CGO_HELPERS = new Set(['CString', 'CBytes', 'GoString', 'GoStringN', 'GoBytes', 'Cmalloc', 'free']);

const GO_WRAPPER = /^(.+)\._C2?func_(.+)$/;
const C_STUB = /^_cgo_([0-9a-f]{12})_C2?func_(.+)$/;
const RUNTIME_CGO_C = new Set(['x_cgo_init', 'crosscall2', '_cgo_sys_thread_start', 'x_cgo_thread_start']);

/** Packages calling C, each with up to three of the C functions it calls. */
function packagesCallingC(funcNames: string[]): { callers: Map<string, string[]>; runtimeCgo: boolean } {
  const callers = new Map<string, string[]>();
  const stubs = new Map<string, Set<string>>();
  const goSide = new Map<string, string>();
  let runtimeCgo = false;
  for (const name of funcNames) {
    // Cheap filter first (callers may pass only such names): a few dozen of 70,000 are cgo's.
    if (!name.includes('cgo') && !name.includes('_C')) continue;
    if (name.startsWith('runtime/cgo.') || RUNTIME_CGO_C.has(name)) runtimeCgo = true;
    const c = C_STUB.exec(name);
    if (c) {
      const set = stubs.get(c[1] as string) ?? new Set<string>();
      set.add((c[2] as string).replace(/^_+/, ''));
      stubs.set(c[1] as string, set);
      continue;
    }
    const g = GO_WRAPPER.exec(name);
    if (g && !(g[1] as string).includes('_cgo_')) goSide.set(g[2] as string, packageOf(name));
  }
  const add = (pkg: string, fn: string): void => {
    const list = callers.get(pkg) ?? [];
    if (list.length < 3 && !list.includes(fn) && !CGO_HELPERS.has(fn)) list.push(fn);
    callers.set(pkg, list);
  };
  for (const [fn, pkg] of goSide) add(pkg, fn);
  for (const fns of stubs.values()) {
    const names = [...fns];
    const pkg =
      names.map((n) => STD_STUBS[n]).find((p) => p !== undefined) ??
      names.map((n) => goSide.get(n)).find((p) => p !== undefined) ??
      'an import "C" package';
    for (const n of names) add(pkg, n);
  }
  return { callers, runtimeCgo };
}

/**
 * `funcNames`: the function table's names, or at least those containing "cgo" or "_C" (null
 * when there is no function table).
 */
export function cgoEvidence(
  settings: Record<string, string> | null,
  funcNames: string[] | null,
  dynamicImports: string[],
): Cgo {
  const evidence: CgoEvidence[] = [];
  const setting = settings?.CGO_ENABLED;
  if (setting !== undefined)
    evidence.push({ kind: 'setting', detail: `CGO_ENABLED=${setting}`, package: null });

  const { callers, runtimeCgo } = packagesCallingC(funcNames ?? []);
  for (const [pkg, calls] of [...callers].sort(
    ([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  )) {
    evidence.push({
      kind: 'package',
      detail: `${describePackage(pkg)} calls C: ${calls.join(', ')}`,
      package: pkg.startsWith('an ') ? null : pkg,
    });
  }
  if (runtimeCgo)
    evidence.push({ kind: 'runtime-cgo', detail: 'runtime/cgo is linked in', package: 'runtime/cgo' });
  const imported = new Map<string, string[]>();
  for (const name of dynamicImports) {
    const bare = name.split('@')[0] as string;
    const pkg = LIBC_CALLERS[bare];
    if (pkg && !imported.get(pkg)?.includes(bare)) imported.set(pkg, [...(imported.get(pkg) ?? []), bare]);
  }
  for (const [pkg, names] of [...imported].sort(
    ([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  )) {
    evidence.push({
      kind: 'dynamic-import',
      detail: `imports ${names.sort().join(', ')} from libc`,
      package: pkg,
    });
  }

  const code = callers.size > 0 || runtimeCgo;
  const enabled = setting !== undefined ? setting === '1' || code : code ? true : funcNames ? false : null;
  return { enabled, evidence };
}

function rank(pkg: string): number {
  return pkg === 'net' ? 0 : pkg === 'os/user' ? 1 : 2;
}

function describePackage(pkg: string): string {
  if (pkg === 'net') return 'net (DNS)';
  if (pkg === 'os/user') return 'os/user';
  return pkg.startsWith('an ') ? pkg : `${pkg} (import "C")`;
}

/** The plain sentence: "cgo is on because of net (DNS) and os/user". */
export function cgoSentence(cgo: Cgo): string | null {
  if (cgo.enabled === null) return null;
  if (!cgo.enabled) return 'cgo is off (CGO_ENABLED=0)';
  const pkgs = cgo.evidence
    .filter((e) => e.kind === 'package')
    .map((e) => describePackage(e.package ?? 'an import "C" package'));
  if (pkgs.length === 0) return 'cgo is enabled (CGO_ENABLED=1) but no package calls C';
  const list = pkgs.length === 1 ? pkgs[0] : `${pkgs.slice(0, -1).join(', ')} and ${pkgs.at(-1)}`;
  return `cgo is on because of ${list}`;
}
