#!/usr/bin/env bash
# The distillation acceptance runs of BENCHMARKS.md: the 1-epoch MiniLM teacher on all of SST-2, then each
# student from it with the same transfer set (training texts + 4 augmented texts per example, seed 42, and
# with UNLABELED= a file of more texts, one per line, e.g. from Scripts/imdb-sentences.py), labelled once:
# the later students copy the first run's logit cache. Wisesight: a BiLSTM over ICU word tokens as teacher,
# a bag student. Prints each report's table.
#   usage: Scripts/distill-sst2.sh [OUT]
#   THREADS=2; STUDENTS="name:flags;name:flags" (default: the BiLSTM over 128-d WordPiece, static, static with a
#   512-unit ReLU layer, transformer:2)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/distill}
data="$root/../shared/data"
threads=${THREADS:-2}
students=${STUDENTS:-"wp128-h128:--student bilstm --hidden 128 --embedding-width 128;static:--student static;static-hh512:--student static --head-hidden 512;transformer-2:--student transformer:2 --checkpoint-every 2000"}
unlabeled=()
if [ -n "${UNLABELED:-}" ]; then unlabeled=(--unlabeled "$UNLABELED"); fi
(cd "$root" && swift build -c release --product text-transfer >/dev/null)
bin="$root/.build/release/text-transfer"
mkdir -p "$out"
sst2=(--train "$data/sst2/train.tsv" --dev "$data/sst2/dev.tsv")
if [ ! -f "$out/teacher-sst2/text_transfer.json" ]; then
  "$bin" train --model "$root/Models/all-MiniLM-L6-v2" "${sst2[@]}" --epochs 1 --threads "$threads" --output "$out/teacher-sst2" \
      --result-json "$out/teacher-sst2.json" 2> "$out/teacher-sst2.err"
fi
first=""
IFS=';' read -ra entries <<< "$students"
for entry in "${entries[@]}"; do
  name=${entry%%:*}
  read -ra flags <<< "${entry#*:}"
  # The same teacher and texts give the same cache key: a later student takes the first one's logits.
  if [ -n "$first" ]; then mkdir -p "$out/$name.distill" && cp "$out/$first.distill"/teacher-logits.* "$out/$name.distill/"; fi
  "$bin" distill --teacher "$out/teacher-sst2" "${sst2[@]}" "${flags[@]}" "${unlabeled[@]}" --augment 4 --threads "$threads" --seed 42 \
      --output "$out/$name" --result-json "$out/$name.json" --keep-cache --overwrite 2> "$out/$name.err"
  first=${first:-$name}
done
ws=(--train "$data/wisesight/train.tsv" --dev "$data/wisesight/dev.tsv")
if [ ! -f "$out/wisesight-bilstm/text_transfer.json" ]; then
  "$bin" train --encoder bilstm --word-tokens "${ws[@]}" --epochs 3 --threads "$threads" --output "$out/wisesight-bilstm" \
      --result-json "$out/wisesight-bilstm.json" 2> "$out/wisesight-bilstm.err"
fi
"$bin" distill --teacher "$out/wisesight-bilstm" "${ws[@]}" --student bag --word-tokens --augment 2 --threads "$threads" --seed 42 \
    --output "$out/wisesight-bag" --result-json "$out/wisesight-bag.json" --overwrite 2> "$out/wisesight-bag.err"
