"""Hugging Face's logits and sentence-transformers' embeddings of small classifiers exported by TextTransfer.
usage: make_export_fixtures.py TEXT_TRANSFER MODEL_DIR OUT_DIR   (torch==2.15.0, transformers==5.24.0,
sentence-transformers==6.2.0, safetensors)

1. A small BERT (2 layers, width 16) with a vocabulary cut from MODEL_DIR's to the WordPiece tokens of the
   texts used here (greedy WordPiece over a sub-vocabulary that holds every token it chose over the whole
   one gives the same pieces), random weights (seed 0).
2. TEXT_TRANSFER trains classifiers on it from real SST-2 lines: each pooling (mean, cls, max, pooler) with
   the softmax head, a multi-label head (mean pooling, normalized) and an ordinal head (cls). These go to
   OUT_DIR/classifiers/NAME, committed: CI reads them and needs no Python.
3. TEXT_TRANSFER exports each (--format hf and sentence-transformers); transformers
   (AutoModelForSequenceClassification, trust_remote_code where the export needs it) gives the logits of
   200 real sentences, SentenceTransformer.encode their embeddings. OUT_DIR/export_parity.json holds the
   texts, those outputs and an FNV-1a 64 digest of every exported file (the marker file aside): the test
   exports again and checks the bytes are the ones transformers loaded here.
Also records that transformers refuses a classifier directory as train saves it (no silent wrong head)."""
import hashlib, json, os, random, shutil, subprocess, sys, tempfile
import torch, transformers, sentence_transformers
from transformers import AutoModelForSequenceClassification, AutoTokenizer, BertConfig, BertModel, BertTokenizerFast
from sentence_transformers import SentenceTransformer
from shared_data import sample_lines

os.environ.setdefault("HF_HUB_OFFLINE", "1")
binary, model_dir, out = sys.argv[1], sys.argv[2], sys.argv[3]
rng = random.Random(11)
eval_texts = [t for _, t in sample_lines("sst2/dev.tsv", 170, rng, text_record=lambda t: t)] \
    + [t for _, t in sample_lines("wisesight/dev.tsv", 30, rng, text_record=lambda t: t)]
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/data/sst2/train.tsv"), encoding="utf-8") as f:
    rows = [l.rstrip("\n").split("\t", 1) for i, l in enumerate(f) if i > 0]
rows = [r for r in rng.sample(rows, 3000) if len(r[1].split()) >= 4][:300]

full = BertTokenizerFast.from_pretrained(model_dir)
specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
pieces = sorted({p for t in eval_texts + [r[1] for r in rows] for p in full.tokenize(t)} - set(specials))
vocab = specials + pieces


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def digests(directory):
    result = {}
    for root, _, files in os.walk(directory):
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, directory)
            if rel != "text_transfer_export.json":
                result[rel] = fnv1a64(open(path, "rb").read())
    return dict(sorted(result.items()))


def run(*arguments):
    subprocess.run([binary, *arguments], check=True, stdout=subprocess.DEVNULL)


work = tempfile.mkdtemp()
base = os.path.join(work, "tiny")
os.makedirs(base)
with open(os.path.join(base, "vocab.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(vocab) + "\n")
# MODEL_DIR's tokenizer files with the sub-vocabulary: its tokenizer.json's WordPiece vocabulary and the ids
# of the special tokens replaced, everything else (normalizer, pre-tokenizer, template) kept.
ids = {t: i for i, t in enumerate(vocab)}
spec = json.load(open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8"))
spec["model"]["vocab"] = ids
spec["added_tokens"] = [dict(a, id=ids[a["content"]]) for a in spec["added_tokens"] if a["content"] in ids]
for token in (spec.get("post_processor") or {}).get("special_tokens", {}).values():
    token["ids"] = [ids[t] for t in token["tokens"]]
json.dump(spec, open(os.path.join(base, "tokenizer.json"), "w", encoding="utf-8"), ensure_ascii=False)
for name in ["tokenizer_config.json", "special_tokens_map.json"]:
    if os.path.exists(os.path.join(model_dir, name)):
        shutil.copy(os.path.join(model_dir, name), base)
tokenizer = AutoTokenizer.from_pretrained(base)
assert tokenizer.tokenize(eval_texts[0]) == full.tokenize(eval_texts[0]), "the sub-vocabulary tokenizes as the whole one"
torch.manual_seed(0)
config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32,
                    max_position_embeddings=128, initializer_range=0.1)
BertModel(config).save_pretrained(base)

def write_tsv(path, labelled):
    with open(path, "w", encoding="utf-8") as f:
        f.write("label\ttext\n" + "".join(f"{l}\t{t}\n" for l, t in labelled))

train, dev = rows[:240], rows[240:]
write_tsv(os.path.join(work, "train.tsv"), [(l, t) for l, t in train])
write_tsv(os.path.join(work, "dev.tsv"), [(l, t) for l, t in dev])
# Multi-label tags from the same lines: the sentiment, and "long" for texts of 12 words or more.
tags = lambda l, t: l + ("|long" if len(t.split()) >= 12 else "")
write_tsv(os.path.join(work, "train_tags.tsv"), [(tags(l, t), t) for l, t in train])
write_tsv(os.path.join(work, "dev_tags.tsv"), [(tags(l, t), t) for l, t in dev])
# Ordinal: three ordered length classes.
size = lambda t: "short" if len(t.split()) < 8 else "medium" if len(t.split()) < 16 else "long"
write_tsv(os.path.join(work, "train_size.tsv"), [(size(t), t) for _, t in train])
write_tsv(os.path.join(work, "dev_size.tsv"), [(size(t), t) for _, t in dev])

common = ["--model", base, "--epochs", "4", "--lr", "2e-3", "--max-length", "64", "--threads", "1", "--no-verdict"]
classifiers = {
    "mean_softmax": ["--pooling", "mean"],
    "cls_softmax": ["--pooling", "cls"],
    "max_softmax": ["--pooling", "max"],
    "pooler_softmax": ["--pooling", "pooler"],
    "mean_multilabel_normalized": ["--pooling", "mean", "--head", "multi-label", "--normalize", "true", "--train-data", "tags"],
    "cls_ordinal": ["--pooling", "cls", "--head", "ordinal", "--labels", "short,medium,long", "--train-data", "size"],
}
shutil.rmtree(os.path.join(out, "classifiers"), ignore_errors=True)
fixture = {"versions": f"torch=={torch.__version__} transformers=={transformers.__version__} "
                       f"sentence-transformers=={sentence_transformers.__version__}",
           "texts": eval_texts, "classifiers": {}}
for name, flags in classifiers.items():
    data = ""
    if "--train-data" in flags:
        i = flags.index("--train-data")
        data = "_" + flags[i + 1]
        flags = flags[:i] + flags[i + 2:]
    target = os.path.join(out, "classifiers", name)
    run("train", *common, *flags, "--train", os.path.join(work, f"train{data}.tsv"), "--dev", os.path.join(work, f"dev{data}.tsv"),
        "--output", target)
    entry = {}
    hf_dir, st_dir = os.path.join(work, name + "-hf"), os.path.join(work, name + "-st")
    run("export", "--model", target, "--output", hf_dir)
    model = AutoModelForSequenceClassification.from_pretrained(hf_dir, trust_remote_code=True).eval()
    tok = AutoTokenizer.from_pretrained(hf_dir, trust_remote_code=True)
    with torch.inference_mode():
        batch = tok(eval_texts, padding=True, truncation=True, return_tensors="pt")
        entry["hf_logits"] = model(**batch).logits.tolist()
    entry["hf_class"] = type(model).__name__
    entry["hf_digests"] = digests(hf_dir)
    run("export", "--model", target, "--format", "sentence-transformers", "--output", st_dir)
    st = SentenceTransformer(st_dir, device="cpu")
    entry["st_embeddings"] = st.encode(eval_texts, batch_size=32, convert_to_numpy=True).tolist()
    entry["st_digests"] = digests(st_dir)
    fixture["classifiers"][name] = entry
    print(name, entry["hf_class"])
try:
    AutoModelForSequenceClassification.from_pretrained(os.path.join(out, "classifiers", "pooler_softmax"))
    fixture["refusal"] = None
except Exception as error:  # what transformers says about a directory as train saved it
    fixture["refusal"] = str(error).split("\n")[0]
print("refusal:", fixture["refusal"])
with open(os.path.join(out, "export_parity.json"), "w", encoding="utf-8") as f:
    json.dump(fixture, f, ensure_ascii=False)
shutil.rmtree(work)
