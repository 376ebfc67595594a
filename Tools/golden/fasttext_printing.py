"""Runs Debian's `fasttext print-word-vectors` on a model for a list of words and keeps both as fixtures."""
import subprocess


def print_word_vectors(model_bin, words, words_path, printed_path):
    """Writes `words` (one per line) to words_path and what print-word-vectors prints for them to printed_path."""
    assert all(not any(ch.isspace() for ch in w) for w in words)
    with open(words_path, "w", encoding="utf-8") as f:
        f.write("\n".join(words) + "\n")
    printed = subprocess.run(["fasttext", "print-word-vectors", model_bin], input="\n".join(words) + "\n",
                             capture_output=True, text=True, check=True).stdout
    with open(printed_path, "w", encoding="utf-8") as f:
        f.write(printed)
