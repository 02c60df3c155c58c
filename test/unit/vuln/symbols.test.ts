/** Function-table names as the vulnerability database (and govulncheck) names symbols. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageSymbols, splitFunctionName } from '../../../src/vuln/symbols.js';

test('functions, methods on value and pointer receivers, generics, closures', () => {
  assert.deepEqual(splitFunctionName('net/http.ListenAndServe'), ['net/http', 'ListenAndServe']);
  assert.deepEqual(splitFunctionName('net/netip.Addr.IsPrivate'), ['net/netip', 'Addr.IsPrivate']);
  assert.deepEqual(splitFunctionName('net/http.(*Server).Serve'), ['net/http', 'Server.Serve']);
  assert.deepEqual(splitFunctionName('example.com/m/list.(*List[...]).Push'), [
    'example.com/m/list',
    'List.Push',
  ]);
  assert.deepEqual(splitFunctionName('example.com/m/list.Map[go.shape.int]'), ['example.com/m/list', 'Map']);
  assert.deepEqual(splitFunctionName('gopkg.in/yaml%2ev3.Unmarshal'), ['gopkg.in/yaml.v3', 'Unmarshal']);
  assert.deepEqual(splitFunctionName('main.main.func1'), ['main', 'main.func1']);
  // govulncheck trims "(*)" from both ends of the receiver, closures of methods included.
  assert.deepEqual(splitFunctionName('runtime.(*mheap).alloc.func1'), ['runtime', 'mheap).alloc.func1']);
  assert.equal(splitFunctionName('type:.eq.[2]interface {}'), null);
  assert.equal(splitFunctionName('go:buildid'), null);
});

test('packageSymbols groups by package', () => {
  const m = packageSymbols(['net/http.(*Server).Serve', 'net/http.Serve', 'fmt.Println', 'go:buildid']);
  assert.deepEqual([...m.keys()].sort(), ['fmt', 'net/http']);
  assert.deepEqual([...(m.get('net/http') ?? [])].sort(), ['Serve', 'Server.Serve']);
});
