#!/usr/bin/env bash
# Wisesight: do word vectors trained on the training text beat random vectors for the same BiLSTM, and on
# which texts? For each split k (random.Random(k) shuffles the training file: 2,162 texts scored, the other
# 19,466 trained on and the only text the vectors see) and for dev (all training texts, each seed):
# random vectors (--from-scratch), the skip-gram vectors, and the vectors frozen for the first epoch.
# One RESULT line per run (best dev accuracy). BENCHMARKS.md, "Wisesight word vectors against random".
#   usage: Scripts/wisesight-vector-splits.sh [OUT] [SPLITS] [SEEDS]   (defaults /tmp/wsx, "7 8 9", "42 43 44")
#   DIM=300 trains the vectors (and so the random embeddings beside them) 300-d instead of fastText's 100.
#   ARMS="vectors frozen1" leaves out the random arm (it does not depend on the vectors: rerun, it gives the same figures).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/wsx}; splits=${2-"7 8 9"}; seeds=${3-"42 43 44"}
bin=${TT_BIN:-.build/release/text-transfer}
dim=${DIM:-100}; tag=$([ "$dim" = 100 ] && echo "" || echo "-d$dim")
data=../shared/data/wisesight
mkdir -p "$out"
run() {  # name, train file, scored file, seed, vectors, then extra flags
  local name=$1 train=$2 dev=$3 seed=$4 vectors=$5; shift 5
  "$bin" train --train "$train" --dev "$dev" --encoder bilstm --epochs 4 --seed "$seed" --threads 2 --no-verdict \
    --embeddings "$vectors" --output "$out/$name" --overwrite --result-json "$out/$name.json" "$@" > "$out/$name.log" 2>&1
  echo "RESULT wisesight-vectors run=$name accuracy=$(python3 -c "import json, sys; print(round(100 * json.load(open(sys.argv[1]))['best']['accuracy'], 2))" "$out/$name.json")"
}
arms() {  # prefix, train file, scored file, seed, vectors
  for arm in ${ARMS:-random vectors frozen1}; do
    case $arm in
      random) run "$1$tag-random" "$2" "$3" "$4" "$5" --from-scratch ;;
      vectors) run "$1$tag-vectors" "$2" "$3" "$4" "$5" ;;
      frozen1) run "$1$tag-frozen1" "$2" "$3" "$4" "$5" --unfreeze-embeddings-after 1 ;;
    esac
  done
}
for k in $splits; do
  python3 - "$data/train.tsv" "$out" "$k" <<'PY'
import random, sys
source, out, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(source, encoding='utf-8').read().splitlines()
head, rows = lines[0], lines[1:]
random.Random(k).shuffle(rows)
scored, fitted = rows[:2162], rows[2162:]
for name, part in (('scored', scored), ('fit', fitted)):
    open(f'{out}/{name}{k}.tsv', 'w', encoding='utf-8').write('\n'.join([head] + part) + '\n')
open(f'{out}/fit{k}.txt', 'w', encoding='utf-8').write('\n'.join(r.split('\t', 1)[1] for r in fitted) + '\n')
PY
  "$bin" pretrain skipgram --text "$out/fit$k.txt" --output "$out/vectors$tag-fit$k" --dim "$dim" --threads 2 > "$out/vectors$tag-fit$k.log" 2>&1
  arms "split$k" "$out/fit$k.tsv" "$out/scored$k.tsv" 42 "$out/vectors$tag-fit$k.bin"
done
if [ -n "$seeds" ]; then
  tail -n +2 "$data/train.tsv" | cut -f2- > "$out/train.txt"
  "$bin" pretrain skipgram --text "$out/train.txt" --output "$out/vectors$tag-train" --dim "$dim" --threads 2 > "$out/vectors$tag-train.log" 2>&1
  for seed in $seeds; do arms "dev$seed" "$data/train.tsv" "$data/dev.tsv" "$seed" "$out/vectors$tag-train.bin"; done
fi
