#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The main job, inside integration/with_server.py (which started a KMIP
# server): a key is created on the KMIP server, nginx serves HTTPS with it
# through the p11kmip OpenSSL provider (a URI-in-PEM key file, no key
# bytes), curl completes a verified TLS handshake whose signature the KMIP
# server made, and openssl signs a file with the same key.
# Usage: main-job.sh BUILD_DIR ec|rsa-pkcs1
# (rsa-pkcs1: TLS 1.2 with RSA PKCS#1 v1.5 signatures, what PyKMIP can make)
set -eu
build=$(cd "$1" && pwd)
kind=$2
case $kind in
ec) spec=ec:P-256 tls="" ;;
rsa-pkcs1) spec=rsa:2048 tls="--protocols TLSv1.2 --sigalgs RSA+SHA256" ;;
*) echo "usage: main-job.sh BUILD_DIR ec|rsa-pkcs1" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")/.." && pwd)
work=$P11KMIP_TEST_DIR/main-job
mkdir -p "$work"
label="web-tls-$kind"

cat >"$work/p11kmip.json" <<JSON
{ "slots": [ { "label": "local-kmip", "servers": ["$P11KMIP_TEST_SERVER"],
    "ca": "$P11KMIP_TEST_CA", "cert": "$P11KMIP_TEST_CERT",
    "key": "$P11KMIP_TEST_KEY" } ] }
JSON
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
module = $build/provider/p11kmip.so
activate = 1
CNF
export P11KMIP_CONFIG="$work/p11kmip.json" OPENSSL_CONF="$work/openssl.cnf"
uri="pkcs11:object=$label;type=private"

echo "--- $spec key pair created on the KMIP server at $P11KMIP_TEST_SERVER"
"$build/cli/p11kmip" keygen "$spec" --label "$label"
echo "--- self-signed certificate, signed by the KMIP server"
openssl req -new -x509 -key "$uri" -subj /CN=localhost -days 2 \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -out "$work/web.crt"
openssl x509 -in "$work/web.crt" -noout -subject -ext subjectAltName
echo "--- nginx key file (a reference, no key material):"
"$build/cli/p11kmip" keyfile --label "$label" --out "$work/web.key.pem"
cat "$work/web.key.pem"

echo "--- nginx (4 workers) serving HTTPS with the KMIP-held key"
# shellcheck disable=SC2086
/usr/bin/python3 "$here/integration/with_nginx.py" --workers 4 $tls \
    --cert "$work/web.crt" --key "$work/web.key.pem" -- \
    sh -c 'port=${P11KMIP_TEST_NGINX#*:}
        OPENSSL_CONF=/dev/null curl --silent --show-error --fail \
            --cacert "$0" "https://localhost:$port/" -w "%{http_version} %{ssl_verify_result}\n" &&
        echo | OPENSSL_CONF=/dev/null openssl s_client -connect "$P11KMIP_TEST_NGINX" \
            -servername localhost -CAfile "$0" -verify_return_error 2>/dev/null |
            grep -E "^(Verification|New|Peer signature type)"' "$work/web.crt"

echo "--- a file signed with the same key on the KMIP server, verified locally"
echo "Hello from a key that never left the KMIP server." >"$work/message.txt"
openssl dgst -sha256 -sign "$uri" -out "$work/message.sig" "$work/message.txt"
openssl x509 -in "$work/web.crt" -noout -pubkey >"$work/web.pub"
OPENSSL_CONF=/dev/null openssl dgst -sha256 -verify "$work/web.pub" \
    -signature "$work/message.sig" "$work/message.txt"
