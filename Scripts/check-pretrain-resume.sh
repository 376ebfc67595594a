#!/usr/bin/env bash
# Kills a masked-LM pretraining run, then a skip-gram one, with SIGKILL after a checkpoint, resumes each, and checks that the
# outputs equal an uninterrupted run's byte for byte (same seed and threads).
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

# pretrain skipgram: the same with word vectors, two threads (the merged rounds are what a checkpoint
# holds), a checkpoint every 2 rounds, on IMDB's reviews when ../shared/data is there (one pass, ~6 rounds
# of 2 × 524,288 tokens), else the example texts repeated.
imdb="$root/../shared/data/imdb/train.tsv"
if [ -f "$imdb" ]; then
  awk -F'\t' 'NR > 1 { print $2 }' "$imdb" > "$tmp/words.txt"
else
  for i in $(seq 40); do awk -F'\t' 'NR > 1 { print $2 }' "$root/Examples/sst2/train.tsv"; done > "$tmp/words.txt"
fi
args=(pretrain skipgram --text "$tmp/words.txt" --epoch 1 --bucket 200000 --threads 2 --checkpoint-every 2 --seed 3)
"$bin" "${args[@]}" --output "$tmp/vectors-straight" > /dev/null 2>&1
"$bin" "${args[@]}" --output "$tmp/vectors-killed" > /dev/null 2>&1 &
pid=$!
while [ ! -f "$tmp/vectors-killed.checkpoint/state.json" ]; do sleep 0.2; done
sleep 1
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
rounds=$(python3 -c "import json; print(json.load(open('$tmp/vectors-killed.checkpoint/state.json'))['rounds'])")
echo "skipgram killed with SIGKILL; last checkpoint after round $rounds"
"$bin" "${args[@]}" --output "$tmp/vectors-killed" --resume > /dev/null 2>&1
for ext in bin vec; do
  if cmp -s "$tmp/vectors-straight.$ext" "$tmp/vectors-killed.$ext"; then
    echo "resume: skipgram .$ext identical to the uninterrupted run's ($(wc -c < "$tmp/vectors-straight.$ext") bytes compared)"
  else
    echo "resume: skipgram .$ext DIFFERS from the uninterrupted run's" >&2
    exit 1
  fi
done
