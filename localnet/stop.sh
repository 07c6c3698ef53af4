#!/usr/bin/env bash
# Stop the localnet started by localnet/start.sh: SIGTERM to every soad (which stops its CometBFT,
# then closes the app), SIGKILL after STOP_TIMEOUT seconds, then any CometBFT left behind.
#
# Environment: LOCALNET_DIR (default <repo>/.localnet), STOP_TIMEOUT (default 20 s).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCALNET_DIR="${LOCALNET_DIR:-$ROOT/.localnet}"
STOP_TIMEOUT="${STOP_TIMEOUT:-20}"

# shellcheck source=localnet/lib.sh
source "$ROOT/localnet/lib.sh"

if [[ ! -d "$LOCALNET_DIR" ]]; then
  echo "localnet: nothing to stop ($LOCALNET_DIR does not exist)"
  exit 0
fi

homes=()
i=0
while [[ -d "$LOCALNET_DIR/node$i" ]]; do
  homes+=("$LOCALNET_DIR/node$i")
  i=$((i + 1))
done

soad_pids=()
for home in "${homes[@]}"; do
  if pid="$(live_pid "$home/soad.pid" 'main\.js|soad')"; then
    echo "localnet: stopping $(basename "$home") (soad pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    soad_pids+=("$pid")
  fi
done

deadline=$((SECONDS + STOP_TIMEOUT))
for pid in "${soad_pids[@]+"${soad_pids[@]}"}"; do
  while kill -0 "$pid" 2>/dev/null && [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" != Z* ]]; do
    if ((SECONDS >= deadline)); then
      echo "localnet: soad pid $pid did not stop within ${STOP_TIMEOUT}s: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
done

# CometBFT normally stops with its soad (SIGTERM from soad, or lost ABCI connections after a SIGKILL).
# Give it a moment, then make sure nothing keeps the ports or the databases.
for home in "${homes[@]}"; do
  for _ in $(seq 1 25); do
    live_pid "$home/cometbft.pid" 'cometbft' >/dev/null || break
    sleep 0.2
  done
  if pid="$(live_pid "$home/cometbft.pid" 'cometbft')"; then
    echo "localnet: cometbft pid $pid of $(basename "$home") is still running: SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
done

if ((${#soad_pids[@]} == 0)); then
  echo "localnet: no running nodes found in $LOCALNET_DIR"
else
  echo "localnet: stopped ${#soad_pids[@]} node(s)"
fi
