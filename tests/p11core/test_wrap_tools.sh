#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# pkcs11-tool --wrap / --unwrap over p11kmip-pkcs11.so against the kmipd
# with_server.py started:
#   test_wrap_tools.sh MODULE
# Known keys written with --write-object; a key wrapped by pkcs11-tool
# (AES-KEY-WRAP) is the RFC 3394 wrapping python3-cryptography computes,
# and a key wrapped by python3-cryptography, unwrapped by pkcs11-tool,
# encrypts (AES-ECB) as the known key does.
set -eu

module=$1
work_name=wrap-tools
# shellcheck source=tests/p11core/tools_env.sh
. "$(dirname "$0")/tools_env.sh"
# python3-cryptography's AES key wrap: wrap|unwrap KEK-FILE IN-FILE
keywrap() {
    /usr/bin/python3 -c 'import sys
from cryptography.hazmat.primitives import keywrap as w
kek = open(sys.argv[2], "rb").read()
data = open(sys.argv[3], "rb").read()
f = w.aes_key_wrap if sys.argv[1] == "wrap" else w.aes_key_unwrap
sys.stdout.buffer.write(f(kek, data))' "$@"
}

head -c 32 /dev/urandom >kek.bin
head -c 16 /dev/urandom >key.bin
head -c 16 /dev/urandom >key2.bin
head -c 16 /dev/zero >zeros

step "known keys: a KEK, an extractable key"
tool --write-object kek.bin --type secrkey --key-type AES:32 --id 31 \
    --label wrap-kek --sensitive --usage-wrap
tool --write-object key.bin --type secrkey --key-type AES:16 --id 32 \
    --label wrap-key --sensitive --extractable

step "pkcs11-tool --wrap AES-KEY-WRAP, unwrapped by python3-cryptography"
tool --wrap --id 31 --application-id 32 -m AES-KEY-WRAP -o wrapped
test "$(wc -c <wrapped)" -eq 24
keywrap unwrap kek.bin wrapped >unwrapped
cmp unwrapped key.bin

step "python3-cryptography wraps, pkcs11-tool --unwrap, the key encrypts"
keywrap wrap kek.bin key2.bin >wrapped2
tool --unwrap --id 31 -m AES-KEY-WRAP -i wrapped2 --key-type AES: \
    --application-id 33 --application-label unwrapped
tool --encrypt --id 33 -m AES-ECB -i zeros -o ecb
openssl enc -aes-128-ecb -nopad -K "$(od -An -tx1 key2.bin | tr -d ' \n')" \
    -in zeros -out ecb.local
cmp ecb ecb.local

step "a key that is not extractable is not wrapped"
tool --write-object key2.bin --type secrkey --key-type AES:16 --id 34 \
    --label wrap-stays --sensitive
if tool --wrap --id 31 --application-id 34 -m AES-KEY-WRAP -o no \
    2>refused; then
    echo "wrapped a key that is not extractable" >&2
    exit 1
fi
grep -q CKR_KEY_UNEXTRACTABLE refused
echo "all wrap tool checks passed"
