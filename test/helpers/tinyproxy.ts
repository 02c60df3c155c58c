/**
 * A real HTTP proxy (Debian's tinyproxy) on a free loopback port, with its own config and log in
 * a temporary directory; stopped by its PID. Every request it forwards is in its log, which is
 * how a test proves that traffic went through it.
 *
 *   const proxy = await startTinyproxy();
 *   ... HTTP_PROXY=proxy.url ...
 *   proxy.forwarded()   // ['GET http://127.0.0.1:5055/v2/...', 'CONNECT ...', ...]
 *   await proxy.stop();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from './env.js';

export interface Tinyproxy {
  url: string;
  port: number;
  /** The requests the proxy forwarded so far, as "METHOD URL" (CONNECT: "CONNECT host:port"). */
  forwarded(): string[];
  stop(): Promise<void>;
}

export function hasTinyproxy(): boolean {
  return hasTool('tinyproxy');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the port accepts a connection; rejects when the process exits first. */
function waitListening(port: number, child: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const exited = (code: number | null) => {
      if (done) return;
      done = true;
      reject(new Error(`tinyproxy exited (${code}) before listening:\n${log()}`));
    };
    child.once('exit', exited);
    const attempt = () => {
      if (done) return;
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        done = true;
        child.off('exit', exited);
        resolve();
      });
      // Not listening yet: try again when the event loop has run the process a little.
      socket.once('error', () => setTimeout(attempt, 20));
    };
    attempt();
  });
}

export async function startTinyproxy(): Promise<Tinyproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'goimg-tinyproxy-'));
  const port = await freePort();
  const logFile = join(dir, 'tinyproxy.log');
  writeFileSync(logFile, '');
  const config = join(dir, 'tinyproxy.conf');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 60',
      `LogFile "${logFile}"`,
      'LogLevel Connect',
      'MaxClients 50',
      'Allow 127.0.0.1',
      'DisableViaHeader Yes',
      '',
    ].join('\n'),
  );
  const child = spawn('tinyproxy', ['-d', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const log = () => `${readFileSync(logFile, 'utf8')}${stderr}`;
  await waitListening(port, child, log);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    forwarded() {
      const out: string[] = [];
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        const m = /Request \(file descriptor \d+\): (\S+) (\S+) HTTP/.exec(line);
        if (m) out.push(`${m[1]} ${m[2]}`);
      }
      return out;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
