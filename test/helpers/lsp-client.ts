/**
 * A language client over stdio for the tests: starts the built `goimg lsp`, speaks JSON-RPC with
 * vscode-jsonrpc, records what the server publishes and lets a test wait for a publication that
 * satisfies it (bounded, event-driven).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import { GOIMG_BIN, goimgEnv } from './cli.js';

export interface Published {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity?: number;
    code?: string | number;
    source?: string;
    message: string;
  }[];
}

export interface AppliedEdit {
  label?: string;
  edit: { documentChanges?: unknown[]; changes?: Record<string, unknown[]> };
}

const WAIT_MS = 60_000;

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly conn: MessageConnection;
  readonly published: Published[] = [];
  readonly applied: AppliedEdit[] = [];
  stderr = '';
  private waiters: { test: (p: Published) => boolean; resolve: (p: Published) => void }[] = [];

  constructor(cwd: string) {
    this.child = spawn(GOIMG_BIN, ['lsp', '--stdio'], { cwd, env: goimgEnv() });
    this.child.stderr.on('data', (b: Buffer) => {
      this.stderr += b.toString();
    });
    this.conn = createMessageConnection(
      new StreamMessageReader(this.child.stdout),
      new StreamMessageWriter(this.child.stdin),
    );
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/applyEdit', (p: AppliedEdit) => {
      this.applied.push(p);
      return { applied: true };
    });
    this.conn.listen();
  }

  /** The next publication (or one already received after `from`) that `test` accepts. */
  diagnostics(test: (p: Published) => boolean, from = 0): Promise<Published> {
    const seen = this.published.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching diagnostics within ${WAIT_MS} ms; stderr: ${this.stderr}`)),
        WAIT_MS,
      );
      this.waiters.push({
        test,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** Resolves with the exit code once the server process ends. */
  exited(): Promise<number | null> {
    if (this.child.exitCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  dispose(): void {
    this.conn.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}
