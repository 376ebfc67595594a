#!/usr/bin/env bash
# Distillation's defaults (soft loss, T, α) chosen on a tuning slice of SST-2's training data, never on dev:
# 2,000 training rows of at least 10 words (random.Random(11)) are the slice; every training row that is a
# phrase of one of them or shares five words in a row with one is dropped (SST-2's training rows are phrases
# of its sentences), and a 1-epoch MiniLM teacher is trained on the rest. Each setting then distils the same
# students from it, with the same transfer set (--augment 4), labelled once; the students on the labels
# alone are trained once and reused.
# Prints each setting's report.
#   usage: Scripts/distill-tuning.sh [OUT]    (TT_BIN= a text-transfer binary; SETTINGS, STUDENTS to narrow)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/distill-tuning}
BIN=${TT_BIN:-.build/release/text-transfer}
DATA=../shared/data
SETTINGS=${SETTINGS:-"kl:2:0.5 kl:1:0 kl:4:0.1 mse:1:0"}
STUDENTS=${STUDENTS:-"bilstm static"}
mkdir -p "$OUT"
python3 - "$DATA" "$OUT" <<'PY'
import random, sys
data, out = sys.argv[1:3]
rows = [l.rstrip('\n').split('\t', 1) for l in open(f'{data}/sst2/train.tsv', encoding='utf-8')][1:]
order = list(range(len(rows)))
random.Random(11).shuffle(order)
tune = [rows[i] for i in order if len(rows[i][1].split()) >= 10][:2000]
phrases = set()
for _, text in tune:
    words = text.split()
    for a in range(len(words)):
        for b in range(a + 1, len(words) + 1):
            phrases.add(' '.join(words[a:b]))
# A row sharing five words in a row with the slice is another phrase of the same sentence (or the sentence
# itself): it goes too, so that neither the teacher nor the students have seen any of the slice.
def grams(words, n=5): return {' '.join(words[a:a + n]) for a in range(len(words) - n + 1)}
shared = set().union(*(grams(text.split()) for _, text in tune))
rest = [r for r in rows if r[1] not in phrases and not (grams(r[1].split()) & shared)]
def write(name, rows):
    with open(f'{out}/{name}.tsv', 'w', encoding='utf-8') as f:
        f.write('label\ttext\n')
        for label, text in rows: f.write(f'{label}\t{text}\n')
write('tune', tune); write('rest', rest)
print(f'tuning slice {len(tune)} rows; {len(rows) - len(rest)} training rows of the same sentences dropped; {len(rest)} left')
PY
split=(--train "$OUT/rest.tsv" --dev "$OUT/tune.tsv")
if [ ! -f "$OUT/teacher/text_transfer.json" ]; then
  "$BIN" train --model Models/all-MiniLM-L6-v2 "${split[@]}" --epochs 1 --threads 2 --no-verdict --output "$OUT/teacher" 2> "$OUT/teacher.err"
fi
labelled=""
for student in $STUDENTS; do
  case $student in
    bilstm) flags=(--student bilstm --word-tokens --embedding-width 100 --hidden 150);;
    *) flags=(--student "$student");;
  esac
  first=""
  for setting in $SETTINGS; do
    IFS=: read -r loss temperature alpha <<< "$setting"
    name="$student-$loss-T$temperature-a$alpha"
    work="$OUT/$name.distill"
    # The same teacher and texts: the logits of the first run, and the student's own on the labels alone.
    if [ -n "$labelled" ]; then mkdir -p "$work" && cp "$OUT/$labelled.distill"/teacher-logits.* "$work/"; fi
    if [ -n "$first" ]; then cp -r "$OUT/$first.distill/alone" "$work/"; fi
    "$BIN" distill --teacher "$OUT/teacher" "${split[@]}" "${flags[@]}" --augment 4 --threads 2 --seed 42 \
        --soft-loss "$loss" --temperature "$temperature" --alpha "$alpha" --output "$OUT/$name" --overwrite --keep-cache \
        ${first:+--resume} > "$OUT/$name.txt" 2> "$OUT/$name.err"
    echo "== $name"; cat "$OUT/$name.txt"
    first=${first:-$name}
    labelled=${labelled:-$name}
  done
done
