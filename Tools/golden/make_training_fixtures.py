"""One training step of all-MiniLM-L6-v2 + a 2-class head in PyTorch, and 5 AdamW steps, for parity.
usage: make_training_fixtures.py MODEL_DIR OUT_DIR   (torch==2.15.0, transformers==5.24.0, safetensors)

Model: transformers BertForSequenceClassification from MODEL_DIR (pooler: dense + tanh over [CLS], then a
Linear(384, 2) classifier initialised with torch.manual_seed(0)), dropout off (eval mode), cross-entropy.
Batch: the first 8 SST-2 dev sentences (uneven lengths, dynamic padding, max length 64).

Gradients of all 23M parameters are too large to commit, so for every parameter the fixture keeps
  norm.NAME  (1)   the gradient's L2 norm, and
  proj.NAME  (16)  its projections on 16 random ±1 vectors: sign i of element j is bit i of
                   splitmix64(j) (1 -> +1, 0 -> -1), j counting the flattened elements from 0.
The test computes the same projections of its own gradient: the mean square of the projected differences
estimates ||g_ours - g_torch||^2 without bias. Small tensors (classifier, pooler, LayerNorms) are also kept
whole as grad.NAME. training_step.json holds the batch and, at full precision, the loss and "losses": the loss before and after each of 5 AdamW steps (lr 1e-4, betas 0.9/0.999,
eps 1e-8, weight decay 0.01 except biases and LayerNorm weights), same batch each step."""
import json, os, sys
import numpy as np, torch, transformers
from safetensors.torch import save_file
from gradient_projections import signs
from transformers import AutoTokenizer, BertForSequenceClassification

model_dir, out = sys.argv[1], sys.argv[2]
data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/data")
torch.manual_seed(0)
torch.use_deterministic_algorithms(True)
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(data, "sst2/dev.tsv"), encoding="utf-8")][1:9]
texts, labels = [r[1] for r in rows], [int(r[0] == "positive") for r in rows]
tok = AutoTokenizer.from_pretrained(model_dir)
enc = tok(texts, padding=True, truncation=True, max_length=64, return_tensors="pt")
model = BertForSequenceClassification.from_pretrained(model_dir, num_labels=2).eval()  # eval: dropout off
y = torch.tensor(labels)
head = {k: v.detach().clone() for k, v in model.classifier.state_dict().items()}


def loss_now():
    return torch.nn.functional.cross_entropy(model(**enc).logits, y)


loss = loss_now()
loss.backward()
tensors = {"classifier.weight.initial": head["weight"], "classifier.bias.initial": head["bias"]}
for name, p in model.named_parameters():
    g = p.grad.detach().double().flatten().numpy()
    tensors[f"norm.{name}"] = torch.tensor([np.linalg.norm(g)])
    tensors[f"proj.{name}"] = torch.tensor(g @ signs(g.size))
    if name.startswith(("classifier", "bert.pooler")) or name.endswith(".bias") or "LayerNorm" in name:
        tensors[f"grad.{name}"] = p.grad.detach().clone()
model.zero_grad()
decay = [p for n, p in model.named_parameters() if not (n.endswith(".bias") or "LayerNorm" in n)]
no_decay = [p for n, p in model.named_parameters() if n.endswith(".bias") or "LayerNorm" in n]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=1e-4, betas=(0.9, 0.999), eps=1e-8)
losses = []
for step in range(6):
    opt.zero_grad()
    l = loss_now()
    losses.append(l.item())
    if step < 5:
        l.backward()
        opt.step()
os.makedirs(out, exist_ok=True)
save_file({k: v.float().contiguous() for k, v in tensors.items()},
          os.path.join(out, "training_step.safetensors"),
          metadata={"versions": f"torch=={torch.__version__} transformers=={transformers.__version__}", "seed": "0"})
with open(os.path.join(out, "training_step.json"), "w") as f:
    json.dump({"texts": texts, "labels": labels, "loss": loss.item(), "losses": losses,
               "ids": enc["input_ids"].tolist(), "mask": enc["attention_mask"].tolist()}, f, ensure_ascii=False)
print("loss", loss.item(), "losses", losses)
