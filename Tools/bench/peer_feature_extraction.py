"""The issue's reference point for feature extraction: sentence-transformers embeddings of SST-2 (the model's
own normalized mean pooling) + scikit-learn LogisticRegression (default C=1, lbfgs), dev accuracy.

    $PY Tools/bench/peer_feature_extraction.py Models/all-MiniLM-L6-v2 ../shared/data/sst2
"""
import sys
import time

import torch
from sentence_transformers import SentenceTransformer
from sklearn.linear_model import LogisticRegression

model_dir, data = sys.argv[1], sys.argv[2]
torch.set_num_threads(2)


def read(path):
    rows = [line.rstrip("\n").split("\t", 1) for line in open(path, encoding="utf-8")][1:]
    return [t for _, t in rows], [l for l, _ in rows]


start = time.perf_counter()
model = SentenceTransformer(model_dir, device="cpu")
train_x, train_y = read(f"{data}/train.tsv")
dev_x, dev_y = read(f"{data}/dev.tsv")
features = model.encode(train_x, batch_size=64)
dev_features = model.encode(dev_x, batch_size=64)
for C in (1.0,):
    clf = LogisticRegression(C=C, max_iter=2000).fit(features, train_y)
    accuracy = (clf.predict(dev_features) == dev_y).mean()
    print(f"RESULT feature-extraction sentence-transformers+sklearn-LR C={C} dev_accuracy={accuracy:.4f} seconds={time.perf_counter() - start:.0f}")
