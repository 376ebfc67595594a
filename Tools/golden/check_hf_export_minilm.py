"""Export parity on the real model: classifiers fine-tuned from all-MiniLM-L6-v2 on 2,000 SST-2 training
sentences (1 epoch; pooling mean, cls, max and pooler with the softmax head, mean with a normalized multi-label
head, cls with the ordinal head), exported with `text-transfer export`, loaded by transformers and by
sentence-transformers, and compared with TextTransfer's own logits (`predict --logits`) and embeddings
(`embed` on the classifier) on 200 SST-2 dev sentences. Prints one RESULT line per classifier.
usage: check_hf_export_minilm.py TEXT_TRANSFER MODEL_DIR WORK_DIR   (the peers' python: ../shared/bench/setup-peers.sh)"""
import json, os, subprocess, sys
import numpy as np, torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer
from sentence_transformers import SentenceTransformer

binary, base, work = sys.argv[1:4]
data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/data/sst2")
os.makedirs(work, exist_ok=True)
rows = [l.rstrip("\n").split("\t", 1) for l in open(os.path.join(data, "train.tsv"), encoding="utf-8")][1:2001]
dev = [l.rstrip("\n").split("\t", 1)[1] for l in open(os.path.join(data, "dev.tsv"), encoding="utf-8")][1:201]
torch.set_num_threads(2)


def write(name, labelled):
    path = os.path.join(work, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("label\ttext\n" + "".join(f"{l}\t{t}\n" for l, t in labelled))
    return path


plain = write("train.tsv", rows)
tags = write("train_tags.tsv", [(l + ("|long" if len(t.split()) >= 12 else ""), t) for l, t in rows])
sizes = write("train_size.tsv", [("short" if len(t.split()) < 8 else "medium" if len(t.split()) < 16 else "long", t) for _, t in rows])
texts = os.path.join(work, "dev.txt")
open(texts, "w", encoding="utf-8").write("".join(t + "\n" for t in dev))
variants = {
    "mean_softmax": (plain, ["--pooling", "mean"]),
    "cls_softmax": (plain, ["--pooling", "cls"]),
    "max_softmax": (plain, ["--pooling", "max"]),
    "pooler_softmax": (plain, ["--pooling", "pooler"]),
    "mean_multilabel_normalized": (tags, ["--pooling", "mean", "--head", "multi-label", "--normalize", "true"]),
    "cls_ordinal": (sizes, ["--pooling", "cls", "--head", "ordinal", "--labels", "short,medium,long"]),
}
for name, (train, flags) in variants.items():
    classifier, hf, st = (os.path.join(work, name + suffix) for suffix in ("", "-hf", "-st"))
    if not os.path.exists(os.path.join(classifier, "text_transfer.json")):
        subprocess.run([binary, "train", "--model", base, "--train", train, "--dev-fraction", "0.1", "--seed", "1", "--epochs", "1",
                        "--max-length", "128", "--no-verdict", "--threads", "2", *flags, "--output", classifier], check=True,
                       stdout=subprocess.DEVNULL)
    for directory, form in ((hf, "hf"), (st, "sentence-transformers")):
        subprocess.run([binary, "export", "--model", classifier, "--format", form, "--output", directory, "--overwrite"], check=True,
                       stdout=subprocess.DEVNULL)
    ours = [json.loads(l)["logits"] for l in subprocess.run([binary, "predict", "--model", classifier, "--input", texts, "--format", "jsonl",
                                                             "--logits"], check=True, capture_output=True, text=True).stdout.splitlines()]
    model = AutoModelForSequenceClassification.from_pretrained(hf, trust_remote_code=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(hf, trust_remote_code=True)
    with torch.inference_mode():
        batch = tokenizer(dev, padding=True, truncation=True, return_tensors="pt")
        theirs = model(**batch).logits.numpy()
    logit_diff = float(np.abs(np.array(ours) - theirs).max())
    our_vectors = np.array([json.loads(l) for l in subprocess.run([binary, "embed", "--model", classifier, "--input", texts], check=True,
                                                                  capture_output=True, text=True).stdout.splitlines()])
    st_vectors = SentenceTransformer(st, device="cpu").encode(dev, batch_size=32, convert_to_numpy=True)
    cos = (our_vectors * st_vectors).sum(1) / np.linalg.norm(our_vectors, axis=1) / np.linalg.norm(st_vectors, axis=1)
    print(f"RESULT export {name} class={type(model).__name__} texts={len(dev)} max_abs_logit_diff={logit_diff:.2e} "
          f"sentence_transformers_min_cos={cos.min():.7f}", flush=True)
