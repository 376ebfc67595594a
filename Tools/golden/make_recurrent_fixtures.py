"""One training step and 5 AdamW steps of small BiLSTM and BiGRU classifiers in PyTorch, for parity.
usage: make_recurrent_fixtures.py OUT_DIR   (torch==2.15.0, safetensors; reads ../shared/data and Vocab/)

Model: Embedding(V, 16) -> {LSTM, GRU}(16, 12, bidirectional, packed sequences: padding never enters) ->
max over each sequence's real steps -> Linear(24, 2) -> cross-entropy; torch.manual_seed(0) initializes.
Batch: the first 6 SST-2 dev sentences, lowercased and split on spaces, truncated to 12 words, each word an
id in the vocabulary of the batch (1..V; 0 pads). Writes OUT_DIR/recurrent_{lstm,gru}.safetensors with
init.NAME (every initial parameter), grad.NAME (every gradient of the first step), and JSON with the ids,
lengths, labels, loss and the losses before and after each of 5 AdamW steps (lr 1e-2, weight decay 0.01,
except biases)."""
import json, os, sys
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from safetensors.torch import save_file

out = sys.argv[1]
data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/data")
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(data, "sst2/dev.tsv"), encoding="utf-8")][1:7]
words = [r[1].lower().split()[:12] for r in rows]
vocab = {w: i + 1 for i, w in enumerate(sorted({w for ws in words for w in ws}))}
T = max(len(ws) for ws in words)
ids = torch.tensor([[vocab[w] for w in ws] + [0] * (T - len(ws)) for ws in words])
lengths = torch.tensor([len(ws) for ws in words])
labels = torch.tensor([int(r[0] == "positive") for r in rows])


class Net(torch.nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.embedding = torch.nn.Embedding(len(vocab) + 1, 16)
        self.rnn = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(16, 12, batch_first=True, bidirectional=True)
        self.classifier = torch.nn.Linear(24, 2)

    def forward(self, ids, lengths):
        packed = pack_padded_sequence(self.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        h, _ = pad_packed_sequence(self.rnn(packed)[0], batch_first=True, total_length=ids.shape[1])
        mask = torch.arange(ids.shape[1])[None, :, None] < lengths[:, None, None]
        return self.classifier(h.masked_fill(~mask, float("-inf")).max(1).values)


os.makedirs(out, exist_ok=True)
for cell in ("lstm", "gru"):
    torch.manual_seed(0)
    net = Net(cell)
    tensors = {f"init.{n}": p.detach().clone() for n, p in net.named_parameters()}
    loss = torch.nn.functional.cross_entropy(net(ids, lengths), labels)
    loss.backward()
    tensors.update({f"grad.{n}": p.grad.detach().clone() for n, p in net.named_parameters()})
    net.zero_grad()
    decay = [p for n, p in net.named_parameters() if not n.endswith("bias") and not n.startswith("rnn.bias")]
    no_decay = [p for n, p in net.named_parameters() if n.endswith("bias") or n.startswith("rnn.bias")]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-2)
    losses = []
    for step in range(6):
        opt.zero_grad()
        l = torch.nn.functional.cross_entropy(net(ids, lengths), labels)
        losses.append(l.item())
        if step < 5:
            l.backward()
            opt.step()
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(out, f"recurrent_{cell}.safetensors"),
              metadata={"versions": f"torch=={torch.__version__}", "seed": "0"})
    with open(os.path.join(out, f"recurrent_{cell}.json"), "w") as f:
        json.dump({"ids": ids.tolist(), "lengths": lengths.tolist(), "labels": labels.tolist(), "vocabulary": len(vocab) + 1,
                   "loss": loss.item(), "losses": losses}, f)
    print(cell, loss.item(), losses)
