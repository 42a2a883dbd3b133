#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Sets up and runs every test of p11kmip:
#   1. a -Werror build and the whole suite (unit and integration tests,
#      against real PyKMIP, kmipd and nginx servers on 127.0.0.1);
#   2. the suite built with AddressSanitizer + UBSan, without the tests
#      where uninstrumented programs (nginx, openssl, pkcs11-tool) load our
#      modules ('external') and without our clients' PyKMIP runs, which
#      exercise the same C code as their kmipd runs, twenty times slower
#      (kmipd under PyKMIP's client stays);
#   3. the unit tests once under valgrind;
#   4. the TTLV decoder fuzzer for a bounded time (FUZZ_SECONDS, default 60).
# Ends with a line "tests: N passed, N failed".
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

# meson writes one JSON line per test; count what ran and what passed.
count_results() {
    /usr/bin/python3 - "$1" >>"$summary" <<'PY'
import json, sys
passed = failed = 0
for line in open(sys.argv[1]):
    result = json.loads(line)["result"]
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    else:
        failed += 1
print(passed, failed)
PY
}

# run_suite BUILD LOG [meson test arguments]: LOG is the name meson gives
# the run's log ("testlog", or "testlog-WRAPPER" with --wrapper).
run_suite() {
    name=$1
    log=$2
    shift 2
    echo "=== $name $* ==="
    status=0
    meson test -C "build/$name" --print-errorlogs --num-processes 2 "$@" ||
        status=$?
    count_results "build/$name/meson-logs/$log.json"
    return $status
}

setup() {
    dir=build/$1
    shift
    if [ -d "$dir" ]; then
        meson configure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" --werror "$@" >/dev/null
    fi
    ninja -C "$dir"
}

failed=0
setup plain
run_suite plain testlog || failed=1

setup asan -Db_sanitize=address,undefined -Db_lundef=false
asan_tests=$(meson test -C build/asan --list --no-suite external 2>/dev/null |
    grep ' / ' | sed 's|.* / ||' | grep -v -e pykmip_client -e _pykmip)
# shellcheck disable=SC2086
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    run_suite asan testlog $asan_tests || failed=1

run_suite plain testlog-valgrind --suite unit --timeout-multiplier 4 \
    --wrapper 'valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --quiet' ||
    failed=1

echo "=== fuzz (${FUZZ_SECONDS}s) ==="
if ./scripts/fuzz.sh "$FUZZ_SECONDS"; then
    echo "1 0" >>"$summary"
else
    echo "0 1" >>"$summary"
    failed=1
fi

awk '{p += $1; f += $2} END {printf "tests: %d passed, %d failed\n", p, f}' \
    "$summary"
exit $failed
