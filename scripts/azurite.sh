#!/usr/bin/env bash
# Start or stop a local Azurite (blob 10000, queue 10001, table 10002) from the pinned npm package.
#   scripts/azurite.sh start   # installs if needed, starts in memory, waits for the ports
#   scripts/azurite.sh stop
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pidfile="$root/.azurite/azurite.pid"
mkdir -p "$root/.azurite"

wait_port() { # host port seconds
  for _ in $(seq 1 "$3"0); do (echo >"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.1; done
  echo "azurite: port $2 did not open" >&2; return 1
}

case "${1:-start}" in
  start)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then echo "azurite already running (pid $(cat "$pidfile"))"; exit 0; fi
    [ -x "$root/node_modules/.bin/azurite" ] || (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
    "$root/node_modules/.bin/azurite" --inMemoryPersistence --skipApiVersionCheck --silent \
      --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
      >"$root/.azurite/azurite.log" 2>&1 &
    echo $! >"$pidfile"
    wait_port 127.0.0.1 10000 30 && wait_port 127.0.0.1 10001 30 && wait_port 127.0.0.1 10002 30
    echo "azurite started (pid $(cat "$pidfile"))"
    ;;
  stop)
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; sleep 0.5; kill -9 "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
