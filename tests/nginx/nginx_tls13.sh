#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# nginx (4 workers) serving TLS 1.3 with a key held by the KMIP server that
# with_server.py started, through one of the two ways users have:
#   nginx_tls13.sh BUILD_DIR provider|engine ec|rsa [pem|p12-env]
#   provider: a URI-in-PEM key file read by the p11kmip provider's decoder
#   engine:   ssl_certificate_key engine:pkcs11:pkcs11:... (libp11's ENGINE
#             over p11kmip-pkcs11.so)
# pem: the slot's client credentials are PEM files; p12-env: an encrypted
# PKCS#12 bundle whose passphrase the workers, which never log in, take
# from P11KMIP_KEY_PASSWORD (nginx keeps it: env P11KMIP_KEY_PASSWORD).
# ec signs with ECDSA P-256, rsa (RSA-2048) with RSA-PSS. curl and s_client
# complete handshakes that verify the certificate chain; s_client must see
# TLSv1.3 and the expected peer signature type.
set -eu
build=$(cd "$1" && pwd)
path=$2
kind=$3
identity=${4:-pem}
case $kind in
ec) spec=ec:P-256 sigtype=ECDSA ;;
rsa) spec=rsa:2048 sigtype=RSA-PSS ;;
*) echo "usage: nginx_tls13.sh BUILD_DIR provider|engine ec|rsa" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$P11KMIP_TEST_DIR/nginx-$path-$kind-$identity
mkdir -p "$work"
label="nginx-$path-$kind-$identity"
uri="pkcs11:object=$label;type=private"

case $identity in
pem) credentials="\"ca\": \"$P11KMIP_TEST_CA\", \"cert\": \"$P11KMIP_TEST_CERT\",
    \"key\": \"$P11KMIP_TEST_KEY\"" nginx_env= ;;
p12-env)
    export P11KMIP_KEY_PASSWORD=nginx-bundle-pass
    openssl pkcs12 -export -in "$P11KMIP_TEST_CERT" -inkey "$P11KMIP_TEST_KEY" \
        -certfile "$P11KMIP_TEST_CA" -passout env:P11KMIP_KEY_PASSWORD \
        -out "$work/client.p12"
    credentials="\"p12\": \"$work/client.p12\""
    nginx_env="--env P11KMIP_KEY_PASSWORD" ;;
*) echo "nginx_tls13.sh: identity pem or p12-env" >&2; exit 2 ;;
esac
cat >"$work/p11kmip.json" <<JSON
{ "slots": [ { "label": "local-kmip", "servers": ["$P11KMIP_TEST_SERVER"],
    $credentials, "timeout_ms": 5000 } ] }
JSON
# One OpenSSL configuration per path, so that only that path can sign:
# the provider activated, or libp11's ENGINE (init = 1: nginx 1.22 never
# calls ENGINE_init).
case $path in
provider) cat >"$work/openssl.cnf" <<CNF
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
    ;;
engine) cat >"$work/openssl.cnf" <<CNF
openssl_conf = openssl_init
[openssl_init]
engines = engine_sect
[engine_sect]
pkcs11 = pkcs11_sect
[pkcs11_sect]
engine_id = pkcs11
dynamic_path = /usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so
MODULE_PATH = $build/p11core/p11kmip-pkcs11.so
init = 1
CNF
    ;;
*) echo "usage: nginx_tls13.sh BUILD_DIR provider|engine ec|rsa" >&2; exit 2 ;;
esac
export P11KMIP_CONFIG="$work/p11kmip.json" OPENSSL_CONF="$work/openssl.cnf"
"$build/cli/p11kmip" keygen "$spec" --label "$label"
case $path in
provider)
    keyopts="-key $uri"
    openssl pkey -in "$uri" -out "$work/web.key.pem"
    key="$work/web.key.pem"
    ;;
engine)
    keyopts="-engine pkcs11 -keyform engine -key $uri"
    key="engine:pkcs11:$uri"
    ;;
esac
# shellcheck disable=SC2086
openssl req -new -x509 $keyopts -subj /CN=localhost -days 2 \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -out "$work/web.crt"

mkdir -p "$work/nginx"
# shellcheck disable=SC2086
/usr/bin/python3 "$here/integration/with_nginx.py" --dir "$work/nginx" \
    --workers 4 --protocols TLSv1.3 $nginx_env \
    --cert "$work/web.crt" --key "$key" -- \
    sh -c 'port=${P11KMIP_TEST_NGINX#*:}
        for i in 1 2 3 4 5 6 7 8; do
            OPENSSL_CONF=/dev/null curl --silent --show-error --fail \
                --tlsv1.3 --cacert "$0" "https://localhost:$port/" \
                -w "%{http_version} verify=%{ssl_verify_result}\n" || exit 1
        done
        echo | OPENSSL_CONF=/dev/null openssl s_client \
            -connect "$P11KMIP_TEST_NGINX" -servername localhost \
            -CAfile "$0" -verify_return_error >"$1/s_client.txt" 2>&1 || {
            cat "$1/s_client.txt"; exit 1; }
        grep -E "^(Verification|New|Peer signature type)" "$1/s_client.txt"
        grep -q "^Verification: OK" "$1/s_client.txt" &&
            grep -q "^New, TLSv1.3" "$1/s_client.txt" &&
            grep -q "^Peer signature type: $2\$" "$1/s_client.txt"' \
    "$work/web.crt" "$work" "$sigtype"
