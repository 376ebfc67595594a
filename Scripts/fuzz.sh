#!/usr/bin/env bash
# Fuzzes one parser with libFuzzer under AddressSanitizer (and LeakSanitizer), starting from the committed
# seeds in Tests/TextTransferFuzzTests/Fixtures/seeds/TARGET; the growing corpus stays in .build/fuzz-corpus/TARGET. Stops after
# SECONDS or RUNS executions, whichever comes first; an allocation above 1 GB counts as a crash.
# Crashing inputs go to .build/fuzz-crashes/TARGET/: commit each as a regression test.
#   usage: Scripts/fuzz.sh TARGET SECONDS [RUNS]       (TARGET: a folder name under Tests/TextTransferFuzzTests/Fixtures/seeds)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: fuzz.sh TARGET SECONDS [RUNS]}
seconds=${2:?usage: fuzz.sh TARGET SECONDS [RUNS]}
runs=${3:--1}
[ -d "$root/Tests/TextTransferFuzzTests/Fixtures/seeds/$target" ] || { echo "fuzz.sh: no seeds for '$target' (Tests/TextTransferFuzzTests/Fixtures/seeds: $(ls "$root/Tests/TextTransferFuzzTests/Fixtures/seeds" | tr '\n' ' '))" >&2; exit 2; }
bin="$root/.build/fuzz/release/TextTransferFuzz"
build() {  # --disable-dead-strip: the linker would otherwise drop the coverage counters of every module but the harness.
    TEXTTRANSFER_FUZZ=1 swift build -c release --sanitize=fuzzer --sanitize=address --product TextTransferFuzz --disable-dead-strip \
        --package-path "$root" --build-path "$root/.build/fuzz" 2>&1 | grep -E "error|Build" >&2 || true
}
counters() {  # bytes of coverage counters in the binary: one per instrumented edge
    local size
    size=$(objdump -h "$bin" 2>/dev/null | awk '$2 == "__sancov_cntrs" { print $3 }')
    echo $((16#${size:-0}))
}
build
# Incremental builds after a source change have been seen to link uninstrumented library objects (only the
# harness's ~1,300 counters are left): then build again from clean, which always instruments everything.
if [ "$(counters)" -lt 10000 ]; then rm -rf "$root/.build/fuzz"; build; fi
[ -x "$bin" ] || { echo "fuzz.sh: the fuzz build failed" >&2; exit 1; }
[ "$(counters)" -ge 10000 ] || { echo "fuzz.sh: the build has only $(counters) coverage counters: the library is not instrumented" >&2; exit 1; }
corpus="$root/.build/fuzz-corpus/$target" crashes="$root/.build/fuzz-crashes/$target"
mkdir -p "$corpus" "$crashes"
# libFuzzer adds and reduces inputs in the folders it is given: it works on a copy, never on the seeds.
cp -n "$root/Tests/TextTransferFuzzTests/Fixtures/seeds/$target"/* "$corpus"/
FUZZ_TARGET="$target" ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0" \
    "$bin" "$corpus" -max_total_time="$seconds" -runs="$runs" \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=65536 -timeout=20 -print_final_stats=1 -artifact_prefix="$crashes/"
