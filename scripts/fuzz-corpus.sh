#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Writes the binary form of every tests/vectors/*.hex into the TTLV
# fuzzer's seed corpus, fuzz/corpus/ttlv/<name>.bin.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus="$root/fuzz/corpus/ttlv"
mkdir -p "$corpus"
for hex in "$root"/tests/vectors/*.hex; do
    name=$(basename "$hex" .hex)
    grep -v '^#' "$hex" | tr -d ' \n\r' | xxd -r -p >"$corpus/$name.bin"
done
echo "$(ls "$corpus" | wc -l) files in $corpus"
