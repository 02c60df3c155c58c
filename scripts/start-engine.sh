#!/usr/bin/env bash
# Starts goimg's private Docker engine (Debian's dockerd 20.10) on its own socket, in the
# background, beside any other engine on the machine. Idempotent: if our engine already answers,
# it does nothing. Clears the stale socket and pidfile a killed engine leaves behind; the data
# root (with the stand-in images) is reused.
# Prints "started" or "running" on stdout; everything else goes to stderr.
set -euo pipefail

# shellcheck source=scripts/env-paths.sh
. "$(dirname "$0")/env-paths.sh"
SOCK=$ENGINE_SOCK
DATA_ROOT=$ENGINE_DATA_ROOT
EXEC_ROOT=$ENGINE_EXEC_ROOT
PIDFILE=$ENGINE_PIDFILE
LOG=$ENGINE_LOG
WAIT_SECONDS=${GOIMG_ENGINE_WAIT_SECONDS:-60}

log() { printf '[start-engine] %s\n' "$*" >&2; }

answers() {
  DOCKER_HOST="unix://$SOCK" timeout 10 /usr/bin/docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# shellcheck source=scripts/proc-lib.sh
. "$(dirname "$0")/proc-lib.sh"

if [ "$(id -u)" != 0 ]; then log "must run as root"; exit 3; fi
command -v dockerd >/dev/null || { log "dockerd missing: run scripts/install-packages.sh"; exit 3; }

# Two setups at once must not start two engines on one socket.
exec 8>"$SOCK.lock"
flock 8

if [ -S "$SOCK" ] && answers; then
  echo running; exit 0
fi

if pidfile_is dockerd "$PIDFILE"; then
  # Started but not answering yet (another caller is starting it): just wait below.
  log "engine pid $(cat "$PIDFILE") is starting; waiting"
else
  # Leftovers of an engine that was killed: dockerd refuses to start over its own pidfile.
  rm -f "$SOCK" "$PIDFILE"
  mkdir -p "$DATA_ROOT" "$EXEC_ROOT"
  log "starting dockerd (log: $LOG)"
  setsid nohup dockerd \
    --host="unix://$SOCK" \
    --data-root="$DATA_ROOT" \
    --exec-root="$EXEC_ROOT" \
    --pidfile="$PIDFILE" \
    --storage-driver=overlay2 \
    --iptables=false --bridge=none \
    >>"$LOG" 2>&1 </dev/null 8>&- &
  STARTED_PID=$!
fi

for _ in $(seq 1 "$WAIT_SECONDS"); do
  if [ -S "$SOCK" ] && answers; then
    log "engine answers on unix://$SOCK (pid $(cat "$PIDFILE" 2>/dev/null || echo ?))"
    echo started; exit 0
  fi
  if [ -n "${STARTED_PID:-}" ] && ! pid_alive "$STARTED_PID"; then
    log "dockerd exited; last lines of $LOG:"; tail -n 20 "$LOG" >&2; exit 3
  fi
  sleep 1
done
log "engine did not answer within ${WAIT_SECONDS}s; see $LOG"; exit 3
