/**
 * PackageTotals finds a name's package from its bytes; it must give exactly what packageOf gives
 * for the decoded string, whatever order names come in and whichever buffer holds them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PackageTotals } from '../../../src/binary/packages.js';
import { packageOf } from '../../../src/binary/symbol-package.js';

const NAMES = [
  'runtime.main',
  'runtime.gcStart',
  'net/http.(*Client).do',
  'net/http.(*Transport).roundTrip.func1',
  'net/http/httptrace.WithClientTrace',
  'gopkg.in/yaml%2ev3.Unmarshal',
  'gopkg.in/yaml%2ev3.(*decoder).unmarshal',
  'sync/atomic.(*Pointer[go.shape.struct { net/http.x int }]).Load',
  'slices.SortFunc[go.shape.[]string,go.shape.string]',
  'example.com/a[b/c].d/e.f',
  '[x].foo',
  'type:.eq.net/http.Request',
  'type.eq.net/http.Request',
  'go:itab.*os.File,io.Reader',
  'go.buildid',
  'go:buildid',
  '$f64.3ff0000000000000',
  '_cgo_0123456789ab_Cfunc_getaddrinfo',
  'x_cgo_init',
  'crosscall2',
  'main.main',
  'main._Cfunc_twice',
  'example.com/héllo.World',
  '.hidden',
  'noDotAtAll',
  'a/b/noDot',
  '',
];

function nulTerminated(names: string[]): { buf: Buffer; offsets: number[] } {
  const offsets: number[] = [];
  const parts: Buffer[] = [];
  let at = 0;
  for (const n of names) {
    const b = Buffer.from(`${n}\0`, 'utf8');
    offsets.push(at);
    parts.push(b);
    at += b.length;
  }
  return { buf: Buffer.concat(parts), offsets };
}

test('packageAt agrees with packageOf on every kind of name, in order and shuffled', () => {
  const { buf, offsets } = nulTerminated(NAMES);
  for (const order of [NAMES.map((_, i) => i), NAMES.map((_, i) => NAMES.length - 1 - i)]) {
    const totals = new PackageTotals();
    for (const i of order) {
      const id = totals.packageAt(buf, offsets[i] as number);
      assert.equal(totals.names[id], packageOf(NAMES[i] as string), `name ${JSON.stringify(NAMES[i])}`);
    }
  }
});

test('packageAt: the same prefix in another buffer, and a prefix of a longer package', () => {
  const totals = new PackageTotals();
  const a = nulTerminated(['net/http.Get', 'net/http.Post']);
  const b = nulTerminated(['net/http.Head', 'net/httpx.Get', 'net/http/pprof.Index']);
  const ids = [
    totals.packageAt(a.buf, 0),
    totals.packageAt(a.buf, a.offsets[1] as number),
    totals.packageAt(b.buf, 0),
    totals.packageAt(b.buf, b.offsets[1] as number),
    totals.packageAt(b.buf, b.offsets[2] as number),
  ];
  assert.deepEqual(
    ids.map((id) => totals.names[id]),
    ['net/http', 'net/http', 'net/http', 'net/httpx', 'net/http/pprof'],
  );
});

test('packageAt flags the names cgo evidence needs', () => {
  const names = ['runtime/cgo.init', '_cgo_0123456789ab_Cfunc_x', 'main._Cfunc_f', 'runtime.main', 'go:cgo'];
  const { buf, offsets } = nulTerminated(names);
  const totals = new PackageTotals();
  const flagged = names.filter((_, i) => {
    totals.packageAt(buf, offsets[i] as number);
    return totals.cgoCandidate;
  });
  assert.deepEqual(flagged, ['runtime/cgo.init', '_cgo_0123456789ab_Cfunc_x', 'main._Cfunc_f', 'go:cgo']);
  totals.packageAt(buf, offsets[2] as number);
  assert.equal(totals.nameString(buf, offsets[2] as number), 'main._Cfunc_f');
});
