#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The main job, from a fresh Debian 12 machine: install what is missing,
# build, start a local KMIP server with its own temporary certificates,
# create a key on it, serve HTTPS from nginx with that key through the
# p11kmip provider, complete a verified TLS handshake with curl, sign a
# file with the key, and stop everything.
#   ./scripts/main.sh            kmipd, ECDSA P-256, TLS 1.3
#   ./scripts/main.sh --pykmip   PyKMIP, RSA-2048, TLS 1.2 (PKCS#1 v1.5)
set -eu
cd "$(dirname "$0")/.."
case ${1:-} in
"") server=kmipd kind=ec ;;
--pykmip) server=pykmip kind=rsa-pkcs1 ;;
*) echo "usage: $0 [--pykmip]" >&2; exit 2 ;;
esac
./scripts/deps.sh
[ -d build/main ] || meson setup build/main >/dev/null
ninja -C build/main >/dev/null
/usr/bin/python3 integration/with_server.py --server "$server" \
    --kmipd build/main/kmipd/kmipd -- scripts/main-job.sh build/main "$kind"
