/**
 * HTTP/1.1 to the Docker Engine API over its socket (DOCKER_HOST unix:// or tcp://). Written here
 * rather than taken from node:http for the bytes of an export: Node's client (and undici) hand each
 * piece of a body over in fresh memory, and on virtual machines where touching fresh memory costs
 * a page fault per 4 KiB that doubles the time to read a few hundred megabytes (BENCHMARKS.md).
 * This client reads every answer into one buffer used again and again and lends its pieces
 * (as core/lent-chunks.ts does for files): whoever keeps a piece past the next copies it.
 * Engines (Docker's, Podman's) are Go net/http servers; answers are framed by Content-Length,
 * by chunks, or by the end of the connection, which every request closes.
 */
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { EngineEndpoint } from './docker-host.js';

/** Big enough that a fast engine fills few reads; faulted in once. */
const READ_BUFFER = 1 << 20;
/** An answer's status line and headers; an engine's are a few hundred bytes. */
const MAX_HEAD = 64 * 1024;

export interface EngineCall {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Streamed to the engine in chunks (e.g. a tar for /images/load). */
  body?: Readable;
  /** Fails when the connection is silent this long (default: no limit). */
  timeoutMs?: number;
}

/** An answer whose body is still to be read (an export streams for as long as it takes). */
export interface EngineStream {
  status: number;
  /** Header names in lower case. */
  headers: Map<string, string>;
  /**
   * The body in pieces lent from one buffer: each is valid until the next is asked for. Read it
   * once, with this or bytes(). Rejects when the connection fails or ends before the body does.
   */
  pieces(): AsyncGenerator<Buffer>;
  /** The whole body, copied. */
  bytes(): Promise<Buffer>;
  /** Closes the connection without reading the rest. */
  close(): void;
}

/** A socket read one piece at a time into one buffer; each piece valid until the next read. */
class LentSocket {
  readonly socket: Socket;
  private piece: Buffer | null = null;
  private lent = false;
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(endpoint: EngineEndpoint, timeoutMs: number | undefined, onConnect: () => void) {
    const onread = {
      buffer: Buffer.allocUnsafe(READ_BUFFER),
      callback: (n: number, buffer: Buffer) => {
        this.piece = buffer.subarray(0, n);
        this.notify();
        return false; // no further read until the piece is given back
      },
    };
    this.socket = endpoint.socketPath
      ? connect({ path: endpoint.socketPath, onread }, onConnect)
      : connect({ host: endpoint.host ?? 'localhost', port: endpoint.port ?? 2375, onread }, onConnect);
    this.socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error('the engine closed the connection')));
    if (timeoutMs) {
      this.socket.setTimeout(timeoutMs, () =>
        this.socket.destroy(new Error(`engine did not answer within ${timeoutMs} ms`)),
      );
    }
  }

  fail(err: Error): void {
    this.failure ??= err;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** The next bytes read; null at the end of the stream. The previous piece is given back. */
  async next(): Promise<Buffer | null> {
    if (this.lent) {
      this.lent = false;
      this.piece = null;
      this.socket.resume();
    }
    while (!this.piece) {
      // Bytes read before a failure or the end are still handed out, in order.
      if (this.ended) return null;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    this.lent = true;
    return this.piece;
  }

  close(): void {
    this.ended = true;
    this.socket.destroy();
  }
}

interface Head {
  status: number;
  headers: Map<string, string>;
  /** Body bytes read with the head: a view into the current piece. */
  rest: Buffer;
}

function parseHead(text: string): Omit<Head, 'rest'> {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? '');
  if (!m) throw new Error(`not an HTTP answer: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed header line ${JSON.stringify(line.slice(0, 80))}`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(m[1]), headers };
}

/** Reads status line and headers, skipping interim (1xx) answers. */
async function readHead(socket: LentSocket): Promise<Head> {
  let held = Buffer.alloc(0);
  for (;;) {
    const piece = await socket.next();
    if (piece === null) throw new Error('the engine closed the connection before answering');
    // The head is small: copying it keeps the code plain. The body's first bytes stay lent.
    const before = held.length;
    held = Buffer.concat([held, piece]);
    for (let end = held.indexOf('\r\n\r\n', Math.max(0, before - 3)); end >= 0; ) {
      const head = parseHead(held.subarray(0, end).toString('latin1'));
      const restStart = end + 4;
      if (head.status >= 100 && head.status < 200) {
        held = held.subarray(restStart);
        end = held.indexOf('\r\n\r\n');
        continue;
      }
      return { ...head, rest: piece.subarray(piece.length - (held.length - restStart)) };
    }
    if (held.length > MAX_HEAD) throw new Error(`the engine's answer has a head over ${MAX_HEAD} bytes`);
  }
}

/** The body framed by Content-Length: views of the pieces read. */
async function* sizedBody(socket: LentSocket, first: Buffer, length: number): AsyncGenerator<Buffer> {
  let left = length;
  for (let piece: Buffer | null = first; left > 0; piece = await socket.next()) {
    if (piece === null) throw new Error(`the engine's answer ended ${left} bytes short`);
    if (piece.length === 0) continue;
    const part = piece.length > left ? piece.subarray(0, left) : piece;
    left -= part.length;
    yield part;
  }
}

/** The body up to the end of the connection. */
async function* closeDelimitedBody(socket: LentSocket, first: Buffer): AsyncGenerator<Buffer> {
  for (let piece: Buffer | null = first; piece !== null; piece = await socket.next())
    if (piece.length > 0) yield piece;
}

/**
 * The body in chunks (RFC 9112 §7.1): a hex size line (extensions ignored), the data, CRLF; a zero
 * size, trailer lines and an empty line end it. Lines may be split across reads; data is lent.
 */
async function* chunkedBody(socket: LentSocket, first: Buffer): AsyncGenerator<Buffer> {
  let line = '';
  let state: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
  let left = 0;
  for (let piece: Buffer | null = first; ; piece = await socket.next()) {
    if (piece === null) throw new Error('the engine closed the connection inside a chunked answer');
    for (let at = 0; at < piece.length; ) {
      if (state === 'data') {
        const take = Math.min(left, piece.length - at);
        left -= take;
        const part = piece.subarray(at, at + take);
        at += take;
        if (left === 0) state = 'data-end';
        yield part;
        continue;
      }
      const nl = piece.indexOf(0x0a, at);
      line += piece.toString('latin1', at, nl < 0 ? piece.length : nl);
      if (line.length > 4096) throw new Error('a chunk size line of the answer is too long');
      if (nl < 0) break;
      at = nl + 1;
      const text = line.replace(/\r$/, '');
      line = '';
      if (state === 'data-end') {
        if (text !== '') throw new Error('a chunk of the answer is longer than its size says');
        state = 'size';
      } else if (state === 'trailer') {
        if (text === '') return;
      } else {
        const size = /^([0-9a-fA-F]{1,12})(?:[ \t]*;.*)?$/.exec(text);
        if (!size) throw new Error(`bad chunk size line ${JSON.stringify(text.slice(0, 40))}`);
        left = Number.parseInt(size[1]!, 16);
        state = left === 0 ? 'trailer' : 'data';
      }
    }
  }
}

function bodyOf(socket: LentSocket, method: string, head: Head): AsyncGenerator<Buffer> {
  const { status, headers, rest } = head;
  if (method === 'HEAD' || status === 204 || status === 304) return sizedBody(socket, rest, 0);
  if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) return chunkedBody(socket, rest);
  const length = headers.get('content-length');
  if (length !== undefined) {
    if (!/^\d{1,15}$/.test(length)) throw new Error(`bad Content-Length ${JSON.stringify(length)}`);
    return sizedBody(socket, rest, Number(length));
  }
  return closeDelimitedBody(socket, rest);
}

/** Writes the request body in chunks, waiting whenever the socket's buffer is full. */
async function sendChunked(socket: Socket, body: Readable): Promise<void> {
  const drained = () =>
    new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        socket.off('drain', drain).off('close', closed);
        if (err) reject(err);
        else resolve();
      };
      const drain = () => done();
      const closed = () => done(new Error('the engine closed the connection while the request was sent'));
      socket.on('drain', drain).on('close', closed);
    });
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (chunk.length === 0) continue;
    socket.write(`${chunk.length.toString(16)}\r\n`);
    socket.write(chunk);
    if (!socket.write('\r\n')) await drained();
  }
  socket.write('0\r\n\r\n');
}

/**
 * One request to the engine API; resolves once the answer's head has arrived, with its body to
 * read. Network failures reject with Node's error (or one naming what was malformed).
 */
export function engineStream(endpoint: EngineEndpoint, call: EngineCall): Promise<EngineStream> {
  const head = [`${call.method} ${call.path} HTTP/1.1`, 'Host: docker', 'Connection: close'];
  for (const [name, value] of Object.entries(call.headers ?? {})) head.push(`${name}: ${value}`);
  if (call.body) head.push('Transfer-Encoding: chunked');
  else if (call.method !== 'GET' && call.method !== 'HEAD') head.push('Content-Length: 0');
  const text = `${head.join('\r\n')}\r\n\r\n`;
  const socket = new LentSocket(endpoint, call.timeoutMs, () => {
    socket.socket.write(text);
    if (call.body)
      sendChunked(socket.socket, call.body).catch((err: Error) => {
        call.body?.destroy();
        socket.fail(err);
        socket.socket.destroy();
      });
  });
  return readHead(socket).then(
    (answer) => {
      let read = false;
      const pieces = () => {
        if (read) throw new Error('the body of an engine answer is read once');
        read = true;
        return closing(socket, bodyOf(socket, call.method, answer));
      };
      return {
        status: answer.status,
        headers: answer.headers,
        pieces,
        async bytes() {
          const parts: Buffer[] = [];
          for await (const piece of pieces()) parts.push(Buffer.from(piece));
          return Buffer.concat(parts);
        },
        close: () => socket.close(),
      };
    },
    (err: Error) => {
      socket.close();
      throw err;
    },
  );
}

/** The body's pieces; the connection closes once they end, fail or are abandoned. */
async function* closing(socket: LentSocket, body: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* body;
  } finally {
    socket.close();
  }
}
