#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Writes the binary form of every tests/vectors/*.hex into the TTLV
# fuzzer's seed corpus, fuzz/corpus/ttlv/<name>.bin, and two seeds at the
# default depth limit: 32 nested structures (valid) and 33 (too deep).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus="$root/fuzz/corpus/ttlv"
mkdir -p "$corpus"
for hex in "$root"/tests/vectors/*.hex; do
    name=$(basename "$hex" .hex)
    grep -v '^#' "$hex" | tr -d ' \n\r' | xxd -r -p >"$corpus/$name.bin"
done
# depth structures of tag 0x420001, each holding the next.
nested() {
    depth=$1
    i=0
    while [ "$i" -lt "$depth" ]; do
        printf '420001010000%04x' $((8 * (depth - 1 - i)))
        i=$((i + 1))
    done | xxd -r -p
}
nested 32 >"$corpus/nested-32.bin"
nested 33 >"$corpus/nested-33.bin"
echo "$(ls "$corpus" | wc -l) files in $corpus"
