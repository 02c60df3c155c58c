#!/usr/bin/env bash
# The one entry point for goimg's real test environment (run as root):
#   1. system packages (install-packages.sh)   2. the private Docker engine (start-engine.sh)
#   3. stand-in base images (build-standins.sh) 4. the loopback registry (start-registry.sh)
# Idempotent: whatever is already installed, running or built is left as it is, so a second
# run takes seconds. With GOIMG_ENV_STARTED_FILE=PATH it appends the services THIS run started
# ("engine", "registry") to PATH, so a caller can later stop only those
# (scripts/teardown-env.sh --started-file PATH).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/env-paths.sh
. "$HERE/env-paths.sh"
export GOIMG_ENV_NAME GOIMG_STANDIN_CACHE=$STANDIN_CACHE
STARTED_FILE=${GOIMG_ENV_STARTED_FILE:-}

say() { printf '[setup-env] %s\n' "$*"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || { say "must run as root"; exit 3; }
T0=$(now)

t=$(now)
bash "$HERE/install-packages.sh"
say "packages: ready ($(secs "$t" "$(now)") s)"

t=$(now)
engine=$(bash "$HERE/start-engine.sh")
say "engine unix://$ENGINE_SOCK: $engine ($(secs "$t" "$(now)") s)"
if [ "$engine" = started ] && [ -n "$STARTED_FILE" ]; then echo engine >> "$STARTED_FILE"; fi

t=$(now)
images=$(DOCKER_HOST=unix://$ENGINE_SOCK bash "$HERE/build-standins.sh")
built=$(grep -c '^built ' <<<"$images" || true)
say "stand-in images: $built built, $(grep -c '^present ' <<<"$images" || true) present ($(secs "$t" "$(now)") s)"
[ "$built" = 0 ] || grep '^built ' <<<"$images" | sed 's/^/[setup-env]   /'

t=$(now)
registry=$(bash "$HERE/start-registry.sh")
say "registry http://$REGISTRY_ADDR: $registry ($(secs "$t" "$(now)") s)"
if [ "$registry" = started ] && [ -n "$STARTED_FILE" ]; then echo registry >> "$STARTED_FILE"; fi

say "done in $(secs "$T0" "$(now)") s"
