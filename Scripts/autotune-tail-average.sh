#!/usr/bin/env bash
# Would averaging the refit's weights over its last epochs beat choosing one epoch? Asked on the TREC splits
# of Scripts/autotune-refit-rules.sh (run that first into the same OUT_DIR; k = 0, the reported split, is not
# for this). Per split: the recipe trained on the whole training part, its checkpoint copied after every
# epoch (the checkpoint is swapped in whole at each epoch's end); then the weights of epochs E..5 averaged
# into the last checkpoint, the finished run resumed from it so that `train` saves it as a classifier, and
# that classifier scored on the split's dev with `evaluate`.
#
# usage: Scripts/autotune-tail-average.sh OUT_DIR "3 4 5 6 7 8"     (RECIPE as in autotune-refit-rules.sh)
# About 4.5 minutes a split on 2 threads; the five epochs' checkpoints it keeps take about 1.7 GB a split.
# Needs a release build (TT_BIN overrides) and numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
splits=${2:-"3 4 5 6 7 8"}
bin=${TT_BIN:-.build/release/text-transfer}
recipe=${RECIPE:-"--lr 1e-4 --epochs 5 --layer-decay 0.9"}
for k in $splits; do
  d=$out/k$k
  [ -f "$d/train.tsv" ] || { echo "run Scripts/autotune-refit-rules.sh $out \"$k\" first" >&2; exit 1; }
  # shellcheck disable=SC2086
  run() { "$bin" train --train "$d/train.tsv" --dev "$d/dev.tsv" $recipe --keep last --no-verdict --threads 2 --keep-checkpoint "$@"; }
  if [ ! -f "$d/epochs/5/state.safetensors" ]; then
    rm -rf "$d/c" "$d/c.checkpoint" "$d/epochs"
    mkdir -p "$d/epochs"
    run --output "$d/c" > "$d/c.log" 2>&1 &
    trainer=$!
    seen=""
    copy() {  # the checkpoint of a finished epoch E says epoch E + 1, no batch done
      local stamp epoch
      stamp=$(stat -c '%i %y' "$d/c.checkpoint/state.json" 2>/dev/null || true)
      [ -n "$stamp" ] && [ "$stamp" != "$seen" ] || return 0
      epoch=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(s['epoch'] - 1 if s['batchesDone'] == 0 else 0)" "$d/c.checkpoint/state.json" 2>/dev/null || echo 0)
      if [ "$epoch" -ge 1 ]; then rm -rf "$d/epochs/$epoch"; cp -r "$d/c.checkpoint" "$d/epochs/$epoch"; fi
      seen=$stamp
    }
    while kill -0 "$trainer" 2>/dev/null; do copy; sleep 1; done
    wait "$trainer"
    copy
  fi
  for from in 2 3 4; do
    name=avg$from
    [ -f "$d/$name.json" ] && continue
    rm -rf "$d/$name" "$d/$name.checkpoint"
    cp -r "$d/epochs/5" "$d/$name.checkpoint"
    python3 - "$d/epochs" "$from" "$d/$name.checkpoint/state.safetensors" <<'EOF'
import json, struct, sys
import numpy as np
epochs, first, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def read(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    return raw, n, json.loads(raw[8:8 + n])
def values(path):
    raw, n, header = read(path)
    a, b = header["values"]["data_offsets"]
    return np.frombuffer(raw[8 + n + a:8 + n + b], dtype=np.float32)
mean = np.mean([values(f"{epochs}/{e}/state.safetensors").astype(np.float64) for e in range(first, 6)], axis=0).astype(np.float32)
raw, n, header = read(target)
a, b = header["values"]["data_offsets"]
out = bytearray(raw)
out[8 + n + a:8 + n + b] = mean.tobytes()
open(target, "wb").write(bytes(out))
EOF
    run --output "$d/$name" --resume > "$d/$name.log" 2>&1
    "$bin" evaluate --model "$d/$name" --data "$d/dev.tsv" --threads 2 --json "$d/$name.json" > /dev/null 2>&1
    rm -rf "$d/$name" "$d/$name.checkpoint"
  done
  rm -rf "$d/c" "$d/c.checkpoint"  # the epochs' checkpoints stay (about 270 MB each) for other averages
done

python3 - "$out" $splits <<'EOF'
import json, sys
out, splits = sys.argv[1], sys.argv[2:]
sums = {}
for k in splits:
    d = f"{out}/k{k}"
    b = [p["accuracy"] for p in json.load(open(f"{d}/b.json"))["history"] if p["step"] > 0]
    a = [p["accuracy"] for p in json.load(open(f"{d}/a.json"))["history"] if p["step"] > 0]
    default = json.load(open(f"{d}/default.json"))["best"]["accuracy"]
    chosen = max(i for i, x in enumerate(a) if x == max(a))
    row = {"current rule": b[chosen], "epoch 5": b[4]}
    for f in (2, 3, 4):
        row[f"mean of epochs {f}-5"] = json.load(open(f"{d}/avg{f}.json"))["accuracy"]
    print(f"k={k} default {100*default:.2f}: " + ", ".join(f"{r} {100*v:.2f} ({100*(v-default):+.2f})" for r, v in row.items()))
    for r, v in row.items():
        sums[r] = sums.get(r, 0) + v - default
for r, s in sums.items():
    print(f"RESULT tail-average final=\"{r}\" mean_minus_default={100*s/len(splits):+.2f}pt splits={len(splits)}")
EOF
