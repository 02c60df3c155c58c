#!/usr/bin/env bash
# Builds local stand-ins for the base images goimg's tests use, tagged with the real names, in
# goimg's private engine (nothing can be pulled here). Built once per machine: every tag that
# already exists is skipped. One debootstrap root filesystem (cached under /var/cache/goimg)
# feeds the Debian-based images. Each stand-in keeps what matters to goimg about the real image
# (loader, libc, shell or no shell, CA bundle, zoneinfo, passwd/group, USER, ENV);
# CONTRIBUTING.md ("Stand-in base images") lists what each one lacks.
# Prints one line per tag on stdout: "built TAG" or "present TAG".
set -euo pipefail

# shellcheck source=scripts/env-paths.sh
. "$(dirname "$0")/env-paths.sh"
export DOCKER_HOST=${DOCKER_HOST:-unix://$ENGINE_SOCK}
DOCKER=/usr/bin/docker
CACHE=$STANDIN_CACHE
MINBASE=$CACHE/rootfs-bookworm-minbase
GCCFS=$CACHE/rootfs-bookworm-gcc
NODEFS=$CACHE/rootfs-bookworm-node
STAGE_ROOT=$CACHE/stage
STD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf '[build-standins] %s\n' "$*" >&2; }
die() { log "$*"; exit 3; }

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot)"
$DOCKER version --format '{{.Server.Version}}' >/dev/null 2>&1 || die "engine not answering on $DOCKER_HOST: run scripts/start-engine.sh"

mkdir -p "$CACHE"
# One builder at a time per machine (two setup runs at once must not race on the rootfs).
exec 9>"$CACHE/.lock"
flock 9

has_tag() { $DOCKER image inspect "$1" >/dev/null 2>&1; }
# The recipe version an image was built from (label goimg.standin); empty for none.
recipe_of() { $DOCKER image inspect -f '{{index .Config.Labels "goimg.standin"}}' "$1" 2>/dev/null || true; }
# Set by build_tag for the image being built; import_dir and the arm64 build label with it.
CUR_RECIPE=''


# timed NAME CMD...: runs CMD, logs its wall time.
timed() {
  local name=$1 t0 t1; shift
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  log "$(awk -v a="$t0" -v b="$t1" -v n="$name" 'BEGIN { printf "%s: %.1f s", n, b - a }')"
}

archive_uri() {
  local f=/etc/apt/sources.list.d/debian.sources
  if [ -f "$f" ]; then awk '/^URIs:/{print $2; exit}' "$f"; else awk '/^deb /{print $2; exit}' /etc/apt/sources.list; fi
}

# import_dir DIR TAG [CHANGES...]: imports DIR as a single-layer image, extra args are -c changes.
import_dir() {
  local dir=$1 tag=$2; shift 2
  local changes=(-c "LABEL goimg.standin=$CUR_RECIPE")
  for c in "$@"; do changes+=(-c "$c"); done
  tar --numeric-owner -C "$dir" -c . | $DOCKER import "${changes[@]}" - "$tag" >/dev/null
}

# ---------- the Debian root filesystems (cached) ----------
ensure_minbase() {
  [ -f "$MINBASE/.goimg-complete" ] && return 0
  local uri; uri=$(archive_uri); [ -n "$uri" ] || die "no archive URI in the apt sources"
  rm -rf "$MINBASE"
  log "debootstrap --variant=minbase bookworm from $uri"
  debootstrap --variant=minbase bookworm "$MINBASE" "$uri" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
  touch "$MINBASE/.goimg-complete"
}

# What the real golang images (buildpack-deps:bookworm-scm + the golang layer) carry that goimg
# can meet: cgo's C toolchain, and git (go build stamps VCS data when .git is in the context).
GOLANG_DEB_PACKAGES="gcc g++ libc6-dev make pkg-config git ca-certificates netbase"

# ensure_aptfs DIR PACKAGES LOG: the minbase rootfs plus PACKAGES from the archive, cached in DIR
# (rebuilt when the package list changes).
ensure_aptfs() {
  local dir=$1 packages=$2 logf=$CACHE/$3.log
  [ "$(cat "$dir/.goimg-complete" 2>/dev/null)" = "$packages" ] && return 0
  ensure_minbase
  rm -rf "$dir"
  cp -a "$MINBASE" "$dir"
  rm -f "$dir/.goimg-complete"
  log "installing $packages in the chroot"
  chroot "$dir" sh -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends $packages" \
    >"$logf" 2>&1 || { tail -n 20 "$logf" >&2; die "apt-get in the chroot failed (log: $logf)"; }
  echo "$packages" > "$dir/.goimg-complete"
}

ensure_gccfs() { ensure_aptfs "$GCCFS" "$GOLANG_DEB_PACKAGES" gcc; }

# new_stage NAME: an empty staging directory (removed by the caller when imported).
new_stage() {
  local d=$STAGE_ROOT/$1
  rm -rf "$d"; mkdir -p "$d"; echo "$d"
}

# clean_debian DIR: what the real Debian images do not ship (apt lists, caches, host files).
clean_debian() {
  local d=$1
  rm -rf "$d"/var/lib/apt/lists/* "$d"/var/cache/apt/*.bin "$d"/var/cache/apt/archives/*.deb \
    "$d"/var/log/* "$d/.goimg-complete" "$d"/tmp/* "$d"/root/.bash_history
  : > "$d/etc/resolv.conf"
  echo localhost > "$d/etc/hostname"
}

# ---------- debian:bookworm-slim ----------
build_debian_slim() {
  ensure_minbase
  local s; s=$(new_stage debian)
  cp -al "$MINBASE/." "$s/"
  rm -rf "$s/.goimg-complete"
  # Hard links share inodes with the cache: replace the files we change instead of writing into them.
  rm -f "$s/etc/resolv.conf" "$s/etc/hostname"
  clean_debian "$s"
  import_dir "$s" debian:bookworm-slim "ENV PATH=$STD_PATH" 'CMD ["bash"]'
  rm -rf "$s"
}

# ---------- golang:1.NN ----------
build_golang() {
  local v=$1 tag=golang:$1 goroot=/usr/lib/go-$1
  [ -x "$goroot/bin/go" ] || die "$goroot/bin/go missing: run scripts/install-packages.sh"
  ensure_gccfs
  local s full; s=$(new_stage "golang-$v")
  cp -al "$GCCFS/." "$s/"
  rm -f "$s/etc/resolv.conf" "$s/etc/hostname"
  clean_debian "$s"
  # The Debian Go tree is full of symlinks into /usr/share: copy their targets (cp -aL).
  mkdir -p "$s/usr/local"
  cp -aL "$goroot" "$s/usr/local/go"
  mkdir -p "$s/go/src" "$s/go/bin"
  chmod -R 1777 "$s/go"
  full=$(sed -n '1s/^go//p' "$goroot/VERSION")
  import_dir "$s" "$tag" \
    "ENV PATH=/go/bin:/usr/local/go/bin:$STD_PATH" \
    "ENV GOLANG_VERSION=$full" \
    'ENV GOTOOLCHAIN=local' \
    'ENV GOPATH=/go' \
    'WORKDIR /go' \
    'CMD ["bash"]'
  rm -rf "$s"
}

# ---------- node:NN-bookworm-slim ----------
# Debian's Node.js and npm (bookworm ships one Node major, older than the tag's): enough for an
# asset stage's `npm ci` and `npm run build`. ca-certificates: npm reaches its registry over TLS.
NODE_DEB_PACKAGES="nodejs npm ca-certificates"

build_node() {
  local tag=$1 s
  ensure_aptfs "$NODEFS" "$NODE_DEB_PACKAGES" node
  s=$(new_stage node)
  cp -al "$NODEFS/." "$s/"
  rm -f "$s/etc/resolv.conf" "$s/etc/hostname"
  clean_debian "$s"
  import_dir "$s" "$tag" "ENV PATH=$STD_PATH" \
    "ENV NODE_VERSION=$(chroot "$NODEFS" node -p 'process.versions.node')" 'CMD ["node"]'
  rm -rf "$s"
}

# ---------- alpine ----------
build_alpine() {
  local tag=$1 s; s=$(new_stage alpine)
  mkdir -p "$s"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib,etc/ssl/certs,root,home,tmp,var/tmp,dev,proc,sys,run,mnt,opt,srv,media}
  chmod 1777 "$s/tmp" "$s/var/tmp"; chmod 700 "$s/root"
  # musl: the loader IS libc. Alpine ships the real file at /lib/ld-musl-x86_64.so.1.
  cp -L /lib/ld-musl-x86_64.so.1 "$s/lib/ld-musl-x86_64.so.1"
  ln -s ld-musl-x86_64.so.1 "$s/lib/libc.musl-x86_64.so.1"
  cp /bin/busybox "$s/bin/busybox"
  local a
  while read -r a; do
    [ "$a" = bin/busybox ] && continue
    [ -e "$s/$a" ] || ln -s /bin/busybox "$s/$a"
  done < <(/bin/busybox --list-full)
  [ -e "$s/bin/sh" ] || ln -s /bin/busybox "$s/bin/sh"
  # Alpine's base image carries ca-certificates-bundle but not tzdata.
  cp -L /etc/ssl/certs/ca-certificates.crt "$s/etc/ssl/certs/ca-certificates.crt"
  ln -s certs/ca-certificates.crt "$s/etc/ssl/cert.pem"
  cat > "$s/etc/os-release" <<'OS'
NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.20.3
PRETTY_NAME="Alpine Linux v3.20"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
OS
  echo 3.20.3 > "$s/etc/alpine-release"
  cat > "$s/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
PW
  cat > "$s/etc/group" <<'GR'
root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
nogroup:x:65533:
nobody:x:65534:
GR
  echo 'hosts: files dns' > "$s/etc/nsswitch.conf"
  printf '/bin/sh\n' > "$s/etc/shells"
  import_dir "$s" "$tag" "ENV PATH=$STD_PATH" 'CMD ["/bin/sh"]'
  rm -rf "$s"
}

# ---------- distroless ----------
# fill_distroless_static DIR: the file list of gcr.io/distroless/static-debian12 that matters.
fill_distroless_static() {
  local s=$1
  mkdir -p "$s"/{bin,sbin,usr/bin,usr/sbin,usr/share,etc/ssl/certs,root,home/nonroot,tmp,var/lib/dpkg/status.d,dev,proc,sys}
  chmod 1777 "$s/tmp"; chmod 700 "$s/root" "$s/home/nonroot"
  chown 65532:65532 "$s/home/nonroot"
  cat > "$s/etc/passwd" <<'PW'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PW
  cat > "$s/etc/group" <<'GR'
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
GR
  cat > "$s/etc/os-release" <<'OS'
PRETTY_NAME="Distroless"
NAME="Debian GNU/Linux"
ID="debian"
VERSION_ID="12"
VERSION="Debian GNU/Linux 12 (bookworm)"
HOME_URL="https://github.com/GoogleContainerTools/distroless"
SUPPORT_URL="https://github.com/GoogleContainerTools/distroless/blob/master/README.md"
BUG_REPORT_URL="https://github.com/GoogleContainerTools/distroless/issues/new"
OS
  cp -L /etc/ssl/certs/ca-certificates.crt "$s/etc/ssl/certs/ca-certificates.crt"
  cp -a /usr/share/zoneinfo "$s/usr/share/zoneinfo"
  printf 'Package: base-files\nVersion: 12.4+deb12u7\nArchitecture: all\n' > "$s/var/lib/dpkg/status.d/base"
  printf 'Package: netbase\nVersion: 6.4\nArchitecture: all\n' > "$s/var/lib/dpkg/status.d/netbase"
  printf 'Package: tzdata\nVersion: %s\nArchitecture: all\n' "$(dpkg-query -W -f='${Version}' tzdata)" > "$s/var/lib/dpkg/status.d/tzdata"
  printf 'Package: ca-certificates\nVersion: %s\nArchitecture: all\n' "$(dpkg-query -W -f='${Version}' ca-certificates)" > "$s/var/lib/dpkg/status.d/ca-certificates"
  cp /etc/services "$s/etc/services" 2>/dev/null || true
  cp /etc/protocols "$s/etc/protocols" 2>/dev/null || true
  echo 'hosts: files dns' > "$s/etc/nsswitch.conf"
}

# add_glibc DIR: libc6's files from the debootstrap rootfs (loader, libc, libm, nss...), in
# Debian 12's unmerged layout (/lib/x86_64-linux-gnu, /lib64/ld-linux-x86-64.so.2) as in distroless.
add_glibc() {
  local s=$1 list
  ensure_minbase
  list=$MINBASE/var/lib/dpkg/info/libc6:amd64.list
  [ -f "$list" ] || die "no libc6 file list in $MINBASE"
  # Files and symlinks only (no directories, which are symlinks in the merged-usr source).
  local files=()
  while read -r f; do
    case $f in /usr/share/doc/*|/usr/share/lintian/*) continue ;; esac
    [ -d "$MINBASE$f" ] && continue
    { [ -e "$MINBASE$f" ] || [ -L "$MINBASE$f" ]; } && files+=("${f#/}")
  done < "$list"
  tar -C "$MINBASE" -c --no-recursion "${files[@]}" | tar -C "$s" -x
  printf 'Package: libc6\nVersion: %s\nArchitecture: amd64\n' \
    "$(dpkg-query --admindir="$MINBASE/var/lib/dpkg" -W -f='${Version}' libc6)" \
    > "$s/var/lib/dpkg/status.d/libc6"
}

DISTROLESS_ENV=("ENV PATH=$STD_PATH" 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt')

build_distroless() {
  local tag=$1 kind=$2 user=$3 platform=${4:-}
  local s; s=$(new_stage "distroless-$kind-$user")
  fill_distroless_static "$s"
  if [ "$kind" = base ]; then add_glibc "$s"; fi
  local workdir=/; [ "$user" = 65532 ] && workdir=/home/nonroot
  local changes=("${DISTROLESS_ENV[@]}" "USER $user" "WORKDIR $workdir")
  if [ -n "$platform" ]; then
    # `docker import --platform` leaves the architecture at amd64 on engine 20.10, but a
    # BuildKit FROM scratch build with --platform records it. ADD of a local tar keeps the
    # owners recorded in it (COPY would make everything root's).
    local ctx; ctx=$(new_stage "ctx-$kind-$user")
    tar --numeric-owner -C "$s" -cf "$ctx/rootfs.tar" .
    {
      echo 'FROM scratch'
      echo 'ADD rootfs.tar /'
      echo "LABEL goimg.standin=$CUR_RECIPE"
      for c in "${changes[@]}"; do echo "$c"; done
    } > "$ctx/Dockerfile"
    DOCKER_BUILDKIT=1 $DOCKER build -q --platform "$platform" -t "$tag" "$ctx" >/dev/null
    rm -rf "$ctx"
  else
    import_dir "$s" "$tag" "${changes[@]}"
  fi
  rm -rf "$s"
}

# ---------- the list ----------
# build_tag TAG RECIPE FUNCTION ARGS...: builds TAG unless it exists from this RECIPE version.
# Bump a RECIPE when its function changes: machines then rebuild that image once. The tag moves
# to the new image atomically (users of the tag never see it missing); the old one is removed.
BUILT=0
build_tag() {
  local tag=$1 recipe=$2 old; shift 2
  if [ "$(recipe_of "$tag")" = "$recipe" ]; then echo "present $tag"; return 0; fi
  old=$($DOCKER image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
  CUR_RECIPE=$recipe
  timed "$tag" "$@"
  [ "$(recipe_of "$tag")" = "$recipe" ] || die "$tag was not created"
  if [ -n "$old" ]; then $DOCKER rmi "$old" >/dev/null 2>&1 || true; fi
  BUILT=$((BUILT + 1))
  echo "built $tag"
}
# alias_tag TAG SOURCE: a second name for an image (alpine:latest is alpine:3.20).
alias_tag() {
  local want; want=$($DOCKER image inspect -f '{{.Id}}' "$2")
  if [ "$($DOCKER image inspect -f '{{.Id}}' "$1" 2>/dev/null || true)" = "$want" ]; then echo "present $1"; return 0; fi
  local old; old=$($DOCKER image inspect -f '{{.Id}}' "$1" 2>/dev/null || true)
  $DOCKER tag "$2" "$1"
  if [ -n "$old" ]; then $DOCKER rmi "$old" >/dev/null 2>&1 || true; fi
  echo "built $1"
}

T0=$(date +%s)
build_tag debian:bookworm-slim 1 build_debian_slim
build_tag golang:1.21 2 build_golang 1.21
build_tag golang:1.23 2 build_golang 1.23
build_tag alpine:3.20 1 build_alpine alpine:3.20
# The Node major goimg init chooses without an engines field (NODE_LTS_MAJOR in src/generate/asset-stage.ts).
build_tag node:24-bookworm-slim 1 build_node node:24-bookworm-slim
alias_tag alpine:latest alpine:3.20
# The golang stand-ins are bookworm, as the real tags of these releases were.
alias_tag golang:1.21-bookworm golang:1.21
alias_tag golang:1.23-bookworm golang:1.23
build_tag gcr.io/distroless/static-debian12:latest 1 build_distroless gcr.io/distroless/static-debian12:latest static 0
build_tag gcr.io/distroless/static-debian12:nonroot 1 build_distroless gcr.io/distroless/static-debian12:nonroot static 65532
build_tag gcr.io/distroless/static-debian12:arm64 1 build_distroless gcr.io/distroless/static-debian12:arm64 static 0 linux/arm64
build_tag gcr.io/distroless/static-debian12:nonroot-arm64 1 build_distroless gcr.io/distroless/static-debian12:nonroot-arm64 static 65532 linux/arm64
build_tag gcr.io/distroless/base-debian12:latest 1 build_distroless gcr.io/distroless/base-debian12:latest base 0
build_tag gcr.io/distroless/base-debian12:nonroot 1 build_distroless gcr.io/distroless/base-debian12:nonroot base 65532
rm -rf "$STAGE_ROOT"
log "$BUILT image(s) built in $(( $(date +%s) - T0 )) s"
