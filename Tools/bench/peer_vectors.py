"""gensim's KeyedVectors.load_word2vec_format on a .vec file, timed like our `text-transfer bench vectors`.
gensim has no vocabulary restriction, so it reads the whole file (as users of it do).

    $PY Tools/bench/peer_vectors.py FILE.vec [--runs 3]
"""
import argparse
import resource
import statistics
import time

import gensim
from gensim.models import KeyedVectors

parser = argparse.ArgumentParser()
parser.add_argument("file")
parser.add_argument("--runs", type=int, default=3)
args = parser.parse_args()
seconds = []
for _ in range(args.runs):
    start = time.perf_counter()
    kv = KeyedVectors.load_word2vec_format(args.file, binary=False)
    seconds.append(time.perf_counter() - start)
    words, dim = len(kv.index_to_key), kv.vector_size
    del kv
seconds.sort()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"RESULT vectors gensim-{gensim.__version__} load_s={statistics.median(seconds):.3f} (min {seconds[0]:.3f} max {seconds[-1]:.3f} "
      f"n={len(seconds)}) words={words} dim={dim} peak_RSS_MiB={rss:.0f}")
