#!/usr/bin/env bash
# train --strategy setfit beside SetFit itself on the same few-shot samples: for each data set, shot
# count and seed, our run draws the sample (--shots, --seed) and writes the examples it trains and
# evaluates on (--write-train, --write-dev); SetFit then trains on those files. Our run's transfer verdict
# trains the frozen probe and the from-scratch n-gram baseline beside it. One RESULT line per run, then
# the means. Times: ours is the run's seconds less its dev scoring (model loading, pairs and head
# included), SetFit's its Trainer.train (pairs and head; loading not counted).
#
# usage: Scripts/setfit-compare.sh [OUT_DIR] [CONFIGS] [SEEDS]
#   CONFIGS: space-separated DATA:SHOTS (default "sst2:8 trec:8 sst5:8 sst2:64 trec:64"), SEEDS "1 2 3 4 5".
# Needs the peers' venv with setfit (pip install setfit) and a release build; TT_BIN overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/setfit-compare}
configs=${2:-"sst2:8 trec:8 sst5:8 sst2:64 trec:64"}
seeds=${3:-"1 2 3 4 5"}
bin=${TT_BIN:-.build/release/text-transfer}
python=${PEER_PYTHON:-$HOME/.cache/texttransfer-peers/venv/bin/python}
model=Models/all-MiniLM-L6-v2
data=../shared/data
mkdir -p "$out"
results="$out/results.tsv"
[ -f "$results" ] || printf 'data\tshots\tseed\tours\tours_s\tprobe\tngrams\tsetfit\tsetfit_s\n' > "$results"
for config in $configs; do
  name=${config%%:*}; shots=${config##*:}
  dev=(); [ -f "$data/$name/dev.tsv" ] && dev=(--dev "$data/$name/dev.tsv")  # TREC: a seeded tenth of train
  for seed in $seeds; do
    run="$out/$name-$shots-$seed"
    "$bin" train --train "$data/$name/train.tsv" "${dev[@]}" --shots "$shots" --seed "$seed" --strategy setfit --threads 2 \
      --write-train "$run.train.tsv" --write-dev "$run.dev.tsv" --result-json "$run.json" --output "$run.model" --overwrite \
      > "$run.log" 2>&1
    read -r ours ours_s probe ngrams < <(python3 -c "
import json, sys
r = json.load(open(sys.argv[1])); v = r['verdict']
print(r['best']['accuracy'], r['seconds'] - r['evaluationSeconds'], v['probe']['accuracy'], v['baseline']['accuracy'])" "$run.json")
    peer=$("$python" Tools/bench/peer_setfit.py "$model" "$run.train.tsv" "$run.dev.tsv" --seed "$seed" --threads 2 2>/dev/null | grep '^RESULT')
    setfit=$(sed -E 's/.*accuracy=([0-9.]+).*/\1/' <<< "$peer"); setfit_s=$(sed -E 's/.*train_seconds=([0-9.]+).*/\1/' <<< "$peer")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$shots" "$seed" "$ours" "$ours_s" "$probe" "$ngrams" "$setfit" "$setfit_s" >> "$results"
    echo "RESULT setfit-compare $name shots=$shots seed=$seed ours=$ours (${ours_s}s) setfit=$setfit (${setfit_s}s) probe=$probe ngrams=$ngrams"
  done
done
python3 - "$results" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
groups = {}
for r in rows: groups.setdefault((r["data"], r["shots"]), []).append(r)
print("| data | shots | seeds | ours | SetFit | ours − SetFit | frozen probe | n-gram baseline | ours s | SetFit s | time ratio |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for (d, k), g in groups.items():
    m = lambda key: statistics.mean(float(r[key]) for r in g)
    print(f"| {d} | {k} | {len(g)} | {100*m('ours'):.2f}% | {100*m('setfit'):.2f}% | {100*(m('ours')-m('setfit')):+.2f} pt | "
          f"{100*m('probe'):.2f}% | {100*m('ngrams'):.2f}% | {m('ours_s'):.1f} | {m('setfit_s'):.1f} | {m('ours_s')/m('setfit_s'):.2f} |")
EOF
