#!/usr/bin/env bash
# Installs the system packages goimg's tests need (Go toolchains, Docker engine, registry,
# image tools, browser). Idempotent: packages already present are not fetched again.
# Never hard-codes an archive host: it reuses the URI the machine's own apt sources name.
set -euo pipefail

log() { printf '[install-packages] %s\n' "$*" >&2; }

if [ "$(id -u)" != 0 ]; then
  log "must run as root (apt-get)"; exit 3
fi

archive_uri() {
  local f=/etc/apt/sources.list.d/debian.sources
  if [ -f "$f" ]; then
    awk '/^URIs:/{print $2; exit}' "$f"
  else
    awk '/^deb /{print $2; exit}' /etc/apt/sources.list
  fi
}

URI=$(archive_uri)
[ -n "$URI" ] || { log "cannot find the Debian archive URI in the apt sources"; exit 3; }

# pre-commit: the hook manager, to test the hooks in .pre-commit-hooks.yaml.
# neovim: a real LSP client for the language server tests; govulncheck: the independent
# vulnerability client the vulnerability checks are compared with; podman: a second engine API
# (its own export layout) for goimg image docker-daemon:.
# tinyproxy-bin: the proxy executable alone (no service), for the registry client's proxy tests.
WANTED=(golang-1.23-go golang-1.21-go golang-1.19-go gcc libc6-dev musl musl-tools upx-ucl
  busybox-static zstd docker.io docker-registry skopeo umoci debootstrap chromium file
  binutils git ca-certificates tzdata hyperfine tinyproxy-bin pre-commit neovim govulncheck podman)

missing=()
for p in "${WANTED[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
NEED_GO115=0
[ -x /usr/lib/go-1.15/bin/go ] || NEED_GO115=1

if [ ${#missing[@]} -eq 0 ] && [ $NEED_GO115 = 0 ]; then
  log "all packages present"; exit 0
fi

echo "deb $URI bookworm-backports main" > /etc/apt/sources.list.d/goimg-backports.list
# Go 1.15 (pre-1.18 build info and pclntab formats) only exists in bullseye.
echo "deb $URI bullseye main" > /etc/apt/sources.list.d/goimg-bullseye.list
cat > /etc/apt/preferences.d/goimg-bullseye <<PREF
Package: *
Pin: release n=bullseye
Pin-Priority: 100
PREF

# Other sources on the machine (vendor repos) may be unreachable: do not let them fail us.
apt-get update -o Acquire::Retries=2 2>&1 | grep -v '^Hit' >&2 || true

export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  # upx-ucl 4.x lives in backports; the rest come from bookworm.
  apt-get install -y --no-install-recommends -t bookworm-backports upx-ucl >&2 || apt-get install -y upx-ucl >&2
  apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

if [ $NEED_GO115 = 1 ]; then
  if apt-get install -y --no-install-recommends -t bullseye golang-1.15-go >&2; then
    log "Go 1.15 installed from bullseye"
  else
    log "Go 1.15 NOT available: bullseye's archive did not answer; pre-1.18 fixtures will be skipped"
  fi
fi
log "done"
