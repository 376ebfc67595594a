#!/usr/bin/env bash
# Kills `text-transfer train` with SIGKILL at random moments (checkpoint writes and the final save
# included) over an existing classifier, and checks each time that --output then holds either the old
# classifier or the new one, whole: text_transfer.json and model.safetensors byte-identical to one of the
# two, and the directory loads (`text-transfer info`). Usage: Scripts/check-kill-safety.sh [TRIALS] [SEED]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
trials=${1:-20}
RANDOM=${2:-42}
bin="$root/.build/release/text-transfer"
swift build -c release --package-path "$root" > /dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -n 33 "$root/Examples/sst2/train.tsv" > "$tmp/train.tsv"
head -n 33 "$root/Examples/sst2/dev.tsv" > "$tmp/dev.tsv"
args=(--model "$root/Models/all-MiniLM-L6-v2" --train "$tmp/train.tsv" --dev "$tmp/dev.tsv" --epochs 1 --threads 1 --batch-size 16 --max-length 32)
digest() { cat "$1/text_transfer.json" "$1/model.safetensors" | sha256sum | cut -d' ' -f1; }

"$bin" train "${args[@]}" --seed 1 --output "$tmp/old" > /dev/null 2>&1
start=$(date +%s.%N)
"$bin" train "${args[@]}" --seed 2 --output "$tmp/new" > /dev/null 2>&1
duration=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
old=$(digest "$tmp/old")
new=$(digest "$tmp/new")
echo "a whole run takes ${duration}s; killing at random moments within 1.3 times that"

kept_old=0 kept_new=0
for trial in $(seq 1 "$trials"); do
    rm -rf "$tmp/out" "$tmp"/.out.* "$tmp/out.checkpoint"
    cp -r "$tmp/old" "$tmp/out"
    delay=$(awk -v d="$duration" -v r="$RANDOM" 'BEGIN { printf "%.3f", 1.3 * d * r / 32767 }')
    "$bin" train "${args[@]}" --seed 2 --output "$tmp/out" > /dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    now=$(digest "$tmp/out" 2> /dev/null || echo missing)
    "$bin" info "$tmp/out" > /dev/null 2>&1 || { echo "trial $trial (kill at ${delay}s): $tmp/out does not load"; exit 1; }
    if [ "$now" = "$old" ]; then kept_old=$((kept_old + 1)); what=old
    elif [ "$now" = "$new" ]; then kept_new=$((kept_new + 1)); what=new
    else echo "trial $trial (kill at ${delay}s): --output holds neither the old classifier nor the new one"; exit 1
    fi
    echo "trial $trial: killed at ${delay}s, --output holds the $what classifier, whole"
done
echo "$trials kills: the old classifier $kept_old times, the new one $kept_new times, never neither"
