#!/usr/bin/env bash
# Domain-adaptive pretraining (DAPT): masked-LM pretraining of all-MiniLM-L6-v2 on IMDB's training reviews
# (a token budget, default 3.5M tokens: about 30 minutes at 2 s per 32 × 128 step on 2 cores, whole-word
# masking), then one epoch of SST-2 fine-tuning (train's defaults) from the pretrained model and from the
# original, for each seed; both arms are scored on SST-2's dev set. The pretraining never sees SST-2.
# usage: Scripts/dapt-imdb-sst2.sh [OUT_DIR] [SEEDS] [TOKENS]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/dapt-imdb}; seeds=${2:-"1 2 3"}; tokens=${3:-3500000}
bin=${TT_BIN:-.build/release/text-transfer}
data=../shared/data
mkdir -p "$out"
tail -n +2 "$data/imdb/train.tsv" | cut -f2- | sed 's#<br />#  #g' > "$out/imdb.txt"
[ -f "$out/minilm-dapt/model.safetensors" ] || "$bin" pretrain mlm --model Models/all-MiniLM-L6-v2 --text "$out/imdb.txt" \
  --tokens "$tokens" --whole-word --output "$out/minilm-dapt" --result-json "$out/pretrain.json" --threads 2 --overwrite 2> "$out/pretrain.log"
tail -1 "$out/pretrain.log"
for seed in $seeds; do
  for arm in base dapt; do
    model=Models/all-MiniLM-L6-v2; [ "$arm" = dapt ] && model="$out/minilm-dapt"
    "$bin" train --model "$model" --train "$data/sst2/train.tsv" --dev "$data/sst2/dev.tsv" --epochs 1 --seed "$seed" --threads 2 \
      --no-verdict --output "$out/$arm-$seed" --overwrite --result-json "$out/$arm-$seed.json" > "$out/$arm-$seed.log" 2>&1
    echo "RESULT dapt-imdb-sst2 arm=$arm seed=$seed accuracy=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['best']['accuracy'])" "$out/$arm-$seed.json")"
  done
done
