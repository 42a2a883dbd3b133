# SPDX-License-Identifier: Apache-2.0
# Sourced by the openssl CLI tests of the provider (test_cli_ops.sh,
# test_cli_tls.sh, test_cli_keys.sh), which set $here (their directory) and
# take the same arguments:
#
#   SCRIPT PROVIDER softhsm CASE
#   SCRIPT PROVIDER core CASE PKCS11_MODULE     (under with_server.py)
#
# Sets up the token (token_env.sh) and the message files, defines the
# checks the cases share (a signature, a certificate, a TLS handshake, an
# error), and run_case, which runs the script's case_CASE function.

provider=$1
backend=$2
case=$3
core_module=${4:-}
# shellcheck source=tests/provider/token_env.sh
. "$here/token_env.sh"

printf 'The quick brown fox jumps over the lazy dog' >msg
openssl dgst -sha256 -binary msg >msg.sha256
openssl dgst -sha384 -binary msg >msg.sha384

# A signature the verifier must refuse: the last byte changed.
tamper() {
    cp "$1" "$1.bad"
    last=$(od -An -tu1 -j $(($(wc -c <"$1") - 1)) "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $(((last + 1) % 256)))" |
        dd of="$1.bad" bs=1 seek=$(($(wc -c <"$1") - 1)) conv=notrunc \
            2>/dev/null
}

# Checks that signature SIG over digest file IN verifies with PEM (plain
# openssl, then the provider's local verify with the token key URI) and
# that a tampered copy does not. Extra arguments are pkeyopts.
check_signature() {
    sig=$1 in=$2 pem=$3 key=$4
    shift 4
    plain_openssl pkeyutl -verify -pubin -inkey "$pem" "$@" -in "$in" \
        -sigfile "$sig"
    openssl pkeyutl -verify -inkey "$key" "$@" -in "$in" -sigfile "$sig"
    tamper "$sig"
    if plain_openssl pkeyutl -verify -pubin -inkey "$pem" "$@" -in "$in" \
        -sigfile "$sig.bad" >/dev/null 2>&1; then
        fail "a tampered signature verified"
    fi
    if openssl pkeyutl -verify -inkey "$key" "$@" -in "$in" \
        -sigfile "$sig.bad" >/dev/null 2>&1; then
        fail "the provider verified a tampered signature"
    fi
}

# A self-signed certificate by KEY (req -x509, signature algorithm
# ALGORITHM), verified without the provider.
check_x509() {
    key=$1 algorithm=$2
    shift 2
    openssl req -new -x509 -key "$key" -subj "/CN=p11kmip test" -days 2 \
        "$@" -out cert.pem
    plain_openssl x509 -in cert.pem -noout -text >cert.txt
    grep -q "Signature Algorithm: $algorithm" cert.txt ||
        fail "certificate signature algorithm: $(grep 'Signature Alg' cert.txt)"
    plain_openssl verify -CAfile cert.pem cert.pem
}

# Serves one TLS connection with KEY and cert.pem (s_server, in the
# background, 127.0.0.1 on a free port), makes it with s_client using
# OPTIONS, and checks that the handshake verified the certificate and
# used CIPHER.
check_tls() {
    key=$1 cipher=$2
    shift 2
    port=$(/usr/bin/python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    openssl s_server -accept "127.0.0.1:$port" -naccept 1 -key "$key" \
        -cert cert.pem "$@" -quiet >server.log 2>&1 &
    server=$!
    tries=0
    until plain_openssl s_client -connect "127.0.0.1:$port" -CAfile cert.pem \
        -verify_return_error "$@" </dev/null >client.log 2>&1; do
        tries=$((tries + 1))
        if [ $tries -ge 50 ] || ! kill -0 $server 2>/dev/null; then
            kill $server 2>/dev/null || true
            cat server.log client.log >&2
            fail "no TLS handshake"
        fi
        sleep 0.2
    done
    wait $server || true
    grep -q "Verify return code: 0 (ok)" client.log ||
        fail "certificate not verified: $(cat client.log)"
    grep -q "Cipher is $cipher" client.log ||
        fail "cipher: $(grep Cipher client.log)"
}

# An openssl command that must fail, with an error that contains TEXT.
expect_error() {
    text=$1
    shift
    if openssl "$@" >out.txt 2>err.txt; then
        fail "openssl $* succeeded"
    fi
    grep -q -- "$text" err.txt ||
        fail "openssl $*: no \"$text\" in: $(cat err.txt)"
}

# Runs case_CASE (CASE with "-" as "_") of the sourcing script.
run_case() {
    function=case_$(echo "$case" | tr - _)
    command -v "$function" >/dev/null || fail "unknown case $case"
    "$function"
    echo "PASS: $backend $case"
}
