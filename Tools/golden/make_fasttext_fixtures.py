"""fastText parity fixture: a small skip-gram model trained by Debian's `fasttext` (0.9.2) on IMDB training
text, the words to query (in the vocabulary and not), what `fasttext print-word-vectors` prints for them
(5 significant digits), and the same vectors at full float32 precision from fastText's own C++ through its
Python binding (pip fasttext-wheel 0.9.2, FastText.get_word_vector).

    apt-get install fasttext; $PY -m pip install fasttext-wheel==0.9.2
    $PY Tools/golden/make_fasttext_fixtures.py Tests/TextTransferEmbeddingsTests/Fixtures
"""
import json
import os
import random
import subprocess
import sys
import tempfile

import fasttext

from fasttext_printing import print_word_vectors
from shared_data import DATA

out = sys.argv[1]
work = tempfile.mkdtemp()
corpus = os.path.join(work, "corpus.txt")
with open(os.path.join(DATA, "imdb/train.tsv"), encoding="utf-8") as f, open(corpus, "w", encoding="utf-8") as c:
    for i, line in enumerate(f):
        if 1 <= i <= 3000:
            c.write(line.rstrip("\n").split("\t", 1)[1].replace("<br />", " ").lower() + "\n")

# Small on purpose (about 0.6 MB): 8 dimensions, 5,000 buckets, n-grams of 3 to 5 characters, one thread.
model = os.path.join(out, "imdb_skipgram")
subprocess.run(["fasttext", "skipgram", "-input", corpus, "-output", model, "-dim", "8", "-minCount", "10",
                "-bucket", "5000", "-minn", "3", "-maxn", "5", "-epoch", "2", "-thread", "1", "-seed", "0",
                "-verbose", "0"], check=True)
os.remove(model + ".vec")

ft = fasttext.load_model(model + ".bin")
rng = random.Random(5)
vocabulary = ft.get_words()
in_vocabulary = ["</s>", "the", "movie", "film", "it's", "(", "!"] + rng.sample(vocabulary, 120)
out_of_vocabulary = ["moviee", "filmmakerz", "unwatchable!!!", "qwertyzzz", "x", "ab", "a-b-c", "Movie", "THE",
                     "café", "naïve", "ภาพยนตร์", "東京", "😀", "supercalifragilisticexpialidocious", "don't-care"]
words = [w for w in dict.fromkeys(in_vocabulary + out_of_vocabulary)]
print_word_vectors(model + ".bin", words, os.path.join(out, "fasttext_words.txt"),
                   os.path.join(out, "fasttext_print_word_vectors.txt"))
record = {
    "about": "get_word_vector of fasttext-wheel 0.9.2 on imdb_skipgram.bin (Debian fasttext 0.9.2 skipgram, see the script)",
    "in_vocabulary": [w for w in words if ft.get_word_id(w) >= 0],
    "vectors": {w: [float(v) for v in ft.get_word_vector(w)] for w in words},
}
with open(os.path.join(out, "fasttext_vectors.json"), "w", encoding="utf-8") as f:
    json.dump(record, f, ensure_ascii=False, indent=0)
print(f"{len(vocabulary)} words in the model; {len(record['in_vocabulary'])} of {len(words)} queried words in it")
