#!/usr/bin/env bash
# Autotune's acceptance on one data set: a default `train` run, then `autotune --budget` twice with one
# seed. Prints the dev accuracy of each, autotune's wall time, whether the two trial tables agree (the
# measured seconds left out) and whether the two models are bit-identical (md5 of model.safetensors).
# TREC ships no dev file: its dev is a seeded tenth of train.tsv (random.Random(0)), the rest trains;
# SPLIT_SEED=k draws another tenth (random.Random(k)), for checks on splits that are not the reported one.
#
# usage: Scripts/autotune-check.sh DATA [OUT_DIR] [BUDGET]     e.g. Scripts/autotune-check.sh trec /tmp/at 30m
# RUNS="a" runs one of the two (a later RUNS="b" into the same OUT_DIR completes the pair).
# Needs a release build; TT_BIN overrides the binary. Run it on a quiet machine: a loaded one may make the
# budget cut a trial, and then the two runs may differ (the table says so).
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
out=${2:-/tmp/autotune-check}/$name
budget=${3:-30m}
bin=${TT_BIN:-.build/release/text-transfer}
data=../shared/data/$name
mkdir -p "$out"
if [ -f "$data/dev.tsv" ]; then
  train=$data/train.tsv; dev=$data/dev.tsv
else
  train=$out/train.tsv; dev=$out/dev.tsv
  python3 - "$data/train.tsv" "$train" "$dev" "${SPLIT_SEED:-0}" <<'EOF'
import random, sys
head, *rows = open(sys.argv[1], encoding="utf-8").read().splitlines()
order = list(range(len(rows))); random.Random(int(sys.argv[4])).shuffle(order)
held = set(order[:len(rows) // 10])
for path, keep in ((sys.argv[2], False), (sys.argv[3], True)):
    open(path, "w", encoding="utf-8").write("\n".join([head] + [r for i, r in enumerate(rows) if (i in held) == keep]) + "\n")
EOF
fi

# The default train run (kept from an earlier run into the same OUT_DIR: it does not depend on autotune).
[ -f "$out/default.json" ] ||
  "$bin" train --train "$train" --dev "$dev" --threads 2 --output "$out/default" --overwrite --result-json "$out/default.json" > "$out/default.log" 2>&1
for run in ${RUNS:-a b}; do
  [ -f "$out/auto-$run.json" ] && continue  # done earlier into the same OUT_DIR (RUNS=a now, RUNS=b later)
  start=$(date +%s.%N)
  "$bin" autotune --train "$train" --dev "$dev" --budget "$budget" --threads 2 --output "$out/auto-$run" --overwrite \
    --result-json "$out/auto-$run.json" > "$out/auto-$run.log" 2>&1
  python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(date +%s.%N)" > "$out/auto-$run.wall"
done

python3 - "$out" "$budget" <<'EOF'
import hashlib, json, os, sys
out, budget = sys.argv[1], sys.argv[2]
default = json.load(open(f"{out}/default.json"))
runs = {r: json.load(open(f"{out}/auto-{r}.json")) for r in "ab" if os.path.exists(f"{out}/auto-{r}.json")}
table = lambda j: [{k: v for k, v in t.items() if k != "seconds"} for t in j["trials"]]
md5 = lambda r: hashlib.md5(open(f"{out}/auto-{r}/model.safetensors", "rb").read()).hexdigest()
wall = {r: float(open(f"{out}/auto-{r}.wall").read()) for r in runs}
d = default["best"]["accuracy"]
for r, j in runs.items():
    print(f"RESULT autotune-check run={r} winner=\"{j['winner']}\" dev={100 * j['dev']['accuracy']:.2f} "
          f"wall_minutes={wall[r] / 60:.2f} budget={budget} trials={len(j['trials'])} budget_intervened={j['budget_intervened']} md5={md5(r)}")
print(f"RESULT autotune-check default_train dev={100 * d:.2f} seconds={default['seconds']:.0f}")
for r, j in runs.items():
    print(f"RESULT autotune-check run={r} chosen_minus_default={100 * (j['dev']['accuracy'] - d):+.2f}pt")
if len(runs) == 2:
    print(f"RESULT autotune-check same_table={table(runs['a']) == table(runs['b'])} same_model={md5('a') == md5('b')}")
EOF
