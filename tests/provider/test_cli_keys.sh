#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Token keys as openssl finds and makes them through p11kmip.so: genpkey on
# the token, key files (this provider's and pkcs11-provider's), storeutl's
# listing, and the provider's settings in openssl.cnf (arguments and
# backends: cli_ops_env.sh). CASE is one of: genpkey keyfile listing
# settings.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/provider/cli_ops_env.sh
. "$here/cli_ops_env.sh"

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

run_case
