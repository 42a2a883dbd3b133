#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# TLS with token keys through p11kmip.so: openssl s_server serves with a
# token key, s_client (without the provider) checks the handshake
# (arguments and backends: cli_ops_env.sh). CASE is one of: tls-rsa
# tls12-ecdhe-rsa tls-ec tls-propquery tls-propquery-ec.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/provider/cli_ops_env.sh
. "$here/cli_ops_env.sh"

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

run_case
