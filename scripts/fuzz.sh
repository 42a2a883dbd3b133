#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the TTLV fuzzer with clang and runs it for a bounded time.
#   scripts/fuzz.sh [seconds] [jobs] [extra libFuzzer flags...]
# New corpus entries go to $FUZZ_CORPUS_OUT when set, else to a temporary
# directory, never into the repo; crash inputs are kept in
# $FUZZ_BUILD_DIR/fuzz-artifacts/. Exits non-zero when the fuzzer finds a
# crash.
set -eu
seconds=${1:-60}
jobs=${2:-1}
shift $(($# < 2 ? $# : 2))
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" "$root" -Dfuzz=true -Dtests=false
fi
ninja -C "$build" fuzz/fuzz_ttlv_decode
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts="$build/fuzz-artifacts"
new_corpus=${FUZZ_CORPUS_OUT:-$work/corpus}
mkdir -p "$new_corpus" "$artifacts"
set -- -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$@" "$new_corpus" "$root/fuzz/corpus/ttlv"
if [ "$jobs" -gt 1 ]; then
    set -- -fork="$jobs" "$@"
fi
cd "$work"
status=0
"$build/fuzz/fuzz_ttlv_decode" "$@" || status=$?
exit "$status"
