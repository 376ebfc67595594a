"""word2vec and GloVe parity fixtures from gensim 4.4.0 (the peers' venv):

- word2vec.txt and word2vec.bin: 300 real GloVe-Twitter vectors (PDDL) plus a few non-ASCII words, written by
  gensim's KeyedVectors.save_word2vec_format (text and binary), and word2vec_expected.json: the values gensim
  reads back from each file.
- glove_expected.json: rows of ../shared/data/word_vectors/*.txt as gensim's load_word2vec_format(no_header=True)
  reads them (every 37th word and the last), as {"word": ..., "row": ..., "vector": [...]}.

    $PY Tools/golden/make_word2vec_fixtures.py Tests/TextTransferEmbeddingsTests/Fixtures
"""
import json
import os
import sys

import numpy as np
from gensim.models import KeyedVectors

from shared_data import DATA

out = sys.argv[1]
twitter = os.path.join(DATA, "word_vectors/glove.twitter.27B.25d.top11925.txt")
source = KeyedVectors.load_word2vec_format(twitter, no_header=True)
words = source.index_to_key[:300]
kv = KeyedVectors(vector_size=source.vector_size)
kv.add_vectors(words, np.stack([source[w] for w in words]))
rng = np.random.default_rng(7)
extra = ["café", "naïve", "東京", "ภาษาไทย", "😀", "état-major"]
kv.add_vectors(extra, rng.standard_normal((len(extra), source.vector_size)).astype(np.float32))
expected = {}
for name, binary in (("word2vec.txt", False), ("word2vec.bin", True)):
    path = os.path.join(out, name)
    kv.save_word2vec_format(path, binary=binary)
    back = KeyedVectors.load_word2vec_format(path, binary=binary)
    expected[name] = {"words": back.index_to_key, "vectors": [[float(v) for v in back[w]] for w in back.index_to_key]}
with open(os.path.join(out, "word2vec_expected.json"), "w", encoding="utf-8") as f:
    json.dump(expected, f, ensure_ascii=False)

glove = {}
for name in ("glove.6B.50d.top2445.txt", "glove.twitter.27B.25d.top11925.txt"):
    kv = KeyedVectors.load_word2vec_format(os.path.join(DATA, "word_vectors", name), no_header=True)
    rows = list(range(0, len(kv.index_to_key), 37)) + [len(kv.index_to_key) - 1]
    glove[name] = {"count": len(kv.index_to_key), "dimension": kv.vector_size,
                   "rows": [{"row": r, "word": kv.index_to_key[r], "vector": [float(v) for v in kv[kv.index_to_key[r]]]} for r in rows]}
with open(os.path.join(out, "glove_expected.json"), "w", encoding="utf-8") as f:
    json.dump(glove, f, ensure_ascii=False)
print({k: len(v["words"]) for k, v in expected.items()}, {k: v["count"] for k, v in glove.items()})
