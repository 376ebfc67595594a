"""Word vectors trained here, checked by fastText itself: a small corpus of real SST-2 and Wisesight (Thai)
lines, the skip-gram model our CLI trains on it (2 threads, so the deterministic merge runs), and what
Debian's `fasttext print-word-vectors` (0.9.2) prints for words in the model's vocabulary and outside it
when it loads our .bin. The test retrains the model in-process and checks the same bytes and vectors.

    apt-get install fasttext; swift build -c release
    python3 Tools/golden/make_word_vector_fixtures.py .build/release/text-transfer Tests/TextTransferEmbeddingsTests/Fixtures
"""
import os
import random
import subprocess
import sys

from fasttext_printing import print_word_vectors
from shared_data import sample_lines

binary, out = sys.argv[1], sys.argv[2]
rng = random.Random(3)
texts = [t for _, t in sample_lines("sst2/train.tsv", 400, rng)] + [t for _, t in sample_lines("wisesight/train.tsv", 300, rng)]
corpus = os.path.join(out, "word_vector_corpus.txt")
with open(corpus, "w", encoding="utf-8") as f:
    f.write("\n".join(texts) + "\n")

model = os.path.join(out, "trained_skipgram")
# The settings WordVectorTrainingTests.fixtureSettings repeats.
subprocess.run([binary, "pretrain", "skipgram", "--text", corpus, "--output", model, "--dim", "8", "--bucket", "2000",
                "--minn", "2", "--maxn", "4", "--min-count", "2", "--epoch", "3", "--threads", "2", "--seed", "7"], check=True)

with open(model + ".vec", encoding="utf-8") as f:
    vocabulary = [line.split(" ", 1)[0] for line in f.read().splitlines()[1:]]
queries = ["</s>", "the", "film", ",", "ค่ะ"] + random.Random(5).sample(vocabulary, 60)
queries += ["filmz", "unwatchable", "qwertyzzz", "ภาพยนตร์", "東京", "x"]
queries = [w for w in dict.fromkeys(queries)]
print_word_vectors(model + ".bin", queries, os.path.join(out, "trained_skipgram_words.txt"),
                   os.path.join(out, "trained_skipgram_printed.txt"))
print(f"{len(vocabulary)} words; {len(queries)} queried, {sum(w in vocabulary for w in queries)} of them in the vocabulary")
