#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Line coverage of the shipped code, per folder, from the whole suite run in
# a coverage build (build/coverage). On demand, not in CI:
#     ./scripts/coverage.sh [meson test arguments]
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
command -v gcovr >/dev/null || apt-get install -y -qq gcovr >/dev/null
dir=build/coverage
[ -d "$dir" ] || meson setup "$dir" -Db_coverage=true >/dev/null
ninja -C "$dir"
find "$dir" -name '*.gcda' -delete
meson test -C "$dir" --num-processes 2 "$@" >/dev/null || echo "coverage: some tests failed" >&2
summary=$dir/coverage.json
gcovr --root . --object-directory "$dir" --exclude 'tests/' --exclude 'bench/' \
    --exclude 'fuzz/' --exclude "$dir/" --json-summary "$summary" >/dev/null
/usr/bin/python3 - "$summary" <<'PY'
import collections, json, sys
folders = collections.defaultdict(lambda: [0, 0])
for entry in json.load(open(sys.argv[1]))["files"]:
    folder = entry["filename"].split("/")[0]
    folders[folder][0] += entry["line_covered"]
    folders[folder][1] += entry["line_total"]
print(f"{'folder':10} {'lines':>7} {'covered':>8} {'%':>6}")
for folder, (covered, total) in sorted(folders.items()):
    print(f"{folder:10} {total:7} {covered:8} {100 * covered / total:6.1f}")
covered = sum(c for c, _ in folders.values())
total = sum(t for _, t in folders.values())
print(f"{'all':10} {total:7} {covered:8} {100 * covered / total:6.1f}")
PY
