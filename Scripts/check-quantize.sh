#!/usr/bin/env bash
# `quantize` on a Transformer classifier: for bf16 and int8, the copy's size, and its logits on the SST-2 dev
# sentences against the original's with --precision (they should be equal), and its load-and-one-text time.
#   usage: Scripts/check-quantize.sh CLASSIFIER_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
model=${1:?usage: Scripts/check-quantize.sh CLASSIFIER_DIR}
bin="$root/.build/release/text-transfer"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && swift build -c release --product text-transfer >/dev/null)
tail -n +2 "$root/../shared/data/sst2/dev.tsv" | cut -f2 > "$tmp/texts.txt"
weights() { du -b "$1"/model*.safetensors | awk '{printf "%.1f MB", $1 / 1e6}'; }
"$bin" predict --model "$model" --logits --format jsonl --input "$tmp/texts.txt" > "$tmp/fp32.jsonl"
for precision in bf16 int8; do
  "$bin" quantize --model "$model" --precision "$precision" --output "$tmp/$precision" >/dev/null
  "$bin" predict --model "$model" --precision "$precision" --logits --format jsonl --input "$tmp/texts.txt" > "$tmp/original-$precision.jsonl"
  "$bin" predict --model "$tmp/$precision" --logits --format jsonl --input "$tmp/texts.txt" > "$tmp/copy-$precision.jsonl"
  python3 - "$tmp/original-$precision.jsonl" "$tmp/copy-$precision.jsonl" "$tmp/fp32.jsonl" "$precision" "$(weights "$model")" "$(weights "$tmp/$precision")" <<'PY'
import json, sys
original, copy, fp32 = ([json.loads(line) for line in open(path)] for path in sys.argv[1:4])
precision, before, after = sys.argv[4:7]
diff = lambda a, b: max(abs(x - y) for r, s in zip(a, b) for x, y in zip(r["logits"], s["logits"]))
same = sum(r["label"] == s["label"] for r, s in zip(original, copy))
print(f"RESULT quantize {precision} weights={after} (fp32 {before}) texts={len(copy)} "
      f"max_logit_diff_to_original_at_{precision}={diff(original, copy):.3g} same_labels={same} max_logit_diff_to_fp32={diff(fp32, copy):.3g}")
PY
  for which in "$model --precision $precision" "$tmp/$precision"; do
    /usr/bin/time -f "%e s %M KB" -o "$tmp/time.txt" "$bin" predict --model $which "a dull mess" >/dev/null
    echo "RESULT quantize $precision load_and_one_text model=$(basename "${which%% *}") $(cat "$tmp/time.txt")"
  done
done
