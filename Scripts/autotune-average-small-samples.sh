#!/usr/bin/env bash
# Where should `train --keep average` start when epochs are short? Asked on 400-sentence samples of SST-2's
# training file that are not the reported one (that is random.Random(0)): sample s is rows shuffled with
# random.Random(100 + s), the first 400 train, the next 872 score (never SST-2's dev). The winner of the
# 400-sentence autotune run (RECIPE) with --keep average from epochs 2, 3 and 4, and the default `train`.
#
# usage: Scripts/autotune-average-small-samples.sh OUT_DIR "1 2 3 4"
#        (RECIPE="--lr 2e-5 --epochs 5 --layer-decay 0.9 --label-smoothing 0.1")
# About 2 minutes a sample on 2 threads. Needs a release build; TT_BIN overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
samples=${2:-"1 2 3 4"}
bin=${TT_BIN:-.build/release/text-transfer}
recipe=${RECIPE:-"--lr 2e-5 --epochs 5 --layer-decay 0.9 --label-smoothing 0.1"}
for s in $samples; do
  d=$out/s$s
  mkdir -p "$d"
  python3 - ../shared/data/sst2/train.tsv "$d" "$s" <<'PY'
import random, sys
head, *rows = open(sys.argv[1], encoding="utf-8").read().splitlines()
d, s = sys.argv[2], int(sys.argv[3])
random.Random(100 + s).shuffle(rows)
open(f"{d}/train.tsv", "w", encoding="utf-8").write("\n".join([head] + rows[:400]) + "\n")
open(f"{d}/score.tsv", "w", encoding="utf-8").write("\n".join([head] + rows[400:1272]) + "\n")
PY
  for from in 2 3 4; do
    # shellcheck disable=SC2086
    [ -f "$d/avg$from.json" ] || "$bin" train --train "$d/train.tsv" --dev "$d/score.tsv" $recipe --keep average --average-from "$from" \
      --no-verdict --threads 2 --output "$d/m" --overwrite --result-json "$d/avg$from.json" > "$d/avg$from.log" 2>&1
  done
  [ -f "$d/default.json" ] || "$bin" train --train "$d/train.tsv" --dev "$d/score.tsv" --no-verdict --threads 2 \
    --output "$d/m" --overwrite --result-json "$d/default.json" > "$d/default.log" 2>&1
  rm -rf "$d/m"
  python3 - "$d" <<'PY'
import json, sys
d = sys.argv[1]
a = {f: json.load(open(f"{d}/avg{f}.json")) for f in (2, 3, 4)}
curve = " / ".join(f"{100 * p['accuracy']:.2f}" for p in a[2]["history"])
means = " ".join(f"mean {f}-5 {100 * a[f]['best']['accuracy']:.2f}" for f in (2, 3, 4))
print(f"{d}: epochs {curve} | {means} | default {100 * json.load(open(f'{d}/default.json'))['best']['accuracy']:.2f}")
PY
done
