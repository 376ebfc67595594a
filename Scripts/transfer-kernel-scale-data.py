#!/usr/bin/env python3
"""The transfer kernel's scale check (BENCHMARKS.md, "train --strategy transfer-kernel at 100k + 100k"):
SOURCE.tsv — 100,000 sentences of IMDB's training reviews, each with its review's label (the reviews in
random.Random(5)'s order, `<br />` removed, split after . ! ?, sentences of at least 3 words); TARGET.txt —
100,000 texts, all of SST-2's training texts and then sentences of the reviews after those (labels unused).

usage: Scripts/transfer-kernel-scale-data.py OUT_DIR     (writes OUT_DIR/source.tsv and OUT_DIR/target.txt)
then:  text-transfer train --strategy transfer-kernel --source OUT_DIR/source.tsv --train OUT_DIR/target.txt \\
         --dev ../shared/data/sst2/dev.tsv --feature-cache OUT_DIR/cache --threads 2 --output OUT_DIR/model
"""
import os, random, re, sys

out = sys.argv[1]
data = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
os.makedirs(out, exist_ok=True)
reviews = [line.rstrip("\n").split("\t", 1) for line in open(f"{data}/imdb/train.tsv", encoding="utf-8")][1:]
random.Random(5).shuffle(reviews)
sentences = ((label, s) for label, text in reviews
             for s in re.split(r"(?<=[.!?])\s+", text.replace("<br />", " ")) if len(s.split()) >= 3)
with open(f"{out}/source.tsv", "w", encoding="utf-8") as f:
    f.write("label\ttext\n")
    for _ in range(100_000):
        label, s = next(sentences)
        f.write(f"{label}\t{s}\n")
sst = [line.rstrip("\n").split("\t", 1)[1] for line in open(f"{data}/sst2/train.tsv", encoding="utf-8")][1:]
with open(f"{out}/target.txt", "w", encoding="utf-8") as f:
    for s in sst:
        f.write(s + "\n")
    for _ in range(100_000 - len(sst)):
        f.write(next(sentences)[1] + "\n")
print(f"wrote 100,000 labelled IMDB sentences to {out}/source.tsv and 100,000 target texts "
      f"({len(sst)} SST-2, {100_000 - len(sst)} IMDB) to {out}/target.txt")
