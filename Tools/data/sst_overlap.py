#!/usr/bin/env python3
"""Which SST sentences the SST-2 training phrases already contain, to know what sequential transfer
(SST-2 first, then SST-5) may be evaluated on without leaking. Standard library only.

    python3 Tools/data/sst_overlap.py ../shared/data
"""
import sys


def texts(path):
    with open(path, encoding="utf-8") as f:
        next(f)  # header: label<TAB>text
        return [line.rstrip("\n").split("\t", 1)[1] for line in f]


def main(root):
    sst2_train = set(texts(f"{root}/sst2/train.tsv"))
    sst5_dev = texts(f"{root}/sst5/dev.tsv")
    sst5_train = texts(f"{root}/sst5/train.tsv")
    sst2_dev = texts(f"{root}/sst2/dev.tsv")
    print(f"SST-5 dev sentences among SST-2 training texts: {sum(t in sst2_train for t in sst5_dev)} of {len(sst5_dev)}")
    print(f"SST-5 train sentences among SST-2 training texts: {sum(t in sst2_train for t in sst5_train)} of {len(sst5_train)}")
    print(f"SST-2 dev sentences that are SST-5 dev sentences: {len(set(sst2_dev) & set(sst5_dev))} of {len(sst2_dev)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
