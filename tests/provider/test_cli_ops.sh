#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The openssl CLI signing and decrypting with token keys through
# p11kmip.so, activated only by a test openssl.cnf:
#
#   test_cli_ops.sh PROVIDER softhsm CASE
#   test_cli_ops.sh PROVIDER core CASE PKCS11_MODULE     (under with_server.py)
#
# (backends: token_env.sh). Every signature and ciphertext is checked by
# openssl without the provider, on the public key the token exported (a
# wrong public key fails every check). CASE is one of: rsa-pkcs1
# rsa-pkcs1-message rsa-pss ecdsa-p256 ecdsa-p384 rsa-oaep rsa-raw x509-cms
# tls-rsa tls12-ecdhe-rsa tls-ec tls-propquery tls-propquery-ec genpkey bad-input keyfile listing
# settings ecdh ed25519.
set -eu

provider=$1
backend=$2
case=$3
core_module=${4:-}
# shellcheck source=tests/provider/token_env.sh
. "$(dirname "$0")/token_env.sh"

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

rsa_pkcs1_message() {
    step "RSA PKCS#1 v1.5 digest-sign (CKM_SHA256_RSA_PKCS)"
    openssl dgst -sha256 -sign "$(uri rsa)" -out sig.msg msg
    plain_openssl dgst -sha256 -verify rsa.pem -signature sig.msg msg
}

case_rsa_pkcs1() {
    make_key_pair rsa:2048 rsa 01
    export_public_key rsa
    step "RSA PKCS#1 v1.5 sign of a SHA-256 digest (CKM_RSA_PKCS)"
    openssl pkeyutl -sign -inkey "$(uri rsa)" -pkeyopt digest:sha256 \
        -in msg.sha256 -out sig
    check_signature sig msg.sha256 rsa.pem "$(uri rsa)" -pkeyopt digest:sha256
    rsa_pkcs1_message
}

# The message only: PyKMIP signs Data it hashes itself.
case_rsa_pkcs1_message() {
    make_key_pair rsa:2048 rsa 01
    export_public_key rsa
    rsa_pkcs1_message
}

case_rsa_pss() {
    make_key_pair rsa:2048 rsa 01
    export_public_key rsa
    step "RSA-PSS sign, salt = digest length (TLS 1.3)"
    openssl pkeyutl -sign -inkey "$(uri rsa)" -pkeyopt digest:sha256 \
        -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:digest \
        -in msg.sha256 -out sig
    check_signature sig msg.sha256 rsa.pem "$(uri rsa)" \
        -pkeyopt digest:sha256 -pkeyopt rsa_padding_mode:pss \
        -pkeyopt rsa_pss_saltlen:32
    step "RSA-PSS sign, maximum salt"
    openssl pkeyutl -sign -inkey "$(uri rsa)" -pkeyopt digest:sha256 \
        -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:max \
        -in msg.sha256 -out sig.max
    plain_openssl pkeyutl -verify -pubin -inkey rsa.pem \
        -pkeyopt digest:sha256 -pkeyopt rsa_padding_mode:pss \
        -pkeyopt rsa_pss_saltlen:222 -in msg.sha256 -sigfile sig.max
    step "RSA-PSS digest-sign (CKM_SHA256_RSA_PKCS_PSS)"
    openssl dgst -sha256 -sign "$(uri rsa)" -sigopt rsa_padding_mode:pss \
        -sigopt rsa_pss_saltlen:digest -out sig.msg msg
    plain_openssl dgst -sha256 -verify rsa.pem -sigopt rsa_padding_mode:pss \
        -sigopt rsa_pss_saltlen:32 -signature sig.msg msg
}

# Raw RSA (CKM_RSA_X_509): an input signed on the token is recovered by the
# public key (as the modulus-length integer it is: pkeyutl signs at most
# 64 bytes), and a block encrypted raw decrypts back.
case_rsa_raw() {
    make_key_pair rsa:2048 rsa 01
    export_public_key rsa
    openssl rand 64 >input
    { head -c 192 /dev/zero; cat input; } >input.block
    { printf '\000'; openssl rand 255; } >block # below the modulus
    none="-pkeyopt rsa_padding_mode:none"
    step "raw RSA sign on the token, recovered with the public key"
    # shellcheck disable=SC2086
    openssl pkeyutl -sign -inkey "$(uri rsa)" $none -in input -out sig.raw
    # shellcheck disable=SC2086
    plain_openssl pkeyutl -verifyrecover -pubin -inkey rsa.pem $none \
        -in sig.raw -out recovered
    cmp input.block recovered
    step "raw RSA decrypt on the token"
    # shellcheck disable=SC2086
    plain_openssl pkeyutl -encrypt -pubin -inkey rsa.pem $none -in block \
        -out ct.raw
    # shellcheck disable=SC2086
    openssl pkeyutl -decrypt -inkey "$(uri rsa)" $none -in ct.raw -out back
    cmp block back
    step "a raw RSA ciphertext shorter than the modulus fails cleanly"
    head -c 100 ct.raw >short
    # shellcheck disable=SC2086
    if openssl pkeyutl -decrypt -inkey "$(uri rsa)" $none -in short \
        -out back2 2>err; then
        fail "raw RSA decryption of 100 bytes succeeded"
    fi
    grep -q p11kmip err || fail "no p11kmip error: $(cat err)"
}

# ecdsa CURVE LABEL DIGEST
check_ecdsa() {
    make_key_pair "EC:$1" "$2" 02
    export_public_key "$2"
    step "ECDSA $1 sign of a $3 digest (CKM_ECDSA, DER out)"
    openssl pkeyutl -sign -inkey "$(uri "$2")" -in "msg.$3" -out sig
    plain_openssl asn1parse -inform DER -in sig >/dev/null
    check_signature sig "msg.$3" "$2.pem" "$(uri "$2")"
    step "ECDSA $1 digest-sign with $3"
    openssl dgst "-$3" -sign "$(uri "$2")" -out sig.msg msg
    plain_openssl dgst "-$3" -verify "$2.pem" -signature sig.msg msg
}

case_ecdsa_p256() { check_ecdsa prime256v1 p256 sha256; }
case_ecdsa_p384() { check_ecdsa secp384r1 p384 sha384; }

case_rsa_oaep() {
    make_key_pair rsa:2048 rsa 01
    export_public_key rsa
    printf 'a data encryption key, 32 bytes' >plain
    if [ "$backend" = softhsm ]; then
        # SoftHSM2 offers OAEP with SHA-1 only and ignores labels.
        oaep="-pkeyopt rsa_padding_mode:oaep"
    else
        oaep="-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256
              -pkeyopt rsa_mgf1_md:sha256 -pkeyopt rsa_oaep_label:6b656b"
    fi
    step "RSA OAEP decrypt on the token: $oaep"
    # shellcheck disable=SC2086
    plain_openssl pkeyutl -encrypt -pubin -inkey rsa.pem $oaep -in plain \
        -out ct
    # shellcheck disable=SC2086
    openssl pkeyutl -decrypt -inkey "$(uri rsa)" $oaep -in ct -out back
    cmp plain back
    step "RSA OAEP encrypt through the provider (locally), decrypt"
    # shellcheck disable=SC2086
    openssl pkeyutl -encrypt -inkey "$(uri rsa)" $oaep -in plain -out ct2
    # shellcheck disable=SC2086
    openssl pkeyutl -decrypt -inkey "$(uri rsa)" $oaep -in ct2 -out back2
    cmp plain back2
    step "RSA PKCS#1 v1.5 decrypt on the token"
    plain_openssl pkeyutl -encrypt -pubin -inkey rsa.pem -in plain -out ct3
    openssl pkeyutl -decrypt -inkey "$(uri rsa)" -in ct3 -out back3
    cmp plain back3
    step "a PKCS#1 v1.5 ciphertext decrypted as OAEP fails cleanly"
    # shellcheck disable=SC2086
    if openssl pkeyutl -decrypt -inkey "$(uri rsa)" $oaep -in ct3 \
        -out back4 2>err; then
        fail "OAEP decryption of a PKCS#1 v1.5 ciphertext succeeded"
    fi
    grep -q p11kmip err || fail "no p11kmip error: $(cat err)"
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

# check_x509, then a CMS signature by the certificate's key.
check_certificate() {
    key=$1
    check_x509 "$@"
    openssl cms -sign -signer cert.pem -inkey "$key" -in msg -binary -nodetach \
        -outform PEM -out msg.cms
    plain_openssl cms -verify -CAfile cert.pem -inform PEM -in msg.cms \
        -binary -out msg.out
    cmp msg msg.out
}

case_x509_cms() {
    make_key_pair rsa:2048 rsa 01
    export_public_key rsa
    make_key_pair EC:prime256v1 p256 02
    step "req -x509 and cms -sign, RSA PKCS#1 v1.5"
    check_certificate "$(uri rsa)" sha256WithRSAEncryption
    step "req -x509, RSA-PSS"
    check_certificate "$(uri rsa)" rsassaPss -sigopt rsa_padding_mode:pss \
        -sigopt rsa_pss_saltlen:digest
    step "req -x509 and cms -sign, ECDSA P-256"
    check_certificate "$(uri p256)" ecdsa-with-SHA256
}

case_ed25519() {
    make_key_pair EC:edwards25519 ed 05
    export_public_key ed
    grep -q "BEGIN PUBLIC KEY" ed.pem || fail "no Ed25519 public key"
    step "Ed25519 pkeyutl -sign -rawin (CKM_EDDSA), verified by openssl"
    openssl pkeyutl -sign -rawin -inkey "$(uri ed)" -in msg -out sig.ed
    [ "$(wc -c <sig.ed)" -eq 64 ] || fail "an Ed25519 signature of 64 bytes"
    check_signature sig.ed msg ed.pem "$(uri ed)" -rawin
    step "Ed25519 pkeyutl -sign with a digest is refused"
    if openssl pkeyutl -sign -rawin -inkey "$(uri ed)" -digest sha256 \
        -in msg -out sig.bad 2>err; then
        fail "Ed25519 signed a SHA-256 digest"
    fi
    # OpenSSL 3.0's CMS signs with no Ed25519 key, its own included.
    step "req -x509, Ed25519"
    check_x509 "$(uri ed)" ED25519
    step "an Ed25519 key file (pkey -in URI -out)"
    openssl pkey -in "$(uri ed)" -out ed.key
    openssl pkeyutl -sign -rawin -inkey ed.key -in msg -out sig.file
    plain_openssl pkeyutl -verify -pubin -inkey ed.pem -rawin -in msg \
        -sigfile sig.file
    step "s_server with the Ed25519 key, TLS 1.3"
    check_tls "$(uri ed)" TLS_AES_128_GCM_SHA256 -tls1_3 \
        -ciphersuites TLS_AES_128_GCM_SHA256
    step "genpkey -algorithm ED25519 on the token (a key file, no material)"
    openssl genpkey -propquery provider=p11kmip -algorithm ED25519 \
        -out gen-ed.key
    grep -q "BEGIN PKCS#11 PROVIDER URI" gen-ed.key ||
        fail "genpkey wrote no key file"
    grep -q PRIVATE gen-ed.key && fail "genpkey wrote key material"
    openssl pkey -in gen-ed.key -pubout -out gen-ed.pem
    cmp -s gen-ed.pem ed.pem && fail "genpkey named the other Ed25519 key"
    openssl pkeyutl -sign -rawin -inkey gen-ed.key -in msg -out sig.gen
    plain_openssl pkeyutl -verify -pubin -inkey gen-ed.pem -rawin -in msg \
        -sigfile sig.gen
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

# A key pair LABEL of TYPE and a self-signed certificate for it, cert.pem.
make_server_key() {
    make_key_pair "$1" "$2" 01
    openssl req -new -x509 -key "$(uri "$2")" -subj "/CN=127.0.0.1" \
        -days 2 -out cert.pem
}

tls12_ecdhe_rsa() {
    step "TLS 1.2 ECDHE-RSA: PKCS#1 v1.5 signature on the token"
    check_tls "$(uri rsa)" ECDHE-RSA-AES128-GCM-SHA256 -tls1_2 \
        -cipher ECDHE-RSA-AES128-GCM-SHA256 -sigalgs RSA+SHA256
}

case_tls_rsa() {
    make_server_key rsa:2048 rsa
    step "TLS 1.2 RSA key exchange: the premaster secret decrypted on the token"
    check_tls "$(uri rsa)" AES128-SHA256 -tls1_2 -cipher AES128-SHA256
    tls12_ecdhe_rsa
    step "TLS 1.3: RSA-PSS signature on the token"
    check_tls "$(uri rsa)" TLS_AES_128_GCM_SHA256 -tls1_3 \
        -ciphersuites TLS_AES_128_GCM_SHA256
}

# What PyKMIP can serve: signatures of messages it hashes itself.
case_tls12_ecdhe_rsa() {
    make_server_key rsa:2048 rsa
    tls12_ecdhe_rsa
}

case_tls_ec() {
    make_server_key EC:prime256v1 p256
    step "TLS 1.3: ECDSA P-256 signature on the token"
    check_tls "$(uri p256)" TLS_AES_256_GCM_SHA384 -tls1_3
    step "TLS 1.2 ECDHE-ECDSA"
    check_tls "$(uri p256)" ECDHE-ECDSA-AES128-GCM-SHA256 -tls1_2 \
        -cipher ECDHE-ECDSA-AES128-GCM-SHA256
}

# s_server preferring this provider for every operation: libssl then
# fetches the record layer's AES with its raw keys from here too. The
# server's public key, as s_client got it, is the token's.
check_tls13_propquery() {
    make_server_key "$1" "$2"
    step "TLS 1.3 with -propquery '?provider=p11kmip', $1"
    check_tls "$(uri "$2")" TLS_AES_256_GCM_SHA384 -tls1_3 \
        -propquery '?provider=p11kmip'
    plain_openssl x509 -pubkey -noout -in client.log >served.pem
    openssl pkey -pubout -in "$(uri "$2")" -out token.pem
    cmp served.pem token.pem || fail "the server's key is not the token's"
}

case_tls_propquery() {
    check_tls13_propquery EC:prime256v1 p256
    check_tls13_propquery rsa:2048 rsa
    step "TLS 1.2 ECDHE-RSA with -propquery '?provider=p11kmip'"
    check_tls "$(uri rsa)" ECDHE-RSA-AES256-GCM-SHA384 -tls1_2 \
        -propquery '?provider=p11kmip' -cipher ECDHE-RSA-AES256-GCM-SHA384
}

# The server's ephemeral key is of GROUP, as s_client saw it.
check_group() {
    grep -q "Server Temp Key: $1" client.log ||
        fail "not $1: $(grep 'Temp Key' client.log)"
}

# A server preferring this provider with a P-256 key on the token: the
# provider's TLS groups, whose key manager (P11KMIP-EC-EPHEMERAL) makes the
# ephemeral EC keys and uses them in memory: P11KMIP_PROVIDER_DEBUG traces
# every module call, and no key pair is generated on the token, nothing
# derives there.
case_tls_propquery_ec() {
    make_server_key EC:prime256v1 p256
    export P11KMIP_PROVIDER_DEBUG=1
    step "TLS 1.2 ECDHE-ECDSA with -propquery '?provider=p11kmip'"
    check_tls "$(uri p256)" ECDHE-ECDSA-AES128-GCM-SHA256 -tls1_2 \
        -propquery '?provider=p11kmip' -cipher ECDHE-ECDSA-AES128-GCM-SHA256
    cp server.log servers.log
    for version in -tls1_2 -tls1_3; do
        # TLS 1.2 takes an ECDSA certificate only on a curve the client
        # offers: P-256 comes after the group tried.
        for group in "P-256|ECDH, prime256v1" "P-384:P-256|ECDH, secp384r1" \
            "x25519:P-256|X25519"; do
            step "$version -groups ${group%%|*}"
            check_tls "$(uri p256)" "" "$version" \
                -propquery '?provider=p11kmip' -groups "${group%%|*}"
            check_group "${group#*|}"
            cat server.log >>servers.log
        done
    done
    unset P11KMIP_PROVIDER_DEBUG
    grep -q "C_SignInit" servers.log || fail "no signature on the token"
    if grep -E "C_GenerateKeyPair|C_DeriveKey" servers.log; then
        fail "an ephemeral key reached the module"
    fi
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

case_genpkey() {
    for spec in "EC -pkeyopt group:P-256" "RSA -pkeyopt bits:2048"; do
        label=gen-${spec%% *}
        step "openssl genpkey $spec on the token, labelled $label"
        # shellcheck disable=SC2086
        openssl genpkey -propquery provider=p11kmip -algorithm $spec \
            -pkeyopt "p11kmip-uri:pkcs11:${token}object=$label" -out "$label.key"
        grep -q "BEGIN PKCS#11 PROVIDER URI" "$label.key" ||
            fail "genpkey wrote no key file"
        grep -q PRIVATE "$label.key" && fail "genpkey wrote key material"
        export_public_key "$label"
        openssl dgst -sha256 -sign "$(uri "$label")" -out "$label.sig" msg
        plain_openssl dgst -sha256 -verify "$label.pem" -signature \
            "$label.sig" msg
    done
    step "genpkey without p11kmip-uri: each pair gets its own CKA_ID"
    for name in first second; do
        openssl genpkey -propquery provider=p11kmip -algorithm EC \
            -pkeyopt group:P-256 -out "$name.key"
        grep -q PRIVATE "$name.key" && fail "genpkey wrote key material"
        openssl pkey -in "$name.key" -pubout -out "$name.pem"
        openssl dgst -sha256 -sign "$name.key" -out "$name.sig" msg
        plain_openssl dgst -sha256 -verify "$name.pem" -signature \
            "$name.sig" msg
    done
    cmp -s first.pem second.pem && fail "two key files name one key"
    openssl pkey -in first.key -text -noout | grep -q "id=%" ||
        fail "the key file names no CKA_ID"
}

# ECDH: the secret pkeyutl -derive gets from the token is the one plain
# openssl computes with the peer's private key and the token's public key.
check_ecdh() {
    key=$1 label=$2 curve=$3
    plain_openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$curve" \
        -out "peer-$curve.key"
    plain_openssl pkey -in "peer-$curve.key" -pubout -out "peer-$curve.pem"
    openssl pkeyutl -derive -inkey "$key" -peerkey "peer-$curve.pem" \
        -out "$label.secret"
    plain_openssl pkeyutl -derive -inkey "peer-$curve.key" \
        -peerkey "$label.pem" -out "$label.expected"
    cmp "$label.secret" "$label.expected" || fail "another shared secret"
}

case_ecdh() {
    make_key_pair EC:prime256v1 p256 02 --usage-derive
    export_public_key p256
    make_key_pair EC:secp384r1 p384 03 --usage-derive
    export_public_key p384
    step "pkeyutl -derive on the token (CKM_ECDH1_DERIVE), P-256 and P-384"
    check_ecdh "$(uri p256)" p256 P-256
    check_ecdh "$(uri p384)" p384 P-384
    step "pkeyutl -derive with a key file"
    openssl pkey -in "$(uri p256)" -out p256.key
    check_ecdh p256.key p256 P-256
    step "the token's secret object is gone once read"
    token_tool --list-objects --type secrkey >objects.txt 2>&1 || true
    grep -q "Secret Key Object" objects.txt && fail "$(cat objects.txt)"
    step "a peer on another curve is refused, naming the key"
    expect_error "object=p256.*peer key is on curve secp384r1" pkeyutl \
        -derive -inkey "$(uri p256)" -peerkey peer-P-384.pem
    # (the provider's own refusal of a public key is in test_evp_ops.c)
    step "a public key cannot derive"
    expect_error "private key is needed" pkeyutl \
        -derive -pubin -inkey "pkcs11:${token}object=p256;type=public" \
        -peerkey peer-P-256.pem
    step "a key without CKA_DERIVE is refused, naming the key"
    make_key_pair EC:prime256v1 noderive 04
    expect_error "object=noderive.*CKR_KEY_FUNCTION_NOT_PERMITTED" pkeyutl \
        -derive -inkey "$(uri noderive)" -peerkey peer-P-256.pem
}

case_bad_input() {
    make_key_pair EC:prime256v1 ec 03
    step "a malformed URI is named in the error"
    expect_error "bad pkcs11 URI" pkey -in "pkcs11:${token}object=ec;%zz" \
        -pubout
    step "a URI that matches no object or no token"
    expect_error "no object matches" pkey -in "$(uri nosuchkey)" -pubout
    expect_error "no token matches" pkey -in \
        "pkcs11:token=no-such-token;object=ec;type=private" -pubout
    if [ "$backend" = core ]; then
        step "an unreadable client key is named, not taken for a missing key"
        (
            export P11KMIP_KEY=/nonexistent/client.key
            expect_error "client key /nonexistent/client.key" pkey -in \
                "$(uri ec)" -pubout
            grep -q "search on slot 0 failed" err.txt || fail "$(cat err.txt)"
            grep -q "no object matches" err.txt && fail "$(cat err.txt)"
            true
        )
    fi
    # (the provider's own refusal of a public key is in test_evp_ops.c)
    step "a public key cannot sign"
    expect_error "private key is needed" pkeyutl -sign -inkey \
        "pkcs11:${token}object=ec;type=public" -pubin -in msg.sha256
    if [ "$backend" = softhsm ]; then
        step "a wrong PIN in the URI is refused, nothing loaded"
        sed -i '/p11kmip-pin/d' openssl.cnf
        expect_error "PIN is incorrect" pkey -in \
            "pkcs11:${token}object=ec;type=private;pin-value=9999" -pubout
        step "no PIN at all: the error says where to give one"
        expect_error "needs a PIN" pkey -in "$(uri ec)" -pubout
    fi
}

# KEYFILE names the key LABEL: openssl takes it wherever a key file goes
# (the file: store behind -in and -key), and it is the token's key.
check_keyfile() {
    keyfile=$1 label=$2
    step "pkey -in $keyfile: the public key is the token's"
    openssl pkey -in "$keyfile" -pubout -out "$keyfile.pub"
    cmp "$keyfile.pub" "$label.pem" || fail "$keyfile: another public key"
    step "dgst -sign $keyfile"
    openssl dgst -sha256 -sign "$keyfile" -out "$keyfile.sig" msg
    plain_openssl dgst -sha256 -verify "$label.pem" -signature "$keyfile.sig" \
        msg
    step "req -x509 -key $keyfile"
    openssl req -new -x509 -key "$keyfile" -subj "/CN=127.0.0.1" -days 2 \
        -out cert.pem
    plain_openssl verify -CAfile cert.pem cert.pem
    plain_openssl x509 -in cert.pem -noout -pubkey | cmp - "$label.pem" ||
        fail "the certificate holds another public key"
    step "s_server -key $keyfile"
    check_tls "$keyfile" TLS_AES_128_GCM_SHA256 -tls1_3 \
        -ciphersuites TLS_AES_128_GCM_SHA256
}

# Writes to FILE a key file for URI as pkcs11-provider writes one, made
# without this provider: its PEM label around the DER SEQUENCE { desc,
# uri }.
other_keyfile() {
    printf 'asn1=SEQUENCE:keyfile\n[keyfile]\n%s\n%s\n' \
        'desc=VISIBLESTRING:PKCS\#11 Provider URI v1.0' "uri=UTF8:$2" \
        >"$1.cnf"
    plain_openssl asn1parse -genconf "$1.cnf" -out "$1.der" -noout
    {
        echo "-----BEGIN PKCS#11 PROVIDER URI-----"
        base64 -w 64 "$1.der"
        echo "-----END PKCS#11 PROVIDER URI-----"
    } >"$1"
}

case_keyfile() {
    make_key_pair rsa:2048 rsa 01
    export_public_key rsa
    make_key_pair EC:prime256v1 p256 02
    export_public_key p256
    step "a key file written by this provider (pkey -in URI -out)"
    openssl pkey -in "$(uri rsa)" -out rsa.key
    grep -q "BEGIN PKCS#11 PROVIDER URI" rsa.key || fail "no key file written"
    check_keyfile rsa.key rsa
    step "a key file as pkcs11-provider writes it"
    other_keyfile p256.key "pkcs11:${token}id=%02;object=p256;type=private"
    check_keyfile p256.key p256
    step "a key file naming no key says which URI"
    other_keyfile gone.key "pkcs11:${token}object=gone;type=private"
    expect_error "no object matches pkcs11:.*object=gone" pkey -in gone.key \
        -pubout
    step "a key file whose block holds no key file says so"
    printf -- '-----BEGIN PKCS#11 PROVIDER URI-----\nMAA=\n%s\n' \
        '-----END PKCS#11 PROVIDER URI-----' >empty.key
    expect_error "holds no key file" pkey -in empty.key -pubout
}

# Counts the objects of each kind openssl storeutl lists for its
# arguments: "PKEYS PUBLIC_KEYS CERTIFICATES".
listed() {
    openssl storeutl "$@" >listed.txt
    printf '%s %s %s' "$(grep -c '^[0-9]*: Pkey$' listed.txt)" \
        "$(grep -c '^[0-9]*: Public key$' listed.txt)" \
        "$(grep -c '^[0-9]*: Certificate$' listed.txt)"
}

expect_listed() {
    want=$1
    shift
    got=$(listed "$@")
    [ "$got" = "$want" ] ||
        fail "storeutl $*: keys, public keys, certificates $got, not $want"
}

case_listing() {
    make_key_pair rsa:2048 rsa 01
    export_public_key rsa
    make_key_pair EC:prime256v1 p256 02
    openssl req -new -x509 -key "$(uri rsa)" -subj "/CN=listed" -days 2 \
        -out cert.pem
    plain_openssl x509 -in cert.pem -outform DER -out cert.der
    token_tool --write-object cert.der --type cert --id 01 --label rsa \
        >/dev/null
    step "storeutl lists every key and certificate of the token"
    expect_listed "2 2 1" "pkcs11:${token}"
    step "-keys, -certs and -subject filter the list"
    expect_listed "2 0 0" -keys "pkcs11:${token}"
    expect_listed "0 0 1" -certs "pkcs11:${token}"
    expect_listed "0 0 1" -certs -subject /CN=listed "pkcs11:${token}"
    expect_listed "0 0 0" -certs -subject /CN=nobody "pkcs11:${token}"
    step "a URI matching two private keys: openssl takes the lowest CKA_ID"
    for i in 1 2 3; do
        openssl pkey -in "pkcs11:${token}type=private" -pubout -out first.pem
        cmp first.pem rsa.pem || fail "another key than id 01 was taken"
    done
    step "a key file matching two private keys is refused, naming the URI"
    other_keyfile both.key "pkcs11:${token}type=private"
    expect_error "type=private matches 2 private keys" pkey -in both.key \
        -pubout
}

# Rewrites openssl.cnf with the provider settings given (lines).
with_settings() {
    cp base.cnf openssl.cnf
    for line in "$@"; do
        echo "$line" >>openssl.cnf
    done
}

# The slot the token is in, as the provider's trace names it.
token_slot() {
    P11KMIP_PROVIDER_DEBUG=1 openssl pkey -in "$(uri ec)" -pubout 2>&1 |
        sed -n 's/.*C_OpenSession (slot \([0-9]*\)).*/\1/p' | head -1
}

case_settings() {
    make_key_pair EC:prime256v1 ec 03
    cp openssl.cnf base.cnf
    step "a value a setting does not take: not activated, saying why"
    with_settings "p11kmip-login-behavior = sometimes"
    expect_error "not activated: openssl.cnf: p11kmip-login-behavior = sometimes" \
        pkey -in "$(uri ec)" -pubout
    with_settings "p11kmip-allowed-slots = 1,x"
    expect_error "not activated: openssl.cnf: p11kmip-allowed-slots" \
        pkey -in "$(uri ec)" -pubout
    step "p11kmip-login-behavior = early: the token is used at activation"
    with_settings "p11kmip-login-behavior = early"
    P11KMIP_PROVIDER_DEBUG=1 openssl version >/dev/null 2>trace.txt
    grep -q "C_OpenSession" trace.txt ||
        fail "no session at activation: $(cat trace.txt)"
    openssl pkey -in "$(uri ec)" -pubout -out ec.pem
    step "p11kmip-allowed-slots: the token's slot, or no token at all"
    with_settings "p11kmip-allowed-slots = 9999 $(token_slot)"
    openssl pkey -in "$(uri ec)" -pubout -out allowed.pem
    cmp ec.pem allowed.pem
    with_settings "p11kmip-allowed-slots = 9999"
    expect_error "no token matches" pkey -in "$(uri ec)" -pubout
    step "p11kmip-encode-provider-uri-to-pem = false: no key file written"
    with_settings "p11kmip-encode-provider-uri-to-pem = false"
    expect_error "key files are not written" pkey -in "$(uri ec)" -out ec.key
    if [ "$backend" = softhsm ]; then
        step "early login with a wrong PIN: not activated, saying why"
        with_settings "p11kmip-login-behavior = early"
        sed -i 's/^p11kmip-pin = .*/p11kmip-pin = 9999/' openssl.cnf
        expect_error "not activated: p11kmip-login-behavior = early: login" \
            pkey -in "$(uri ec)" -pubout
        step "p11kmip-login-behavior = never: no login, private objects unseen"
        with_settings "p11kmip-login-behavior = never"
        P11KMIP_PROVIDER_DEBUG=1 openssl pkey -in "$(uri ec)" -pubout \
            >/dev/null 2>trace.txt && fail "a private object was seen"
        grep -q C_Login trace.txt && fail "the provider logged in"
        grep -q "no object matches" trace.txt || fail "$(cat trace.txt)"
    fi
}

case "$case" in
rsa-pkcs1) case_rsa_pkcs1 ;;
rsa-pkcs1-message) case_rsa_pkcs1_message ;;
rsa-pss) case_rsa_pss ;;
ecdsa-p256) case_ecdsa_p256 ;;
ecdsa-p384) case_ecdsa_p384 ;;
rsa-oaep) case_rsa_oaep ;;
rsa-raw) case_rsa_raw ;;
x509-cms) case_x509_cms ;;
tls-rsa) case_tls_rsa ;;
tls12-ecdhe-rsa) case_tls12_ecdhe_rsa ;;
tls-ec) case_tls_ec ;;
tls-propquery) case_tls_propquery ;;
tls-propquery-ec) case_tls_propquery_ec ;;
genpkey) case_genpkey ;;
bad-input) case_bad_input ;;
keyfile) case_keyfile ;;
listing) case_listing ;;
settings) case_settings ;;
ecdh) case_ecdh ;;
ed25519) case_ed25519 ;;
*) fail "unknown case $case" ;;
esac
echo "PASS: $backend $case"
