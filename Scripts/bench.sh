#!/usr/bin/env bash
# Runs one of our benchmarks and the peer's on the same inputs, back to back, printing both RESULT lines.
#   usage: Scripts/bench.sh embed|tokenize|vectors [TEXTS] [--runs N]
#   embed: ours in fp32, bf16 and int8 (each with its cosine to fp32), then sentence-transformers and ONNX Runtime
#   fp32 and dynamic int8. TEXTS "mix" is 1,000 texts of ../shared/data's five sets. TEXTS defaults to the SST-2 dev sentences (embed) or SST-2 dev + Wisesight dev + 3,000 IMDB reviews
#   (tokenize), one text per line. Peers come from ../shared/bench/setup-peers.sh (run once per machine).
#   vectors: builds a 1M-word × 300-d .vec file and a 20k-word vocabulary in $BENCH_DIR (default .bench/),
#   then times our restricted load (and its peak RSS) and the converted table's load beside gensim's full load.
#   Threads: 2. OPENBLAS_CORETYPE is passed through as set; bench prints the OpenBLAS core it ran with.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared="$root/../shared"
what=${1:?usage: Scripts/bench.sh embed|tokenize|vectors [TEXTS] [--runs N]}; shift
texts=""
runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    *) texts=$1; shift ;;
  esac
done
model="$root/Models/all-MiniLM-L6-v2"
py=${PEERS_HOME:-$HOME/.cache/texttransfer-peers}/venv/bin/python
[ -x "$py" ] || bash "$shared/bench/setup-peers.sh" "$model" >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ "$texts" = mix ]; then  # 1,000 texts of five kinds: SST-2 and SST-5 sentences, TREC questions, IMDB reviews, Thai messages
  texts="$tmp/mix.txt"
  d="$shared/data"
  { tail -n +2 "$d/sst2/dev.tsv" | cut -f2 | sed -n 1,200p; tail -n +2 "$d/sst5/dev.tsv" | cut -f2 | sed -n 300,499p
    tail -n +2 "$d/trec/train.tsv" | cut -f2 | tail -200; tail -n +2 "$d/imdb/train.tsv" | cut -f2 | sed -n 1000,1199p
    tail -n +2 "$d/wisesight/dev.tsv" | cut -f2 | sed -n 1,200p; } > "$texts"
elif [ -z "$texts" ]; then
  texts="$tmp/texts.txt"
  tail -n +2 "$shared/data/sst2/dev.tsv" | cut -f2 > "$texts"
  if [ "$what" = tokenize ]; then
    tail -n +2 "$shared/data/wisesight/dev.tsv" | cut -f2 >> "$texts"
    sed -n "2,3001p" "$shared/data/imdb/train.tsv" | cut -f2 >> "$texts"
  fi
fi
(cd "$root" && swift build -c release --product text-transfer >/dev/null)
bin="$root/.build/release/text-transfer"
case "$what" in
  embed)
    "$bin" bench embed --model "$model" --input "$texts" --threads 2 --runs "$runs" --precision fp32 --precision bf16 --precision int8
    "$py" "$shared/bench/peer_embed.py" "$model" "$texts" --threads 2 --runs "$runs" --peers st,ort,ort8 2>/dev/null | grep RESULT ;;
  tokenize)
    "$bin" bench tokenize --model "$model" --input "$texts" --runs "$runs"
    "$py" "$shared/bench/peer_tokenize.py" "$model" "$texts" --runs "$runs" --dump "$tmp/hf.jsonl" 2>/dev/null | grep RESULT
    "$bin" tokenize --model "$model" --input "$texts" > "$tmp/ours.jsonl"
    python3 - "$tmp/ours.jsonl" "$tmp/hf.jsonl" <<'PY'
import json, sys
ours = [json.loads(l)["ids"] for l in open(sys.argv[1])]
hf = [json.loads(l) for l in open(sys.argv[2])]
same = sum(a == b for a, b in zip(ours, hf))
print(f"ids identical to HF tokenizers on {same} of {len(hf)} lines" + ("" if same == len(hf) == len(ours) else " — MISMATCH"))
PY
    ;;
  vectors)
    dir=${BENCH_DIR:-$root/.bench}; mkdir -p "$dir"
    vec="$dir/vectors-1M-300d.vec"; vocab="$dir/vocabulary-20k.txt"
    [ -f "$vec" ] && [ -f "$vocab" ] || "$bin" bench make-vectors --output "$vec" --vocabulary-output "$vocab"
    "$bin" bench vectors --embeddings "$vec" --vocabulary "$vocab" --table "$dir/restricted-20k.safetensors" --runs "$runs"
    /usr/bin/time -v "$bin" bench vectors --embeddings "$vec" --vocabulary "$vocab" --runs 1 2> "$tmp/time.txt" | sed 's/^RESULT/# single load:/'
    echo "RESULT vectors text-transfer restricted_load_peak_RSS_MiB=$(awk '/Maximum resident/ {printf "%.0f", $6/1024}' "$tmp/time.txt")"
    "$py" "$root/Tools/bench/peer_vectors.py" "$vec" --runs "${GENSIM_RUNS:-3}" 2>/dev/null | grep RESULT ;;
  *) echo "unknown benchmark $what" >&2; exit 2 ;;
esac
