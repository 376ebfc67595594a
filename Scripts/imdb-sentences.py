#!/usr/bin/env python3
"""Unlabelled in-domain text for distilling SST-2 students: the sentences of IMDB's training reviews
(labels dropped), written the way SST-2's are (lower case, punctuation and "n't" split off), one per line,
deduplicated, those of 4-40 words, in a seeded order, at most N; a sentence that is the text of a row of
EXCLUDE_TSV (the dev set the students are scored on) is left out.
usage: Scripts/imdb-sentences.py IMDB_TRAIN_TSV OUT [N] [EXCLUDE_TSV]"""
import random, re, sys

source, out = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 200_000
seen, sentences = set(), []
if len(sys.argv) > 4:
    with open(sys.argv[4], encoding='utf-8') as f:
        next(f)
        seen = {line.rstrip('\n').split('\t', 1)[1].strip() for line in f}
with open(source, encoding='utf-8') as f:
    next(f)
    for line in f:
        review = line.rstrip('\n').split('\t', 1)[1].replace('<br />', ' ')
        for s in re.split(r'(?<=[.!?])\s+', review):
            s = s.lower()
            s = re.sub(r"n't\b", " n't", s)
            s = re.sub(r"'(s|re|ve|ll|d|m)\b", r" '\1", s)
            s = re.sub(r'([.,!?;:()"])', r' \1 ', s)
            words = s.split()
            if 4 <= len(words) <= 40:
                text = ' '.join(words)
                if text not in seen:
                    seen.add(text)
                    sentences.append(text)
random.Random(5).shuffle(sentences)
with open(out, 'w', encoding='utf-8') as f:
    for s in sentences[:limit]:
        f.write(s + '\n')
print(f'{len(sentences)} distinct sentences of 4-40 words; wrote {min(limit, len(sentences))} to {out}')
