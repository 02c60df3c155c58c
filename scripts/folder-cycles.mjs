#!/usr/bin/env node
// Import cycles between the folders under src/ (strongly connected components of the folder
// graph), from dependency-cruiser's JSON output. Prints each cycle with one example import per
// edge; exits 1 when there is one.
// Usage: npx depcruise src --config .dependency-cruiser.cjs --output-type json | node scripts/folder-cycles.mjs
import { readFileSync } from 'node:fs';

const result = JSON.parse(readFileSync(0, 'utf8'));
const folder = (path) => (path.startsWith('src/') && path.split('/').length > 2 ? path.split('/')[1] : null);
const edges = new Map();
const example = new Map();
for (const m of result.modules) {
  const a = folder(m.source);
  if (!a) continue;
  for (const d of m.dependencies) {
    const b = folder(d.resolved);
    if (!b || a === b) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a).add(b);
    if (!example.has(`${a}>${b}`)) example.set(`${a}>${b}`, `${m.source} -> ${d.resolved}`);
  }
}

// Tarjan's algorithm, iterative-free for clarity (the graph has a few dozen nodes).
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
function visit(v) {
  index.set(v, counter);
  low.set(v, counter);
  counter++;
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    components.push(component.sort());
  }
}
const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]);
for (const n of [...nodes].sort()) if (!index.has(n)) visit(n);

const cycles = components.filter((c) => c.length > 1).sort((a, b) => b.length - a.length);
for (const c of cycles) {
  console.log(`${c.length} folders: ${c.join(', ')}`);
  const inside = new Set(c);
  for (const a of c)
    for (const b of [...(edges.get(a) ?? [])].sort())
      if (inside.has(b)) console.log(`  ${a} -> ${b}  (${example.get(`${a}>${b}`)})`);
}
console.log(`largest folder cycle: ${cycles[0]?.length ?? 0} folders`);
process.exit(cycles.length > 0 ? 1 : 0);
