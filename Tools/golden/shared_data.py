"""Sampling real lines of ../shared/data for fixtures. Only SST-2 and Wisesight text may be copied into the
project (../shared/data/README.md); lines of the other sets are recorded as references that the Swift tests
resolve: {"source": path under ../shared/data, "line": 1-based line number}."""
import os

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/data")
SHIPPABLE = ("sst2/", "wisesight/")


def sample_lines(path, n, rng, text_record=lambda t: {"text": t}):
    """n random lines of a label<TAB>text file as (fixture record, text) pairs."""
    with open(os.path.join(DATA, path), encoding="utf-8") as f:
        rows = [(i + 1, l.rstrip("\n").split("\t", 1)[1]) for i, l in enumerate(f) if i > 0]
    picked = rng.sample(rows, n)
    if path.startswith(SHIPPABLE):
        return [(text_record(t), t) for _, t in picked]
    return [({"source": path, "line": number}, t) for number, t in picked]
