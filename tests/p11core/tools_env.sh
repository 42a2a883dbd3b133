# SPDX-License-Identifier: Apache-2.0
# Sourced by the pkcs11-tool tests: takes $module (p11kmip-pkcs11.so) and
# $work_name; points the module at the KMIP server with_server.py started
# (P11KMIP_TEST_*), works in $P11KMIP_TEST_DIR/$work_name, and defines
# step and tool (pkcs11-tool on the module).
work=$P11KMIP_TEST_DIR/$work_name
mkdir -p "$work"
cd "$work"

unset P11KMIP_CONFIG
export P11KMIP_SERVER="$P11KMIP_TEST_SERVER"
export P11KMIP_CA="$P11KMIP_TEST_CA"
export P11KMIP_CERT="$P11KMIP_TEST_CERT"
export P11KMIP_KEY="$P11KMIP_TEST_KEY"

step() { echo "== $*"; }
tool() { pkcs11-tool --module "$module" "$@"; }
