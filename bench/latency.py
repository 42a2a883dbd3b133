# SPDX-License-Identifier: Apache-2.0
"""Signatures per second against the distance to the KMIP server: ECDSA
P-256 through the p11kmip provider (bench_evp) with 1, 4 and 16 threads,
with kmipd on 127.0.0.1 reached directly (RTT 0) and through
bench/delay_proxy at RTT 1 and 5 ms.

    /usr/bin/python3 bench/latency.py BUILD_DIR [SECONDS]

Prints one row per RTT and thread count: signatures/s and, with a delay,
the share of THREADS/RTT reached (the target is 90% at 5 ms with 16
threads). Each rate is one run of SECONDS (default 3).
"""

import collections
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402

RTTS_MS = (0, 1, 5)
THREADS = (1, 4, 16)
Address = collections.namedtuple("Address", "address")


def start_proxy(build, target, rtt_ms):
    """A delay_proxy in front of target; (process, its address)."""
    proxy = subprocess.Popen(
        [os.path.join(build, "bench", "delay_proxy"), "-t", target, "-d",
         str(rtt_ms)], stdout=subprocess.PIPE, text=True)
    return proxy, proxy.stdout.readline().split()[1]


def signatures(bench, module_conf, threads):
    argv = [bench.bench_evp, "-j", str(threads), "-s", str(bench.seconds),
            "pkcs11:object=bench-ec;type=private"]
    return compare.rate(compare.run(
        argv, env=bench.env(bench.conf["provider"], module_conf)))


def main():
    build = os.path.abspath(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    compare.servers.install_signal_handlers()
    work = tempfile.mkdtemp(prefix="p11kmip-latency-")
    proxies = []
    try:
        certs = compare.test_certs.make_certs(work)
        with compare.servers.running_server(
                "kmipd", work, certs,
                os.path.join(build, "kmipd", "kmipd")) as kmipd:
            bench = compare.Bench(build, seconds, work, certs)
            bench.openssl_confs()
            direct = bench.module_conf("rtt0", kmipd, version="1.4")
            bench.kmip_keys(direct, ("ec",))
            print("%-6s %-8s %12s %10s" % ("RTT_ms", "threads", "per_second",
                                            "of_ideal"), flush=True)
            for rtt in RTTS_MS:
                address = kmipd
                if rtt > 0:
                    proxy, proxied = start_proxy(build, kmipd.address, rtt)
                    proxies.append(proxy)
                    address = Address(proxied)
                conf = bench.module_conf("rtt%d" % rtt, address, version="1.4")
                for threads in THREADS:
                    rate = signatures(bench, conf, threads)
                    ideal = ("%.0f%%" % (100 * rate * rtt / 1000 / threads)
                             if rtt > 0 else "-")
                    print("%-6d %-8d %12.0f %10s" % (rtt, threads, rate, ideal),
                          flush=True)
        return 0
    finally:
        for proxy in proxies:
            proxy.terminate()
            proxy.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
