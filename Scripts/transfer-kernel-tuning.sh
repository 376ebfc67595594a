#!/usr/bin/env bash
# The transfer kernel's design choices (k + TCA, CORAL off, the μ × components grid) were made on these
# tuning slices, never on the sets BENCHMARKS.md reports (SST-2 dev; the CLI's seeded 5,000 IMDB reviews):
#   forward: 5,000 IMDB reviews (labelled) → 10,000 SST-2 training texts (unlabelled), scored on 2,000 other
#            SST-2 training texts of at least 10 words (SST-2 dev's full sentences are what is reported);
#   reverse: those 10,000 SST-2 texts (labelled) → the 5,000 IMDB reviews, scored on 2,000 other reviews.
# Usage: Scripts/transfer-kernel-tuning.sh [OUT] [extra adapt flags...]   (TT_BIN= a text-transfer binary)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/transfer-kernel-tuning}; shift || true
BIN=${TT_BIN:-.build/release/text-transfer}
DATA=../shared/data
mkdir -p "$OUT"
python3 - "$DATA" "$OUT" <<'PY'
import random, sys
data, out = sys.argv[1:3]
def read(p): return [l.rstrip('\n').split('\t', 1) for l in open(p, encoding='utf-8')][1:]
imdb, sst = read(f'{data}/imdb/train.tsv'), read(f'{data}/sst2/train.tsv')
r = random.Random(11); r.shuffle(imdb); r.shuffle(sst)
def write(name, rows):
    with open(f'{out}/{name}.tsv', 'w', encoding='utf-8') as f:
        f.write('label\ttext\n')
        for label, text in rows: f.write(f'{label}\t{text}\n')
write('imdbA', imdb[:5000]); write('imdbB', imdb[5000:7000]); write('sstT', sst[:10000])
write('sstTune', [x for x in sst[10000:] if len(x[1].split()) >= 10][:2000])
PY
"$BIN" adapt --source "$OUT/imdbA.tsv" --target "$OUT/sstT.tsv" --dev "$OUT/sstTune.tsv" --cache "$OUT/cache" --threads 2 "$@" | tee "$OUT/forward.txt"
"$BIN" adapt --source "$OUT/sstT.tsv" --target "$OUT/imdbA.tsv" --dev "$OUT/imdbB.tsv" --cache "$OUT/cache" --threads 2 "$@" | tee "$OUT/reverse.txt"
