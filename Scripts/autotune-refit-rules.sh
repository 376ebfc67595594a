#!/usr/bin/env bash
# Which epoch should autotune's refit on all the training data train to? Judged on seeded TREC splits that
# are not the reported one (k = 0 is), with one fine-tuning recipe held fixed (TREC's winner): per split k,
#   curve A: the recipe on the training part less a seeded tenth, scored on that tenth after each epoch
#            (what autotune sees when it chooses),
#   curve B: the recipe on the whole training part, scored on the split's dev after each epoch (what each
#            choice of epoch would score: the refit stopped at epoch e is epoch e of this run),
#   default: `train` with its defaults, choosing its epoch on dev (the acceptance's comparison).
# Then each rule picks an epoch from A and reads its score from B.
#
# usage: Scripts/autotune-refit-rules.sh OUT_DIR "3 4 5 6"      (RECIPE="--lr 1e-4 --epochs 5 --layer-decay 0.9")
# Needs a release build; TT_BIN overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
splits=${2:-"3 4 5 6"}
bin=${TT_BIN:-.build/release/text-transfer}
recipe=${RECIPE:-"--lr 1e-4 --epochs 5 --layer-decay 0.9"}
mkdir -p "$out"
for k in $splits; do
  d=$out/k$k
  mkdir -p "$d"
  # The split as Scripts/autotune-check.sh draws it (random.Random(k)), then a tenth of its training part
  # held out with random.Random(1000 + k).
  python3 - ../shared/data/trec/train.tsv "$d" "$k" <<'EOF'
import random, sys
head, *rows = open(sys.argv[1], encoding="utf-8").read().splitlines()
d, k = sys.argv[2], int(sys.argv[3])
def split(rows, seed):
    order = list(range(len(rows))); random.Random(seed).shuffle(order)
    held = set(order[:len(rows) // 10])
    return [r for i, r in enumerate(rows) if i not in held], [r for i, r in enumerate(rows) if i in held]
train, dev = split(rows, k)
search, tune = split(train, 1000 + k)
for name, part in (("train", train), ("dev", dev), ("search", search), ("tune", tune)):
    open(f"{d}/{name}.tsv", "w", encoding="utf-8").write("\n".join([head] + part) + "\n")
EOF
  # shellcheck disable=SC2086
  [ -f "$d/a.json" ] || "$bin" train --train "$d/search.tsv" --dev "$d/tune.tsv" $recipe --keep last --no-verdict --threads 2 \
    --output "$d/a" --overwrite --result-json "$d/a.json" > "$d/a.log" 2>&1
  # shellcheck disable=SC2086
  [ -f "$d/b.json" ] || "$bin" train --train "$d/train.tsv" --dev "$d/dev.tsv" $recipe --keep last --no-verdict --threads 2 \
    --output "$d/b" --overwrite --result-json "$d/b.json" > "$d/b.log" 2>&1
  [ -f "$d/default.json" ] || "$bin" train --train "$d/train.tsv" --dev "$d/dev.tsv" --no-verdict --threads 2 \
    --output "$d/default" --overwrite --result-json "$d/default.json" > "$d/default.log" 2>&1
  rm -rf "$d/a" "$d/b" "$d/default"
done

python3 - "$out" $splits <<'EOF'
import json, math, sys
out, splits = sys.argv[1], sys.argv[2:]
def curve(path):
    return [p["accuracy"] for p in json.load(open(path))["history"] if p["step"] > 0]
def last_best(a):
    return max(i for i, x in enumerate(a) if x == max(a))
def within_se(a, n, toward_more):
    top = max(a); se = math.sqrt(top * (1 - top) / n)
    ok = [i for i, x in enumerate(a) if x >= top - se]
    return max(ok) if toward_more else min(ok)
rules = {"last of the best (current)": lambda a, n: last_best(a),
         "last within one s.e.": lambda a, n: within_se(a, n, True),
         "first within one s.e.": lambda a, n: within_se(a, n, False),
         "whole schedule": lambda a, n: len(a) - 1}
sums = {r: 0.0 for r in rules}
for k in splits:
    d = f"{out}/k{k}"
    a, b = curve(f"{d}/a.json"), curve(f"{d}/b.json")
    n = sum(1 for _ in open(f"{d}/tune.tsv")) - 1
    default = json.load(open(f"{d}/default.json"))["best"]["accuracy"]
    print(f"k={k} tune(n={n}): " + " / ".join(f"{100*x:.2f}" for x in a) + "   dev: " + " / ".join(f"{100*x:.2f}" for x in b)
          + f"   default train {100*default:.2f}")
    for r, rule in rules.items():
        e = rule(a, n)
        sums[r] += b[e] - default
        print(f"  {r:28s} epoch {e+1}: {100*b[e]:.2f} ({100*(b[e]-default):+.2f} vs default)")
for r in rules:
    print(f"RESULT refit-rule rule=\"{r}\" mean_minus_default={100*sums[r]/len(splits):+.2f}pt splits={len(splits)}")
EOF
