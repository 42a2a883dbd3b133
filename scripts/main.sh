#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The main job, from a fresh Debian 12 machine: install what is missing,
# build, start a local PyKMIP server with its own temporary certificates,
# create an RSA key pair on it, sign a file with it through the p11kmip
# CLI, verify the signature locally with openssl, and stop the server.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
[ -d build/main ] || meson setup build/main >/dev/null
ninja -C build/main cli/p11kmip >/dev/null
/usr/bin/python3 integration/with_server.py --server pykmip -- \
    scripts/main-job-pykmip.sh build/main/cli/p11kmip
