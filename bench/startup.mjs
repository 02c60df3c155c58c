#!/usr/bin/env node
// Start-up cost of the goimg CLI next to a bare `node -e 0`, measured interleaved in one run:
// `node -e 0`, `goimg --version`, `goimg binary --help`, `goimg audit examples/seed-article`, and
// the same audit from the unbundled tsc output (what bin/goimg.js ran before the bundle).
// Prints the medians of wall time and of CPU time (user + sys of the child, from wait4's rusage)
// and each command's ratio to the anchor (target for audit: under 2x).
// Usage: node bench/startup.mjs [runs]   (default 20; needs python3 for wait4's microsecond rusage)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 20);
const root = fileURLToPath(new URL('..', import.meta.url));

// Measure the package as published (run `npm run build` first): `npm pack`, unpacked into a
// temporary directory with the checkout's node_modules beside it. In the shared checkout,
// bin/goimg.js may run either build (whichever is newer); the package always runs the bundle.
const tmp = mkdtempSync(join(tmpdir(), 'goimg-startup-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp, '--json'], {
  cwd: root,
  encoding: 'utf8',
});
if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
const tarball = join(tmp, JSON.parse(pack.stdout)[0].filename);
const untar = spawnSync('tar', ['-xzf', tarball, '-C', tmp], { encoding: 'utf8' });
if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
const pkg = join(tmp, 'package');
symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
const bin = join(pkg, 'bin', 'goimg.js');
// The "before" figure: the CLI as it ran before the bundle, from the tsc output (the old bin).
const tscBin = join(pkg, 'tsc-output-cli.mjs');
writeFileSync(
  tscBin,
  "import { main } from './dist/src/cli/main.js';\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n",
);
const seed = join(root, 'examples', 'seed-article');

const commands = [
  { name: 'node -e 0 (anchor)', args: ['-e', '0'] },
  { name: 'goimg --version', args: [bin, '--version'] },
  { name: 'goimg binary --help', args: [bin, 'binary', '--help'] },
  { name: 'goimg audit examples/seed-article', args: [bin, 'audit', seed, '--fail-on', 'never'] },
  { name: '  same, unbundled tsc output', args: [tscBin, 'audit', seed, '--fail-on', 'never'] },
];

// One child per measurement, started and reaped by python3 so wait4 reports the child's own
// rusage with microsecond resolution (Node's child_process does not expose it).
const launcher = `
import json, os, sys, time
t0 = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], dict(os.environ, NO_COLOR='1'),
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall * 1e3, "cpu": (ru.ru_utime + ru.ru_stime) * 1e3, "status": os.waitstatus_to_exitcode(status)}))
`;

function measure(args) {
  const r = spawnSync('python3', ['-c', launcher, process.execPath, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 launcher failed: ${r.stderr || r.error}`);
  const m = JSON.parse(r.stdout);
  if (m.status !== 0) throw new Error(`node ${args.join(' ')} exited ${m.status}`);
  return m;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

for (const c of commands) measure(c.args); // warm the page cache
const samples = commands.map(() => ({ wall: [], cpu: [] }));
for (let i = 0; i < runs; i++) {
  commands.forEach((c, k) => {
    const m = measure(c.args);
    samples[k].wall.push(m.wall);
    samples[k].cpu.push(m.cpu);
  });
}

const anchor = { wall: median(samples[0].wall), cpu: median(samples[0].cpu) };
console.log(
  `node ${process.version}, ${runs} interleaved runs each, medians; goimg from its npm pack tarball`,
);
console.log('command                               wall ms   ratio    CPU ms   ratio');
commands.forEach((c, k) => {
  const wall = median(samples[k].wall);
  const cpu = median(samples[k].cpu);
  console.log(
    `${c.name.padEnd(36)} ${wall.toFixed(1).padStart(8)} ${`${(wall / anchor.wall).toFixed(2)}x`.padStart(7)} ${cpu.toFixed(1).padStart(9)} ${`${(cpu / anchor.cpu).toFixed(2)}x`.padStart(7)}`,
  );
});
