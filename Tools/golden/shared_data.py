"""Sampling real lines of ../shared/data for fixtures. Only SST-2 and Wisesight text may be copied into the
project (../shared/data/README.md), so only they are sampled; the fixtures carry the texts themselves, and
the tests never read ../shared. Texts of other kinds come from handwritten_texts.py."""
import os

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/data")
SHIPPABLE = ("sst2/", "wisesight/")


def sample_lines(path, n, rng, text_record=lambda t: {"text": t}):
    """n random lines of a label<TAB>text file as (fixture record, text) pairs."""
    if not path.startswith(SHIPPABLE):
        raise ValueError(f"{path} may not be copied into the project: use SST-2, Wisesight or handwritten_texts.py")
    with open(os.path.join(DATA, path), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t", 1)[1] for i, l in enumerate(f) if i > 0]
    return [(text_record(t), t) for t in rng.sample(rows, n)]
