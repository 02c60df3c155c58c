/**
 * What a Go file's body says about the program's runtime needs: TLS client calls (CA bundle),
 * time zone loading (zoneinfo) and listening ports. Works on the token stream of one file,
 * resolving package names through the file's imports (aliases included).
 */
import { type GoImport, type GoToken, Tok } from './golex.js';
import type { SourceEvidence } from './model.js';

export interface FileNeeds {
  tls: SourceEvidence[];
  /** Files the program opens by name at run time, relative to its working directory (`.env`). */
  runtimeFiles: SourceEvidence[];
  tz: SourceEvidence[];
  ports: (SourceEvidence & { port: number })[];
  /** crypto/tls server-side use (certificates served), which needs no CA bundle. */
  tlsServer: boolean;
  /**
   * A tls.Config literal sets InsecureSkipVerify: true, or RootCAs to a pool the file makes: the
   * file's clients do not use the system's CA bundle.
   */
  noSystemRoots: boolean;
  /** Calls only root may make: switching users, chroot, mounts, raw sockets, TUN devices. */
  root: SourceEvidence[];
  /** The go command run as a program (`exec.Command("go", ...)`). */
  goTool: SourceEvidence[];
  /** Files written by a relative path (`os.WriteFile("app.json", …)`): into the working directory. */
  writes: SourceEvidence[];
}

/**
 * syscall and x/sys/unix names only root may use: user switching (a process credential), chroot,
 * mounts, raw and packet sockets (CAP_NET_RAW, which a container gives root alone).
 */
const ROOT_CALLS =
  'Setuid|Setgid|Setreuid|Setregid|Setresuid|Setresgid|Setgroups|Credential|Chroot|Mount|SOCK_RAW|AF_PACKET';
const ROOT_SELECTORS = new Set(ROOT_CALLS.split('|'));

/** Selectors worth a closer look, per imported package (os is found through its literals). */
const SELECTORS: Record<string, string> = {
  'net/http':
    'Get|Head|Post|PostForm|NewRequest|NewRequestWithContext|DefaultClient|DefaultTransport|Client|Transport|ListenAndServe|ListenAndServeTLS',
  net: 'Listen|ListenPacket|ListenIP|DialIP',
  'crypto/tls': 'Dial|DialWithDialer|Client|Dialer|Config',
  'crypto/x509': 'SystemCertPool',
  'net/smtp': 'SendMail|Dial',
  time: 'LoadLocation',
  flag: 'String|StringVar|Int|IntVar',
  syscall: ROOT_CALLS,
  'golang.org/x/sys/unix': ROOT_CALLS,
  'os/exec': 'Command|CommandContext',
  'github.com/joho/godotenv': 'Load|Overload',
};

/** Literals and method calls that matter whatever the imports (each behind a fast includes()). */
function anyLiteralHint(src: string): boolean {
  return (
    (src.includes('://') && /["`](?:https|wss):\/\//.test(src)) ||
    src.includes('/usr/share/zoneinfo') ||
    src.includes('/dev/net/tun') ||
    (src.includes('os.') && /\bos\.(?:WriteFile|Create|OpenFile|Mkdir|MkdirAll)\(/.test(src)) ||
    (src.includes('Addr') && /\bAddr\s*:/.test(src)) ||
    ((src.includes('("') || src.includes('(`')) &&
      /\.(?:Run|RunTLS|Start|StartTLS|Listen|ListenAndServe|ListenAndServeTLS)\(\s*["`]/.test(src)) ||
    ((src.includes('PORT"') || src.includes('ADDR"') || src.includes('"TZ"')) &&
      /"(?:PORT|HTTP_PORT|LISTEN_PORT|SERVER_PORT|APP_PORT|ADDR|HTTP_ADDR|LISTEN_ADDR|SERVER_ADDR|TZ)"/.test(
        src,
      ))
  );
}

/**
 * A cheap textual test: could this file contain anything analyseTokens reports? Most files
 * cannot, and are never tokenised (the scan's cost is then reading and the import header).
 */
export function fileNeedsTokens(imports: readonly GoImport[], src: string): boolean {
  if (anyLiteralHint(src)) return true;
  const alternatives: string[] = [];
  for (const imp of imports) {
    const sel = SELECTORS[imp.path];
    if (sel === undefined || imp.alias === '_') continue;
    const local = imp.alias ?? defaultLocalName(imp.path);
    if (local === '.') continue;
    alternatives.push(`\\b${local}\\s*\\.\\s*(?:${sel})\\b`);
  }
  return alternatives.length > 0 && new RegExp(alternatives.join('|')).test(src);
}

const HTTP_CLIENT = new Set([
  'Get',
  'Head',
  'Post',
  'PostForm',
  'NewRequest',
  'NewRequestWithContext',
  'DefaultClient',
  'DefaultTransport',
  'Client',
  'Transport',
]);
const TLS_CLIENT = new Set(['Dial', 'DialWithDialer', 'Client', 'Dialer']);
const TLS_SERVER = new Set(['Listen', 'NewListener', 'Server', 'LoadX509KeyPair', 'X509KeyPair']);
const LISTEN_SELECTORS = new Set([
  'ListenAndServe',
  'ListenAndServeTLS',
  'Run',
  'RunTLS',
  'Start',
  'StartTLS',
  'Listen',
]);

/** time.LoadLocation names Go resolves without zoneinfo. */
const BUILT_IN_ZONE = /^(|UTC|Local)$/;

/** TZ values Go resolves without zoneinfo: unset, empty, UTC. */
const UTC_TZ = /^(|:?UTC|:?UTC0|:?Etc\/UTC|:?GMT)$/;

/** Environment variables that carry the listening port or address. */
const PORT_ENV = /^(PORT|HTTP_PORT|LISTEN_PORT|SERVER_PORT|APP_PORT|ADDR|HTTP_ADDR|LISTEN_ADDR|SERVER_ADDR)$/;

/** ":8080", "0.0.0.0:8080", "localhost:8080", "[::]:8080" → 8080. */
export function portOfAddress(addr: string): number | undefined {
  const m = /^(?:[\w.-]*|\[[0-9a-fA-F:.]*\]):(\d{1,5})$/.exec(addr);
  if (!m) return undefined;
  const port = Number(m[1]);
  return port > 0 && port < 65536 ? port : undefined;
}

function defaultLocalName(path: string): string {
  const last = path.slice(path.lastIndexOf('/') + 1);
  // gopkg.in/yaml.v3 → yaml; github.com/x/y/v2 → y (approximation of the package name)
  if (/^v\d+$/.test(last)) {
    const parts = path.split('/');
    return (parts[parts.length - 2] ?? last).replace(/\.v\d+$/, '');
  }
  return last.replace(/\.v\d+$/, '').replace(/^go-/, '');
}

/** Maps each local package name in the file to its import path. */
export function localNames(imports: readonly GoImport[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const imp of imports) {
    if (imp.alias === '_' || imp.alias === '.') continue;
    m.set(imp.alias ?? defaultLocalName(imp.path), imp.path);
  }
  return m;
}

function isPunct(t: GoToken | undefined, p: string): boolean {
  return t !== undefined && t.kind === Tok.Punct && t.value === p;
}

/** The string literal argument `argIndex` of a call whose `(` is at `open`, if it is a literal. */
function stringArg(toks: readonly GoToken[], open: number, argIndex: number): GoToken | undefined {
  let depth = 0;
  let arg = 0;
  for (let i = open + 1; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === Tok.Punct) {
      if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
      else if (t.value === ')' || t.value === ']' || t.value === '}') {
        if (depth === 0) return undefined;
        depth--;
      } else if (t.value === ',' && depth === 0) {
        arg++;
        continue;
      }
    }
    if (depth === 0 && arg === argIndex) {
      const next = toks[i + 1];
      if (t.kind === Tok.String && (isPunct(next, ',') || isPunct(next, ')'))) return t;
      return undefined;
    }
  }
  return undefined;
}

/** os calls that create what they name. */
const WRITES = new Set(['WriteFile', 'Create', 'OpenFile', 'Mkdir', 'MkdirAll']);

/** A path relative to the working directory: not absolute, not a URL, not a device or `-`. */
const RELATIVE_PATH = /^(?!\/|-$|~)[\w.][\w./-]*$/;

/**
 * The relative path an os write call at `call` names: a string literal, or a variable the file
 * assigns a literal (`conf = "app.json"` before `os.WriteFile(conf, …)`). OpenFile counts only
 * with a flag that creates or writes.
 */
function relativeWrite(toks: readonly GoToken[], at: number, call: number, sel: string): string | undefined {
  if (sel === 'OpenFile') {
    let writes = false;
    for (let k = call + 1, depth = 0; k < toks.length && depth >= 0; k++) {
      const v = toks[k]!.value;
      if (toks[k]!.kind === Tok.Punct) depth += v === '(' ? 1 : v === ')' ? -1 : 0;
      else writes ||= /^O_(?:CREATE|WRONLY|RDWR|APPEND)$/.test(v);
    }
    if (!writes) return undefined;
  }
  const first = toks[call + 1];
  const next = toks[call + 2];
  if (!first || !(isPunct(next, ',') || isPunct(next, ')'))) return undefined;
  let value: string | undefined;
  if (first.kind === Tok.String) value = first.value;
  else if (first.kind === Tok.Ident) {
    // The nearest assignment of a literal to that name before the call.
    for (let k = at - 1; k >= 1 && value === undefined; k--) {
      const t = toks[k]!;
      if (t.kind === Tok.String && assignedTo(toks, k) === first.value) value = t.value;
    }
  }
  return value !== undefined && RELATIVE_PATH.test(value) ? value : undefined;
}

/**
 * A `tls.Config{...}` literal at `open` that needs no CA bundle: it sets InsecureSkipVerify: true
 * (it verifies no certificate), or RootCAs to a pool the file makes from its own certificates.
 */
function bypassesSystemRoots(toks: readonly GoToken[], open: number, names: Map<string, string>): boolean {
  if (!isPunct(toks[open], '{')) return false;
  let depth = 0;
  for (let k = open; k < toks.length; k++) {
    const t = toks[k]!;
    if (isPunct(t, '{')) depth++;
    else if (isPunct(t, '}') && --depth === 0) return false;
    else if (depth === 1 && isPunct(toks[k + 1], ':')) {
      if (t.value === 'InsecureSkipVerify' && toks[k + 2]?.value === 'true') return true;
      const pool = toks[k + 2];
      if (t.value === 'RootCAs' && pool?.kind === Tok.Ident && ownPool(toks, pool.value, names)) return true;
    }
  }
  return false;
}

/**
 * Whether `name` is a pool the file makes empty (`name := x509.NewCertPool()`) and the file never
 * asks for the system's pool: the clients given it trust only what it adds.
 */
function ownPool(toks: readonly GoToken[], name: string, names: Map<string, string>): boolean {
  let made = false;
  for (let k = 0; k + 4 < toks.length; k++) {
    const t = toks[k]!;
    if (t.kind !== Tok.Ident || names.get(t.value) !== 'crypto/x509' || !isPunct(toks[k + 1], '.')) continue;
    const sel = toks[k + 2]!.value;
    if (sel === 'SystemCertPool') return false;
    if (sel === 'NewCertPool' && assignedTo(toks, k) === name) made = true;
  }
  return made;
}

/**
 * The name the value starting at token `k` is assigned to (`name = …` or `name := …`, which the
 * tokenizer gives as two marks), if any.
 */
function assignedTo(toks: readonly GoToken[], k: number): string | undefined {
  if (!isPunct(toks[k - 1], '=')) return undefined;
  const name = isPunct(toks[k - 2], ':') ? toks[k - 3] : toks[k - 2];
  return name?.kind === Tok.Ident ? name.value : undefined;
}

/** The string literals a call at `open` passes as its arguments (`Load("a.env", "b.env")`). */
function fileArgs(toks: readonly GoToken[], open: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < 8; k++) {
    const lit = stringArg(toks, open, k);
    if (!lit) break;
    out.push(lit.value);
  }
  return out;
}

export function analyseTokens(file: string, toks: readonly GoToken[], names: Map<string, string>): FileNeeds {
  const needs: FileNeeds = {
    tls: [],
    runtimeFiles: [],
    tz: [],
    ports: [],
    tlsServer: false,
    noSystemRoots: false,
    root: [],
    goTool: [],
    writes: [],
  };
  const addPort = (lit: GoToken, kind: string, detail: string): void => {
    const port = portOfAddress(lit.value) ?? (/^\d{2,5}$/.test(lit.value) ? Number(lit.value) : undefined);
    if (port !== undefined && port < 65536) needs.ports.push({ kind, detail, file, line: lit.line, port });
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === Tok.String) {
      if (/^(https|wss):\/\/./.test(t.value)) {
        needs.tls.push({ kind: 'https-url', detail: t.value.slice(0, 80), file, line: t.line });
      } else if (t.value.includes('/usr/share/zoneinfo')) {
        needs.tz.push({ kind: 'zoneinfo-path', detail: t.value, file, line: t.line });
      } else if (t.value === '/dev/net/tun') {
        // Creating a TUN interface needs CAP_NET_ADMIN, which a container gives root alone.
        needs.root.push({ kind: 'tun-device', detail: `"${t.value}"`, file, line: t.line });
      }
      continue;
    }
    if (t.kind !== Tok.Ident) continue;
    // `Addr: ":8080"` in a server literal.
    if (t.value === 'Addr' && isPunct(toks[i + 1], ':') && toks[i + 2]?.kind === Tok.String) {
      addPort(toks[i + 2]!, 'server-addr', `Addr: "${toks[i + 2]!.value}"`);
      continue;
    }
    // envOr("PORT", "8080"), getenv("ADDR", ":9000"): a helper reading the port with a default.
    if (
      isPunct(toks[i + 1], '(') &&
      PORT_ENV.test(toks[i + 2]?.value ?? '') &&
      toks[i + 2]?.kind === Tok.String
    ) {
      const lit = stringArg(toks, i + 1, 1);
      if (lit) addPort(lit, 'port-env-default', `${t.value}("${toks[i + 2]!.value}", "${lit.value}")`);
      continue;
    }
    if (!isPunct(toks[i + 1], '.') || toks[i + 2]?.kind !== Tok.Ident) continue;
    const sel = toks[i + 2]!.value;
    const call = isPunct(toks[i + 3], '(') ? i + 3 : -1;
    const pkg = names.get(t.value);
    const detail = `${t.value}.${sel}`;
    if (pkg === undefined) {
      // A method call on a value: gin's r.Run(":8080"), echo's e.Start(":1323"), srv.ListenAndServe...
      if (call !== -1 && LISTEN_SELECTORS.has(sel)) {
        const lit = stringArg(toks, call, 0);
        if (lit && portOfAddress(lit.value) !== undefined) addPort(lit, 'listen', detail);
      }
      continue;
    }
    switch (pkg) {
      case 'net/http':
        if (HTTP_CLIENT.has(sel)) needs.tls.push({ kind: 'http-client', detail, file, line: t.line });
        else if ((sel === 'ListenAndServe' || sel === 'ListenAndServeTLS') && call !== -1) {
          const lit = stringArg(toks, call, 0);
          if (lit) addPort(lit, 'listen', detail);
        }
        break;
      case 'net': {
        // An IP network ("ip4:17", "ip6:ipv6-icmp") is a raw socket: root alone may open one.
        const network = call === -1 ? undefined : stringArg(toks, call, 0)?.value;
        if (
          network !== undefined &&
          /^ip[46]?:/.test(network) &&
          /^(ListenPacket|ListenIP|DialIP)$/.test(sel)
        )
          needs.root.push({ kind: 'raw-socket', detail: `${detail}("${network}", …)`, file, line: t.line });
        else if ((sel === 'Listen' || sel === 'ListenPacket') && call !== -1) {
          const lit = stringArg(toks, call, 1);
          if (lit) addPort(lit, 'listen', detail);
        }
        break;
      }
      case 'crypto/tls':
        if (TLS_CLIENT.has(sel)) needs.tls.push({ kind: 'tls-client', detail, file, line: t.line });
        else if (TLS_SERVER.has(sel)) needs.tlsServer = true;
        else if (sel === 'Config') {
          if (bypassesSystemRoots(toks, i + 3, names)) needs.noSystemRoots = true;
          else needs.tls.push({ kind: 'tls-config', detail, file, line: t.line });
        }
        break;
      case 'crypto/x509':
        if (sel === 'SystemCertPool')
          needs.tls.push({ kind: 'system-cert-pool', detail, file, line: t.line });
        break;
      case 'net/smtp':
        if (sel === 'SendMail' || sel === 'Dial')
          needs.tls.push({ kind: 'smtp-starttls', detail, file, line: t.line });
        break;
      case 'time':
        // "UTC", "Local" and "" are built in: only another zone name reads zoneinfo.
        if (
          sel === 'LoadLocation' &&
          !BUILT_IN_ZONE.test(call === -1 ? '-' : (stringArg(toks, call, 0)?.value ?? '-'))
        )
          needs.tz.push({ kind: 'time.LoadLocation', detail, file, line: t.line });
        break;
      case 'os':
        if (WRITES.has(sel) && call !== -1) {
          const path = relativeWrite(toks, i, call, sel);
          if (path)
            needs.writes.push({ kind: 'relative-write', detail: `${detail}("${path}")`, file, line: t.line });
        } else if ((sel === 'Getenv' || sel === 'LookupEnv') && call !== -1) {
          const name = stringArg(toks, call, 0);
          if (PORT_ENV.test(name?.value ?? '')) portDefaultAfter(toks, call, addPort);
          // Reading TZ loads nothing: a zone is loaded by LoadLocation or by TZ naming one.
        } else if (sel === 'Setenv' && call !== -1 && stringArg(toks, call, 0)?.value === 'TZ') {
          // TZ=UTC (or empty) needs no zoneinfo; a literal zone name, or a value only known at run time, may.
          const value = stringArg(toks, call, 1)?.value;
          if (value === undefined || !UTC_TZ.test(value))
            needs.tz.push({
              kind: 'TZ',
              detail: `${detail}("TZ", ${value === undefined ? '…' : `"${value}"`})`,
              file,
              line: t.line,
            });
        }
        break;
      case 'flag':
        if (call !== -1 && /^(String|StringVar|Int|IntVar)$/.test(sel)) flagPort(toks, call, sel, addPort);
        break;
      case 'syscall':
      case 'golang.org/x/sys/unix':
        if (ROOT_SELECTORS.has(sel)) needs.root.push({ kind: 'root-call', detail, file, line: t.line });
        break;
      case 'github.com/joho/godotenv':
        // Load() and Overload() read .env from the working directory, or the files they name.
        if ((sel === 'Load' || sel === 'Overload') && call !== -1) {
          const named = isPunct(toks[call + 1], ')') ? ['.env'] : fileArgs(toks, call);
          for (const path of named)
            needs.runtimeFiles.push({ kind: 'dotenv', detail: path, file, line: t.line });
        }
        break;
      case 'os/exec':
        if (call !== -1 && stringArg(toks, call, sel === 'CommandContext' ? 1 : 0)?.value === 'go')
          needs.goTool.push({ kind: 'exec-go', detail: `${detail}("go", …)`, file, line: t.line });
        break;
    }
  }
  return needs;
}

/** `port := os.Getenv("PORT"); if port == "" { port = "8080" }`: a port literal shortly after. */
function portDefaultAfter(
  toks: readonly GoToken[],
  open: number,
  addPort: (lit: GoToken, kind: string, detail: string) => void,
): void {
  for (let i = open + 4; i < Math.min(toks.length, open + 40); i++) {
    const t = toks[i]!;
    if (t.kind === Tok.String && /^:?\d{2,5}$/.test(t.value)) {
      addPort(t, 'port-env-default', `PORT default "${t.value}"`);
      return;
    }
  }
}

/** flag.String("addr", ":8080", ...) or flag.Int("port", 8080, ...). */
function flagPort(
  toks: readonly GoToken[],
  open: number,
  sel: string,
  addPort: (lit: GoToken, kind: string, detail: string) => void,
): void {
  const isVar = sel.endsWith('Var');
  const nameTok = stringArg(toks, open, isVar ? 1 : 0);
  if (!nameTok || !/addr|port|listen/i.test(nameTok.value)) return;
  // The default is the argument after the name.
  let depth = 0;
  let arg = 0;
  for (let i = open + 1; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === Tok.Punct) {
      if ('([{'.includes(t.value)) depth++;
      else if (')]}'.includes(t.value)) {
        if (depth === 0) return;
        depth--;
      } else if (t.value === ',' && depth === 0) arg++;
      continue;
    }
    if (depth === 0 && arg === (isVar ? 2 : 1)) {
      if (t.kind === Tok.String && portOfAddress(t.value) !== undefined)
        addPort(t, 'flag-default', `-${nameTok.value}`);
      if (t.kind === Tok.Number && /^\d{2,5}$/.test(t.value)) {
        addPort({ ...t, kind: Tok.String }, 'flag-default', `-${nameTok.value}`);
      }
      return;
    }
  }
}
