"""SetFit itself on a few-shot training file, the peer of `text-transfer train --strategy setfit`.
usage: peer_setfit.py MODEL_DIR TRAIN_TSV DEV_TSV [--threads 2] [--seed 42] [--num-iterations 20]
TRAIN_TSV and DEV_TSV: header `label<TAB>text` (what `train --write-train/--write-dev` save, so both tools
see the same examples). SetFit's defaults (batch 16, 1 body epoch, body lr 2e-5, warm-up 10%, cosine-
similarity loss, scikit-learn logistic-regression head) with its `num_iterations` pair sampling (each
example paired with one similar and one dissimilar example per iteration), as TextTransfer samples.
Prints one line: RESULT setfit accuracy=... train_seconds=... (Trainer.train: body and head; loading the
model is not counted) pairs=..."""
import argparse, os, time
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("WANDB_DISABLED", "true")
ap = argparse.ArgumentParser()
ap.add_argument("model"); ap.add_argument("train"); ap.add_argument("dev")
ap.add_argument("--threads", type=int, default=2); ap.add_argument("--seed", type=int, default=42)
ap.add_argument("--num-iterations", type=int, default=20)
a = ap.parse_args()
import torch
torch.set_num_threads(a.threads)
from datasets import Dataset
from setfit import SetFitModel, Trainer, TrainingArguments
from transformers.utils import logging
logging.set_verbosity_error()


def read(path):
    rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8")][1:]
    return [r[1] for r in rows], [r[0] for r in rows]


train_texts, train_labels = read(a.train)
dev_texts, dev_labels = read(a.dev)
labels = sorted(set(train_labels))
model = SetFitModel.from_pretrained(a.model)
arguments = TrainingArguments(batch_size=16, num_epochs=1, num_iterations=a.num_iterations, body_learning_rate=2e-5,
                              warmup_proportion=0.1, seed=a.seed, report_to="none", save_strategy="no",
                              eval_strategy="no", logging_strategy="no", show_progress_bar=False)
trainer = Trainer(model=model, args=arguments,
                  train_dataset=Dataset.from_dict({"text": train_texts, "label": [labels.index(l) for l in train_labels]}))
started = time.perf_counter()
trainer.train()
seconds = time.perf_counter() - started
predicted = model.predict(dev_texts, batch_size=64)
correct = sum(labels[int(p)] == gold for p, gold in zip(predicted, dev_labels))
print(f"RESULT setfit accuracy={correct / len(dev_labels):.4f} train_seconds={seconds:.2f} n_train={len(train_texts)} "
      f"n_dev={len(dev_labels)} pairs={2 * a.num_iterations * len(train_texts)}", flush=True)
