#!/usr/bin/env bash
# Kills a masked-LM pretraining run with SIGKILL after its first checkpoint, resumes it, and checks that the
# final weights equal an uninterrupted run's byte for byte (same seed, one thread).
#   usage: Scripts/check-pretrain-resume.sh [LINES]   (LINES of Examples/sst2/train.tsv's texts, default 400)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lines=${1:-400}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk -F'\t' -v n="$lines" 'NR > 1 && NR <= n + 1 { print $2 }' "$root/Examples/sst2/train.tsv" > "$tmp/text.txt"
(cd "$root" && swift build -c release --product text-transfer >/dev/null)
bin="$root/.build/release/text-transfer"
args=(pretrain mlm --text "$tmp/text.txt" --max-length 64 --batch-size 8 --epochs 2 --threads 1 --checkpoint-every 3 --seed 7)
"$bin" "${args[@]}" --output "$tmp/straight" > /dev/null 2>&1
"$bin" "${args[@]}" --output "$tmp/killed" > /dev/null 2>&1 &
pid=$!
while [ ! -f "$tmp/killed.checkpoint/state.json" ]; do sleep 0.2; done
sleep 2
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
step=$(python3 -c "import json; print(json.load(open('$tmp/killed.checkpoint/state.json'))['step'])")
echo "killed with SIGKILL; last checkpoint at step $step"
"$bin" "${args[@]}" --output "$tmp/killed" --resume > /dev/null 2>&1
if cmp -s "$tmp/straight/model.safetensors" "$tmp/killed/model.safetensors"; then
  echo "resume: final weights identical to the uninterrupted run ($(wc -c < "$tmp/straight/model.safetensors") bytes compared)"
else
  echo "resume: final weights DIFFER from the uninterrupted run" >&2
  exit 1
fi
