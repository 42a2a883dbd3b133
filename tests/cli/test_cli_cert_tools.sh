#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# What NSS, Java and OpenVPN do to find a key's certificate, done by
# pkcs11-tool over p11kmip-pkcs11.so against kmipd (with_server.py): the
# certificate keygen --self-signed stored is read back by its CKA_ID, is the
# one keygen wrote, and shares that id with the private key.
# Usage: test_cli_cert_tools.sh P11KMIP MODULE
set -eu
p11kmip=$1 module=$2
work=$P11KMIP_TEST_DIR/cli-cert-tools
mkdir -p "$work"
. "$(dirname "$0")/cli_test_lib.sh"
unset P11KMIP_CONFIG P11KMIP_PIN
export P11KMIP_SERVER="$P11KMIP_TEST_SERVER" P11KMIP_CA="$P11KMIP_TEST_CA" \
    P11KMIP_CERT="$P11KMIP_TEST_CERT" P11KMIP_KEY="$P11KMIP_TEST_KEY"

# pkcs11-tool's libcrypto must not load a provider configuration.
tool() { OPENSSL_CONF=/dev/null pkcs11-tool --module "$module" "$@"; }

for spec in rsa:2048 ec:P-256; do
    echo "--- $spec: the certificate is found by the key's id"
    expect_exit 0 "$p11kmip" keygen "$spec" --label "tool-$spec" \
        --self-signed "/CN=$spec" --out "$work/cert.pem" --json
    id=$(printf '%s' "$out" | jq -r '.[0].id')
    [ -n "$id" ] || fail "$spec: keygen printed no id"
    expect_exit 0 tool --read-object --type cert --id "$id" \
        -o "$work/cert.der"
    openssl x509 -in "$work/cert.pem" -outform DER -out "$work/written.der"
    cmp -s "$work/cert.der" "$work/written.der" ||
        fail "$spec: the token's certificate with id $id is not keygen's"
    expect_exit 0 tool --list-objects --id "$id"
    expect_in "Private Key Object" "$out"
    expect_in "Certificate Object" "$out"
    expect_in "subject:    DN: CN=$spec" "$out"
    [ "$(printf '%s\n' "$out" | grep -c "ID:  *$id\$")" -ge 3 ] ||
        fail "$spec: not every object of id $id shows it: $out"
done
echo "--- pkcs11-tool finds every certificate by its key's id"
