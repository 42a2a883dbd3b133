#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages p11kmip builds, tests and runs with.
# Idempotent and quiet: apt runs only for packages that are missing.
set -eu

PACKAGES="gcc clang libclang-rt-14-dev meson ninja-build pkg-config
  openssl libssl-dev libjson-c-dev libcmocka-dev p11-kit libp11-kit-dev
  sqlite3 libsqlite3-dev python3 python3-pykmip python3-pykcs11 libp11-dev
  libengine-pkcs11-openssl opensc gnutls-bin softhsm2 nginx curl
  valgrind gnuplot-nox man-db groff-base jq"

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "p11kmip: missing packages:$missing (run as root to install)" >&2
    exit 1
fi
echo "p11kmip: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null
# The nginx package starts a system nginx on port 80; tests run their own.
if command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now nginx >/dev/null 2>&1 || true
fi
