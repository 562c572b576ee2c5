#!/usr/bin/env bash
# Starts the built server (dist/) on an embedded database in a temporary directory, waits for
# /healthz to answer 200, stops it with SIGTERM and checks it exited 0 and left no lock behind.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
port=${SMOKE_PORT:-3999}
trap 'rm -rf "$tmp"' EXIT
PORT=$port HOST=127.0.0.1 DATA_DIR="$tmp/data" node dist/src/main.js 2>"$tmp/log" &
pid=$!
for _ in $(seq 1 120); do
  if body=$(curl -fsS -m 5 "http://127.0.0.1:$port/healthz" 2>/dev/null); then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$tmp/log"; echo "smoke: the server exited"; exit 1; fi
  sleep 1
done
echo "smoke: /healthz answered $body"
kill -TERM "$pid"
wait "$pid" || { cat "$tmp/log"; echo "smoke: exit code $?"; exit 1; }
if [ -e "$tmp/data.lock" ] || [ -e "$tmp/data/postmaster.pid" ]; then
  cat "$tmp/log"; echo "smoke: a lock was left behind"; exit 1
fi
echo "smoke: built server started, answered and stopped cleanly"
