"""Token ids and offsets from HF tokenizers for real lines of ../shared/data (SST-2 and Wisesight), texts
written for the fixtures (handwritten_texts.py: questions, long reviews) and hand-made hard cases.
usage: make_tokenizer_fixtures.py MODEL_DIR OUT_DIR   (tokenizers==0.23.3, transformers==5.24.0)
Writes OUT_DIR/tokenizer_parity.jsonl: {"text" or "source"+"line", "ids", "offsets"} per line, special
tokens included, no truncation. Lines are drawn with a fixed seed; BertTokenizerFast must agree with
tokenizer.json. Only SST-2 and Wisesight text may be copied into the project (../shared/data/README.md),
and the fixture carries every text itself."""
import json, os, random, sys
import tokenizers, transformers
from handwritten_texts import QUESTIONS, REVIEWS
from shared_data import sample_lines
from tokenizers import Tokenizer
from transformers import AutoTokenizer

model, out = sys.argv[1], sys.argv[2]
rng = random.Random(20261124)
lines = lambda path, n: sample_lines(path, n, rng)

texts = (lines("sst2/dev.tsv", 500) + lines("sst2/train.tsv", 600) + lines("wisesight/train.tsv", 700)
         + lines("wisesight/dev.tsv", 150) + [({"text": t}, t) for t in QUESTIONS + REVIEWS])
hard = [
    "", " ", "   \t\n  ", "\u3000\u00a0",
    "Café naïve résumé Ångström façade jalapeño Crème Brûlée",
    "ÀÉÎÕÜ àéîõü ÇÑ ß ẞ İstanbul ΣΊΣΥΦΟΣ Ὀδυσσεύς",
    "Emoji 😀👍🏽 ❤️ 👨‍👩‍👧‍👦 🇹🇭 🥺🫠 end",
    "中文分词测试：我爱北京天安门。日本語のテキストです。한국어 텍스트",
    "control\u0000chars\u0001here\u0007\u001b[31m and\u200bzero\u200dwidth\ufeffbom\ufffd",
    "a" * 300, "x" * 100, "y" * 101, "supercalifragilisticexpialidocious" * 3,
    "Punctuation!!! ... ?!? (parens) [brackets] {braces} $100 +5 <tag> a=b ^caret `tick` |pipe| ~tilde",
    "“Smart quotes” ‘single’ — em-dash – en-dash … ellipsis «guillemets» ¿Qué? ¡Hola!",
    "[CLS] already [SEP] special [MASK] tokens [UNK] [PAD] [cls] [Sep",
    "URLs https://example.com/path?q=1&b=2 and e-mail someone@example.org #hashtag @user",
    "Numbers 3.14159 1,000,000 ½ ² ³ ① Ⅻ ٣٤٥ ๑๒๓",
    "Thai ภาษาไทยไม่มีช่องว่างระหว่างคำ สวัสดีครับ 555+",
    "Arabic العربية Hebrew עברית Devanagari हिन्दी Tamil தமிழ்",
    "Ｆｕｌｌｗｉｄｔｈ ｌｅｔｔｅｒｓ ｆｉ ligature ﬁ ﬂ",
    "Mixed\tTabs\nNewlines\rCarriage\u2028Line\u2029Para\u0085Next",
    "Zalgo t̸̢̛e̴̡͓x̷̛͇t̶̰̕ combining a\u0301 e\u0300\u0301",
    "Kelvin \u212a ohm \u2126 angstrom \u212b dotless ı dotted İ final σς",
    "\U0002b820\U0002b920 ext-E/F ideographs \U00030000 \uf900",
]
texts += [({"text": t}, t) for t in hard]
tk = Tokenizer.from_file(os.path.join(model, "tokenizer.json"))
tk.no_truncation(); tk.no_padding()
fast = AutoTokenizer.from_pretrained(model)
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "tokenizer_parity.jsonl"), "w", encoding="utf-8") as f:
    for record, t in texts:
        e = tk.encode(t)
        assert fast(t, truncation=False)["input_ids"] == e.ids, t
        f.write(json.dumps({**record, "ids": e.ids, "offsets": [list(o) for o in e.offsets]}, ensure_ascii=False) + "\n")
with open(os.path.join(out, "tokenizer_parity.versions"), "w") as f:
    f.write(f"tokenizers=={tokenizers.__version__} transformers=={transformers.__version__} seed=20261124 lines={len(texts)}\n")
print(f"wrote {len(texts)} lines")
