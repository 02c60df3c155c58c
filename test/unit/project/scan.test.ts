import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { InputError } from '../../../src/core/errors.js';
import { scanProject } from '../../../src/project/index.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { scratchTree } from '../../helpers/scratch-tree.js';

const FIX = join(REPO_ROOT, 'test/fixtures/projects');

test('static-http: a server-only net/http program needs no CA bundle; port and embed found', async () => {
  const m = await scanProject(join(FIX, 'static-http'));
  assert.equal(m.goMod?.module, 'example.com/statichttp');
  assert.deepEqual(m.mainPackages, ['.']);
  assert.equal(m.cgoRequired, false);
  assert.deepEqual(
    m.cgoEvidence.map((e) => [e.kind, e.via, e.file, e.line]),
    [['net', 'net/http', 'main.go', 7]],
  );
  assert.equal(m.usesTls, false, 'the https:// in a comment and the test-only http.Get must not count');
  assert.deepEqual(m.ports, [8080]);
  assert.deepEqual(m.portEvidence?.[0], {
    kind: 'listen',
    detail: 'http.ListenAndServe',
    file: 'main.go',
    line: 16,
    port: 8080,
  });
  assert.deepEqual(m.packages[0]!.embeds, ['static']);
  assert.deepEqual(m.embedPaths, ['static']);
  assert.deepEqual(m.packages[0]!.files, ['main.go']);
  assert.deepEqual(m.packages[0]!.testFiles, ['main_test.go']);
  assert.equal(m.loadsTimeZones, false);
});

test('a network client library links net: cgo evidence (the DNS resolver), not a cgo requirement', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/bot\n\nrequire gopkg.in/telebot.v3 v3.3.8\n');
  put(
    'main.go',
    'package main\n\nimport "gopkg.in/telebot.v3"\n\nfunc main() { _, _ = telebot.NewBot(telebot.Settings{}) }\n',
  );
  const m = await scanProject(dir);
  assert.equal(m.cgoRequired, false);
  assert.deepEqual(
    m.cgoEvidence.map((e) => [e.kind, e.via, e.line]),
    [['net', 'gopkg.in/telebot.v3', 3]],
  );
});

test('cgo-import-c: import "C" makes cgo required, with file and line', async () => {
  const m = await scanProject(join(FIX, 'cgo-import-c'));
  assert.equal(m.cgoRequired, true);
  assert.deepEqual(m.cgoEvidence, [
    { kind: 'import-c', package: 'example.com/cgoprog', file: 'main.go', line: 7, via: 'C' },
  ]);
});

test('net-user: net and os/user are cgo evidence but do not require cgo', async () => {
  const m = await scanProject(join(FIX, 'net-user'));
  assert.equal(m.cgoRequired, false);
  assert.deepEqual(
    m.cgoEvidence.map((e) => [e.kind, e.via, e.line]),
    [
      ['net', 'net', 5],
      ['os-user', 'os/user', 6],
    ],
  );
  assert.equal(m.goMod?.go, '1.23');
});

test('tls-client: an aliased net/http client call and an https:// constant need a CA bundle', async () => {
  const m = await scanProject(join(FIX, 'tls-client'));
  assert.equal(m.usesTls, true);
  assert.deepEqual(
    m.tlsEvidence?.map((e) => [e.kind, e.detail, e.line]),
    [
      ['https-url', 'https://api.example.com/v1/status', 10],
      ['http-client', 'web.Get', 13],
    ],
  );
  assert.equal(m.goMod?.toolchain, 'go1.23.1');
  assert.deepEqual(m.ports, []);
});

test('a chat bot client library reaches its API over https: the program needs a CA bundle', async (t: TestContext) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/bot\n\ngo 1.23\n\nrequire github.com/bwmarrin/discordgo v0.28.1\n');
  put(
    'main.go',
    'package main\n\nimport (\n\t"os"\n\n\t"github.com/bwmarrin/discordgo"\n)\n\nfunc main() {\n\ts, _ := discordgo.New("Bot " + os.Getenv("TOKEN"))\n\t_ = s.Open()\n}\n',
  );
  const m = await scanProject(dir);
  assert.equal(m.usesTls, true);
  assert.deepEqual(
    m.tlsEvidence?.map((e) => [e.kind, e.detail, e.file, e.line]),
    [['tls-client-module', 'github.com/bwmarrin/discordgo', 'main.go', 6]],
  );
});

test('tz-loader: time.LoadLocation without time/tzdata needs zoneinfo', async () => {
  const m = await scanProject(join(FIX, 'tz-loader'));
  assert.equal(m.loadsTimeZones, true);
  assert.equal(m.embedsTzdata, false);
  assert.deepEqual(m.timeZoneEvidence, [
    { kind: 'time.LoadLocation', detail: 'time.LoadLocation', file: 'main.go', line: 9 },
  ]);
});

test('local-replace: the replace target is normalised, scanned as part of the build, PORT default read', async () => {
  const m = await scanProject(join(FIX, 'local-replace'));
  assert.deepEqual(m.localReplaceDirs, ['lib']);
  assert.deepEqual(m.mainPackages, ['cmd/app']);
  assert.deepEqual(m.ports, [9090]);
  const lib = m.packages.find((p) => p.dir === 'lib');
  assert.equal(lib?.importPath, 'example.com/lib');
  assert.equal(lib?.module, 'example.com/lib');
  assert.ok(m.cgoEvidence.some((e) => e.kind === 'os-user' && e.file === 'lib/lib.go'));
  assert.deepEqual(
    m.modules?.map((x) => x.file),
    ['go.mod', 'lib/go.mod'],
  );
});

test('go-work: workspace modules are the build; a module outside the workspace is ignored', async () => {
  const m = await scanProject(join(FIX, 'go-work'));
  assert.equal(m.goMod, undefined);
  assert.deepEqual(m.goWork?.uses, ['./api', './shared']);
  assert.deepEqual(m.workUseDirs, ['api', 'shared']);
  assert.deepEqual(m.mainPackages, ['api']);
  assert.deepEqual(m.ports, [9000]);
  assert.equal(m.loadsTimeZones, true, 'shared/ loads Asia/Tokyo');
  assert.equal(m.cgoRequired, false, 'tools/ imports "C" but is not in go.work');
  assert.ok(
    m.packages.some((p) => p.dir === 'tools'),
    'still listed as a package',
  );
});

test('vendored: vendor/modules.txt marks the project vendored and vendor/ is not scanned as packages', async () => {
  const m = await scanProject(join(FIX, 'vendored'));
  assert.equal(m.vendored, true);
  assert.deepEqual(
    m.packages.map((p) => p.dir),
    ['.'],
  );
  assert.deepEqual(m.packages[0]!.imports, ['fmt', 'example.com/greet']);
});

test('build constraints and file names: other OSes, ignore tags and _/. files are skipped', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/bc\n\ngo 1.22\n');
  put('main.go', 'package main\n\nfunc main() {}\n');
  put('win_windows.go', 'package main\n\nimport "C"\n');
  put('mac.go', '//go:build darwin\n\npackage main\n\nimport "os/user"\n');
  put('gen.go', '//go:build ignore\n\npackage main\n\nimport "net/http"\n');
  put('old.go', '// +build !linux\n\npackage main\n\nimport "net"\n');
  put('arm_arm64.go', 'package main\n\nimport "time/tzdata"\n');
  put('cgo_on.go', '//go:build cgo && linux\n\npackage main\n\n// #include <stdlib.h>\nimport "C"\n');
  put('_skip.go', 'package main\n\nimport "crypto/tls"\n');
  const m = await scanProject(dir);
  assert.deepEqual(m.packages[0]!.files, ['arm_arm64.go', 'cgo_on.go', 'main.go']);
  assert.equal(m.embedsTzdata, true);
  assert.equal(m.cgoRequired, true, 'a cgo-only file still belongs to the project');
  assert.deepEqual(
    m.cgoEvidence.map((e) => e.file),
    ['cgo_on.go'],
  );
});

test('lexer: imports in comments or strings are not imports; aliases, dot and blank imports are', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/lex\n');
  put(
    'a.go',
    [
      '/* import "os/user" */',
      '// Package lex: import "C" in a comment.',
      'package lex',
      '',
      'import (',
      '\tu "os/user" // alias',
      '\t. "strings"',
      '\t_ `time/tzdata`',
      ')',
      'import "net"; import ( "fmt" )',
      '',
      'var s = `https://not-a-call.example/x`',
      'var t = "import \\"C\\""',
      'func F() { _ = u.Current; _ = net.IPv4len; fmt.Println(ToUpper(s), t) }',
    ].join('\n'),
  );
  const m = await scanProject(dir);
  const p = m.packages[0]!;
  assert.equal(p.name, 'lex');
  assert.deepEqual(p.imports, ['os/user', 'strings', 'time/tzdata', 'net', 'fmt']);
  assert.equal(m.cgoRequired, false);
  assert.equal(m.embedsTzdata, true);
  assert.deepEqual(m.mainPackages, []);
  assert.equal(m.usesTls, true, 'a raw-string https:// URL counts');
  assert.deepEqual(
    m.cgoEvidence.map((e) => [e.kind, e.line]),
    [
      ['os-user', 6],
      ['net', 10],
    ],
  );
});

test('a known cgo-only module in go.mod requires cgo (go.mod line as evidence)', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  cpSync(join(FIX, 'static-http'), dir, { recursive: true });
  put(
    'go.mod',
    'module example.com/statichttp\n\ngo 1.22\n\nrequire (\n\tgithub.com/mattn/go-sqlite3 v1.14.22 // indirect\n)\n',
  );
  const m = await scanProject(dir);
  assert.equal(m.cgoRequired, true);
  assert.deepEqual(m.cgoEvidence[0], {
    kind: 'cgo-module',
    package: 'example.com/statichttp',
    file: 'go.mod',
    line: 6,
    via: 'github.com/mattn/go-sqlite3',
  });
});

test('TLS heuristics: a TLS server needs no CA bundle, a tls.Config client and SystemCertPool do', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/t\n');
  put(
    'main.go',
    'package main\n\nimport (\n\t"crypto/tls"\n\t"net/http"\n)\n\nfunc main() {\n\tcert, _ := tls.LoadX509KeyPair("c.pem", "k.pem")\n\tsrv := &http.Server{Addr: ":8443", TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}}\n\t_ = srv.ListenAndServeTLS("", "")\n}\n',
  );
  let m = await scanProject(dir);
  assert.equal(m.usesTls, false);
  assert.deepEqual(m.ports, [8443]);
  put(
    'client.go',
    'package main\n\nimport "crypto/x509"\n\nfunc pool() { p, _ := x509.SystemCertPool(); _ = p }\n',
  );
  m = await scanProject(dir);
  assert.equal(m.usesTls, true);
  assert.equal(m.tlsEvidence?.[0]?.kind, 'system-cert-pool');
});

test('a tls.Config that skips verification needs no CA bundle; one that verifies does', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/t\n');
  const client = (fields: string) =>
    `package main\n\nimport "crypto/tls"\n\nfunc main() {\n\tc := &tls.Config{${fields}}\n\t_ = c\n}\n`;
  put('main.go', client('MinVersion: tls.VersionTLS12, InsecureSkipVerify: true'));
  assert.equal((await scanProject(dir)).usesTls, false);
  put('main.go', client('MinVersion: tls.VersionTLS12, NextProtos: []string{"h2"}'));
  const m = await scanProject(dir);
  assert.equal(m.usesTls, true);
  assert.deepEqual(
    m.tlsEvidence?.map((e) => [e.kind, e.line]),
    [['tls-config', 6]],
  );
});

test('a tls.Config whose RootCAs is a pool the file makes trusts only that pool; the system pool, or a pool set later, does not count', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/t\n');
  const client = (pool: string, fields: string) =>
    [
      'package main',
      'import ("crypto/tls"; "crypto/x509"; "net/http"; "os")',
      'func client(caFile string) *http.Client {',
      '\tpem, _ := os.ReadFile(caFile)',
      `\tcaPool ${pool}`,
      '\tcaPool.AppendCertsFromPEM(pem)',
      `\tcfg := &tls.Config{${fields}}`,
      '\treturn &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}',
      '}',
      '',
    ].join('\n');
  put('main.go', client(':= x509.NewCertPool()', 'RootCAs: caPool'));
  assert.equal((await scanProject(dir)).usesTls, false);
  put('main.go', client(', _ := x509.SystemCertPool()', 'RootCAs: caPool'));
  assert.equal((await scanProject(dir)).usesTls, true);
  put('main.go', client(':= x509.NewCertPool()', 'MinVersion: tls.VersionTLS12'));
  assert.equal((await scanProject(dir)).usesTls, true);
});

test('a file whose client skips verification: its HTTP client, URLs and client libraries show no CA need', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/t\n\nrequire gopkg.in/telebot.v3 v3.3.8\n');
  const bot = (skip: boolean) =>
    [
      'package main',
      'import ("crypto/tls"; "net/http"; "gopkg.in/telebot.v3")',
      'func main() {',
      `\tc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: ${skip}}}}`,
      '\t_, _ = telebot.NewBot(telebot.Settings{Client: c, URL: "https://api.example.org"})',
      '}',
      '',
    ].join('\n');
  put('main.go', bot(true));
  assert.equal((await scanProject(dir)).usesTls, false);
  put('main.go', bot(false));
  const m = await scanProject(dir);
  assert.equal(m.usesTls, true);
  assert.ok(m.tlsEvidence?.some((e) => e.kind === 'tls-client-module'));
  // The library used from another file still gets the insecure client; another file's own
  // verified client still counts.
  put('main.go', bot(true));
  put(
    'handler.go',
    'package main\nimport "gopkg.in/telebot.v3"\nfunc handle(c telebot.Context) error { return nil }\n',
  );
  assert.equal((await scanProject(dir)).usesTls, false);
  put(
    'fetch.go',
    'package main\nimport "net/http"\nfunc fetch() { _, _ = http.Get("https://example.org") }\n',
  );
  assert.equal((await scanProject(dir)).usesTls, true);
});

test('ports: net.Listen, gin-style Run, flag defaults; reading TZ alone loads no zone', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/p\n');
  put(
    'main.go',
    [
      'package main',
      'import ("flag"; "net"; "os")',
      'var metrics = flag.String("metrics-addr", "0.0.0.0:9102", "metrics")',
      'var grpcPort = flag.Int("grpc-port", 50051, "grpc")',
      'func main() {',
      '\tln, _ := net.Listen("tcp", "[::]:7000")',
      '\t_ = ln',
      '\tr := newRouter()',
      '\tr.Run(":3000")',
      '\t_ = os.Getenv("TZ")',
      '}',
    ].join('\n'),
  );
  const m = await scanProject(dir);
  assert.deepEqual([...m.ports].sort(), [3000, 50051, 7000, 9102]);
  assert.equal(m.loadsTimeZones, false);
});

test('errors a user can meet: missing directory, a file instead of a directory, a broken go.mod', async (t) => {
  await assert.rejects(scanProject(join(FIX, 'no-such-project')), InputError);
  await assert.rejects(scanProject(join(FIX, 'static-http/main.go')), InputError);
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module m\n\nrequire (\n\tx.com/y v1\n');
  await assert.rejects(scanProject(dir), /go\.mod:3: require block/);
});

test('vendored dependencies are read: import "C" without a fallback requires cgo, with !cgo fallback it is optional', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  cpSync(join(FIX, 'vendored'), dir, { recursive: true });
  put(
    'vendor/modules.txt',
    [
      '# example.com/greet v1.0.0',
      '## explicit; go 1.21',
      'example.com/greet',
      '# example.com/csql v0.3.0',
      '## explicit; go 1.21',
      'example.com/csql',
      '# example.com/fast v1.1.0',
      '## explicit',
      'example.com/fast',
      '',
    ].join('\n'),
  );
  put(
    'vendor/example.com/fast/fast_cgo.go',
    '//go:build cgo\n\npackage fast\n\n// #include <string.h>\nimport "C"\n',
  );
  put('vendor/example.com/fast/fast_pure.go', '//go:build !cgo\n\npackage fast\n\nimport "net"\n');
  let m = await scanProject(dir);
  assert.equal(m.cgoRequired, false, 'fast has a pure-Go fallback');
  const fast = m.cgoEvidence.find((e) => e.package === 'example.com/fast' && e.kind === 'import-c');
  assert.deepEqual(fast, {
    kind: 'import-c',
    package: 'example.com/fast',
    file: 'vendor/example.com/fast/fast_cgo.go',
    line: 6,
    via: 'C',
    optional: true,
  });
  assert.ok(m.cgoEvidence.some((e) => e.kind === 'net' && e.file === 'vendor/example.com/fast/fast_pure.go'));
  put('vendor/example.com/csql/csql.go', 'package csql\n\n/*\n#cgo LDFLAGS: -lsqlite3\n*/\nimport "C"\n');
  m = await scanProject(dir);
  assert.equal(m.cgoRequired, true);
  assert.deepEqual(
    m.vendorModules?.map((v) => [v.path, v.version, v.packages]),
    [
      ['example.com/greet', 'v1.0.0', ['example.com/greet']],
      ['example.com/csql', 'v0.3.0', ['example.com/csql']],
      ['example.com/fast', 'v1.1.0', ['example.com/fast']],
    ],
  );
});

test('the real examples: seed-article and orders-service', async () => {
  const seed = await scanProject(join(REPO_ROOT, 'examples/seed-article'));
  assert.deepEqual(seed.mainPackages, ['.']);
  assert.equal(seed.goMod?.go, '1.21');
  assert.equal(seed.hasGoSum, true);
  assert.equal(seed.cgoRequired, false);
  assert.ok(seed.cgoEvidence.some((e) => e.kind === 'net'));
  assert.deepEqual(seed.ports, [8080]);
  assert.equal(seed.usesTls, false);

  const orders = await scanProject(join(REPO_ROOT, 'examples/orders-service'));
  assert.deepEqual(orders.mainPackages, ['cmd/orders']);
  assert.equal(orders.vendored, true);
  assert.deepEqual(orders.localReplaceDirs, ['libs/money']);
  assert.equal(orders.usesTls, true);
  assert.equal(orders.loadsTimeZones, true);
  assert.equal(orders.embedsTzdata, false);
  assert.deepEqual(orders.ports, [8080]);
  assert.deepEqual(orders.embedPaths, ['internal/web/static']);
  assert.equal(orders.cgoRequired, false);
  assert.deepEqual(
    orders.vendorModules?.map((v) => v.path),
    ['example.com/money', 'github.com/goimg-fixtures/retry'],
  );
});

/** The root evidence the scan records for a one-file module whose main.go is `lines`. */
async function rootEvidence(t: TestContext, lines: string[]) {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/r\n');
  put('main.go', lines.join('\n'));
  const m = await scanProject(dir);
  return m.packages[0]!.fileFacts![0]!.root ?? [];
}

test('root needs: root-only syscall and x/sys/unix calls and engine-client imports are recorded per file', async (t) => {
  const root = await rootEvidence(t, [
    'package main',
    'import (',
    '\t"syscall"',
    '\t"golang.org/x/sys/unix"',
    '\tdocker "github.com/docker/docker/client"',
    ')',
    'func main() {',
    '\t_ = syscall.Getuid() // reading the uid needs nothing',
    '\t_ = unix.Chroot("/jail")',
    '\t_ = syscall.Setgid(1000)',
    '\t_, _ = docker.NewClientWithOpts()',
    '}',
  ]);
  assert.deepEqual(
    root.map((e) => [e.kind, e.detail, e.line]),
    [
      ['root-module', "github.com/docker/docker/client (talks to the engine's socket)", 5],
      ['root-call', 'unix.Chroot', 9],
      ['root-call', 'syscall.Setgid', 10],
    ],
  );
});

test('root by design: a BuildKit client and packet capture, not an optional FUSE mount', async (t) => {
  const root = await rootEvidence(t, [
    'package main',
    'import (',
    '\t"bazil.org/fuse"',
    '\t"github.com/google/gopacket/pcap"',
    '\tbk "github.com/moby/buildkit/client"',
    '\t"github.com/google/gopacket/layers"',
    ')',
    'func main() {}',
  ]);
  assert.deepEqual(
    root.map((e) => [e.detail, e.line]),
    [
      ['github.com/google/gopacket/pcap (captures packets on raw sockets)', 4],
      ["github.com/moby/buildkit/client (talks to buildkitd's socket)", 5],
    ],
  );
});

test('root by design: raw IP and packet sockets, not UDP or TCP listeners', async (t) => {
  const root = await rootEvidence(t, [
    'package main',
    'import (',
    '\t"net"',
    '\t"syscall"',
    ')',
    'func main() {',
    '\t_, _ = net.ListenPacket("udp4", ":67")',
    '\t_, _ = net.ListenPacket("ip4:17", "0.0.0.0")',
    '\t_, _ = syscall.Socket(syscall.AF_PACKET, syscall.SOCK_RAW, 0)',
    '\t_, _ = net.Listen("tcp", ":80")',
    '}',
  ]);
  assert.deepEqual(
    root.map((e) => [e.kind, e.detail, e.line]),
    [
      ['raw-socket', 'net.ListenPacket("ip4:17", …)', 8],
      ['root-call', 'syscall.AF_PACKET', 9],
      ['root-call', 'syscall.SOCK_RAW', 9],
    ],
  );
});

test('root by design: a TUN device the program opens itself (a path mentioned elsewhere is not)', async (t) => {
  const root = await rootEvidence(t, [
    'package main',
    'import "os"',
    'const help = "needs access to /dev/net/tun"',
    'func main() {',
    '\t_, _ = os.OpenFile("/dev/net/tun", os.O_RDWR, 0)',
    '}',
  ]);
  assert.deepEqual(
    root.map((e) => [e.kind, e.detail, e.line]),
    [['tun-device', '"/dev/net/tun"', 5]],
  );
});

test('time zones: LoadLocation of "Local", "UTC" or "" reads no zoneinfo; a zone name or a variable does', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/z\n');
  const main = (arg: string) =>
    `package main\n\nimport "time"\n\nfunc main() { _, _ = time.LoadLocation(${arg}) }\n`;
  for (const arg of ['"Local"', '"UTC"', '""']) {
    put('main.go', main(arg));
    assert.equal((await scanProject(dir)).loadsTimeZones, false, arg);
  }
  for (const arg of ['"Europe/Paris"', 'name']) {
    put('main.go', main(arg));
    assert.equal((await scanProject(dir)).loadsTimeZones, true, arg);
  }
});

test('writes into the working directory: a relative path written by name or through a variable a literal fills', async (t) => {
  const { root: dir, put } = scratchTree(t, 'goimg-scan-');
  put('go.mod', 'module example.com/w\n');
  put(
    'main.go',
    [
      'package main',
      'import "os"',
      'func main() {',
      '\tconf := ""',
      '\tif conf == "" {',
      '\t\tconf = "app.json"',
      '\t}',
      '\t_ = os.WriteFile(conf, nil, 0o600)',
      '\t_ = os.MkdirAll("data/cache", 0o755)',
      '\t_, _ = os.Create("/var/log/app.log")',
      '\t_, _ = os.OpenFile("state.db", os.O_RDONLY, 0)',
      '\t_, _ = os.OpenFile("audit.log", os.O_APPEND|os.O_WRONLY, 0o600)',
      '}',
    ].join('\n'),
  );
  const m = await scanProject(dir);
  assert.deepEqual(
    (m.packages[0]!.fileFacts![0]!.writes ?? []).map((e) => [e.detail, e.line]),
    [
      ['os.WriteFile("app.json")', 8],
      ['os.MkdirAll("data/cache")', 9],
      ['os.OpenFile("audit.log")', 12],
    ],
  );
});
