#!/usr/bin/env bash
# Multi-task learning against single-task runs with the same budget, as in BENCHMARKS.md ("Multi-task"):
# SST-2 (Examples/sst2, 8,000 rows), TREC coarse (../shared/data/trec; every 10th question is dev) and
# SST-5 (../shared/data/sst5), each trained alone for EPOCHS epochs
# from all-MiniLM-L6-v2, then all three together for the same epochs: at task temperature 1 every task
# sees each of its examples once an epoch, so the shared run takes as many steps as the three single
# runs together. Same seed and thread count throughout; prints each task's dev accuracy both ways, and
# the multi-task classifier's accuracy read back from its saved directory by `evaluate --task`.
#   usage: Scripts/multi-task.sh [OUT]     (EPOCHS=1, THREADS=2, TEMPERATURE=1 by default)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/multi-task}
data="$root/../shared/data"
epochs=${EPOCHS:-1}; threads=${THREADS:-2}; temperature=${TEMPERATURE:-1}
(cd "$root" && swift build -c release --product text-transfer >/dev/null)
bin="$root/.build/release/text-transfer"
mkdir -p "$out"
common=(--epochs "$epochs" --threads "$threads" --seed 42 --overwrite)
sst2=("$root/Examples/sst2/train.tsv" "$root/Examples/sst2/dev.tsv")
awk 'NR == 1 || (NR - 1) % 10 != 0' "$data/trec/train.tsv" > "$out/trec_train.tsv"
awk 'NR == 1 || (NR - 1) % 10 == 0' "$data/trec/train.tsv" > "$out/trec_dev.tsv"
trec=("$out/trec_train.tsv" "$out/trec_dev.tsv")
sst5=("$data/sst5/train.tsv" "$data/sst5/dev.tsv")
run() {  # NAME ARGS...: trains, keeps the result JSON and the log
    local name=$1; shift
    echo "+ text-transfer train $* ${common[*]}" >&2
    (cd "$root" && /usr/bin/time -f "%e s" "$bin" train "$@" "${common[@]}" --output "$out/$name" --result-json "$out/$name.json") \
        > "$out/$name.out" 2> "$out/$name.err"
    tail -n 1 "$out/$name.err"
}
run sst2 --train "${sst2[0]}" --dev "${sst2[1]}"
run trec --train "${trec[0]}" --dev "${trec[1]}"
run sst5 --train "${sst5[0]}" --dev "${sst5[1]}"
run multi --task sst2="${sst2[0]}" --task-dev sst2="${sst2[1]}" --task trec="${trec[0]}" --task-dev trec="${trec[1]}" --task sst5="${sst5[0]}" \
    --task-dev sst5="${sst5[1]}" --task-temperature "$temperature"
for task in sst2 trec sst5; do  # one saved directory, each task's head in turn
    dev=$(case $task in sst2) echo "${sst2[1]}";; trec) echo "${trec[1]}";; sst5) echo "${sst5[1]}";; esac)
    "$bin" evaluate --model "$out/multi" --task "$task" --data "$dev" --threads "$threads" --json "$out/multi-$task-evaluate.json" > /dev/null
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
multi = json.load(open(f"{out}/multi.json"))
print(f"{'task':6} {'single':>8} {'multi':>8} {'change':>8} {'saved':>8}   (dev accuracy; saved: evaluate --task on the saved directory; steps single / multi)")
for task in multi["tasks"]:
    name = task["evaluation"]["task"]
    single = json.load(open(f"{out}/{name}.json"))
    saved = json.load(open(f"{out}/multi-{name}-evaluate.json"))["accuracy"]
    a, b = single["tasks"][0]["evaluation"]["score"], task["evaluation"]["score"]
    print(f"{name:6} {100*a:8.2f} {100*b:8.2f} {100*(b-a):+8.2f} {100*saved:8.2f}   ({single['steps']} / {multi['steps']})")
PY
