"""One masked-LM step of all-MiniLM-L6-v2 in PyTorch (transformers' BertForMaskedLM), for parity.
usage: make_mlm_fixtures.py MODEL_DIR OUT_DIR   (torch==2.15.0, transformers==5.24.0, safetensors, numpy)

The checkpoint has no MLM head, so the head is set from numpy's default_rng(0): transform dense weight
N(0, 0.02) and bias N(0, 0.02), LayerNorm weight 1 + N(0, 0.1) and bias N(0, 0.1), decoder bias N(0, 0.1)
(kept whole as head.NAME); the decoder weight is the word embeddings (tied). Batch: the first 6 SST-2 dev
sentences, dynamic padding, max length 32; 15% of the non-special tokens (at least one a sentence) chosen
with default_rng(1), 80% of them [MASK], 10% a random id, 10% kept; labels -100 elsewhere. Dropout off
(eval mode), token types 0.

As in make_training_fixtures.py, every parameter's gradient is kept as norm.NAME and proj.NAME (its
projections on 16 ±1 vectors, sign i of element j = bit i of splitmix64(j)); small ones whole as grad.NAME."""
import json, os, sys
import numpy as np, torch, transformers
from safetensors.torch import save_file
from gradient_projections import signs
from transformers import AutoTokenizer, BertForMaskedLM

model_dir, out = sys.argv[1], sys.argv[2]
data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/data")
torch.manual_seed(0)
torch.use_deterministic_algorithms(True)
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(data, "sst2/dev.tsv"), encoding="utf-8")][1:7]
texts = [r[1] for r in rows]
tok = AutoTokenizer.from_pretrained(model_dir)
enc = tok(texts, padding=True, truncation=True, max_length=32, return_tensors="pt", return_special_tokens_mask=True)
model = BertForMaskedLM.from_pretrained(model_dir).eval()
rng = np.random.default_rng(0)
p = model.cls.predictions
head = {
    "cls.predictions.transform.dense.weight": rng.normal(0, 0.02, p.transform.dense.weight.shape),
    "cls.predictions.transform.dense.bias": rng.normal(0, 0.02, p.transform.dense.bias.shape),
    "cls.predictions.transform.LayerNorm.weight": 1 + rng.normal(0, 0.1, p.transform.LayerNorm.weight.shape),
    "cls.predictions.transform.LayerNorm.bias": rng.normal(0, 0.1, p.transform.LayerNorm.bias.shape),
    "cls.predictions.bias": rng.normal(0, 0.1, p.bias.shape),
}
with torch.no_grad():
    p.transform.dense.weight.copy_(torch.tensor(head["cls.predictions.transform.dense.weight"]))
    p.transform.dense.bias.copy_(torch.tensor(head["cls.predictions.transform.dense.bias"]))
    p.transform.LayerNorm.weight.copy_(torch.tensor(head["cls.predictions.transform.LayerNorm.weight"]))
    p.transform.LayerNorm.bias.copy_(torch.tensor(head["cls.predictions.transform.LayerNorm.bias"]))
    p.bias.copy_(torch.tensor(head["cls.predictions.bias"]))
assert p.decoder.weight.data_ptr() == model.bert.embeddings.word_embeddings.weight.data_ptr(), "decoder tied"

ids = enc["input_ids"].clone()
labels = torch.full_like(ids, -100)
mask_rng = np.random.default_rng(1)
for b in range(ids.shape[0]):
    candidates = [t for t in range(ids.shape[1]) if enc["special_tokens_mask"][b, t] == 0 and enc["attention_mask"][b, t] == 1]
    chosen = [t for t in candidates if mask_rng.random() < 0.15] or [candidates[mask_rng.integers(len(candidates))]]
    for t in chosen:
        labels[b, t] = ids[b, t]
        roll = mask_rng.random()
        if roll < 0.8:
            ids[b, t] = tok.mask_token_id
        elif roll < 0.9:
            ids[b, t] = int(mask_rng.integers(model.config.vocab_size))

loss = model(input_ids=ids, attention_mask=enc["attention_mask"], token_type_ids=torch.zeros_like(ids), labels=labels).loss
loss.backward()


tensors = {f"head.{k}": torch.tensor(v) for k, v in head.items()}
for name, param in model.named_parameters():
    g = param.grad.detach().double().flatten().numpy()
    tensors[f"norm.{name}"] = torch.tensor([np.linalg.norm(g)])
    tensors[f"proj.{name}"] = torch.tensor(g @ signs(g.size))
    if g.size <= 4096:
        tensors[f"grad.{name}"] = param.grad.detach().clone()
os.makedirs(out, exist_ok=True)
save_file({k: v.float().contiguous() for k, v in tensors.items()}, os.path.join(out, "mlm_step.safetensors"),
          metadata={"versions": f"torch=={torch.__version__} transformers=={transformers.__version__} numpy=={np.__version__}"})
with open(os.path.join(out, "mlm_step.json"), "w") as f:
    json.dump({"texts": texts, "loss": loss.item(), "ids": ids.tolist(), "mask": enc["attention_mask"].tolist(),
               "labels": labels.tolist(), "parameters": [n for n, _ in model.named_parameters()]}, f, ensure_ascii=False)
print("loss", loss.item(), "predicted tokens", int((labels >= 0).sum()))
