/**
 * fetch for registry and token requests. When the launcher kept NODE_EXTRA_CA_CERTS from Node
 * (core/launch-env.ts), HTTPS requests go through an undici agent that trusts Node's bundled roots
 * plus that file's certificates: what Node itself would have trusted. Loaded only then.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { setFlagsFromString } from 'node:v8';
import { EnvironmentError } from '../core/errors.js';
import { unloadedExtraCaFile } from '../core/launch-env.js';

type Fetch = typeof fetch;
let withExtraCa: Promise<Fetch> | undefined;

async function extraCaFetch(caFile: string): Promise<Fetch> {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (err) {
    throw new EnvironmentError(
      `NODE_EXTRA_CA_CERTS names ${caFile}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      'point NODE_EXTRA_CA_CERTS at a PEM file of CA certificates, or unset it',
    );
  }
  // undici is CommonJS: bundled, its exports arrive as `default`; from tsc's output, as named ones.
  const loaded = (await import('undici')) as typeof import('undici') & { default?: typeof import('undici') };
  const undici = loaded.default ?? loaded;
  const dispatcher = new undici.Agent({ connect: { ca: [...rootCertificates, pem] } });
  return ((input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) =>
    undici.fetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as Fetch;
}

let prepared = false;

/**
 * Before the first fetch: fetch's HTTP parser is WebAssembly (undici's llhttp), and V8's optimising
 * compiler works on it in the background; Node 20 then waits for that work when the process exits:
 * 60-70 ms after every command that made a request. The baseline compiler alone parses headers just
 * as well, and the exit is immediate.
 */
function prepareFetch(): void {
  if (prepared) return;
  prepared = true;
  try {
    setFlagsFromString('--liftoff-only');
  } catch {
    // An engine without that flag: only the exit is slower.
  }
}

/**
 * Loads Node's fetch machinery (undici, lazily loaded on the first fetch: 20-30 ms) without a
 * request, so that it can be paid for while something else runs (`go build`).
 */
export function warmUpFetch(): void {
  prepareFetch();
  fetch('data:,')
    .then((r) => r.arrayBuffer())
    .catch(() => {});
}

export function registryFetch(input: string | URL, init?: RequestInit): Promise<Response> {
  prepareFetch();
  const caFile = unloadedExtraCaFile();
  const url = typeof input === 'string' ? input : input.href;
  if (!caFile || !url.startsWith('https:')) return fetch(input, init);
  withExtraCa ??= extraCaFetch(caFile);
  return withExtraCa.then((f) => f(input, init));
}
