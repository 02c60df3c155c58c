#!/usr/bin/env node
// Longer fuzzing of the layer reader, whiteouts and merge than the unit test runs.
// Usage: npx tsc -p . && node scripts/fuzz-image.mjs [runs=5000] [seed]
import { runFuzz } from '../dist/test/unit/image/fuzz-props.js';

const runs = Number(process.argv[2] ?? 5000);
const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
const started = Date.now();
const r = await runFuzz(runs, seed);
console.log(
  `fuzz-image: seed ${seed}: ${r.runs} cases, ${r.accepted} analysed, ${r.refused} refused (InputError), ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
