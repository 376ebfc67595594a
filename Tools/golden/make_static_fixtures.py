"""model2vec's static distillation of all-MiniLM-L6-v2, as fixtures for StaticEmbeddings.
usage: make_static_fixtures.py MODEL_DIR OUT_DIR [FULL_TABLE_DIR]
       (model2vec==0.10.0, torch==2.15.0, transformers==5.24.0, tokenizers==0.23.3, numpy, safetensors)
Writes OUT_DIR/static_parity.json and OUT_DIR/static_parity.safetensors:
  vocabulary          model2vec's vocabulary after cleaning ([unused…] removed), in row order
  sample_rows         row indices of the sampled tokens
  token_means  (S, 384)  model2vec's per-token forward pass ([CLS] token [SEP], masked mean) of the samples
  pca_input (300, 16), pca_output (300, 8)   model2vec's apply_pca on a seeded matrix
  sif_weights (300,)  model2vec's compute_weights(300, 1e-4)
  texts, formula_embeddings (T, 8)   StaticModel.encode of the texts with the cleaned tokenizer and the
                      table row r, column c = sin(0.01·(r+1)·(c+1)) (so the Swift test rebuilds it)
With FULL_TABLE_DIR, also saves there model2vec's whole 256-d float32 distillation (StaticModel
save_pretrained) for the cosine comparison in BENCHMARKS.md (not committed: 30 MB)."""
import json, os, random, sys
import numpy as np
import torch
from safetensors.numpy import save_file
from transformers import AutoModel, AutoTokenizer
from skeletoken import TokenizerModel
from skeletoken.external.transformers import reshape_embeddings
from model2vec.distill import distill_from_model
from model2vec.distill.inference import apply_pca, compute_weights, create_embeddings
from model2vec.model import StaticModel
from model2vec.tokenizer import clean_and_create_vocabulary, turn_tokens_into_ids
from handwritten_texts import QUESTIONS, REVIEWS
import re

os.environ.setdefault("HF_HUB_OFFLINE", "1")
model_dir, out = sys.argv[1], sys.argv[2]
full = sys.argv[3] if len(sys.argv) > 3 else None
torch.manual_seed(0)
model = AutoModel.from_pretrained(model_dir)
tokenizer = AutoTokenizer.from_pretrained(model_dir, use_fast=True)

# The same steps as distill_from_model, stopping before PCA to keep the per-token means.
original = TokenizerModel.from_transformers_tokenizer(tokenizer).prune_added_tokens()
cleaned = clean_and_create_vocabulary(original.deep_copy(), [], token_remove_regex=re.compile(r"\[unused\d+\]"))
tokens = cleaned.sorted_vocabulary
ids = turn_tokens_into_ids(tokens, original)
# Pruning renumbers the ids after the dropped added tokens ([MASK]); the embedding matrix follows.
reshaped = reshape_embeddings(AutoModel.from_pretrained(model_dir), original)
rng = random.Random(3)
sample = sorted(rng.sample(range(len(tokens)), 200) + [0, 1, 2, 3, 4, len(tokens) - 1])
means = create_embeddings(model=reshaped, tokenized=[ids[i] for i in sample], device="cpu", pad_token_id=original.pad_token_id or 0)

matrix = np.random.default_rng(11).normal(size=(300, 16)).astype(np.float32) * np.linspace(3, 0.2, 16, dtype=np.float32)
projected = apply_pca(matrix.copy(), 8)
weights = compute_weights(300, 1e-4)

texts = ["a masterful film that rewards patience .", "", "The quick brown fox jumps over the lazy dog.",
         "Café naïve — résumé 😀 中文", "[MASK] is unknown to me: qqqxxzzq"] + QUESTIONS[:10] + REVIEWS[:10]
table = np.sin(0.01 * np.outer(np.arange(1, len(tokens) + 1), np.arange(1, 9))).astype(np.float32)
formula = StaticModel(vectors=table, tokenizer=cleaned.to_tokenizer(), normalize=True).encode(texts)

os.makedirs(out, exist_ok=True)
save_file({"token_means": np.ascontiguousarray(means.astype(np.float32)), "pca_input": matrix,
           "pca_output": np.ascontiguousarray(projected.astype(np.float32)), "sif_weights": weights.astype(np.float32),
           "formula_embeddings": np.ascontiguousarray(formula.astype(np.float32))}, f"{out}/static_parity.safetensors")
with open(f"{out}/static_parity.json", "w") as f:
    json.dump({"vocabulary": tokens, "sample_rows": sample, "texts": texts}, f, ensure_ascii=False)

if full:
    static = distill_from_model(model=model, tokenizer=tokenizer, pca_dims=256, quantize_to="float32")
    static.save_pretrained(full)
    print(f"model2vec's 256-d table ({static.embedding.shape}) saved to {full}")
print(f"{len(tokens)} tokens after cleaning; fixtures in {out}")
