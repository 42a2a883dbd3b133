#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# pkcs11-tool, p11tool and libp11's ENGINE over p11kmip-pkcs11.so, against
# the KMIP server with_server.py started:
#   test_tools_e2e.sh MODULE kmipd|pykmip
# kmipd: RSA and EC key generation, --sign / --verify (PKCS#1, PSS,
# ECDSA), every signature also verified by openssl with the exported public
# key, `openssl pkeyutl -engine pkcs11 -sign` for RSA and EC (generated,
# and imported as a private key alone), p11tool's
# --test-sign for RSA and EC, and `pkcs11-tool --test`. PyKMIP: RSA key
# generation and SHA256-RSA-PKCS. Ed25519: --keypairgen EC:edwards25519,
# -m EDDSA, verified by openssl.
set -eu

module=$1
server=$2
work_name=tools
# shellcheck source=tests/p11core/tools_env.sh
. "$(dirname "$0")/tools_env.sh"

printf 'The quick brown fox jumps over the lazy dog' >msg
openssl dgst -sha256 -binary msg >msg.sha256

# pkcs11-tool's --sign and --verify choose the key by --id, else take the
# first key. PyKMIP keeps no CKA_ID (the module then gives the KMIP Unique
# Identifier), but the run's RSA key pair is the only key there.
if [ "$server" = pykmip ]; then
    rsa="--label e2e-rsa"
else
    rsa="--id 01"
fi

# Exports the public key labelled $1 as PEM file $2.
export_public() {
    tool --read-object --type pubkey --label "$1" -o "$2.der"
    openssl pkey -pubin -inform DER -in "$2.der" -out "$2"
}

step "RSA key pair"
tool --keypairgen --key-type rsa:2048 --label e2e-rsa --id 01 --usage-sign
export_public e2e-rsa rsa.pem

step "SHA256-RSA-PKCS sign, pkcs11-tool and openssl verify"
tool --sign $rsa -m SHA256-RSA-PKCS -i msg -o sig.rsa
tool --verify $rsa -m SHA256-RSA-PKCS -i msg --signature-file sig.rsa
openssl dgst -sha256 -verify rsa.pem -signature sig.rsa msg

if [ "$server" = pykmip ]; then
    exit 0
fi

step "SHA256-RSA-PKCS-PSS sign, openssl verify (salt = digest length)"
tool --sign $rsa -m SHA256-RSA-PKCS-PSS -i msg -o sig.pss
tool --verify $rsa -m SHA256-RSA-PKCS-PSS -i msg --signature-file sig.pss
openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
    -verify rsa.pem -signature sig.pss msg

step "EC P-256 key pair"
tool --keypairgen --key-type EC:prime256v1 --label e2e-ec --id 02 \
    --usage-sign
export_public e2e-ec ec.pem

step "ECDSA-SHA256 sign, pkcs11-tool and openssl verify"
tool --sign --id 02 -m ECDSA-SHA256 -i msg -o sig.ec
tool --verify --id 02 -m ECDSA-SHA256 -i msg --signature-file sig.ec
tool --sign --id 02 -m ECDSA-SHA256 -i msg -o sig.ec.der \
    --signature-format openssl
openssl dgst -sha256 -verify ec.pem -signature sig.ec.der msg

step "libp11 ENGINE: openssl pkeyutl -sign, RSA and EC"
export PKCS11_MODULE_PATH="$module"
openssl pkeyutl -engine pkcs11 -keyform engine \
    -inkey 'pkcs11:id=%01;type=private' -sign -pkeyopt digest:sha256 \
    -in msg.sha256 -out sig.engine.rsa
openssl pkeyutl -verify -pubin -inkey rsa.pem -pkeyopt digest:sha256 \
    -in msg.sha256 -sigfile sig.engine.rsa
openssl pkeyutl -engine pkcs11 -keyform engine \
    -inkey 'pkcs11:id=%02;type=private' -sign \
    -in msg.sha256 -out sig.engine.ec
openssl pkeyutl -verify -pubin -inkey ec.pem -in msg.sha256 \
    -sigfile sig.engine.ec

step "libp11 ENGINE: sign with imported RSA and EC private keys alone"
# No public key object: the private key carries its public half.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out imp-rsa.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out imp-ec.pem
tool --write-object imp-rsa.pem --type privkey --id 03 --label imp-rsa \
    --usage-sign --sensitive
tool --write-object imp-ec.pem --type privkey --id 04 --label imp-ec \
    --usage-sign --sensitive
openssl pkeyutl -engine pkcs11 -keyform engine \
    -inkey 'pkcs11:id=%03;type=private' -sign -pkeyopt digest:sha256 \
    -in msg.sha256 -out sig.imp.rsa
openssl pkeyutl -verify -inkey imp-rsa.pem -pkeyopt digest:sha256 \
    -in msg.sha256 -sigfile sig.imp.rsa
openssl pkeyutl -engine pkcs11 -keyform engine \
    -inkey 'pkcs11:id=%04;type=private' -sign \
    -in msg.sha256 -out sig.imp.ec
openssl pkeyutl -verify -inkey imp-ec.pem -in msg.sha256 -sigfile sig.imp.ec

step "p11tool --test-sign, RSA and EC"
p11tool --provider "$module" --test-sign 'pkcs11:object=e2e-rsa'
p11tool --provider "$module" --test-sign 'pkcs11:object=e2e-ec'

step "pkcs11-tool --test"
tool --test

step "Ed25519 key pair, EDDSA sign, pkcs11-tool and openssl verify"
tool --keypairgen --key-type EC:edwards25519 --label e2e-ed --id 05 \
    --usage-sign
tool --sign --id 05 -m EDDSA -i msg -o sig.ed
tool --verify --id 05 -m EDDSA -i msg --signature-file sig.ed
# pkcs11-tool 0.23 exports no Edwards key: its SubjectPublicKeyInfo is a
# fixed prefix and the 32 bytes of CKA_EC_POINT (an OCTET STRING, 0420...).
point=$(tool --list-objects --type pubkey --id 05 |
    sed -n 's/^ *EC_POINT: *0420\([0-9a-f]*\)$/\1/p')
printf '302a300506032b6570032100%s' "$point" | xxd -r -p >ed.der
openssl pkey -pubin -inform DER -in ed.der -out ed.pem
openssl pkeyutl -verify -pubin -inkey ed.pem -rawin -in msg -sigfile sig.ed
