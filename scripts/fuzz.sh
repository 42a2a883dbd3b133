#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the TTLV fuzzer with clang and runs it for a bounded time.
#   scripts/fuzz.sh [seconds] [jobs]
# New corpus entries go to a temporary directory, never into the repo;
# crash inputs are kept in $FUZZ_BUILD_DIR/fuzz-artifacts/. Exits non-zero
# when the fuzzer finds a crash.
set -eu
seconds=${1:-60}
jobs=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" "$root" -Dfuzz=true -Dtests=false
fi
ninja -C "$build" fuzz/fuzz_ttlv_decode
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts="$build/fuzz-artifacts"
mkdir -p "$work/corpus" "$artifacts"
set -- -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$work/corpus" "$root/fuzz/corpus/ttlv"
if [ "$jobs" -gt 1 ]; then
    set -- -fork="$jobs" "$@"
fi
cd "$work"
exec "$build/fuzz/fuzz_ttlv_decode" "$@"
