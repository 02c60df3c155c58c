import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { eachChunk } from '../../../src/core/each-chunk.js';

test('chunks arrive as they were written, not concatenated, in order', async () => {
  const stream = new PassThrough();
  const written = [Buffer.from('one'), Buffer.from('two'), Buffer.from('three')];
  for (const c of written) stream.write(c);
  stream.end();
  const seen: Buffer[] = [];
  await eachChunk(stream, (chunk) => {
    seen.push(chunk);
    return undefined;
  });
  assert.deepEqual(
    seen.map((c) => c.toString()),
    ['one', 'two', 'three'],
  );
  // The same memory, not copies.
  for (const [i, c] of seen.entries()) assert.equal(c.buffer, written[i]!.buffer);
});

test('a pending promise holds the next chunk back, even past the end of the stream', async () => {
  const stream = new PassThrough();
  const events: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const done = eachChunk(stream, (chunk) => {
    events.push(`chunk ${chunk}`);
    if (String(chunk) !== 'a') return undefined;
    return held.then(() => {
      events.push('released');
    });
  }).then(() => events.push('end'));
  stream.write('a');
  stream.write('b');
  stream.end();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(events, ['chunk a']);
  release();
  await done;
  assert.deepEqual(events, ['chunk a', 'released', 'chunk b', 'end']);

  // The last chunk's promise is still pending when the stream ends.
  const last = new PassThrough();
  const order: string[] = [];
  const finished = eachChunk(last, () =>
    new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      order.push('handled');
    }),
  ).then(() => order.push('end'));
  last.end('only');
  await finished;
  assert.deepEqual(order, ['handled', 'end']);
});

test('failures reject: the callback throwing or rejecting, the stream failing or closing early', async () => {
  const thrown = new PassThrough();
  thrown.end('x');
  await assert.rejects(
    eachChunk(thrown, () => {
      throw new Error('bad chunk');
    }),
    /bad chunk/,
  );

  const rejected = new PassThrough();
  rejected.end('x');
  await assert.rejects(
    eachChunk(rejected, () => Promise.reject(new Error('bad later'))),
    /bad later/,
  );

  const failing = new PassThrough();
  const failed = eachChunk(failing, () => undefined);
  failing.destroy(new Error('disk gone'));
  await assert.rejects(failed, /disk gone/);

  const closed = new PassThrough();
  const early = eachChunk(closed, () => undefined);
  closed.write('part');
  closed.destroy();
  await assert.rejects(early, /closed before its end/);
});
