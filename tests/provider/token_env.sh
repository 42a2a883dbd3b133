# SPDX-License-Identifier: Apache-2.0
# Sourced by the provider tests: a token with the provider in front of it,
# in a temporary directory that is removed on exit. Takes $provider (the
# path of p11kmip.so), $backend and, for the core backend, $core_module:
#   softhsm  a SoftHSM2 token, reached through p11kmip-module-path;
#   core     the provider's own p11core against the KMIP server
#            with_server.py started (P11KMIP_TEST_*); keys are made with
#            pkcs11-tool over p11kmip-pkcs11.so ($core_module).
# P11KMIP_TEST_SETTINGS (lines for the provider's section) and, for
# softhsm, P11KMIP_TEST_PIN_FILE (where to write the PIN that p11kmip-pin
# then names, relative to the temporary directory) shape the
# configuration.
# Sets OPENSSL_CONF to a configuration activating the provider and $token
# (the URI's token attribute), and defines token_tool (pkcs11-tool on the
# token), uri LABEL, make_key_pair TYPE LABEL ID, export_public_key LABEL,
# step, fail and plain_openssl (openssl without the provider: the
# independent check).

work=$(mktemp -d "${TMPDIR:-/tmp}/p11kmip-provider.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

step() { echo "== $*"; }
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# openssl without the provider: the independent check.
plain_openssl() { OPENSSL_CONF=/dev/null openssl "$@"; }

case $backend in
softhsm)
    module=/usr/lib/softhsm/libsofthsm2.so
    export SOFTHSM2_CONF="$work/softhsm2.conf"
    mkdir tokens
    printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\n' \
        "$work" >"$SOFTHSM2_CONF"
    softhsm2-util --init-token --free --label p11kmip-test --pin 1234 \
        --so-pin 5678 >/dev/null
    login="--login --pin 1234"
    token="token=p11kmip-test;"
    pin=1234
    if [ -n "${P11KMIP_TEST_PIN_FILE:-}" ]; then
        printf '1234\n' >"$P11KMIP_TEST_PIN_FILE"
        pin="file:$P11KMIP_TEST_PIN_FILE"
    fi
    provider_config="p11kmip-module-path = $module
p11kmip-pin = $pin"
    ;;
core)
    module=$core_module
    unset P11KMIP_CONFIG
    export P11KMIP_SERVER="$P11KMIP_TEST_SERVER"
    export P11KMIP_CA="$P11KMIP_TEST_CA"
    export P11KMIP_CERT="$P11KMIP_TEST_CERT"
    export P11KMIP_KEY="$P11KMIP_TEST_KEY"
    login=""
    token=""
    provider_config=""
    ;;
*)
    fail "unknown backend $backend"
    ;;
esac

cat >openssl.cnf <<EOF
openssl_conf = openssl_init
[openssl_init]
providers = providers
[providers]
default = default_sect
p11kmip = p11kmip_sect
[default_sect]
activate = 1
[p11kmip_sect]
module = $provider
$provider_config
${P11KMIP_TEST_SETTINGS:-}
activate = 1
EOF
export OPENSSL_CONF="$work/openssl.cnf"

uri() { echo "pkcs11:${token}object=$1;type=private"; }

# pkcs11-tool on the token; its libcrypto does not load the provider.
token_tool() {
    # shellcheck disable=SC2086
    OPENSSL_CONF=/dev/null pkcs11-tool --module "$module" $login "$@"
}

# Makes key pair LABEL (CKA_ID ID) of pkcs11-tool's TYPE on the token;
# more pkcs11-tool options may follow (--usage-derive).
make_key_pair() {
    pair_type=$1 pair_label=$2 pair_id=$3
    shift 3
    token_tool --keypairgen --key-type "$pair_type" --label "$pair_label" \
        --id "$pair_id" \
        --usage-sign --usage-decrypt "$@" >/dev/null
}

# Writes the public key of LABEL, as the token has it, to LABEL.pem
# (openssl through the provider).
export_public_key() {
    openssl pkey -in "$(uri "$1")" -pubout -out "$1.pem"
}
