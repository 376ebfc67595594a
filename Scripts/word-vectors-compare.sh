#!/usr/bin/env bash
# `pretrain skipgram` beside `fasttext skipgram` (Debian's fastText 0.9.2) on IMDB's training text, both
# with fastText's defaults (dim 100, ws 5, epoch 5, minCount 5, neg 5, minn 3, maxn 6, bucket 2M, lr 0.05)
# and 2 threads. Ours cuts the text into ICU words (case-folded NFKC) as part of its time; fastText is timed
# on the raw text and on our words (--write-words), the latter being the vectors compared downstream.
# Then: fastText's print-word-vectors on our .bin against our own reading of it (in and out of the
# vocabulary), and our two timed runs' .bin files compared byte for byte (one seed, one thread count).
#
# usage: Scripts/word-vectors-compare.sh [OUT_DIR] [RUNS]     (RUNS timed runs of each, default 2)
# Needs a release build (TT_BIN overrides it) and `apt-get install fasttext`. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/word-vectors}
runs=${2:-2}
bin=${TT_BIN:-.build/release/text-transfer}
mkdir -p "$out"
text=$out/imdb.txt
tail -n +2 ../shared/data/imdb/train.tsv | cut -f2- | sed 's#<br />#  #g' > "$text"
seconds() { python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 2))" "$1" "$(date +%s.%N)"; }

for r in $(seq "$runs"); do
  words=(); [ "$r" = 1 ] && words=(--write-words "$out/imdb.words.txt")  # the first run also writes its words (timed)
  t=$(date +%s.%N); "$bin" pretrain skipgram --text "$text" --output "$out/ours-$r" --threads 2 "${words[@]}" > "$out/ours-$r.log" 2>&1
  echo "RESULT word-vectors ours run=$r seconds=$(seconds "$t") md5=$(md5sum < "$out/ours-$r.bin" | cut -c1-32)"
  t=$(date +%s.%N); fasttext skipgram -input "$out/imdb.words.txt" -output "$out/fasttext-words-$r" -thread 2 > "$out/fasttext-words-$r.log" 2>&1
  echo "RESULT word-vectors fasttext_on_our_words run=$r seconds=$(seconds "$t")"
  t=$(date +%s.%N); fasttext skipgram -input "$text" -output "$out/fasttext-raw-$r" -thread 2 > "$out/fasttext-raw-$r.log" 2>&1
  echo "RESULT word-vectors fasttext_on_raw_text run=$r seconds=$(seconds "$t")"
done

# fastText reading our .bin: 300 words of the vocabulary and words it never saw.
python3 - "$out/ours-1.vec" "$out/queries.txt" <<'EOF'
import random, sys
words = [l.split(" ", 1)[0] for l in open(sys.argv[1], encoding="utf-8").read().splitlines()[1:]]
queries = random.Random(1).sample(words, 300) + ["moviee", "filmmakerz", "unwatchable!!!", "qwertyzzz", "ภาพยนตร์", "東京", "x"]
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(dict.fromkeys(queries)) + "\n")
EOF
fasttext print-word-vectors "$out/ours-1.bin" < "$out/queries.txt" > "$out/fasttext-printed.txt"
"$bin" vectors --embeddings "$out/ours-1.bin" --no-fallbacks --input "$out/queries.txt" > "$out/ours-printed.txt"
python3 - "$out/fasttext-printed.txt" "$out/ours-printed.txt" "$out/ours-1.vec" <<'EOF'
import math, sys
parse = lambda p: [(l.split(" ")[0], [float(x) for x in l.split()[1:]]) for l in open(p, encoding="utf-8").read().splitlines()]
theirs, ours = parse(sys.argv[1]), parse(sys.argv[2])
vocabulary = {l.split(" ", 1)[0] for l in open(sys.argv[3], encoding="utf-8").read().splitlines()[1:]}
assert [w for w, _ in theirs] == [w for w, _ in ours]
worst, bad = 0.0, 0
for (w, a), (_, b) in zip(theirs, ours):
    for x, y in zip(a, b):
        half = 5e-6 if x == 0 else 0.5 * 10 ** (math.floor(math.log10(abs(x))) - 4)
        worst = max(worst, abs(x - y) / half)
        bad += abs(x - y) > half * 1.0001
inside = sum(w in vocabulary for w, _ in theirs)
print(f"RESULT word-vectors print_word_vectors words={len(theirs)} in_vocabulary={inside} out_of_vocabulary={len(theirs) - inside} "
      f"values_beyond_printed_precision={bad} worst_in_half_units={worst:.3f}")
EOF
[ "$runs" -ge 2 ] && cmp -s "$out/ours-1.bin" "$out/ours-2.bin" && echo "RESULT word-vectors bit_identical=true" || echo "RESULT word-vectors bit_identical=false"
