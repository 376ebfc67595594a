#!/usr/bin/env python3
"""Word vectors judged without any task's dev set: WordSim-353 and SimLex-999 (Spearman's rho between cosine
and human scores) and Google's analogies (3CosAdd among the 30,000 most frequent words), all three from the
test data inside gensim's wheel on PyPI (fetched once into CACHE). Only pairs and questions whose words are
all in a file's vocabulary count; how many did is printed. Used to compare ways of training vectors (threads,
merges) before any downstream run, so that a choice among them is not made on a dev set.

usage: Scripts/word-vectors-intrinsic.py FILE.vec [FILE.vec ...]     (CACHE: $WORD_SIM_CACHE or /tmp/word-sim-data)
Needs numpy and scipy (pip), and pip download of gensim==4.4.0 the first time.
"""
import glob, os, subprocess, sys, zipfile
import numpy as np
from scipy.stats import spearmanr

CACHE = os.environ.get("WORD_SIM_CACHE", "/tmp/word-sim-data")
FILES = ["wordsim353.tsv", "simlex999.txt", "questions-words.txt"]


def data_files():
    if not all(os.path.exists(os.path.join(CACHE, f)) for f in FILES):
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "gensim==4.4.0", "-d", CACHE], check=True)
        with zipfile.ZipFile(glob.glob(os.path.join(CACHE, "gensim-4.4.0-*.whl"))[0]) as wheel:
            for f in FILES:
                open(os.path.join(CACHE, f), "wb").write(wheel.read("gensim/test/test_data/" + f))
    return [os.path.join(CACHE, f) for f in FILES]


def load_vec(path):
    with open(path, encoding="utf-8") as f:
        count, dim = map(int, f.readline().split())
        words, rows = [], np.empty((count, dim), dtype=np.float32)
        for i, line in enumerate(f):
            parts = line.rstrip("\n").rstrip(" ").rsplit(" ", dim)  # the last dim fields: a word may hold odd spaces
            words.append(parts[0])
            rows[i] = np.asarray(parts[1:], dtype=np.float32)
    rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return {w: i for i, w in enumerate(words)}, rows  # .vec rows are in frequency order


def similarity(path, index, rows):
    human, model, total = [], [], 0
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        a, b, score = line.split("\t")[:3]
        total += 1
        a, b = a.lower(), b.lower()
        if a in index and b in index:
            human.append(float(score))
            model.append(float(rows[index[a]] @ rows[index[b]]))
    return spearmanr(human, model).statistic, len(human), total


def analogies(path, index, rows, restrict=30000):
    top = rows[:restrict]
    questions, total = [], 0
    for line in open(path, encoding="utf-8"):
        if line.startswith(":"):
            continue
        words = line.lower().split()
        total += 1
        if all(w in index and index[w] < restrict for w in words):
            questions.append([index[w] for w in words])
    if not questions:
        return 0.0, 0, total
    q = np.asarray(questions)
    correct = 0
    for start in range(0, len(q), 1024):
        chunk = q[start:start + 1024]
        target = top[chunk[:, 1]] - top[chunk[:, 0]] + top[chunk[:, 2]]
        scores = target @ top.T
        for j in range(3):  # the question's own words are not answers
            scores[np.arange(len(chunk)), chunk[:, j]] = -np.inf
        correct += int((scores.argmax(axis=1) == chunk[:, 3]).sum())
    return correct / len(q), len(q), total


def main():
    wordsim, simlex, questions = data_files()
    for path in sys.argv[1:]:
        index, rows = load_vec(path)
        ws, ws_n, ws_total = similarity(wordsim, index, rows)
        sl, sl_n, sl_total = similarity(simlex, index, rows)
        an, an_n, an_total = analogies(questions, index, rows)
        print(f"RESULT word-vectors-intrinsic file={path} wordsim353={ws:.4f} ({ws_n}/{ws_total}) "
              f"simlex999={sl:.4f} ({sl_n}/{sl_total}) analogies={an:.4f} ({an_n}/{an_total})")


if __name__ == "__main__":
    main()
