#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Signature benchmark (issue 3): starts kmipd and PyKMIP on 127.0.0.1 with
# integration/servers.py (one temporary test PKI for both), runs
# bench_sign against them, prints its table and draws sign.png.
#
# Usage: bench/run.sh [BUILD_DIR [SECONDS [OUT_DIR]]]
#   BUILD_DIR  a meson build directory with kmipd and bench_sign (./build)
#   SECONDS    length of each measurement (3); each rate is the best of
#              BENCH_ROUNDS (3) measurements
#   OUT_DIR    where sign.dat, sign.txt and sign.png go (BUILD_DIR/bench)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
seconds=${2:-3}
out=${3:-$build/bench}
mkdir -p "$out"

/usr/bin/python3 - "$here/../integration" "$build/kmipd/kmipd" \
    "$build/bench/bench_sign" "$seconds" "$out" <<'PY'
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, sys.argv[1])
import certs as test_certs  # noqa: E402
import servers  # noqa: E402

kmipd, bench, seconds, out = sys.argv[2:6]
servers.install_signal_handlers()
workdir = tempfile.mkdtemp(prefix="p11kmip-bench-")
try:
    certs = test_certs.make_certs(workdir)
    with servers.running_server("kmipd", workdir, certs, kmipd) as k, \
            servers.running_server("pykmip", workdir, certs) as p:
        env = dict(os.environ,
                   BENCH_KMIPD=k.address, BENCH_PYKMIP=p.address,
                   P11KMIP_TEST_CA=certs.ca,
                   P11KMIP_TEST_CERT=certs.client_cert,
                   P11KMIP_TEST_KEY=certs.client_key)
        with open(os.path.join(out, "sign.txt"), "w") as table:
            result = subprocess.run(
                [bench, "-s", seconds, "-r", os.environ.get("BENCH_ROUNDS", "3"),
                 "-o", os.path.join(out, "sign.dat")],
                env=env, stdout=subprocess.PIPE, text=True, check=False)
            table.write(result.stdout)
        sys.stdout.write(result.stdout)
        sys.exit(result.returncode)
finally:
    shutil.rmtree(workdir, ignore_errors=True)
PY

gnuplot -e "data='$out/sign.dat'; out='$out/sign.png'" "$here/sign.gnuplot"
echo "wrote $out/sign.txt and $out/sign.png"
