#!/usr/bin/env bash
# Trains the same runs with the text-transfer of two commits and compares the weights byte for byte: a
# restructure must not change what training computes (same seed, same threads). Runs: SST-2 on
# Examples/sst2 (1 epoch), feature extraction with L-BFGS, a BiLSTM over GloVe, and a multi-label (TREC
# coarse|fine tags) and an ordinal (SST-5) run on small slices of ../shared/data.
#   usage: Scripts/check-bit-identity.sh OLD_COMMIT [NEW_COMMIT (default: the working tree)] [--quick]
#   --quick: 800 rows of Examples/sst2 instead of all 8,000 (for a first look; the acceptance run is without it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
old=${1:?usage: check-bit-identity.sh OLD_COMMIT [NEW_COMMIT] [--quick]}
new=${2:-}
[ "$new" = "--quick" ] && new=""
quick=0; for a in "$@"; do [ "$a" = "--quick" ] && quick=1; done
data="$root/../shared/data"
work=$(mktemp -d); trap 'git -C "$root" worktree remove --force "$work/old" >/dev/null 2>&1 || true; [ -n "$new" ] && git -C "$root" worktree remove --force "$work/new" >/dev/null 2>&1; rm -rf "$work"' EXIT

build() {  # COMMIT DIR -> path of its release binary (the working tree when COMMIT is empty)
    local commit=$1 dir=$2
    if [ -z "$commit" ]; then echo "$root"; return; fi
    git -C "$root" worktree add --detach "$dir" "$commit" > /dev/null 2>&1
    ln -s "$root/Models" "$dir/Models"
    echo "$dir"
}
oldTree=$(build "$old" "$work/old"); newTree=$(build "$new" "$work/new")
for tree in "$oldTree" "$newTree"; do
    (cd "$tree" && swift build -c release --product text-transfer > /dev/null 2>&1) || { echo "build failed in $tree"; exit 1; }
done

head -n $([ $quick = 1 ] && echo 801 || echo 8001) "$root/Examples/sst2/train.tsv" > "$work/sst2.tsv"
# TREC: each question tagged with its coarse and its fine class ("DESC|DESC:manner"), 600 rows.
awk -F'\t' 'NR == 1 { print "label\ttext"; next } NR <= 601 { split($1, c, ":"); print c[1] "|" $1 "\t" $2 }' "$data/trec/train_fine.tsv" > "$work/trec_tags.tsv"
head -n 601 "$data/sst5/train.tsv" > "$work/sst5.tsv"
head -n 201 "$data/sst5/dev.tsv" > "$work/sst5_dev.tsv"
common=(--threads 2 --seed 42)
runs=(
    "sst2-fine-tune|--train $work/sst2.tsv --dev $root/Examples/sst2/dev.tsv --epochs 1"
    "feature-extraction-lbfgs|--train $work/sst2.tsv --dev $root/Examples/sst2/dev.tsv --strategy feature-extraction --feature-solver lbfgs"
    "bilstm-glove|--train $work/sst2.tsv --dev $root/Examples/sst2/dev.tsv --encoder bilstm --embeddings $root/Tests/Data/word_vectors/glove.6B.50d.top2445.txt --epochs 1"
    "multi-label-trec|--train $work/trec_tags.tsv --dev-fraction 0.1 --head multi-label --epochs 2"
    "ordinal-sst5|--train $work/sst5.tsv --dev $work/sst5_dev.tsv --head ordinal --labels very_negative,negative,neutral,positive,very_positive --epochs 2"
)
same=0
for run in "${runs[@]}"; do
    name=${run%%|*}; args=${run#*|}
    for side in old new; do
        tree=$([ $side = old ] && echo "$oldTree" || echo "$newTree")
        # shellcheck disable=SC2086
        (cd "$tree" && .build/release/text-transfer train $args "${common[@]}" --model "$root/Models/all-MiniLM-L6-v2" \
            --output "$work/$side-$name" > "$work/$side-$name.log" 2>&1) || { echo "$name: the $side run failed:"; tail -3 "$work/$side-$name.log"; exit 1; }
    done
    a=$(sha256sum < "$work/old-$name/model.safetensors" | cut -c1-16); b=$(sha256sum < "$work/new-$name/model.safetensors" | cut -c1-16)
    if [ "$a" = "$b" ]; then same=$((same + 1)); verdict="bit-identical"; else verdict="DIFFERENT"; fi
    echo "$name: $verdict (sha256 $a / $b, $(stat -c %s "$work/new-$name/model.safetensors") bytes; $(tail -1 "$work/new-$name.log"))"
done
echo "$same of ${#runs[@]} runs bit-identical between ${old} and ${new:-the working tree}"
[ "$same" = "${#runs[@]}" ]
