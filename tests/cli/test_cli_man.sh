#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The man page renders without a single warning from man/groff.
# Usage: test_cli_man.sh PAGE
set -eu
warnings=$(MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null)
if [ -n "$warnings" ]; then
    echo "FAIL: $1 renders with warnings:" >&2
    echo "$warnings" >&2
    exit 1
fi
MANWIDTH=80 man -l "$1" | grep -q "EXIT STATUS" ||
    { echo "FAIL: $1 has no EXIT STATUS section" >&2; exit 1; }
echo "$1 renders cleanly"
