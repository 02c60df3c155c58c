/**
 * What goimg knows about packages and modules it cannot read: one data module, so the
 * lists are reviewed (and extended) in one place. Matching is by path prefix on a `/` boundary.
 */

/**
 * Modules (or packages) that cannot build without cgo: they wrap a C library with `import "C"`
 * and have no pure-Go fallback. Requiring one of them (go.mod or an import) means cgo is required.
 */
export const CGO_ONLY_MODULES: readonly { path: string; why: string }[] = [
  { path: 'github.com/mattn/go-sqlite3', why: 'wraps the SQLite C library' },
  { path: 'github.com/rqlite/go-sqlite3', why: 'wraps the SQLite C library' },
  {
    path: 'gorm.io/driver/sqlite',
    why: 'uses github.com/mattn/go-sqlite3, which wraps the SQLite C library',
  },
  { path: 'github.com/mattn/go-oci8', why: 'wraps Oracle OCI' },
  { path: 'github.com/godror/godror', why: 'wraps Oracle ODPI-C' },
  { path: 'github.com/ibmdb/go_ibm_db', why: 'wraps the IBM DB2 CLI driver' },
  { path: 'github.com/confluentinc/confluent-kafka-go', why: 'wraps librdkafka' },
  { path: 'github.com/DataDog/zstd', why: 'wraps the zstd C library' },
  { path: 'github.com/valyala/gozstd', why: 'wraps the zstd C library' },
  { path: 'github.com/tecbot/gorocksdb', why: 'wraps RocksDB' },
  { path: 'github.com/linxGnu/grocksdb', why: 'wraps RocksDB' },
  { path: 'github.com/libgit2/git2go', why: 'wraps libgit2' },
  { path: 'github.com/h2non/bimg', why: 'wraps libvips' },
  { path: 'github.com/davidbyttow/govips', why: 'wraps libvips' },
  { path: 'gopkg.in/gographics/imagick.v3', why: 'wraps ImageMagick' },
  { path: 'gopkg.in/gographics/imagick.v2', why: 'wraps ImageMagick' },
  { path: 'github.com/google/gopacket/pcap', why: 'wraps libpcap' },
  { path: 'github.com/seccomp/libseccomp-golang', why: 'wraps libseccomp' },
  { path: 'github.com/miekg/pkcs11', why: 'loads PKCS#11 modules with dlopen' },
  { path: 'github.com/msteinert/pam', why: 'wraps libpam' },
  { path: 'github.com/ceph/go-ceph', why: 'wraps librados' },
  { path: 'crawshaw.io/sqlite', why: 'bundles SQLite as C' },
  { path: 'github.com/bvinc/go-sqlite-lite', why: 'bundles SQLite as C' },
  { path: 'github.com/go-gl/glfw', why: 'wraps GLFW' },
  { path: 'github.com/veandco/go-sdl2', why: 'wraps SDL2' },
];

/**
 * Standard-library packages that import `net` (directly or through another package): with
 * cgo enabled they link the libc DNS resolver, so the binary becomes dynamically linked.
 */
export const NET_USING_STD: readonly string[] = [
  'net',
  'net/http',
  'net/http/httptest',
  'net/http/httputil',
  'net/http/pprof',
  'net/http/cgi',
  'net/http/fcgi',
  'net/http/cookiejar',
  'net/rpc',
  'net/rpc/jsonrpc',
  'net/smtp',
  'net/textproto',
  'net/mail',
  'crypto/tls',
  'crypto/x509',
  'log/syslog',
  'expvar',
];

/** os/user links libc's getpwnam and friends when cgo is enabled. */
export const USER_USING_STD: readonly string[] = ['os/user'];

/**
 * Third-party modules whose whole purpose is calling HTTPS APIs: importing one means the
 * program needs a CA bundle even when no https:// literal is in the project's own code.
 */
export const TLS_CLIENT_MODULES: readonly string[] = [
  'github.com/aws/aws-sdk-go',
  'github.com/aws/aws-sdk-go-v2',
  'cloud.google.com/go',
  'google.golang.org/api',
  'firebase.google.com/go',
  'github.com/Azure/azure-sdk-for-go',
  'golang.org/x/oauth2',
  'github.com/google/go-github',
  'github.com/stripe/stripe-go',
  'github.com/slack-go/slack',
  'github.com/sendgrid/sendgrid-go',
  'github.com/twilio/twilio-go',
  'github.com/getsentry/sentry-go',
  'github.com/minio/minio-go',
  'github.com/go-resty/resty',
  // Chat bot clients: their APIs are reached over https and wss only.
  'github.com/bwmarrin/discordgo',
  'github.com/go-telegram-bot-api/telegram-bot-api',
  'github.com/go-telegram/bot',
  'gopkg.in/telebot.v3',
  'gopkg.in/telebot.v4',
  'gopkg.in/tucnak/telebot.v2',
  'github.com/mymmrac/telego',
];

/**
 * What makes a program run as root by design: an engine or BuildKit client talks to a socket
 * owned by root; packet capture needs raw sockets. (FUSE, TUN and firewall libraries are left out:
 * programs often carry them for an optional feature, a `mount` command.)
 */
const ROOT_MODULES: { path: string; why: string }[] = [
  { path: 'github.com/docker/docker/client', why: "talks to the engine's socket" },
  { path: 'github.com/moby/moby/client', why: "talks to the engine's socket" },
  { path: 'github.com/fsouza/go-dockerclient', why: "talks to the engine's socket" },
  { path: 'github.com/moby/buildkit/client', why: "talks to buildkitd's socket" },
  { path: 'github.com/google/gopacket/pcap', why: 'captures packets on raw sockets' },
  { path: 'github.com/google/gopacket/afpacket', why: 'captures packets on raw sockets' },
  { path: 'github.com/gopacket/gopacket/pcap', why: 'captures packets on raw sockets' },
  { path: 'github.com/gopacket/gopacket/afpacket', why: 'captures packets on raw sockets' },
];

/** Embedded databases: a program that links one keeps its data in files it writes at run time. */
const FILE_STORES = [
  'github.com/mattn/go-sqlite3',
  'modernc.org/sqlite',
  'github.com/glebarez/sqlite',
  'github.com/glebarez/go-sqlite',
  'gorm.io/driver/sqlite',
  'github.com/jinzhu/gorm/dialects/sqlite',
  'github.com/ncruces/go-sqlite3',
  'zombiezen.com/go/sqlite',
  'crawshaw.io/sqlite',
  'go.etcd.io/bbolt',
  'github.com/boltdb/bolt',
  'github.com/dgraph-io/badger',
  'github.com/syndtr/goleveldb',
  'github.com/cockroachdb/pebble',
  'github.com/tidwall/buntdb',
  'github.com/asdine/storm',
  'github.com/nutsdb/nutsdb',
];

export function isFileStore(importPath: string): boolean {
  return FILE_STORES.some((m) => underPrefix(importPath, m));
}

export function findRootModule(importPath: string): { path: string; why: string } | undefined {
  return ROOT_MODULES.find((m) => underPrefix(importPath, m.path));
}

/** True when `importPath` is `prefix` or a package inside it. */
export function underPrefix(importPath: string, prefix: string): boolean {
  return importPath === prefix || importPath.startsWith(`${prefix}/`);
}

export function findCgoOnly(importPath: string): { path: string; why: string } | undefined {
  return CGO_ONLY_MODULES.find((m) => underPrefix(importPath, m.path));
}

export function isTlsClientModule(importPath: string): boolean {
  return TLS_CLIENT_MODULES.some((m) => underPrefix(importPath, m));
}

/** Packages that run the go command to do their work: go/packages loads code through `go list`. */
export function runsGoTool(importPath: string): boolean {
  return importPath === 'golang.org/x/tools/go/packages';
}

/**
 * Packages that put a CA bundle inside the binary and make crypto/x509 use it when the system
 * has none (golang.org/x/crypto/x509roots/fallback, github.com/breml/rootcerts).
 */
export function embedsCaRoots(importPath: string): boolean {
  return (
    importPath === 'golang.org/x/crypto/x509roots/fallback' ||
    underPrefix(importPath, 'github.com/breml/rootcerts')
  );
}
