#!/usr/bin/env bash
# Stops the services of goimg's test environment, each by the PID it recorded (never by name).
#   teardown-env.sh                        stops the engine and the registry
#   teardown-env.sh --started-file PATH    stops only the services listed in PATH (written by
#                                          setup-env.sh via GOIMG_ENV_STARTED_FILE), then removes PATH
# Images, the engine's data root and the rootfs cache stay, so the next setup is fast.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
services=(registry engine)
if [ "${1:-}" = --started-file ]; then
  file=${2:?--started-file needs a path}
  services=()
  if [ -f "$file" ]; then
    grep -qx registry "$file" && services+=(registry)
    grep -qx engine "$file" && services+=(engine)
    rm -f "$file"
  fi
fi

for s in "${services[@]}"; do
  case $s in
    registry) bash "$HERE/stop-registry.sh" ;;
    engine) bash "$HERE/stop-engine.sh" ;;
  esac
done
printf '[teardown-env] stopped: %s\n' "${services[*]:-nothing}"
