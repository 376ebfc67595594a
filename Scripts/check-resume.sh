#!/usr/bin/env bash
# Kills a fine-tuning run with SIGKILL after its first checkpoint, resumes it, and checks that the final
# weights equal an uninterrupted run's byte for byte (same seed, one thread).
#   usage: Scripts/check-resume.sh [ROWS]   (ROWS of Examples/sst2/train.tsv, default 600)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-600}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
head -n $((rows + 1)) "$root/Examples/sst2/train.tsv" > "$tmp/train.tsv"
(cd "$root" && swift build -c release --product text-transfer >/dev/null)
bin="$root/.build/release/text-transfer"
args=(--train "$tmp/train.tsv" --dev "$root/Examples/sst2/dev.tsv" --epochs 2 --threads 1 --checkpoint-every 4 --seed 7)
"$bin" train "${args[@]}" --output "$tmp/straight" > /dev/null 2>&1
"$bin" train "${args[@]}" --output "$tmp/killed" > /dev/null 2>&1 &
pid=$!
while [ ! -f "$tmp/killed.checkpoint/state.json" ]; do sleep 0.2; done
sleep 1
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
step=$(python3 -c "import json; print(json.load(open('$tmp/killed.checkpoint/state.json'))['step'])")
echo "killed with SIGKILL; last checkpoint at step $step"
"$bin" train "${args[@]}" --output "$tmp/killed" --resume > /dev/null 2>&1
if cmp -s "$tmp/straight/model.safetensors" "$tmp/killed/model.safetensors"; then
  echo "resume: final weights identical to the uninterrupted run ($(wc -c < "$tmp/straight/model.safetensors") bytes compared)"
else
  echo "resume: final weights DIFFER from the uninterrupted run" >&2
  exit 1
fi
