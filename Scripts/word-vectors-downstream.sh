#!/usr/bin/env bash
# Word vectors trained here, downstream: the same BiLSTM (train's defaults, ICU words, 3 epochs on SST-2, 4
# on Wisesight) from our IMDB skip-gram vectors, from fastText's trained on the same words with the same
# settings (both from Scripts/word-vectors-compare.sh's OUT_DIR), and from random vectors of the same
# vocabulary and width (--from-scratch); then on Wisesight, vectors trained on its own training text
# (labels unused) against random ones. One RESULT line per run: its dev accuracy.
#
# usage: Scripts/word-vectors-downstream.sh [OUT_DIR] [SEEDS]     (OUT_DIR as the compare script's; SEEDS "42")
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/word-vectors}
seeds=${2:-42}
bin=${TT_BIN:-.build/release/text-transfer}
data=../shared/data
accuracy() { python3 -c "import json, sys; print(round(100 * json.load(open(sys.argv[1]))['best']['accuracy'], 2))" "$1"; }
run() {  # name, data set, epochs, seed, then train's flags
  local name=$1 set=$2 epochs=$3 seed=$4; shift 4
  "$bin" train --train "$data/$set/train.tsv" --dev "$data/$set/dev.tsv" --encoder bilstm --epochs "$epochs" --seed "$seed" \
    --threads 2 --no-verdict --output "$out/$set-$name-$seed" --overwrite --result-json "$out/$set-$name-$seed.json" "$@" \
    > "$out/$set-$name-$seed.log" 2>&1
  echo "RESULT word-vectors-downstream data=$set vectors=$name seed=$seed dev=$(accuracy "$out/$set-$name-$seed.json")"
}

tail -n +2 "$data/wisesight/train.tsv" | cut -f2- > "$out/wisesight.txt"
"$bin" pretrain skipgram --text "$out/wisesight.txt" --output "$out/wisesight-vectors" --threads 2 > "$out/wisesight-vectors.log" 2>&1
for seed in $seeds; do
  run ours-imdb sst2 3 "$seed" --embeddings "$out/ours-1.bin"
  run fasttext-imdb sst2 3 "$seed" --embeddings "$out/fasttext-words-1.bin"
  run random sst2 3 "$seed" --embeddings "$out/ours-1.bin" --from-scratch
  run ours-wisesight wisesight 4 "$seed" --embeddings "$out/wisesight-vectors.bin"
  run random wisesight 4 "$seed" --embeddings "$out/wisesight-vectors.bin" --from-scratch
done
