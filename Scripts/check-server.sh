#!/usr/bin/env bash
# Builds Examples/Server, starts it on a free port with the committed small classifier and all-MiniLM-L6-v2,
# and checks /health, /classify and /embed, then that each bad request gets its 4xx and the server still serves.
#   usage: Scripts/check-server.sh [debug|release]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
configuration=${1:-debug}
swift build -c "$configuration" --package-path "$root/Examples/Server" >/dev/null
server="$root/Examples/Server/.build/$configuration/TextTransferServer"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tmp=$(mktemp -d)
"$server" --classifier "$root/Tests/TextTransferTests/Fixtures/export/classifiers/mean_softmax" --model "$root/Models/all-MiniLM-L6-v2" \
  --port "$port" --threads 2 > "$tmp/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$url/health" >/dev/null 2>&1 && break; sleep 0.1; done
failures=0
expect() {  # expect STATUS NAME CURL-ARGS…: the status and, for errors, an "error" message
  local status=$1 name=$2; shift 2
  local got
  got=$(curl -s -o "$tmp/body" -w '%{http_code}' "$@")
  if [ "$got" != "$status" ]; then echo "FAIL $name: HTTP $got, expected $status: $(head -c 300 "$tmp/body")"; failures=$((failures + 1)); return; fi
  if [ "$status" -ge 400 ] && ! grep -q '"error"' "$tmp/body"; then echo "FAIL $name: no error message"; failures=$((failures + 1)); return; fi
  echo "ok   $name: HTTP $got $(head -c 120 "$tmp/body")"
}
expect 200 health "$url/health"
expect 200 classify "$url/classify" -d '{"texts": ["a gorgeous, witty film", "a dull mess"]}'
expect 200 embed "$url/embed" -d '{"text": "A man is eating food."}'
python3 - "$tmp/body" <<'PY'
import json, math, sys
body = json.load(open(sys.argv[1]))
v = body["embeddings"][0]
assert body["dimension"] == 384 == len(v) and abs(math.sqrt(sum(x * x for x in v)) - 1) < 1e-4, body["dimension"]
PY
expect 400 "malformed JSON" "$url/classify" -d '{"texts": ["unclosed"'
expect 422 "missing field" "$url/classify" -d '{"sentences": ["a"]}'
expect 422 "empty list" "$url/embed" -d '{"texts": []}'
expect 422 "not a string" "$url/embed" -d '{"texts": ["a", 3]}'
printf '{"text": "caf\xe9"}' > "$tmp/latin1.json"
expect 400 "invalid UTF-8" "$url/embed" --data-binary "@$tmp/latin1.json"
python3 -c 'import json; print(json.dumps({"texts": ["x" * 1000] * 10000}))' > "$tmp/big.json"
expect 413 "10 MB body" "$url/embed" --data-binary "@$tmp/big.json"
expect 404 "unknown route" "$url/translate" -d '{"text": "a"}'
expect 200 "still serving" "$url/classify" -d '{"text": "still here"}'
[ "$failures" = 0 ] || { echo "server log:"; cat "$tmp/server.log"; exit 1; }
echo "server checks passed"
