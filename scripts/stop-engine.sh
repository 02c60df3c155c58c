#!/usr/bin/env bash
# Stops goimg's private Docker engine by the PID it recorded in its pidfile (never by name).
# dockerd stops the containerd it supervises on TERM. The data root (stand-in images) stays
# for the next start.
set -euo pipefail

# shellcheck source=scripts/env-paths.sh
. "$(dirname "$0")/env-paths.sh"
SOCK=$ENGINE_SOCK
PIDFILE=$ENGINE_PIDFILE

log() { printf '[stop-engine] %s\n' "$*" >&2; }
# shellcheck source=scripts/proc-lib.sh
. "$(dirname "$0")/proc-lib.sh"

if ! pidfile_is dockerd "$PIDFILE"; then
  log "engine not running"; rm -f "$PIDFILE" "$SOCK"; exit 0
fi
pid=$(cat "$PIDFILE")
log "stopping dockerd pid $pid"
stop_pid dockerd "$pid" "${GOIMG_ENGINE_WAIT_SECONDS:-30}"
rm -f "$PIDFILE" "$SOCK"
log "stopped"
