# SPDX-License-Identifier: Apache-2.0
# Helpers of the CLI tests (sourced): each check says what it expected.

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# expect_exit CODES CMD...: runs CMD with stdout in $out, stderr in $err;
# its exit code must be one of CODES ("0", "1|4").
expect_exit() {
    want=$1
    shift
    set +e
    "$@" >"$work/out" 2>"$work/err"
    got=$?
    set -e
    out=$(cat "$work/out")
    err=$(cat "$work/err")
    case "|$want|" in
    *"|$got|"*) ;;
    *) fail "'$*' exited $got, expected $want; stdout: $out; stderr: $err" ;;
    esac
}

# expect_json FILTER: the jq FILTER is true of $out.
expect_json() {
    printf '%s' "$out" | jq -e "$1" >/dev/null ||
        fail "JSON does not satisfy '$1': $out"
}

# expect_in TEXT WHERE: WHERE contains TEXT.
expect_in() {
    case $2 in
    *"$1"*) ;;
    *) fail "expected '$1' in: $2" ;;
    esac
}
