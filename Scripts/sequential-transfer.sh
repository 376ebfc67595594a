#!/usr/bin/env bash
# Sequential transfer on ../shared/data, as measured in BENCHMARKS.md ("Sequential transfer and L2-SP"):
#   sst2: IMDB (1 epoch) → SST-2 (3 epochs, layer decay 0.9; best dev epoch kept)
#   sst5: IMDB (1 epoch) → SST-2 (3 epochs, layer decay 0.9, --keep last: nothing selected on SST-2 dev,
#         whose sentences are SST-5 dev sentences) → SST-5 (lr 5e-5, 6 epochs, layer decay 0.9), softmax
#         and ordinal heads
# Intermediate models are kept in OUT and reused. One thread by default: the figures were measured so,
# and the same seed and thread count give the same weights.
#   usage: Scripts/sequential-transfer.sh sst2|sst5 [OUT]     (THREADS=2 to use both cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
task=${1:?usage: Scripts/sequential-transfer.sh sst2|sst5 [OUT]}
case "$task" in sst2|sst5) ;; *) echo "unknown task '$task': sst2 or sst5" >&2; exit 2 ;; esac
out=${2:-/tmp/sequential-transfer}
data="$root/../shared/data"
threads=${THREADS:-1}
(cd "$root" && swift build -c release --product text-transfer >/dev/null)
bin="$root/.build/release/text-transfer"
train() { echo "+ text-transfer train $*" >&2; (cd "$root" && "$bin" train --threads "$threads" "$@"); }
mkdir -p "$out"
[ -f "$out/imdb-1ep/model.safetensors" ] ||
  train --train "$data/imdb/train.tsv" --dev-fraction 0.02 --seed 42 --epochs 1 --output "$out/imdb-1ep"
case "$task" in
sst2)
  train --model "$out/imdb-1ep" --train "$data/sst2/train.tsv" --dev "$data/sst2/dev.tsv" --epochs 3 --layer-decay 0.9 \
    --output "$out/sst2-imdb-e3" ;;
sst5)
  [ -f "$out/sst2-imdb-e3-last/model.safetensors" ] ||
    train --model "$out/imdb-1ep" --train "$data/sst2/train.tsv" --dev "$data/sst2/dev.tsv" --epochs 3 --layer-decay 0.9 \
      --keep last --output "$out/sst2-imdb-e3-last"
  for head in softmax ordinal; do
    train --model "$out/sst2-imdb-e3-last" --train "$data/sst5/train.tsv" --dev "$data/sst5/dev.tsv" \
      --labels very_negative,negative,neutral,positive,very_positive --lr 5e-5 --epochs 6 --layer-decay 0.9 --head "$head" \
      --output "$out/sst5-$head"
  done ;;
esac
