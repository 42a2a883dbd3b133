# SPDX-License-Identifier: Apache-2.0
"""KMIP requests per TLS handshake: nginx (one worker) signs each full
handshake with a key on kmipd through the p11kmip provider's key file, and
kmipd (log level debug) logs every operation it serves. After warm-up
handshakes (the worker loads the key), each handshake must cost exactly one
KMIP operation, a Sign:

    requests_per_handshake.py BUILD_DIR

for ECDSA P-256 over TLS 1.3, RSA-2048 with RSA-PSS over TLS 1.3 and
RSA-2048 with PKCS#1 v1.5 over TLS 1.2. Prints the operations counted per
case. Everything runs in a temporary directory on 127.0.0.1.
"""

import collections
import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "integration"))
import certs as test_certs  # noqa: E402
import servers  # noqa: E402
import with_nginx  # noqa: E402
import nginx_reliability  # noqa: E402

WARM_UP = 4
MEASURED = 20
# (name, keygen spec, nginx protocols, nginx signature algorithms, client -t)
CASES = [
    ("ECDSA P-256, TLS 1.3", "ec:P-256", "TLSv1.3", None, "1.3"),
    ("RSA-2048 PSS, TLS 1.3", "rsa:2048", "TLSv1.3", None, "1.3"),
    ("RSA-2048 PKCS#1, TLS 1.2", "rsa:2048", "TLSv1.2", "RSA+SHA256", "1.2"),
]
# kmipd/dispatch.c at debug: "OWNER: OPERATION done in N us"
DONE = re.compile(r": (\S+) done in \d+ us")


def handshakes(build, nginx, cert, number, tls):
    done, failed = nginx_reliability.handshakes(build, nginx, cert, number,
                                                threads=1, tls=tls)
    if done != number or failed != 0:
        raise RuntimeError("%d of %d handshakes failed" % (failed, number))


def operations_since(log_path, offset, at_least):
    """Operations kmipd logged after offset bytes of its log: kmipd logs an
    answer after sending it, so wait for at_least of them (5 s at most),
    then a little longer for any beyond."""
    def count():
        with open(log_path, encoding="utf-8", errors="replace") as log:
            log.seek(offset)
            return collections.Counter(DONE.findall(log.read()))
    deadline = time.monotonic() + 5
    while sum(count().values()) < at_least and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    return count()


def measure(build, work, server, case, index):
    name, spec, protocols, sigalgs, tls = case
    cert, key = nginx_reliability.make_key_and_cert(
        build, work, "provider", label="hs%d" % index, spec=spec)
    nginx_dir = os.path.join(work, "nginx%d" % index)
    os.mkdir(nginx_dir)
    with with_nginx.running_nginx(cert, key, nginx_dir, workers=1,
                                  protocols=protocols,
                                  sigalgs=sigalgs) as nginx:
        offset = os.path.getsize(server.log_path)
        handshakes(build, nginx, cert, WARM_UP, tls)
        warm_up = operations_since(server.log_path, offset, WARM_UP)
        offset = os.path.getsize(server.log_path)
        handshakes(build, nginx, cert, MEASURED, tls)
        counted = operations_since(server.log_path, offset, MEASURED)
    print("%s: first %d handshakes (the worker loads the key): %s; next "
          "%d: %s" % (name, WARM_UP, dict(warm_up), MEASURED, dict(counted)),
          flush=True)
    return counted == collections.Counter({"Sign": MEASURED})


def main():
    build = os.path.abspath(sys.argv[1])
    servers.install_signal_handlers()
    work = tempfile.mkdtemp(prefix="p11kmip-per-handshake-")
    server = None
    try:
        certs = test_certs.make_certs(work)
        server = servers.start_kmipd(work, certs,
                                     os.path.join(build, "kmipd", "kmipd"),
                                     log_level="debug")
        nginx_reliability.write_configs(build, work, certs, server,
                                        "provider")
        results = [measure(build, work, server, case, i)
                   for i, case in enumerate(CASES)]
        if not all(results):
            print("FAIL: a handshake cost more than one KMIP Sign",
                  file=sys.stderr)
            return 1
        return 0
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
