#!/usr/bin/env bash
# Task-adaptive pretraining (TAPT) on TREC: masked-LM pretraining on TREC's own training questions, then
# the BENCHMARKS.md fine-tuning recipe (lr 1e-4, 5 epochs), beside the same fine-tuning from the
# original all-MiniLM-L6-v2, for each seed. The dev set is every 10th question (fixed, so every seed and
# both arms answer the same questions); the pretraining sees only the other nine tenths.
# usage: Scripts/tapt-trec.sh [OUT_DIR] [SEEDS] [PRETRAIN_EPOCHS]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/tapt-trec}; seeds=${2:-"1 2 3"}; epochs=${3:-20}
bin=${TT_BIN:-.build/release/text-transfer}
mkdir -p "$out"
awk -v out="$out" 'NR == 1 { print > out "/train.tsv"; print > out "/dev.tsv"; next }
                   (NR - 2) % 10 == 9 { print > out "/dev.tsv"; next } { print > out "/train.tsv" }' ../shared/data/trec/train.tsv
tail -n +2 "$out/train.tsv" | cut -f2 > "$out/train-text.txt"
[ -f "$out/minilm-tapt/model.safetensors" ] || "$bin" pretrain mlm --model Models/all-MiniLM-L6-v2 --text "$out/train-text.txt" \
  --epochs "$epochs" --output "$out/minilm-tapt" --result-json "$out/pretrain.json" --threads 2 --overwrite 2> "$out/pretrain.log"
tail -1 "$out/pretrain.log"
for seed in $seeds; do
  for arm in base tapt; do
    model=Models/all-MiniLM-L6-v2; [ "$arm" = tapt ] && model="$out/minilm-tapt"
    "$bin" train --model "$model" --train "$out/train.tsv" --dev "$out/dev.tsv" --lr 1e-4 --epochs 5 --seed "$seed" --threads 2 \
      --no-verdict --output "$out/$arm-$seed" --overwrite --result-json "$out/$arm-$seed.json" > "$out/$arm-$seed.log" 2>&1
    echo "RESULT tapt-trec arm=$arm seed=$seed accuracy=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['best']['accuracy'])" "$out/$arm-$seed.json")"
  done
done
