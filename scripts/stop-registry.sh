#!/usr/bin/env bash
# Stops the loopback registry by the PID start-registry.sh recorded (never by name).
# Its storage in /tmp/goimg-registry stays.
set -euo pipefail

# shellcheck source=scripts/env-paths.sh
. "$(dirname "$0")/env-paths.sh"
PIDFILE=$REGISTRY_PIDFILE

log() { printf '[stop-registry] %s\n' "$*" >&2; }
# shellcheck source=scripts/proc-lib.sh
. "$(dirname "$0")/proc-lib.sh"

if ! pidfile_is docker-registry "$PIDFILE"; then
  log "registry not running"; rm -f "$PIDFILE"; exit 0
fi
pid=$(cat "$PIDFILE")
log "stopping docker-registry pid $pid"
stop_pid docker-registry "$pid" 10
rm -f "$PIDFILE"
log "stopped"
