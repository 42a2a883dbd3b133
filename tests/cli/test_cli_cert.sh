#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Certificates next to their keys, against kmipd (with_server.py): keygen
# --self-signed and cert make a certificate signed on the token with the
# key's public key, CKA_ID and label; importing a certificate alone finds
# its key by public key and takes its id (and label); bad subjects and
# day counts are usage errors that create nothing.
# Usage: test_cli_cert.sh P11KMIP
set -eu
p11kmip=$1
work=$P11KMIP_TEST_DIR/cli-cert
mkdir -p "$work"
. "$(dirname "$0")/cli_test_lib.sh"
unset P11KMIP_CONFIG P11KMIP_PIN
export P11KMIP_SERVER="$P11KMIP_TEST_SERVER" P11KMIP_CA="$P11KMIP_TEST_CA" \
    P11KMIP_CERT="$P11KMIP_TEST_CERT" P11KMIP_KEY="$P11KMIP_TEST_KEY"

# check_self_signed LABEL SUBJECT: $work/LABEL.pem is self-signed with a
# signature that verifies, names SUBJECT (RFC 2253), and holds the public key of the
# key pair LABEL; the token's three objects LABEL share one id.
check_self_signed() {
    openssl verify -check_ss_sig -CAfile "$work/$1.pem" "$work/$1.pem" \
        >/dev/null || fail "$1: the certificate's signature does not verify"
    expect_in "subject=$2" "$(openssl x509 -in "$work/$1.pem" -noout \
        -subject -nameopt RFC2253)"
    expect_exit 0 "$p11kmip" pubkey --label "$1" --out "$work/$1.pub"
    openssl x509 -in "$work/$1.pem" -noout -pubkey >"$work/$1.cert-pub"
    cmp -s "$work/$1.pub" "$work/$1.cert-pub" ||
        fail "$1: the certificate's public key is not the key's"
    expect_exit 0 "$p11kmip" list --label "$1" --json
    expect_json 'length == 3 and (.[0].id | length) > 0
        and (.[0].id as $id | all(.[]; .id == $id))
        and ([.[].type] | sort) == ["cert", "private", "public"]'
}

echo "--- keygen --self-signed, RSA-2048 and P-256"
expect_exit 0 "$p11kmip" keygen rsa:2048 --label web-rsa --id c0de01 \
    --self-signed "/CN=web.example.com/O=Example\/Org" --days 30 \
    --out "$work/web-rsa.pem" --json
expect_json 'length == 3 and [.[].type] == ["private", "public", "cert"]
    and all(.[]; .id == "c0de01" and .label == "web-rsa")'
check_self_signed web-rsa "O=Example/Org,CN=web.example.com"
openssl x509 -in "$work/web-rsa.pem" -noout -checkend $((29 * 86400)) \
    >/dev/null || fail "--days 30 gave less than 29 days"
if openssl x509 -in "$work/web-rsa.pem" -noout -checkend $((31 * 86400)) \
    >/dev/null; then fail "--days 30 gave more than 31 days"; fi
expect_in "Signature Algorithm: sha256WithRSAEncryption" \
    "$(openssl x509 -in "$work/web-rsa.pem" -noout -text)"
# No --id: the certificate takes whatever id the token gave the key.
expect_exit 0 "$p11kmip" keygen ec:P-256 --label web-ec \
    --self-signed /CN=ec.example.com --out "$work/web-ec.pem"
check_self_signed web-ec "CN=ec.example.com"
expect_in "Signature Algorithm: ecdsa-with-SHA256" \
    "$(openssl x509 -in "$work/web-ec.pem" -noout -text)"
openssl x509 -in "$work/web-ec.pem" -noout -checkend $((364 * 86400)) \
    >/dev/null || fail "the default validity is shorter than 365 days"
expect_exit 0 "$p11kmip" show --label web-ec --type cert --json
expect_json '(.subject | test("ec.example.com"))
    and (.issuer | test("ec.example.com"))'

echo "--- cert for a key already on the token, selected by URI"
expect_exit 0 "$p11kmip" keygen ec:P-256 --label later --id 1a7e
expect_exit 0 "$p11kmip" cert "pkcs11:object=later;type=private" \
    --self-signed /CN=later --days 2 --out "$work/later.pem" --json
expect_json 'length == 1 and .[0].type == "cert" and .[0].id == "1a7e"
    and .[0].label == "later"'
check_self_signed later "CN=later"

echo "--- importing a certificate alone takes its key's id and label"
expect_exit 0 "$p11kmip" keygen rsa:2048 --label issued --id 0155ed
expect_exit 0 "$p11kmip" pubkey --label issued --out "$work/issued.pub"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" \
    -subj /CN=test-ca -days 2 -out "$work/ca.crt" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout "$work/throwaway.key" \
    -subj /CN=issued -out "$work/issued.csr" 2>/dev/null
openssl x509 -req -in "$work/issued.csr" -force_pubkey "$work/issued.pub" \
    -CA "$work/ca.crt" -CAkey "$work/ca.key" -days 2 \
    -out "$work/issued.crt" 2>/dev/null
expect_exit 0 "$p11kmip" import "$work/issued.crt" --json
expect_json 'length == 1 and .[0].type == "cert" and .[0].id == "0155ed"
    and .[0].label == "issued"'
expect_exit 0 "$p11kmip" import "$work/issued.crt" --label renamed --json
expect_json 'length == 1 and .[0].id == "0155ed" and .[0].label == "renamed"'
expect_exit 0 "$p11kmip" list --label web-ec --type private --json
ec_id=$(printf '%s' "$out" | jq -r '.[0].id')
expect_exit 0 "$p11kmip" import "$work/web-ec.pem" --json
expect_json ".[0].label == \"web-ec\" and .[0].id == \"$ec_id\""
# --id wins over the match.
expect_exit 0 "$p11kmip" import "$work/issued.crt" --label own --id 0b --json
expect_json '.[0].id == "0b"'

echo "--- a certificate no key matches keeps today's naming"
expect_exit 2 "$p11kmip" import "$work/ca.crt"
expect_in "give --label: no key on token" "$err"
expect_exit 0 "$p11kmip" import "$work/ca.crt" --label lone --json
ca_id=$(openssl x509 -in "$work/ca.crt" -noout -pubkey |
    openssl pkey -pubin -outform DER | openssl dgst -sha1 -r | cut -c1-40)
expect_json ".[0].label == \"lone\" and .[0].id == \"$ca_id\""
openssl pkey -in "$work/throwaway.key" -pubout -out "$work/throwaway.pub"
expect_exit 2 "$p11kmip" import "$work/throwaway.pub"
expect_in "usage: p11kmip import" "$err"

echo "--- bad subjects and day counts: usage errors, nothing created"
for subject in "CN=no-slash" "/CN" "/CN=" "/NOSUCHTYPE=x" "/" "" "//CN=x"; do
    expect_exit 2 "$p11kmip" keygen rsa:2048 --label bad \
        --self-signed "$subject"
    expect_in "--self-signed \"$subject\"" "$err"
done
for days in 0 -1 36526 99999999999999999999 7x ""; do
    expect_exit 2 "$p11kmip" keygen ec:P-256 --label bad \
        --self-signed /CN=x --days "$days"
    expect_in "--days \"$days\"" "$err"
    expect_exit 2 "$p11kmip" cert --label later --self-signed /CN=x \
        --days "$days"
    expect_in "--days \"$days\"" "$err"
done
expect_exit 2 "$p11kmip" keygen ec:P-256 --label bad --days 5
expect_in "--days and --out go with --self-signed" "$err"
expect_exit 2 "$p11kmip" keygen aes:128 --label bad --self-signed /CN=x
expect_in "--self-signed needs an RSA or EC key pair" "$err"
expect_exit 2 "$p11kmip" cert --label later
expect_in "usage: p11kmip cert" "$err"
expect_exit 0 "$p11kmip" list --label bad --json
expect_json 'length == 0'
expect_exit 0 "$p11kmip" list --label later --type cert --json
expect_json 'length == 1'
echo "--- all certificate checks passed"
