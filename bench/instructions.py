# SPDX-License-Identifier: Apache-2.0
"""Instructions per signature through the provider over kmipd, counted by
valgrind's callgrind: repeatable on a loaded machine, where times are not.

    /usr/bin/python3 bench/instructions.py BUILD_DIR [--alg ec|rsa]
                     [--count N] [--annotate DIR]

Server: kmipd runs under callgrind; after a first bench_evp run of N
signatures (caches warm), it counts a run of N and a run of 2N (each a
new process: a connection, its handshake, a key load): the difference
divided by N is what kmipd spends per Sign, without set-up. Client:
bench_evp (1 thread) runs under callgrind twice, with N and 2N signatures
against an uninstrumented kmipd; the difference divided by N is the
client's cost per signature, without start-up (it moves by a few percent
between runs with the number of reads a response takes).
Prints "server_instructions_per_sign X" and "client_instructions_per_sign
Y"; with --annotate, keeps the callgrind files in DIR and writes
callgrind_annotate's inclusive report of each next to them.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402

CALLGRIND = ["valgrind", "--tool=callgrind", "--dump-instr=no"]


def total_instructions(path):
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError("no totals in " + path)


def sign(bench, alg, count, conf, prefix=()):
    argv = list(prefix) + [bench.bench_evp, "-j", "1", "-n", str(count),
                           "pkcs11:object=bench-%s;type=private" % alg]
    out = compare.run(argv, env=bench.env(bench.conf["provider"], conf))
    if int(re.search(r"failed (\d+)", out).group(1)) != 0:
        raise RuntimeError("signatures failed: " + out)


def callgrind_control(pid, option):
    subprocess.run(["callgrind_control", option, str(pid)], check=True,
                   stdout=subprocess.DEVNULL)


def server_per_sign(bench, alg, count, work, out_dir):
    """kmipd's instructions per Sign."""
    work = os.path.join(work, "server")
    os.mkdir(work)
    wrapper = os.path.join(work, "kmipd-callgrind.sh")
    out = os.path.join(out_dir, "callgrind.kmipd")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\nexec %s --callgrind-out-file=%s.%%p %s \"$@\"\n"
                % (" ".join(CALLGRIND), out,
                   os.path.join(bench.build, "kmipd", "kmipd")))
    os.chmod(wrapper, 0o755)
    server = compare.servers.start_kmipd(work, bench.certs, wrapper)
    try:
        # RSA key generation under callgrind takes minutes.
        conf = bench.module_conf("server", server, timeout_ms=600000)
        bench.kmip_keys(conf, (alg,))
        sign(bench, alg, count, conf)
        callgrind_control(server.process.pid, "-z")
        for n in (count, 2 * count):  # each dump zeroes the counters
            sign(bench, alg, n, conf)
            callgrind_control(server.process.pid, "-d")
    finally:
        server.stop()
    dumps = sorted(glob.glob(out + ".*.*"))
    totals = [total_instructions(dump) for dump in dumps[:2]]
    return (totals[1] - totals[0]) / count, dumps[1]


def client_per_sign(bench, alg, count, work, out_dir):
    """bench_evp's (provider, p11core, KMIP client) instructions per
    signature."""
    work = os.path.join(work, "client")
    os.mkdir(work)
    with compare.servers.running_server(
            "kmipd", work, bench.certs,
            os.path.join(bench.build, "kmipd", "kmipd")) as server:
        conf = bench.module_conf("client", server)
        bench.kmip_keys(conf, (alg,))
        totals = []
        for n in (count, 2 * count):
            out = os.path.join(out_dir, "callgrind.client.%d" % n)
            sign(bench, alg, n, conf,
                 CALLGRIND + ["--callgrind-out-file=" + out])
            totals.append(total_instructions(out))
    return (totals[1] - totals[0]) / count, out


def annotate(path):
    with open(path + ".txt", "w") as f:
        subprocess.run(["callgrind_annotate", "--inclusive=yes", path],
                       stdout=f, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build", type=os.path.abspath)
    parser.add_argument("--alg", choices=("ec", "rsa"), default="ec")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--annotate", type=os.path.abspath)
    args = parser.parse_args()
    compare.servers.install_signal_handlers()
    work = tempfile.mkdtemp(prefix="p11kmip-instructions-")
    out_dir = args.annotate or work
    os.makedirs(out_dir, exist_ok=True)
    try:
        bench = compare.Bench(args.build, 1, work,
                              compare.test_certs.make_certs(work))
        bench.openssl_confs()
        server, server_dump = server_per_sign(bench, args.alg, args.count,
                                              work, out_dir)
        client, client_dump = client_per_sign(bench, args.alg, args.count,
                                              work, out_dir)
        if args.annotate:
            annotate(server_dump)
            annotate(client_dump)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("server_instructions_per_sign %.0f" % server)
    print("client_instructions_per_sign %.0f" % client)
    return 0


if __name__ == "__main__":
    sys.exit(main())
