#!/usr/bin/env bash
# Export parity on the real model (Tools/golden/check_hf_export_minilm.py): six MiniLM classifiers trained on
# 2,000 SST-2 sentences, exported, and their transformers logits and sentence-transformers embeddings compared
# with ours on 200 SST-2 dev sentences. Needs the peers (../shared/bench/setup-peers.sh); about 5 minutes.
#   usage: Scripts/check-hf-export.sh [WORK_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$root/.bench/hf-export}
py=${PEERS_HOME:-$HOME/.cache/texttransfer-peers}/venv/bin/python
[ -x "$py" ] || bash "$root/../shared/bench/setup-peers.sh" "$root/Models/all-MiniLM-L6-v2" >/dev/null
(cd "$root" && swift build -c release --product text-transfer >/dev/null)
"$py" "$root/Tools/golden/check_hf_export_minilm.py" "$root/.build/release/text-transfer" "$root/Models/all-MiniLM-L6-v2" "$work" 2>/dev/null
