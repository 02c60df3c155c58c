/**
 * Reading a byte stream chunk by chunk, as the chunks arrived. An async iterator over a stream
 * concatenates whatever is buffered into one new buffer on each step; for the hundreds of
 * megabytes of an image that copy (and the memory it touches) costs more than the reading.
 */
import type { Readable } from 'node:stream';

/**
 * Hands each chunk of `stream` to `onChunk`, in order. A promise returned by `onChunk` pauses
 * the stream until it settles. Resolves at the stream's end, once the last promise settled;
 * rejects with the stream's error, with what `onChunk` threw or rejected with, or when the
 * stream closes before its end. The caller decides whether to destroy the stream on failure.
 */
export function eachChunk(
  stream: Readable,
  onChunk: (chunk: Buffer) => Promise<void> | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let pending: Promise<void> | undefined;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      stream.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
      if (err === undefined) resolve();
      else {
        stream.pause();
        reject(err);
      }
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      let next: Promise<void> | undefined;
      try {
        next = onChunk(chunk);
      } catch (err) {
        finish(err);
        return;
      }
      if (!next) return;
      stream.pause();
      const current = next.then(
        () => {
          if (pending === current) pending = undefined;
          if (!settled) stream.resume();
        },
        (err: unknown) => finish(err),
      );
      pending = current;
    };
    // A stream may end while the last chunk's promise is pending.
    const onEnd = () => {
      if (pending) pending.then(() => finish(), finish);
      else finish();
    };
    const onClose = () => {
      if (!stream.readableEnded) finish(new Error('the stream closed before its end'));
    };
    stream.on('data', onData).on('end', onEnd).on('error', finish).on('close', onClose);
  });
}
