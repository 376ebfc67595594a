#!/usr/bin/env bash
# Load on Examples/Server's POST /embed with wrk (Debian's) on loopback, one sentence per request, at
# concurrency 1, 8 and 32 for DURATION seconds each, beside `bench embed`'s batched figure on the same texts.
#   usage: Scripts/bench-server.sh [DURATION] [PRECISION]   (default 30 s, fp32; wrk: apt-get install wrk)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-30}
precision=${2:-fp32}
model="$root/Models/all-MiniLM-L6-v2"
tmp=$(mktemp -d)
tail -n +2 "$root/../shared/data/sst2/dev.tsv" | cut -f2 > "$tmp/texts.txt"
(cd "$root" && swift build -c release --product text-transfer >/dev/null)
swift build -c release --package-path "$root/Examples/Server" >/dev/null 2>&1
"$root/.build/release/text-transfer" bench embed --model "$model" --input "$tmp/texts.txt" --threads 2 --runs 5 --precision "$precision" | grep -E "^#|lines"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$root/Examples/Server/.build/release/TextTransferServer" --model "$model" --port "$port" --threads 2 --precision "$precision" > "$tmp/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
for connections in 1 8 32; do
  TEXTS="$tmp/texts.txt" wrk -t1 -c"$connections" -d"${duration}s" --timeout 10s -s "$root/Tools/bench/server_embed.lua" \
    "http://127.0.0.1:$port" > "$tmp/wrk.txt"
  errors=$(grep -oE "Socket errors: .*" "$tmp/wrk.txt" || echo "Socket errors: none")
  rate=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.txt")
  echo "RESULT serve embed precision=$precision connections=$connections sentences_per_s=$rate $(grep LUA "$tmp/wrk.txt" | cut -d' ' -f2-) ($errors)"
done
