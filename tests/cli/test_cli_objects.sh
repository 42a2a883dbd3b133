#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The CLI against a server started by integration/with_server.py: a slot
# configured with `config init`, checked, keys generated and imported,
# listed, named by URI, written as a key file that the provider loads,
# and destroyed. kmipd serves every subcommand; PyKMIP (RSA only) serves
# keygen, import, list, keyfile and destroy.
# Usage: test_cli_objects.sh kmipd|pykmip P11KMIP LOAD_KEYFILE PROVIDER_SO
set -eu
server=$1 p11kmip=$2 load_keyfile=$3 provider=$4
work=$P11KMIP_TEST_DIR/cli-objects
mkdir -p "$work"
. "$(dirname "$0")/cli_test_lib.sh"
unset P11KMIP_SERVER P11KMIP_CA P11KMIP_CERT P11KMIP_KEY P11KMIP_PIN
export P11KMIP_CONFIG="$work/p11kmip.json"

echo "--- config init and check ($server at $P11KMIP_TEST_SERVER)"
expect_exit 0 "$p11kmip" config init --label test-slot \
    --server "$P11KMIP_TEST_SERVER" --ca "$P11KMIP_TEST_CA" \
    --cert "$P11KMIP_TEST_CERT" --key "$P11KMIP_TEST_KEY" --timeout-ms 60000
expect_exit 0 "$p11kmip" config check --json
expect_json 'length == 1 and .[0].ok and (.[0].kmip_version | test("^[12]\\."))
    and (.[0].operations | index("Register") != null)
    and .[0].round_trip_ms >= 0'

echo "--- keygen rsa:2048 and list"
expect_exit 0 "$p11kmip" keygen rsa:2048 --label web --id 0a01 --json
expect_json 'length == 2 and .[0].type == "private" and .[1].type == "public"
    and all(.[]; .kind == "rsa" and .label == "web") and .[1].bits == 2048'
if [ "$server" = kmipd ]; then
    expect_json 'all(.[]; .id == "0a01" and .bits == 2048)'
else
    # PyKMIP refuses the x-pkcs11-id attribute: p11core creates the key
    # without it and CKA_ID becomes each object's Unique Identifier.
    expect_in "does not keep the id" "$err"
fi
expect_exit 0 "$p11kmip" list --label web --json
expect_json 'length == 2 and ([.[].type] | sort) == ["private", "public"]'
expect_exit 0 "$p11kmip" list
expect_in "web" "$out"

echo "--- keyfile, loaded by the provider, signs on the server"
expect_exit 0 "$p11kmip" keyfile --label web --out "$work/web.key"
expect_in "-----BEGIN PKCS#11 PROVIDER URI-----" "$(cat "$work/web.key")"
cat >"$work/openssl.cnf" <<CNF
openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
p11kmip = p11kmip_sect
[default_sect]
activate = 1
[p11kmip_sect]
module = $provider
activate = 1
CNF
# load_keyfile OPENSSL_CONF=... KEYFILE: the provider leaves its PKCS#11
# module loaded at exit by design (see provider/session.c), which
# LeakSanitizer would report as leaks of this test program.
load_keyfile() {
    env OPENSSL_CONF="$work/openssl.cnf" \
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        "$load_keyfile" "$1"
}
expect_exit 0 load_keyfile "$work/web.key"
expect_in "loaded RSA 2048" "$out"
expect_in "signed and verified" "$out"

echo "--- import a key and its certificate"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/imp.key" \
    -subj /CN=imported -days 2 -out "$work/imp.crt" 2>/dev/null
expect_exit 0 "$p11kmip" import "$work/imp.key" "$work/imp.crt" \
    --label imported --json
expect_json 'length == 3 and ([.[].type] == ["private", "public", "cert"])
    and all(.[]; .label == "imported")'
[ "$server" = pykmip ] ||
    expect_json '(.[0].id | length) == 40 and (.[0].id as $id | all(.[]; .id == $id))'
expect_exit 0 "$p11kmip" list --label imported --json
expect_json 'length == 3'

echo "--- destroy asks first, refuses without a terminal, then destroys"
expect_exit 2 "$p11kmip" destroy --label imported </dev/null
expect_in "add --yes" "$err"
expect_exit 2 "$p11kmip" destroy --yes
expect_exit 0 "$p11kmip" destroy --label imported --yes
expect_in "destroyed 3 objects" "$out"
expect_exit 0 "$p11kmip" list --label imported --json
expect_json 'length == 0'
expect_exit 0 "$p11kmip" destroy --label web --yes
expect_exit 0 "$p11kmip" list --json
expect_json 'length == 0'

if [ "$server" = pykmip ]; then
    echo "--- keygen --self-signed where the private key has no link"
    # PyKMIP links no public key to the private one: the certificate takes
    # the public key of the pair keygen made; it keeps no CKA_ID.
    expect_exit 0 "$p11kmip" keygen rsa:2048 --label self --self-signed \
        /CN=self --out "$work/self.pem" --json
    expect_json 'length == 3 and .[2].type == "cert"'
    expect_in "does not keep the id" "$err"
    openssl verify -check_ss_sig -CAfile "$work/self.pem" "$work/self.pem" \
        >/dev/null || fail "the self-signed certificate does not verify"
    echo "--- a server's refusal exits 1 and names its Result Reason"
    expect_exit 1 "$p11kmip" keygen ec:P-256 --label refused
    expect_in "the server refused" "$err"
    exit 0
fi
. "$(dirname "$0")/test_cli_kmipd.sh"
