#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# pkcs11-tool and private-key wrapping, over p11kmip-pkcs11.so against the
# kmipd with_server.py started and over SoftHSM2, the same steps on both:
#   test_wrap_tools_private.sh MODULE
# pkcs11-tool 0.23 cannot wrap or unwrap a private key: --wrap looks for
# the key to wrap among secret keys only ("Secret key (to be wrapped) not
# found") and --unwrap makes secret keys only ("Unsupported key type"), so
# the private-key round trip (wrap, unwrap, sign) is tested through the
# C API instead (test_wrap_private_e2e, and against SoftHSM2 in
# differential.py). What it can do is tested here on both tokens: the
# private key is refused by the tool, and CKM_AES_KEY_WRAP_PAD (0x210A,
# a mechanism 0.23 has no name for) wraps a key to the bytes
# python3-cryptography's RFC 5649 wrapping gives, the same on both tokens,
# and unwraps a key that then encrypts (AES-ECB) as the known key does.
set -eu

module=$1
work_name=wrap-tools-private
# shellcheck source=tests/p11core/tools_env.sh
. "$(dirname "$0")/tools_env.sh"
softhsm=/usr/lib/softhsm/libsofthsm2.so
# python3-cryptography's AES key wrap with padding: wrap|unwrap KEK IN
keywrap_pad() {
    /usr/bin/python3 -c 'import sys
from cryptography.hazmat.primitives import keywrap as w
kek = open(sys.argv[2], "rb").read()
data = open(sys.argv[3], "rb").read()
f = (w.aes_key_wrap_with_padding if sys.argv[1] == "wrap"
     else w.aes_key_unwrap_with_padding)
sys.stdout.buffer.write(f(kek, data))' "$@"
}

head -c 32 /dev/urandom >kek.bin
head -c 24 /dev/urandom >key.bin
head -c 16 /dev/urandom >key2.bin
head -c 16 /dev/zero >zeros
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem \
    2>/dev/null
keywrap_pad wrap kek.bin key2.bin >wrapped2

# SoftHSM2 with a fresh token in the work directory.
mkdir -p softhsm-tokens
printf 'directories.tokendir = %s/softhsm-tokens\nobjectstore.backend = file\n' \
    "$PWD" >softhsm2.conf
export SOFTHSM2_CONF="$PWD/softhsm2.conf"
softhsm2-util --init-token --free --label wrap-tools --pin 1234 \
    --so-pin 1234 >/dev/null

# The steps on one token (pkcs11-tool options in "$@"), files with
# suffix $1.
steps() {
    sfx=$1
    shift
    step "$sfx: known keys: a KEK, an extractable AES key, an RSA key"
    pkcs11-tool "$@" --write-object kek.bin --type secrkey --key-type AES:32 \
        --id 41 --label wrap-kek --sensitive --usage-wrap
    pkcs11-tool "$@" --write-object key.bin --type secrkey --key-type AES:24 \
        --id 42 --label wrap-key --sensitive --extractable
    pkcs11-tool "$@" --write-object rsa.pem --type privkey --id 43 \
        --label wrap-rsa --usage-sign --extractable

    step "$sfx: pkcs11-tool 0.23 neither wraps nor unwraps a private key"
    if pkcs11-tool "$@" --wrap --id 41 --application-id 43 -m 0x210A \
        -o "rsa.$sfx" 2>"refused.$sfx"; then
        echo "$sfx: pkcs11-tool wrapped a private key: test it here" >&2
        exit 1
    fi
    grep -q 'Secret key (to be wrapped) not found' "refused.$sfx"
    if pkcs11-tool "$@" --unwrap --id 41 -m 0x210A -i wrapped2 --key-type RSA: \
        --application-id 44 2>"refused.$sfx"; then
        echo "$sfx: pkcs11-tool unwrapped a private key: test it here" >&2
        exit 1
    fi
    grep -q 'Unsupported key type' "refused.$sfx"

    step "$sfx: --wrap with AES-KEY-WRAP-PAD, unwrapped by python3"
    pkcs11-tool "$@" --wrap --id 41 --application-id 42 -m 0x210A \
        -o "wrapped.$sfx"
    test "$(wc -c <"wrapped.$sfx")" -eq 32
    keywrap_pad unwrap kek.bin "wrapped.$sfx" >"unwrapped.$sfx"
    cmp "unwrapped.$sfx" key.bin

    step "$sfx: python3 wraps with padding, --unwrap, the key encrypts"
    pkcs11-tool "$@" --unwrap --id 41 -m 0x210A -i wrapped2 --key-type AES: \
        --application-id 45 --application-label unwrapped
    pkcs11-tool "$@" --encrypt --id 45 -m AES-ECB -i zeros -o "ecb.$sfx"
    openssl enc -aes-128-ecb -nopad \
        -K "$(od -An -tx1 key2.bin | tr -d ' \n')" -in zeros -out ecb.local
    cmp "ecb.$sfx" ecb.local
}

steps p11kmip --module "$module"
steps softhsm2 --module "$softhsm" --login --pin 1234

step "both tokens wrap to the same bytes"
cmp wrapped.p11kmip wrapped.softhsm2
echo "all private-key wrap tool checks passed"
