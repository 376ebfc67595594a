#!/usr/bin/env bash
# Makes the seed corpora of the fuzz targets (Tests/TextTransferFuzzTests/Fixtures/seeds/TARGET/) from real files: all-MiniLM-L6-v2's
# own config, tokenizer and weights (cut small), GloVe rows, SST-2 lines, and a classifier and checkpoint
# that `text-transfer train` writes. Needs the peers' venv (../shared/bench/setup-peers.sh: safetensors,
# gensim) and Debian's fasttext. Seeds are committed; run again only to change them.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
py=${PY:-$HOME/.cache/texttransfer-peers/venv/bin/python}
model="$root/Models/all-MiniLM-L6-v2"
seeds="$root/Tests/TextTransferFuzzTests/Fixtures/seeds"
bin="$root/.build/release/text-transfer"
swift build -c release --package-path "$root" --product text-transfer > /dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rm -rf "$seeds"; for t in safetensors config tokenizer-json vocab glove word2vec-text word2vec-binary fasttext-bin vector-table tsv csv jsonl classifier-json checkpoint-json; do mkdir -p "$seeds/$t"; done

glove="$root/Tests/Data/word_vectors/glove.6B.50d.top2445.txt"
cp "$model/config.json" "$seeds/config/minilm.json"
head -n 1000 "$model/vocab.txt" > "$seeds/vocab/minilm-head.txt"
head -n 30 "$glove" > "$seeds/glove/glove-30.txt"
head -n 8 "$root/Tests/Data/word_vectors/glove.twitter.27B.25d.top11925.txt" > "$seeds/glove/twitter-8.txt"
head -n 21 "$root/Examples/sst2/train.tsv" > "$seeds/tsv/sst2-20.tsv"
"$bin" convert --embeddings "$seeds/glove/glove-30.txt" --output "$seeds/vector-table/glove-30.safetensors" > /dev/null
"$py" - "$model" "$glove" "$seeds" "$root/Examples/sst2/train.tsv" <<'PY'
import csv, json, sys
from safetensors.numpy import load_file, save_file
from gensim.models import KeyedVectors
model, glove, seeds, sst2 = sys.argv[1:]
# Real weights, few of them: the embedding LayerNorm and the pooler bias of all-MiniLM-L6-v2.
w = load_file(f"{model}/model.safetensors")
save_file({k: w[k] for k in ["embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias", "pooler.dense.bias"]},
          f"{seeds}/safetensors/minilm-3-tensors.safetensors", metadata={"format": "pt"})
# tokenizer.json with the first 1,000 tokens of the vocabulary (the specials among them).
t = json.load(open(f"{model}/tokenizer.json"))
t["model"]["vocab"] = {k: v for k, v in t["model"]["vocab"].items() if v < 1000}
t["added_tokens"] = [a for a in t["added_tokens"] if a["id"] < 1000]
json.dump(t, open(f"{seeds}/tokenizer-json/minilm-1000.json", "w"), ensure_ascii=False)
# word2vec text and binary as gensim writes them.
kv = KeyedVectors.load_word2vec_format(glove, binary=False, no_header=True, limit=20)
kv.save_word2vec_format(f"{seeds}/word2vec-text/glove-20.txt", binary=False)
kv.save_word2vec_format(f"{seeds}/word2vec-binary/glove-20.bin", binary=True)
rows = list(csv.reader(open(sst2, encoding="utf-8"), delimiter="\t"))[1:21]
with open(f"{seeds}/csv/sst2-20.csv", "w", newline="", encoding="utf-8") as f:
    out = csv.writer(f); out.writerow(["label", "text"]); out.writerows(rows)
with open(f"{seeds}/jsonl/sst2-20.jsonl", "w", encoding="utf-8") as f:
    for label, text in rows: f.write(json.dumps({"text": text, "pair": text[::-1], "label": label}) + "\n")
PY
head -n 400 "$root/Examples/sst2/train.tsv" | cut -f2 > "$tmp/corpus.txt"
fasttext skipgram -input "$tmp/corpus.txt" -output "$tmp/ft" -dim 4 -bucket 50 -minCount 3 -epoch 1 -thread 1 > /dev/null 2>&1
cp "$tmp/ft.bin" "$seeds/fasttext-bin/sst2-skipgram-4d.bin"
head -n 17 "$root/Examples/sst2/train.tsv" > "$tmp/train.tsv"
"$bin" train --model "$model" --train "$tmp/train.tsv" --dev "$tmp/train.tsv" --output "$tmp/cls" --epochs 1 --threads 2 \
    --max-length 32 --keep-checkpoint > /dev/null 2>&1
cp "$tmp/cls/text_transfer.json" "$seeds/classifier-json/minilm-sst2.json"
cp "$tmp/cls.checkpoint/state.json" "$seeds/checkpoint-json/minilm-sst2.json"
du -sh "$seeds"/* | sort -h | tail -3
