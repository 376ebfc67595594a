#!/usr/bin/env bash
# Does autotune's refit (the winner's whole schedule on all the data, ending with the mean of its weights
# after epochs 2…; `train --keep average`) hold up beside the default `train` on splits of a training file
# that are not a reported set? Per split k: dev = a seeded tenth of DATA's train.tsv (random.Random(k), as
# Scripts/autotune-check.sh draws it with SPLIT_SEED=k), the rest trains;
#   recipe:  RECIPE with --keep average: its dev score after each epoch, and the average's,
#   default: `train` with its defaults, choosing its epoch on that dev (the acceptance's comparison).
#
# usage: Scripts/autotune-average-check.sh DATA OUT_DIR "1 2"    e.g. sst5 /tmp/avg "1 2"
#        (RECIPE="--lr 1e-4 --epochs 5 --layer-decay 0.9", the winner of the SST-5 and TREC runs)
# Needs a release build; TT_BIN overrides the binary. SST-5: about 25 minutes a split on 2 threads.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
out=$2
splits=${3:-"1"}
bin=${TT_BIN:-.build/release/text-transfer}
recipe=${RECIPE:-"--lr 1e-4 --epochs 5 --layer-decay 0.9"}
for k in $splits; do
  d=$out/$name-k$k
  mkdir -p "$d"
  python3 - "../shared/data/$name/train.tsv" "$d" "$k" <<'EOF'
import random, sys
head, *rows = open(sys.argv[1], encoding="utf-8").read().splitlines()
d, k = sys.argv[2], int(sys.argv[3])
order = list(range(len(rows))); random.Random(k).shuffle(order)
held = set(order[:len(rows) // 10])
for part, keep in (("train", False), ("dev", True)):
    open(f"{d}/{part}.tsv", "w", encoding="utf-8").write("\n".join([head] + [r for i, r in enumerate(rows) if (i in held) == keep]) + "\n")
EOF
  # shellcheck disable=SC2086
  [ -f "$d/average.json" ] || "$bin" train --train "$d/train.tsv" --dev "$d/dev.tsv" $recipe --keep average --no-verdict --threads 2 \
    --output "$d/average" --overwrite --result-json "$d/average.json" > "$d/average.log" 2>&1
  [ -f "$d/default.json" ] || "$bin" train --train "$d/train.tsv" --dev "$d/dev.tsv" --no-verdict --threads 2 \
    --output "$d/default" --overwrite --result-json "$d/default.json" > "$d/default.log" 2>&1
  rm -rf "$d/average" "$d/default"
done

python3 - "$out" "$name" $splits <<'EOF'
import json, sys
out, name, splits = sys.argv[1], sys.argv[2], sys.argv[3:]
print(f"{name}: split, recipe's dev accuracy after each epoch, their average's, default train's (best epoch on dev)")
for k in splits:
    d = f"{out}/{name}-k{k}"
    average, default = json.load(open(f"{d}/average.json")), json.load(open(f"{d}/default.json"))
    curve = " / ".join(f"{100 * p['accuracy']:.2f}" for p in average["history"])
    a, b = 100 * average["best"]["accuracy"], 100 * default["best"]["accuracy"]
    print(f"k={k}: epochs {curve}; average of the last {average['averagedEpochs']} {a:.2f}; default {b:.2f}; average - default {a - b:+.2f}")
EOF
