/**
 * A loopback HTTP server that answers the release-data requests goimg makes with recorded
 * responses (test/fixtures/releases), or with a chosen failure: an error status, garbage, or
 * silence (the request is held until the server stops).
 *
 *   const server = await startReleaseServer();
 *   ... GOIMG_GO_INDEX_URL=server.goIndexUrl GOIMG_EOL_API_URL=server.eolApiUrl ...
 *   server.answer['/dl/'] = { status: 500 };
 *   server.requests   // ['/dl/?mode=json&include=all', '/eol/alpine-linux/', ...]
 *   await server.stop();
 */
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';

export const RELEASE_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'releases');

export function releaseFixture(name: string): string {
  return readFileSync(join(RELEASE_FIXTURES, name), 'utf8');
}

/** How to answer requests whose path starts with a key: a status and body, or never. */
export type Answer = { status: number; body?: string } | 'hang';

export interface ReleaseServer {
  goIndexUrl: string;
  eolApiUrl: string;
  /** Path prefix → answer; the recorded responses by default. */
  answer: Record<string, Answer>;
  /** Every request's path and query, in order. */
  requests: string[];
  stop(): Promise<void>;
}

export async function startReleaseServer(): Promise<ReleaseServer> {
  const answer: Record<string, Answer> = {
    '/dl/': { status: 200, body: releaseFixture('go-dl.json') },
  };
  for (const product of ['alpine-linux', 'debian', 'ubuntu']) {
    answer[`/eol/${product}/`] = { status: 200, body: releaseFixture(`eol-${product}.json`) };
  }
  const requests: string[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const key = Object.keys(answer)
      .filter((k) => path.startsWith(k))
      .sort((a, b) => b.length - a.length)[0];
    const a = key === undefined ? { status: 404, body: 'not found' } : answer[key]!;
    if (a === 'hang') {
      held.push(res);
      return;
    }
    res.writeHead(a.status, { 'content-type': 'application/json' });
    res.end(a.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    goIndexUrl: `${base}/dl/?mode=json&include=all`,
    eolApiUrl: `${base}/eol/`,
    answer,
    requests,
    async stop() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
