#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The CLI against a KMIP server that integration/with_server.py has
# started: create an RSA key pair on the server, sign a file with it
# through the p11kmip CLI, and verify the signature locally with openssl.
# $1 is the p11kmip binary.
set -eu
p11kmip=$1
work=$P11KMIP_TEST_DIR/main-job
mkdir -p "$work"

export P11KMIP_SERVER="$P11KMIP_TEST_SERVER" P11KMIP_CA="$P11KMIP_TEST_CA" \
    P11KMIP_CERT="$P11KMIP_TEST_CERT" P11KMIP_KEY="$P11KMIP_TEST_KEY"
unset P11KMIP_CONFIG

label="main-job-$(date +%s)"
echo "--- key pair '$label' created on the KMIP server at $P11KMIP_SERVER"
"$p11kmip" keygen rsa:2048 --label "$label"
echo "--- public key fetched from the server"
"$p11kmip" pubkey --label "$label" --out "$work/public.pem"
openssl pkey -pubin -in "$work/public.pem" -noout -text | head -n 1
echo "Hello from a key that never left the KMIP server." >"$work/message.txt"
echo "--- message signed by the server (RSA PKCS#1 v1.5, SHA-256)"
"$p11kmip" sign --label "$label" --in "$work/message.txt" \
    --out "$work/message.sig" --digest sha256
echo "--- signature verified locally by openssl"
openssl dgst -sha256 -verify "$work/public.pem" \
    -signature "$work/message.sig" "$work/message.txt"
