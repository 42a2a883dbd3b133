#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# pkcs11-tool and p11tool over p11kmip-pkcs11.so for the core functions,
# configured by a JSON file, against the server with_server.py started:
#   test_core_tools.sh MODULE kmipd|pykmip
# Slots and tokens, key pair generation (PyKMIP: RSA only, EC is
# CKR_MECHANISM_INVALID), listing, deletion; p11tool's --list-all and its
# pkcs11 URLs, and --test-sign (kmipd).
set -eu

module=$1
server=$2
work=$P11KMIP_TEST_DIR/core-tools
mkdir -p "$work"
export P11KMIP_CONFIG="$work/p11kmip.json"
unset P11KMIP_SERVER P11KMIP_CA P11KMIP_CERT P11KMIP_KEY
cat >"$P11KMIP_CONFIG" <<JSON
{"slots": [{"label": "core-tools", "servers": ["$P11KMIP_TEST_SERVER"],
  "ca": "$P11KMIP_TEST_CA", "cert": "$P11KMIP_TEST_CERT",
  "key": "$P11KMIP_TEST_KEY"}]}
JSON

step() { echo "== $*"; }
tool() { pkcs11-tool --module "$module" "$@"; }
# Fails unless $1 (output) contains $2.
expect() {
    case "$1" in
    *"$2"*) ;;
    *) echo "expected '$2' in:"; echo "$1"; exit 1 ;;
    esac
}
refuse() {
    case "$1" in
    *"$2"*) echo "did not expect '$2' in:"; echo "$1"; exit 1 ;;
    esac
}

step "slots and token"
out=$(tool --list-slots)
expect "$out" "token label        : core-tools"
expect "$out" "token manufacturer : p11kmip"
expect "$out" "PIN pad present"

step "RSA and EC key pairs"
tool --keypairgen --key-type rsa:2048 --label tools-rsa
if [ "$server" = pykmip ]; then
    if out=$(tool --keypairgen --key-type EC:secp384r1 --label tools-ec 2>&1)
    then
        echo "PyKMIP made an EC key pair"; exit 1
    fi
    expect "$out" "CKR_MECHANISM_INVALID"
    # An RSA pair stands in for the EC one below.
    tool --keypairgen --key-type rsa:2048 --label tools-ec
else
    tool --keypairgen --key-type EC:secp384r1 --label tools-ec
fi

step "listing"
out=$(tool --list-objects)
expect "$out" "Private Key Object; RSA"
expect "$out" "Public Key Object; RSA 2048 bits"
expect "$out" "label:      tools-ec"
out=$(p11tool --provider "$module" --list-all)
expect "$out" "token=core-tools"
expect "$out" "object=tools-rsa;type=private"
expect "$out" "object=tools-ec;type=public"

if [ "$server" = kmipd ]; then
    # p11tool reads the public half from the private key: PyKMIP keeps no
    # Link between the halves, so this needs kmipd.
    step "p11tool --test-sign, RSA and EC"
    p11tool --provider "$module" --test-sign 'pkcs11:object=tools-rsa;type=private'
    p11tool --provider "$module" --test-sign 'pkcs11:object=tools-ec;type=private'
fi

step "deletion"
tool --delete-object --type privkey --label tools-rsa
tool --delete-object --type pubkey --label tools-rsa
out=$(tool --list-objects)
refuse "$out" "tools-rsa"
expect "$out" "tools-ec"
