#!/usr/bin/env bash
# Determinism lint (ARCHITECTURE.md D7): consensus code must not read the wall clock, use randomness
# or parse floats. Fails on `Date.now(`, `Math.random(`, `new Date()` and `parseFloat(` in chain/src,
# except in the node-local parts (cli/, node/, logger/, metrics/) and in tests.
# Comments are ignored; a line that really needs one of them (e.g. a timing metric that never reaches
# state) can be marked with a `determinism-ok: <reason>` comment.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PATTERN='Date\.now\(|Math\.random\(|new Date\(\)|parseFloat\('

[[ -d chain/src ]] || { echo "check-determinism: chain/src not found" >&2; exit 2; }

hits="$(
  grep -rnE --include='*.ts' --include='*.mts' --include='*.js' "$PATTERN" chain/src |
    grep -vE '^chain/src/(cli|node|logger|metrics)/' |
    grep -vE '^[^:]*\.(test|spec|bench)\.[mc]?[jt]s:' |
    grep -v 'determinism-ok' |
    awk -v pat="$PATTERN" '{
      code = $0
      sub(/^[^:]*:[0-9]+:/, "", code)           # drop "file:line:"
      if (code ~ /^[[:space:]]*(\*|\/\*)/) next  # doc comment lines
      sub(/\/\/.*$/, "", code)                  # trailing // comments
      if (code ~ pat) print $0
    }' || true
)"

if [[ -n "$hits" ]]; then
  echo "check-determinism: non-deterministic calls in consensus code (ARCHITECTURE.md D7):" >&2
  echo "$hits" >&2
  echo "use the block time/height from the request, bigint or Dec arithmetic; or move the code to node/, cli/, logger/ or metrics/." >&2
  exit 1
fi
echo "check-determinism: ok (no Date.now(, Math.random(, new Date(), parseFloat( in chain/src consensus code)"
