# SPDX-License-Identifier: Apache-2.0
"""nginx (4 workers) with an ECDSA P-256 key on kmipd, through the p11kmip
provider's key file or libp11's ENGINE over p11kmip-pkcs11.so, under
stress:

    nginx_reliability.py BUILD_DIR restart|storm|unprivileged provider|engine

restart: kmipd is killed (SIGKILL) while nginx serves; handshakes then fail
         quickly (no hang); kmipd restarts on the same port with the same
         database, and every handshake succeeds again with nginx untouched.
storm:   2,000 full handshakes over 8 concurrent connections in four
         quarters: none fails, no worker is replaced, and no worker's RSS
         grows by more than RSS_GROWTH_LIMIT_KB from the end of the first
         quarter to the end of the last.
unprivileged: the workers run as nobody while the configuration and the
         client TLS key (0600) stay in the test's 0700 root directory:
         they sign with what the master loaded.

Everything runs in a temporary directory with its own PKI, on 127.0.0.1.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "integration"))
import certs as test_certs  # noqa: E402
import servers  # noqa: E402
import with_nginx  # noqa: E402

CLIENT_THREADS = 8
STORM_QUARTER = 500
RSS_GROWTH_LIMIT_KB = 256
# bench_handshakes bounds each connection by 10 s; a run is bounded too.
CLIENT_TIMEOUT_S = 90
MODULE_TIMEOUT_MS = 2000
LIBP11 = "/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so"
NOBODY = 65534


class Failure(Exception):
    pass


def write_configs(build, work, certs, server, path):
    module_conf = os.path.join(work, "p11kmip.json")
    with open(module_conf, "w") as out:
        out.write('{ "slots": [ { "label": "local-kmip", "servers": ["%s"], '
                  '"ca": "%s", "cert": "%s", "key": "%s", '
                  '"timeout_ms": %d } ] }\n' %
                  (server.address, certs.ca, certs.client_cert,
                   certs.client_key, MODULE_TIMEOUT_MS))
    openssl_conf = os.path.join(work, "openssl.cnf")
    with open(openssl_conf, "w") as out:
        if path == "provider":
            out.write("openssl_conf = openssl_init\n"
                      "[openssl_init]\nproviders = provider_sect\n"
                      "[provider_sect]\ndefault = default_sect\n"
                      "p11kmip = p11kmip_sect\n"
                      "[default_sect]\nactivate = 1\n"
                      "[p11kmip_sect]\nmodule = %s\nactivate = 1\n" %
                      os.path.join(build, "provider", "p11kmip.so"))
        else:  # nginx 1.22 never calls ENGINE_init: init = 1
            out.write("openssl_conf = openssl_init\n"
                      "[openssl_init]\nengines = engine_sect\n"
                      "[engine_sect]\npkcs11 = pkcs11_sect\n"
                      "[pkcs11_sect]\nengine_id = pkcs11\n"
                      "dynamic_path = %s\nMODULE_PATH = %s\ninit = 1\n" %
                      (LIBP11, os.path.join(build, "p11core",
                                            "p11kmip-pkcs11.so")))
    os.environ["P11KMIP_CONFIG"] = module_conf
    os.environ["OPENSSL_CONF"] = openssl_conf


def make_key_and_cert(build, work, path, label="nginx-reliability",
                      spec="ec:P-256"):
    """A key of spec (p11kmip keygen's) on kmipd, a self-signed certificate
    it signed, and what nginx's ssl_certificate_key takes for path: the
    provider's key file or the ENGINE's key."""
    uri = "pkcs11:object=%s;type=private" % label
    cert = os.path.join(work, label + ".crt")
    key = os.path.join(work, label + ".key.pem")
    key_args = (["-key", uri] if path == "provider" else
                ["-engine", "pkcs11", "-keyform", "engine", "-key", uri])
    commands = [[os.path.join(build, "cli", "p11kmip"), "keygen", spec,
                 "--label", label],
                ["openssl", "req", "-new", "-x509"] + key_args +
                ["-subj", "/CN=localhost", "-days", "2", "-addext",
                 "subjectAltName=DNS:localhost,IP:127.0.0.1", "-out", cert]]
    if path == "provider":
        commands.append(["openssl", "pkey", "-in", uri, "-out", key])
    for argv in commands:
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return cert, key if path == "provider" else "engine:pkcs11:" + uri


def handshakes(build, nginx, web_cert, number, threads=CLIENT_THREADS,
               tls="1.3"):
    """Runs bench_handshakes; returns (succeeded, failed)."""
    result = subprocess.run(
        [os.path.join(build, "bench", "bench_handshakes"), "-a",
         nginx.address, "-C", web_cert, "-n", str(number), "-j",
         str(threads), "-t", tls],
        stdout=subprocess.PIPE, text=True, timeout=CLIENT_TIMEOUT_S,
        env=dict(os.environ, OPENSSL_CONF="/dev/null"), check=False)
    print(result.stdout.strip(), flush=True)
    fields = result.stdout.split()
    return int(fields[1]), int(fields[3])


def expect_all(build, nginx, web_cert, number, what):
    done, failed = handshakes(build, nginx, web_cert, number)
    if failed != 0 or done != number:
        raise Failure("%s: %d of %d handshakes failed" %
                      (what, failed, number))


def worker_rss_kb(nginx):
    rss = {}
    for pid in nginx.worker_pids():
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss[pid] = int(line.split()[1])
    return rss


def run_restart(build, certs, web_cert, server, nginx):
    expect_all(build, nginx, web_cert, 40, "before the kill")
    servers.kill(server)
    print("kmipd killed", flush=True)
    done, failed = handshakes(build, nginx, web_cert, 16)
    if done != 0:
        raise Failure("%d handshakes succeeded with kmipd dead" % done)
    server = servers.restart(server, certs)
    print("kmipd restarted on %s" % server.address, flush=True)
    expect_all(build, nginx, web_cert, 200, "after the restart")
    return server


def run_storm(build, certs, web_cert, server, nginx):
    workers = sorted(nginx.worker_pids())
    if len(workers) != 4:
        raise Failure("%d workers instead of 4" % len(workers))
    expect_all(build, nginx, web_cert, STORM_QUARTER, "quarter 1")
    first = worker_rss_kb(nginx)
    for quarter in (2, 3, 4):
        expect_all(build, nginx, web_cert, STORM_QUARTER,
                   "quarter %d" % quarter)
    last = worker_rss_kb(nginx)
    print("worker RSS (kB) after quarter 1: %s; after quarter 4: %s" %
          (first, last))
    if sorted(last) != workers:
        raise Failure("workers changed: %s, then %s" % (workers, sorted(last)))
    grown = {pid: last[pid] - first[pid] for pid in workers
             if last[pid] - first[pid] > RSS_GROWTH_LIMIT_KB}
    if grown:
        raise Failure("worker RSS grew by more than %d kB: %s" %
                      (RSS_GROWTH_LIMIT_KB, grown))
    return server


def run_unprivileged(build, certs, web_cert, server, nginx):
    os.chmod(certs.client_key, 0o600)
    for pid in nginx.worker_pids():
        # A worker just forked is root until it drops to its user.
        deadline = time.monotonic() + 10
        while True:
            with open("/proc/%d/status" % pid) as status:
                uid = [line.split()[1] for line in status
                       if line.startswith("Uid:")]
            if uid == [str(NOBODY)] or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if uid != [str(NOBODY)]:
            raise Failure("worker %d runs as uid %s, not nobody" % (pid, uid))
    expect_all(build, nginx, web_cert, 40, "workers as nobody")
    return server


def main():
    build, mode, path = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    scenario = {"restart": run_restart, "storm": run_storm,
                "unprivileged": run_unprivileged}[mode]
    if path not in ("provider", "engine"):
        raise SystemExit("usage: nginx_reliability.py BUILD_DIR "
                         "restart|storm|unprivileged provider|engine")
    servers.install_signal_handlers()
    work = tempfile.mkdtemp(prefix="p11kmip-reliability-")
    server = None
    try:
        certs = test_certs.make_certs(work)
        server = servers.start_kmipd(work, certs,
                                     os.path.join(build, "kmipd", "kmipd"))
        write_configs(build, work, certs, server, path)
        cert, key = make_key_and_cert(build, work, path)
        nginx_dir = os.path.join(work, "nginx")
        os.mkdir(nginx_dir)
        user = "nobody nogroup" if mode == "unprivileged" else "root root"
        with with_nginx.running_nginx(cert, key, nginx_dir, workers=4,
                                      protocols="TLSv1.3", user=user) as nginx:
            try:
                server = scenario(build, certs, cert, server, nginx)
            except (Failure, subprocess.TimeoutExpired) as failure:
                print("FAIL: %s\n--- nginx error log ---\n%s--- kmipd log "
                      "---\n%s" % (failure, with_nginx.tail(nginx.error_log),
                                   server.log_tail()), file=sys.stderr)
                return 1
        return 0
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
