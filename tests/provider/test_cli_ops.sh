#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The openssl CLI signing, decrypting and deriving with token keys through
# p11kmip.so, activated only by a test openssl.cnf (arguments and backends:
# cli_ops_env.sh). Every signature and ciphertext is checked by openssl
# without the provider, on the public key the token exported (a wrong
# public key fails every check). CASE is one of: rsa-pkcs1
# rsa-pkcs1-message rsa-pss ecdsa-p256 ecdsa-p384 rsa-oaep rsa-raw x509-cms
# ed25519 ecdh bad-input.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/provider/cli_ops_env.sh
. "$here/cli_ops_env.sh"

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

run_case
