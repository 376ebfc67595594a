"""The example data the README's main command trains on: 8,000 rows of ../shared/data/sst2/train.tsv drawn
with random.Random(2026) (original order kept), and all 872 rows of dev.tsv, copied unchanged.
usage: python3 Tools/data/make_sst2_example.py   (writes Examples/sst2/train.tsv and dev.tsv)"""
import os, random
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
data = os.path.join(root, "..", "shared", "data", "sst2")
out = os.path.join(root, "Examples", "sst2")
os.makedirs(out, exist_ok=True)
with open(os.path.join(data, "train.tsv"), encoding="utf-8") as f:
    header, *rows = f.readlines()
keep = sorted(random.Random(2026).sample(range(len(rows)), 8000))
with open(os.path.join(out, "train.tsv"), "w", encoding="utf-8") as f:
    f.write(header + "".join(rows[i] for i in keep))
with open(os.path.join(data, "dev.tsv"), encoding="utf-8") as src, open(os.path.join(out, "dev.tsv"), "w", encoding="utf-8") as f:
    f.write(src.read())
