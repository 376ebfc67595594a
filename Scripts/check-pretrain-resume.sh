#!/usr/bin/env bash
# Kills a masked-LM pretraining run, then a skip-gram one, with SIGKILL after a checkpoint, resumes each, and
# checks that the outputs equal an uninterrupted run's byte for byte (same seed and threads).
#   usage: Scripts/check-pretrain-resume.sh [LINES]   (LINES of Examples/sst2/train.tsv's texts for mlm, default 400)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lines=${1:-400}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$root" && swift build -c release --product text-transfer >/dev/null)
bin="$root/.build/release/text-transfer"

# kill_and_resume NAME KEY ARGS...: runs ARGS straight to $tmp/NAME-straight, then to $tmp/NAME-killed,
# killed with SIGKILL once its checkpoint exists; prints the checkpoint's KEY, and resumes.
kill_and_resume() {
  local name=$1 key=$2; shift 2
  "$bin" "$@" --output "$tmp/$name-straight" > /dev/null 2>&1
  "$bin" "$@" --output "$tmp/$name-killed" > /dev/null 2>&1 &
  local pid=$!
  while [ ! -f "$tmp/$name-killed.checkpoint/state.json" ]; do sleep 0.2; done
  sleep 1
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  echo "$name killed with SIGKILL; its last checkpoint at $key $(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" \
    "$tmp/$name-killed.checkpoint/state.json" "$key")"
  "$bin" "$@" --output "$tmp/$name-killed" --resume > /dev/null 2>&1
}

# same FILE FILE: byte for byte, or the script fails.
same() {
  if cmp -s "$1" "$2"; then echo "resume: $(basename "$2") identical to the uninterrupted run's ($(wc -c < "$1") bytes compared)"
  else echo "resume: $(basename "$2") DIFFERS from the uninterrupted run's" >&2; exit 1; fi
}

awk -F'\t' -v n="$lines" 'NR > 1 && NR <= n + 1 { print $2 }' "$root/Examples/sst2/train.tsv" > "$tmp/text.txt"
kill_and_resume mlm step pretrain mlm --text "$tmp/text.txt" --max-length 64 --batch-size 8 --epochs 2 --threads 1 --checkpoint-every 3 --seed 7
same "$tmp/mlm-straight/model.safetensors" "$tmp/mlm-killed/model.safetensors"

# Word vectors with two threads (the merged rounds are what a checkpoint holds), a checkpoint every 2 rounds,
# on IMDB's reviews when ../shared/data is there (one pass: ~6 rounds of 2 × 524,288 tokens), else the
# example texts repeated.
imdb="$root/../shared/data/imdb/train.tsv"
if [ -f "$imdb" ]; then awk -F'\t' 'NR > 1 { print $2 }' "$imdb" > "$tmp/words.txt"
else for _ in $(seq 40); do awk -F'\t' 'NR > 1 { print $2 }' "$root/Examples/sst2/train.tsv"; done > "$tmp/words.txt"; fi
kill_and_resume skipgram rounds pretrain skipgram --text "$tmp/words.txt" --epoch 1 --bucket 200000 --threads 2 --checkpoint-every 2 --seed 3
same "$tmp/skipgram-straight.bin" "$tmp/skipgram-killed.bin"
same "$tmp/skipgram-straight.vec" "$tmp/skipgram-killed.vec"
