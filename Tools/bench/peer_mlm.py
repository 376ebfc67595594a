"""Seconds per masked-LM training step of transformers' BertForMaskedLM, the peer of
`text-transfer bench train --parts mlm`.
usage: peer_mlm.py MODEL_DIR TRAIN_TSV [--threads 2] [--runs 5] [--length 128]
The first 32 texts of TRAIN_TSV (header `label<TAB>text`) padded to exactly --length tokens; 15% of the
non-special tokens masked (80/10/10, numpy seed 0); AdamW lr 1e-4; dropout on (train mode). The MLM head
is initialised by transformers (all-MiniLM-L6-v2 has none). Prints RESULT with the median s/step."""
import argparse, os, statistics, time
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ap = argparse.ArgumentParser()
ap.add_argument("model"); ap.add_argument("train")
ap.add_argument("--threads", type=int, default=2); ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--length", type=int, default=128)
a = ap.parse_args()
import numpy as np, torch
torch.set_num_threads(a.threads); torch.manual_seed(0)
from transformers import AutoTokenizer, BertForMaskedLM
from transformers.utils import logging
logging.set_verbosity_error()
rows = [l.rstrip("\n").split("\t") for l in open(a.train, encoding="utf-8")][1:33]
tok = AutoTokenizer.from_pretrained(a.model)
enc = tok([r[1] for r in rows], padding="max_length", truncation=True, max_length=a.length, return_tensors="pt",
          return_special_tokens_mask=True)
model = BertForMaskedLM.from_pretrained(a.model).train()
rng = np.random.default_rng(0)
ids, labels = enc["input_ids"].clone(), torch.full_like(enc["input_ids"], -100)
chosen = (torch.tensor(rng.random(ids.shape)) < 0.15) & (enc["special_tokens_mask"] == 0) & (enc["attention_mask"] == 1)
labels[chosen] = ids[chosen]
roll = torch.tensor(rng.random(ids.shape))
ids[chosen & (roll < 0.8)] = tok.mask_token_id
random_ids = torch.tensor(rng.integers(model.config.vocab_size, size=ids.shape))
ids[chosen & (roll >= 0.8) & (roll < 0.9)] = random_ids[chosen & (roll >= 0.8) & (roll < 0.9)]
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)


def step():
    optimizer.zero_grad()
    loss = model(input_ids=ids, attention_mask=enc["attention_mask"], labels=labels).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()


for _ in range(3):
    step()
samples = []
for _ in range(a.runs):
    t0 = time.perf_counter(); step(); samples.append(time.perf_counter() - t0)
samples.sort()
print(f"RESULT train torch-minilm-mlm batch=32 L={a.length} predicted={int(chosen.sum())} s/step={statistics.median(samples):.4f} "
      f"(min {samples[0]:.4f} max {samples[-1]:.4f} n={len(samples)})", flush=True)
