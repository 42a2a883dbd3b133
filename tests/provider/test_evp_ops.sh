#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs an EVP API test of the provider (test_evp_ops, test_pss_salt) on a
# token with an RSA key pair, a P-256 key pair, an Ed25519 key pair and two
# AES keys of known value:
#
#   test_evp_ops.sh TEST PROVIDER softhsm
#   test_evp_ops.sh TEST PROVIDER core PKCS11_MODULE   (under with_server.py)
set -eu

test_binary=$(realpath "$1")
provider=$2
backend=$3
core_module=${4:-}
# shellcheck source=tests/provider/token_env.sh
. "$(dirname "$0")/token_env.sh"

# PyKMIP makes RSA key pairs only: its runs are for the AES tests
# (P11KMIP_TEST_FILTER=*aes*, see meson.build).
make_key_pair rsa:2048 rsa 01
# A key file for it, as the provider writes one.
openssl pkey -in "$(uri rsa)" -out rsa.key
if [ "${P11KMIP_TEST_FILTER:-}" != "*aes*" ]; then
    make_key_pair EC:prime256v1 p256 02 --usage-derive
    # One that a test destroys (test_token_errors); it may not derive.
    make_key_pair EC:prime256v1 victim 08
    make_key_pair EC:edwards25519 ed 09
fi
# Secret keys imported, so that the tests can compare with OpenSSL's AES.
aes256=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
aes128=f0e0d0c0b0a090807060504030201000
for key in "aes256 $aes256 AES:32 04" "aes128 $aes128 AES:16 05"; do
    # shellcheck disable=SC2086
    set -- $key
    printf '%s' "$2" | xxd -r -p >"$1.bin"
    token_tool --write-object "$1.bin" --type secrkey --key-type "$3" \
        --label "$1" --id "$4" --sensitive >/dev/null
done

export P11KMIP_TEST_TOKEN_ATTR="$token"
export P11KMIP_TEST_AES256="$aes256"
export P11KMIP_TEST_AES128="$aes128"
export P11KMIP_TEST_BACKEND="$backend"
export P11KMIP_TEST_MODULE="$module"
export P11KMIP_TEST_PROVIDER="$provider"
"$test_binary"
