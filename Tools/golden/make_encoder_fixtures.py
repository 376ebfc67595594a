"""Sentence embeddings and hidden states of all-MiniLM-L6-v2 from the reference implementations.
usage: make_encoder_fixtures.py MODEL_DIR OUT_DIR   (torch==2.15.0, transformers==5.24.0,
sentence-transformers==6.2.0, safetensors)
Writes OUT_DIR/encoder_parity.jsonl (the texts in order, one JSON string each: SST-2 and Wisesight lines
and handwritten_texts.py, which may be copied into the project) and OUT_DIR/encoder_parity.safetensors:
  embeddings   (N, 384)  SentenceTransformer.encode (mean pooling, max_seq_length 256, normalized)
  hidden.K     (T, 384)  BertModel last_hidden_state of text K for the first few texts
  cls, pooler  (P, 384)  [CLS] hidden state and BertModel pooler_output of the first P texts, unnormalized
  max_embeddings (M, 384) the first M texts through a copy of the model whose 1_Pooling/config.json asks
                         for max pooling (sentence-transformers' max over the real tokens, normalized)"""
import json, os, random, sys
import torch, transformers, sentence_transformers
from safetensors.torch import save_file
from sentence_transformers import SentenceTransformer
from handwritten_texts import QUESTIONS, REVIEWS
from shared_data import sample_lines

os.environ.setdefault("HF_HUB_OFFLINE", "1")
model_dir, out = sys.argv[1], sys.argv[2]
rng = random.Random(7)
lines = lambda path, n: sample_lines(path, n, rng, text_record=lambda t: t)

MAX_TEXTS = 60
hidden_texts = ["The quick brown fox jumps over the lazy dog.", "", "Café naïve — résumé 😀 中文",
                "a masterful film that rewards patience ."]
records = [(t, t) for t in hidden_texts + ["   "]] + lines("sst2/dev.tsv", 120) + [(t, t) for t in QUESTIONS + REVIEWS] \
    + lines("sst2/train.tsv", 8) + lines("wisesight/dev.tsv", 40)
texts = [t for _, t in records]
torch.manual_seed(0)
st = SentenceTransformer(model_dir, device="cpu")
tensors = {"embeddings": torch.tensor(st.encode(texts, batch_size=32, normalize_embeddings=False)).contiguous()}
bert, tok = st[0].auto_model.eval(), st[0].tokenizer
with torch.inference_mode():
    for k, t in enumerate(hidden_texts):
        enc = tok([t], return_tensors="pt", truncation=True, max_length=256)
        tensors[f"hidden.{k}"] = bert(**enc).last_hidden_state[0].contiguous()
    enc = tok(hidden_texts, return_tensors="pt", padding=True, truncation=True, max_length=256)
    result = bert(**enc)
    tensors["cls"] = result.last_hidden_state[:, 0].contiguous()
    tensors["pooler"] = result.pooler_output.contiguous()
# The same model with max pooling: a copy whose 1_Pooling/config.json turns max on and mean off.
import shutil, tempfile
with tempfile.TemporaryDirectory() as tmp:
    max_dir = shutil.copytree(model_dir, os.path.join(tmp, "max"), ignore=shutil.ignore_patterns("onnx", "*.onnx"))
    pooling_config = os.path.join(max_dir, "1_Pooling", "config.json")
    config = json.load(open(pooling_config))
    config.update(pooling_mode_mean_tokens=False, pooling_mode_max_tokens=True)
    json.dump(config, open(pooling_config, "w"))
    st_max = SentenceTransformer(max_dir, device="cpu")
    tensors["max_embeddings"] = torch.tensor(st_max.encode(texts[:MAX_TEXTS], batch_size=32)).contiguous()
os.makedirs(out, exist_ok=True)
save_file({k: v.float() for k, v in tensors.items()}, os.path.join(out, "encoder_parity.safetensors"),
          metadata={"versions": f"torch=={torch.__version__} transformers=={transformers.__version__} "
                                f"sentence-transformers=={sentence_transformers.__version__}", "seed": "7"})
with open(os.path.join(out, "encoder_parity.jsonl"), "w", encoding="utf-8") as f:
    for record, _ in records:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
print(f"wrote {len(texts)} texts")
