#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages p11kmip builds, tests and runs with.
# Idempotent and quiet: apt runs only for packages that are missing.
set -eu

PACKAGES="gcc clang libclang-rt-14-dev meson ninja-build pkg-config
  openssl libssl-dev libjson-c-dev libcmocka-dev p11-kit libp11-kit-dev
  sqlite3 libsqlite3-dev python3 python3-pykmip python3-pykcs11 libp11-dev
  libengine-pkcs11-openssl opensc gnutls-bin softhsm2 nginx curl
  valgrind gnuplot-nox man-db groff-base jq
  apache2 haproxy openssh-server openssh-client stunnel4 openvpn
  libnss3-tools openjdk-17-jdk-headless python3-pykcs11 python3-cryptography"
# Packages that start a system service when installed, as PACKAGE:SERVICE.
# Tests run their own servers: a service installed here is stopped and
# disabled; one the machine had before (its sshd, say) is left alone.
SERVICES="nginx:nginx apache2:apache2 haproxy:haproxy openssh-server:ssh
  stunnel4:stunnel4 openvpn:openvpn"

stop_service() {
    if [ -d /run/systemd/system ]; then
        systemctl disable --now "$1" >/dev/null 2>&1 || true
    else
        invoke-rc.d "$1" stop >/dev/null 2>&1 || true
        update-rc.d "$1" disable >/dev/null 2>&1 || true
    fi
}

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
for pair in $SERVICES; do
    case " $missing " in
    *" ${pair%%:*} "*) stop_service "${pair#*:}" ;;
    esac
done
