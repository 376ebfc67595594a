"""Pair encodings from HF tokenizers: [CLS] A [SEP] B [SEP], token types, offsets, and LongestFirst
truncation at several lengths.  usage: make_pair_fixtures.py MODEL_DIR OUT_DIR   (tokenizers==0.23.3)
Pairs: consecutive SST-2 dev sentences and hand-made ones (empty sides, one side long)."""
import json, os, random, sys
import tokenizers
from tokenizers import Tokenizer
from shared_data import sample_lines

model, out = sys.argv[1], sys.argv[2]
rng = random.Random(11)
texts = [t for _, t in sample_lines("sst2/dev.tsv", 120, rng)]
pairs = list(zip(texts[0::2], texts[1::2]))
pairs += [("", "b side only"), ("a side only", ""), ("", ""), ("short", "a much longer second sentence " * 8),
          ("a much longer first sentence " * 8, "short"), ("Café [SEP] naïve", "中文 and ünïcödé")]
tk = Tokenizer.from_file(os.path.join(model, "tokenizer.json"))
tk.no_padding()
with open(os.path.join(out, "pair_parity.jsonl"), "w", encoding="utf-8") as f:
    for i, (a, b) in enumerate(pairs):
        for max_length in (None, 16, 9, 7):
            if max_length is None:
                tk.no_truncation()
            else:
                tk.enable_truncation(max_length, strategy="longest_first")
            e = tk.encode(a, b)
            f.write(json.dumps({"a": a, "b": b, "max_length": max_length, "ids": e.ids, "type_ids": e.type_ids,
                                "offsets": [list(o) for o in e.offsets]}, ensure_ascii=False) + "\n")
print(f"wrote {len(pairs) * 4} encodings with tokenizers {tokenizers.__version__}")
