/**
 * One JSON document over HTTP(S), through the registry client's transport (so HTTP(S)_PROXY and
 * NO_PROXY apply as they do to registries), within an overall time limit.
 */
import { drain, readBody, request } from '../registry/http.js';

/** The index with every Go release is a few MB: anything far larger is not what was asked for. */
const MAX_BYTES = 64 * 1024 * 1024;

/** The parsed body of a 200 answer; any other outcome is an Error saying what happened. */
export async function fetchJson(url: string, timeoutMs: number): Promise<unknown> {
  const signal = AbortSignal.timeout(timeoutMs);
  let text: string;
  try {
    const res = await request(url, { method: 'GET', headers: { accept: 'application/json' }, signal });
    if (res.status !== 200) {
      await drain(res.body);
      throw new Error(`${url} answered HTTP ${res.status}`);
    }
    text = (
      await readBody(res.body, MAX_BYTES, () => new Error(`${url} sent more than ${MAX_BYTES} bytes`))
    ).toString('utf8');
  } catch (err) {
    if (signal.aborted) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    const e = err as NodeJS.ErrnoException;
    throw e.message?.startsWith(url) ? e : new Error(`${url}: ${e.code ?? e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url} did not send JSON`);
  }
}
