#!/usr/bin/env bash
# Kills a distillation run with SIGKILL once its distilled student has a checkpoint, resumes it, and checks
# that the final student equals an uninterrupted run's byte for byte (same seed, one thread). The teacher is
# a bag classifier trained here on ROWS of Examples/sst2 (seconds); the student a BiLSTM over its WordPiece
# embeddings with `--augment 2`, so the resumed run also takes the teacher's logits from the cache.
#   usage: Scripts/check-distill-resume.sh [ROWS]   (default 800)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-800}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
head -n $((rows + 1)) "$root/Examples/sst2/train.tsv" > "$tmp/train.tsv"
[ -n "${BIN:-}" ] || (cd "$root" && swift build -c release --product text-transfer >/dev/null)
bin=${BIN:-"$root/.build/release/text-transfer"}
"$bin" train --model "$root/Models/all-MiniLM-L6-v2" --encoder bag --train "$tmp/train.tsv" --dev "$root/Examples/sst2/dev.tsv" --epochs 2 --threads 1 --output "$tmp/teacher" > /dev/null 2>&1
args=(--teacher "$tmp/teacher" --train "$tmp/train.tsv" --dev "$root/Examples/sst2/dev.tsv" --student bilstm --hidden 32 --augment 2
      --epochs 2 --threads 1 --checkpoint-every 10 --seed 7 --keep-cache)
"$bin" distill "${args[@]}" --output "$tmp/straight" > /dev/null 2>&1
"$bin" distill "${args[@]}" --output "$tmp/killed" > /dev/null 2>&1 &
pid=$!
while [ ! -f "$tmp/killed.distill/distilled.checkpoint/state.json" ]; do sleep 0.1; done
sleep 0.5
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
step=$(python3 -c "import json; print(json.load(open('$tmp/killed.distill/distilled.checkpoint/state.json'))['step'])")
echo "killed with SIGKILL; the distilled student's last checkpoint at step $step"
"$bin" distill "${args[@]}" --output "$tmp/killed" --resume > "$tmp/resumed.out" 2> "$tmp/resumed.err"
grep -E "the cache in|trained by an earlier run" "$tmp/resumed.err" || true
for model in "" .distill/alone; do
  if cmp -s "$tmp/straight$model/model.safetensors" "$tmp/killed$model/model.safetensors"; then
    echo "resume: ${model:-the distilled student}: weights identical to the uninterrupted run's ($(wc -c < "$tmp/straight$model/model.safetensors") bytes compared)"
  else
    echo "resume: ${model:-the distilled student}: weights DIFFER from the uninterrupted run's" >&2
    exit 1
  fi
done
