#!/usr/bin/env bash
# Start a localnet of NODES validators on this machine (README.md in this folder).
#
#   localnet/start.sh                 foreground: follows the logs, Ctrl-C stops every node
#   localnet/start.sh --background    detached: returns once node 0 is at height >= 2
#
# Environment:
#   NODES=1          validators (1..50)
#   RESET=1          delete .localnet/ first (chain state, keys, logs) and create a new network
#   LOCALNET_DIR     where the homes live (default <repo>/.localnet)
#   CHAIN_ID         chain id of a new network (default soa-localnet-1)
#   BASE_PORT        p2p port of node 0 of a new network (default 26656; node i: +100 i)
#   WAIT_TIMEOUT     seconds to wait for height 2 (default 60)
#
# Builds nothing: `make localnet` / `make localnet-up` build first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODES="${NODES:-1}"
RESET="${RESET:-0}"
LOCALNET_DIR="${LOCALNET_DIR:-$ROOT/.localnet}"
CHAIN_ID="${CHAIN_ID:-soa-localnet-1}"
BASE_PORT="${BASE_PORT:-26656}"
WAIT_TIMEOUT="${WAIT_TIMEOUT:-60}"
SOAD_MAIN="$ROOT/chain/dist/cli/main.js"

die() {
  echo "localnet: error: $*" >&2
  exit 1
}

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

MODE=foreground
for arg in "$@"; do
  case "$arg" in
    --background | -d) MODE=background ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $arg" ;;
  esac
done

[[ "$NODES" =~ ^[0-9]+$ ]] && ((NODES >= 1 && NODES <= 50)) || die "NODES must be an integer 1..50, got '$NODES'"
[[ -f "$SOAD_MAIN" ]] || die "soad is not built ($SOAD_MAIN missing): run 'make build', or use 'make localnet'"
command -v node >/dev/null || die "node is not on PATH"
command -v curl >/dev/null || die "curl is not on PATH"

soad() { node "$SOAD_MAIN" "$@"; }

# shellcheck source=localnet/lib.sh
source "$ROOT/localnet/lib.sh"

node_homes() {
  local i=0
  while [[ -d "$LOCALNET_DIR/node$i" ]]; do
    echo "$LOCALNET_DIR/node$i"
    i=$((i + 1))
  done
}

running_nodes() {
  local home pid
  for home in $(node_homes); do
    if pid="$(live_pid "$home/soad.pid" 'main\.js|soad')"; then echo "$(basename "$home") (pid $pid)"; fi
  done
}

# --- the network ----------------------------------------------------------------------------------
if [[ -d "$LOCALNET_DIR" ]]; then
  running="$(running_nodes)"
  [[ -z "$running" ]] || die "a localnet is already running in $LOCALNET_DIR: $(echo "$running" | tr '\n' ' '); stop it with 'make localnet-down' (localnet/stop.sh)"
fi
if [[ "$RESET" == "1" && -d "$LOCALNET_DIR" ]]; then
  echo "localnet: RESET=1: deleting $LOCALNET_DIR"
  rm -rf "$LOCALNET_DIR"
fi
if [[ ! -f "$LOCALNET_DIR/testnet.json" ]]; then
  if [[ -d "$LOCALNET_DIR" ]] && [[ -n "$(ls -A "$LOCALNET_DIR")" ]]; then
    die "$LOCALNET_DIR exists but holds no testnet.json (an interrupted setup?); rerun with RESET=1"
  fi
  echo "localnet: creating a $NODES-validator network in $LOCALNET_DIR"
  soad testnet --nodes "$NODES" --output "$LOCALNET_DIR" --chain-id "$CHAIN_ID" --base-port "$BASE_PORT"
else
  existing="$(node_homes | wc -l)"
  if ((existing != NODES)); then
    die "$LOCALNET_DIR holds a $existing-node network but NODES=$NODES; rerun with RESET=1 to recreate it (this deletes its chain state)"
  fi
  echo "localnet: reusing the $existing-node network in $LOCALNET_DIR (RESET=1 starts a new chain)"
fi

json_field() { # json_field <file> <js expression on j>
  node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(eval(process.argv[2]))' "$1" "$2"
}
RPC_URL="$(json_field "$LOCALNET_DIR/testnet.json" 'j.nodes[0].rpcUrl')"
NET_CHAIN_ID="$(json_field "$LOCALNET_DIR/testnet.json" 'j.chainId')"

# --- start ----------------------------------------------------------------------------------------
PIDS=()
HOMES=()
for home in $(node_homes); do
  # setsid: own session, so a terminal's Ctrl-C reaches only this script, which stops the nodes in
  # order; soad itself stops its CometBFT child.
  setsid node "$SOAD_MAIN" start --home "$home" >>"$home/soad.log" 2>&1 </dev/null &
  PIDS+=("$!")
  HOMES+=("$home")
  echo "localnet: started $(basename "$home") (soad pid $!, log $home/soad.log)"
done

stop_all() {
  "$ROOT/localnet/stop.sh" >&2 || true
}

height_of() { # latest height reported by node 0, or empty
  curl -sf --max-time 2 "$RPC_URL/status" 2>/dev/null | grep -o '"latest_block_height":"[0-9]*"' | grep -o '[0-9][0-9]*' || true
}

wait_for_height() {
  local want="$1" deadline=$((SECONDS + WAIT_TIMEOUT)) h i
  while :; do
    h="$(height_of)"
    if [[ -n "$h" ]] && ((h >= want)); then return 0; fi
    for i in "${!PIDS[@]}"; do
      if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
        echo "localnet: error: $(basename "${HOMES[$i]}") exited during startup; last log lines of ${HOMES[$i]}/soad.log:" >&2
        tail -n 40 "${HOMES[$i]}/soad.log" >&2
        return 1
      fi
    done
    if ((SECONDS >= deadline)); then
      echo "localnet: error: node0 did not reach height $want within ${WAIT_TIMEOUT}s ($RPC_URL/status: ${h:-no answer}); last log lines of ${HOMES[0]}/soad.log:" >&2
      tail -n 40 "${HOMES[0]}/soad.log" >&2
      return 1
    fi
    sleep 0.3
  done
}

ready_banner() {
  cat <<EOF
localnet: ready: $NET_CHAIN_ID, ${#PIDS[@]} validator(s), height >= 2
  RPC of node 0   $RPC_URL   (all ports: localnet/README.md)
  dev account     soa1d9333yl27khn0vneyda3xpgzr0p8d5tfyg0sm2 (DEV_MNEMONIC, localnet/README.md)
  stop            make localnet-down   (localnet/stop.sh)
EOF
}

if [[ "$MODE" == background ]]; then
  if ! wait_for_height 2; then
    stop_all
    exit 1
  fi
  ready_banner
  exit 0
fi

# Foreground: follow the logs; Ctrl-C (or SIGTERM) stops everything; a node that dies stops the rest.
TAIL_PID=""
on_signal() {
  trap - INT TERM
  echo "localnet: stopping" >&2
  [[ -z "$TAIL_PID" ]] || kill "$TAIL_PID" 2>/dev/null || true
  stop_all
  exit 0
}
trap on_signal INT TERM

LOGS=()
for home in "${HOMES[@]}"; do LOGS+=("$home/soad.log"); done
tail -n 0 -F "${LOGS[@]}" &
TAIL_PID=$!

if ! wait_for_height 2; then
  kill "$TAIL_PID" 2>/dev/null || true
  stop_all
  exit 1
fi
ready_banner

status=0
wait -n "${PIDS[@]}" || status=$?
trap - INT TERM
echo "localnet: a node exited (status $status); stopping the others" >&2
kill "$TAIL_PID" 2>/dev/null || true
stop_all
exit 1
