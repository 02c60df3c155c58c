#!/usr/bin/env bash
# Starts Debian's docker-registry (CNCF distribution 2.8) on 127.0.0.1:5055, storage in
# /tmp/goimg-registry, in the background. Idempotent: if ours already answers, does nothing.
# Prints "started" or "running" on stdout.
set -euo pipefail

# shellcheck source=scripts/env-paths.sh
. "$(dirname "$0")/env-paths.sh"
ADDR=$REGISTRY_ADDR
STORAGE=$REGISTRY_STORAGE
CONFIG=$REGISTRY_CONFIG
PIDFILE=$REGISTRY_PIDFILE
LOG=$REGISTRY_LOG
WAIT_SECONDS=${GOIMG_REGISTRY_WAIT_SECONDS:-30}

log() { printf '[start-registry] %s\n' "$*" >&2; }
# shellcheck source=scripts/proc-lib.sh
. "$(dirname "$0")/proc-lib.sh"

answers() {
  # The distribution API's base endpoint answers 200 with {} when the registry is up.
  timeout 5 bash -c "exec 3<>/dev/tcp/${ADDR%:*}/${ADDR#*:} && printf 'GET /v2/ HTTP/1.0\r\n\r\n' >&3 && head -n1 <&3" 2>/dev/null | grep -q ' 200'
}

command -v docker-registry >/dev/null || { log "docker-registry missing: run scripts/install-packages.sh"; exit 3; }

# Two setups at once must not start two registries.
exec 8>"$PIDFILE.lock"
flock 8

if pidfile_is docker-registry "$PIDFILE" && answers; then
  echo running; exit 0
fi
if answers; then
  log "something else already serves $ADDR (not started by us): not touching it"; exit 3
fi

rm -f "$PIDFILE"
mkdir -p "$STORAGE"
cat > "$CONFIG" <<YML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $STORAGE}
  delete: {enabled: true}
http: {addr: $ADDR}
YML
log "starting docker-registry on $ADDR (log: $LOG)"
setsid nohup docker-registry serve "$CONFIG" >>"$LOG" 2>&1 </dev/null 8>&- &
pid=$!
echo "$pid" > "$PIDFILE"

for _ in $(seq 1 $((WAIT_SECONDS * 5))); do
  if answers; then log "registry answers on http://$ADDR (pid $pid)"; echo started; exit 0; fi
  if ! pid_alive "$pid"; then
    log "docker-registry exited; last lines of $LOG:"; tail -n 20 "$LOG" >&2; rm -f "$PIDFILE"; exit 3
  fi
  sleep 0.2
done
log "registry did not answer within ${WAIT_SECONDS}s; see $LOG"; exit 3
