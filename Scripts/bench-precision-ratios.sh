#!/usr/bin/env bash
# bf16 and int8 against our fp32 at 128 real tokens (L=128-real, no padding), in ROUNDS separate runs of
# `bench embed` one after another, each with its own ratios: on a shared machine one run's ratio can catch
# a neighbour's burst, so the median over rounds is the figure to quote.
#   usage: Scripts/bench-precision-ratios.sh [ROUNDS] [TEXTS]   (default 5 rounds, the SST-2 dev sentences)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
texts=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$texts" ]; then tail -n +2 "$root/../shared/data/sst2/dev.tsv" | cut -f2 > "$tmp/texts.txt"; texts="$tmp/texts.txt"; fi
(cd "$root" && swift build -c release --product text-transfer >/dev/null)
echo "# OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"
for round in $(seq 1 "$rounds"); do
  "$root/.build/release/text-transfer" bench embed --model "$root/Models/all-MiniLM-L6-v2" --input "$texts" --threads 2 --runs 5 \
    --precision fp32 --precision bf16 --precision int8 | grep "L=128-real" > "$tmp/round.txt"
  awk -v round="$round" '{ split($5, a, "="); rate[NR] = a[2] }
    END { printf "RESULT precision round=%d L=128-real fp32=%.1f bf16=%.1f (%.2fx) int8=%.1f (%.2fx)\n", round, rate[1], rate[2], rate[2] / rate[1], rate[3], rate[3] / rate[1] }' "$tmp/round.txt"
done | tee "$tmp/rounds.txt"
python3 - "$tmp/rounds.txt" <<'PY'
import re, statistics, sys
rows = [re.findall(r"\(([0-9.]+)x\)", line) for line in open(sys.argv[1])]
print("RESULT precision median over %d rounds: bf16 %.2fx, int8 %.2fx our fp32 at L=128-real" % (
    len(rows), statistics.median(float(r[0]) for r in rows), statistics.median(float(r[1]) for r in rows)))
PY
