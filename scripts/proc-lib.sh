# Sourced by the start/stop scripts: process checks by recorded PID (never by name alone).

# pid_alive PID: true when PID is a live process (a zombie has already exited).
pid_alive() {
  local pid=$1 state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  # The state is the field after the ")" that ends the command name in /proc/PID/stat.
  state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# pid_is NAME PID: true when PID is a live process whose command name is NAME.
pid_is() {
  [ "$(cat "/proc/$2/comm" 2>/dev/null)" = "$1" ] && pid_alive "$2"
}

# pidfile_is NAME FILE: true when FILE names a live NAME process.
pidfile_is() {
  [ -f "$2" ] && pid_is "$1" "$(cat "$2" 2>/dev/null)"
}

# stop_pid NAME PID WAIT: TERM, wait up to WAIT seconds, then KILL. Only if PID is still NAME.
stop_pid() {
  local name=$1 pid=$2 wait=${3:-30}
  pid_is "$name" "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 $((wait * 5))); do
    pid_is "$name" "$pid" || return 0
    sleep 0.2
  done
  printf '%s pid %s ignored TERM for %ss: sending KILL\n' "$name" "$pid" "$wait" >&2
  kill -KILL "$pid" 2>/dev/null || true
}
