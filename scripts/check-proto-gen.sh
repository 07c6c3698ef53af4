#!/usr/bin/env bash
# Fails when chain/src/gen/ is not exactly what proto/ generates (ARCHITECTURE.md D9: generated code
# is committed and never edited by hand). Regenerates into a temp dir with the pinned buf (.bin/, `make
# buf`) and ts-proto (node_modules) and diffs. Offline: the schemas have no BSR dependencies.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUF="${BUF:-.bin/buf}"
[[ -x "$BUF" ]] || { echo "check-proto-gen: $BUF not found: run \`make buf\`" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$BUF" lint proto
"$BUF" generate proto --template proto/buf.gen.yaml -o "$tmp"
if ! diff -ru chain/src/gen "$tmp/chain/src/gen" >"$tmp/diff.txt"; then
  echo "check-proto-gen: chain/src/gen/ is out of date with proto/ (or was edited by hand):" >&2
  head -n 60 "$tmp/diff.txt" >&2
  echo "run \`make proto\` and commit chain/src/gen/ together with the .proto change." >&2
  exit 1
fi
echo "check-proto-gen: ok (chain/src/gen matches proto/)"
