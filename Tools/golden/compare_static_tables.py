"""Compares a static model written by `text-transfer distill-embeddings` with model2vec's own distillation.
usage: compare_static_tables.py OURS_DIR MODEL2VEC_DIR   (model2vec==0.10.0, numpy, safetensors)
MODEL2VEC_DIR: from make_static_fixtures.py's third argument (distill_from_model, pca_dims 256, float32).
Prints per-token cosine between the two tables (same vocabulary, same row order required), then loads
OURS_DIR with model2vec's StaticModel.from_pretrained and compares its encode() of a few sentences with
model2vec's table's encode() — the RESULT lines BENCHMARKS.md quotes."""
import json, os, sys
import numpy as np
from safetensors.numpy import load_file
from model2vec import StaticModel

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ours_dir, theirs_dir = sys.argv[1], sys.argv[2]
ours, theirs = load_file(f"{ours_dir}/model.safetensors")["embeddings"], load_file(f"{theirs_dir}/model.safetensors")["embeddings"]
vocab = lambda d: sorted(json.load(open(f"{d}/tokenizer.json"))["model"]["vocab"].items(), key=lambda kv: kv[1])
assert [t for t, _ in vocab(ours_dir)] == [t for t, _ in vocab(theirs_dir)], "the vocabularies differ"
assert ours.shape == theirs.shape, f"{ours.shape} vs {theirs.shape}"
norms = np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1)
live = norms > 0
cos = (ours * theirs).sum(axis=1)[live] / norms[live]
print(f"RESULT static-table tokens={live.sum()} dims={ours.shape[1]} min_cosine={cos.min():.6f} p1_cosine={np.percentile(cos, 1):.6f} "
      f"median_cosine={np.median(cos):.6f} below_0.999={(cos < 0.999).sum()}")
texts = ["a masterful film that rewards patience .", "the plot is a dull , lifeless mess", "What is the capital of Thailand?"]
a = StaticModel.from_pretrained(ours_dir).encode(texts)
b = StaticModel.from_pretrained(theirs_dir).encode(texts)
print(f"RESULT static-encode model2vec-loads-ours=yes min_cosine={min(float(np.dot(x, y) / np.linalg.norm(x) / np.linalg.norm(y)) for x, y in zip(a, b)):.6f}")
