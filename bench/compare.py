# SPDX-License-Identifier: Apache-2.0
"""Where p11kmip stands: signatures per second, KMIP round trips and nginx
handshakes per second, in one run on this machine, on 127.0.0.1.

    /usr/bin/python3 bench/compare.py BUILD_DIR [SECONDS [OUT_DIR]]

Signatures (bench_evp; RSA-2048 PKCS#1 v1.5 and ECDSA P-256, SHA-256; 1
and 2 threads): a local key file; libp11's ENGINE over SoftHSM2 (a token
made in a temporary directory); the p11kmip provider over p11core over
kmipd; libp11's ENGINE over p11kmip-pkcs11.so over kmipd; the provider over
PyKMIP and PyKMIP's own client (pykmip_sign.py), RSA only, for at least
PYKMIP_MIN_SECONDS.
Round trips: request messages kmipd answered (its "closed after N requests"
log lines) for a key load alone, and for a key load and 200 signatures.
Handshakes (bench_handshakes; TLS 1.3, full handshakes, 8 connections at a
time; nginx with 4 workers): local key file, provider, ENGINE over kmipd.

Each rate is the best of ROUNDS runs of SECONDS (default 2).
Prints a table and writes OUT_DIR (default BUILD_DIR/bench) compare.md,
sign.dat, handshakes.dat and compare.png (gnuplot).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import certs as test_certs  # noqa: E402
import servers  # noqa: E402
import with_nginx  # noqa: E402

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
LIBP11 = "/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so"
PIN = "1234"
COUNTED_SIGNATURES = 200
HANDSHAKE_CLIENTS = 8
PYKMIP_MIN_SECONDS = 5
# Each rate is the best of ROUNDS runs.
ROUNDS = 3
ALGORITHMS = (("rsa", "rsa:2048", "RSA-2048"), ("ec", "ec:P-256", "P-256"))


def run(argv, env=None, **kwargs):
    return subprocess.run(argv, env=env, check=True, text=True,
                          stdout=subprocess.PIPE, **kwargs).stdout


def rate(output):
    """per_second from a bench_* or pykmip_sign.py line."""
    return float(re.search(r"per_second ([0-9.]+)", output).group(1))


def best_rate(argv, env, rounds):
    """The best of rounds runs: other load on the machine only slows a
    run down, so the fastest is the closest to what the path can do."""
    return max(rate(run(argv, env=env)) for _ in range(rounds))


class Bench:
    def __init__(self, build, seconds, work, certs):
        self.build = build
        self.seconds = seconds
        self.work = work
        self.certs = certs
        self.bench_evp = os.path.join(build, "bench", "bench_evp")
        self.conf = {}

    def path(self, name):
        return os.path.join(self.work, name)

    def env(self, openssl_conf, module_conf=None, **extra):
        env = dict(os.environ, OPENSSL_CONF=openssl_conf, **extra)
        if module_conf is not None:
            env["P11KMIP_CONFIG"] = module_conf
        return env

    # ---- configuration ----

    def module_conf(self, name, *servers, version="auto", **settings):
        """A p11kmip configuration with one slot, name, for servers (each
        with an address), and more slot settings (timeout_ms, pool...)."""
        path = self.path("p11kmip-%s.json" % name)
        slot = dict(label=name, servers=[s.address for s in servers],
                    ca=self.certs.ca, cert=self.certs.client_cert,
                    key=self.certs.client_key, kmip_version=version,
                    **settings)
        with open(path, "w") as out:
            json.dump({"slots": [slot]}, out)
        return path

    def openssl_confs(self):
        provider = self.path("provider.cnf")
        with open(provider, "w") as out:
            out.write("openssl_conf = init\n[init]\nproviders = prov\n"
                      "[prov]\ndefault = dflt\np11kmip = p11kmip\n"
                      "[dflt]\nactivate = 1\n"
                      "[p11kmip]\nmodule = %s\nactivate = 1\n" %
                      os.path.join(self.build, "provider", "p11kmip.so"))
        self.conf["provider"] = provider
        for name, module in (("softhsm", SOFTHSM),
                             ("engine", os.path.join(
                                 self.build, "p11core",
                                 "p11kmip-pkcs11.so"))):
            path = self.path("engine-%s.cnf" % name)
            with open(path, "w") as out:
                out.write("openssl_conf = init\n[init]\nengines = eng\n"
                          "[eng]\npkcs11 = pkcs11\n[pkcs11]\n"
                          "engine_id = pkcs11\ndynamic_path = %s\n"
                          "MODULE_PATH = %s\ninit = 1\n" % (LIBP11, module))
            self.conf[name] = path

    def softhsm_token(self):
        tokens = self.path("softhsm-tokens")
        os.mkdir(tokens)
        conf = self.path("softhsm2.conf")
        with open(conf, "w") as out:
            out.write("directories.tokendir = %s\nobjectstore.backend = file\n"
                      % tokens)
        os.environ["SOFTHSM2_CONF"] = conf
        run(["softhsm2-util", "--init-token", "--free", "--label", "bench",
             "--pin", PIN, "--so-pin", "5678"])
        for alg, spec, _ in ALGORITHMS:
            key_type = "rsa:2048" if alg == "rsa" else "EC:prime256v1"
            run(["pkcs11-tool", "--module", SOFTHSM, "--login", "--pin", PIN,
                 "--keypairgen", "--key-type", key_type, "--label",
                 "bench-" + alg, "--id", "01" if alg == "rsa" else "02"])

    def local_keys(self):
        for alg, _, _ in ALGORITHMS:
            args = (["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
                    if alg == "rsa" else
                    ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
            run(["openssl", "genpkey", "-quiet"] + args + ["-out",
                                                 self.path(alg + ".pem")],
                env=self.env("/dev/null"))

    def kmip_keys(self, module_conf, algorithms):
        for alg, spec, _ in ALGORITHMS:
            if alg in algorithms:
                run([os.path.join(self.build, "cli", "p11kmip"), "keygen",
                     spec, "--label", "bench-" + alg],
                    env=self.env("/dev/null", module_conf))

    # ---- measurements ----

    def evp(self, how, alg, threads, extra=()):
        """bench_evp's rate for one way to the key."""
        uri = "pkcs11:object=bench-%s;type=private" % alg
        seconds = self.pykmip_seconds() if how.endswith("pykmip") else \
            self.seconds
        argv = [self.bench_evp, "-j", str(threads), "-s", str(seconds)]
        argv += list(extra)
        if how == "local":
            return best_rate(argv + [self.path(alg + ".pem")],
                             self.env("/dev/null"), ROUNDS)
        if how == "softhsm":
            uri += ";pin-value=" + PIN
        if how in ("softhsm", "engine"):
            return best_rate(argv + ["-e", "pkcs11", uri],
                             self.env(self.conf[how], self.conf.get("kmipd")),
                             ROUNDS)
        module_conf = self.conf[how.split("/")[1]]
        return best_rate(argv + [uri],
                         self.env(self.conf["provider"], module_conf), ROUNDS)

    def pykmip_client(self, server, threads):
        return best_rate(["/usr/bin/python3",
                          os.path.join(HERE, "pykmip_sign.py"),
                          server.address, "bench-rsa",
                          str(self.pykmip_seconds()), str(threads)],
                         self.env("/dev/null", P11KMIP_TEST_CA=self.certs.ca,
                                  P11KMIP_TEST_CERT=self.certs.client_cert,
                                  P11KMIP_TEST_KEY=self.certs.client_key),
                         ROUNDS)

    def pykmip_seconds(self):
        """PyKMIP signs a few times per second: longer runs, so that one
        signature more or less does not decide the ratio."""
        return max(self.seconds, PYKMIP_MIN_SECONDS)

    def requests_answered(self, server):
        time.sleep(0.5)  # the last connection's close is logged
        with open(server.log_path) as log:
            return sum(int(n) for n in
                       re.findall(r"closed after (\d+) requests", log.read()))

    def round_trips(self, server, how, slot, alg):
        """(per key load, per signature) at kmipd, through how ("provider"
        or "engine") with the module configuration slot."""
        uri = "pkcs11:object=bench-%s;type=private" % alg
        argv = [self.bench_evp] + (["-e", "pkcs11"] if how == "engine" else [])
        env = self.env(self.conf[how], self.conf[slot])
        before = self.requests_answered(server)
        run(argv + ["-L", uri], env=env)
        loaded = self.requests_answered(server)
        run(argv + ["-n", str(COUNTED_SIGNATURES), uri], env=env)
        signed = self.requests_answered(server)
        load = loaded - before
        return load, (signed - loaded - load) / COUNTED_SIGNATURES

    def handshakes(self, key, cert, openssl_conf):
        os.environ["OPENSSL_CONF"] = openssl_conf
        os.environ["P11KMIP_CONFIG"] = self.conf["kmipd"]
        nginx_dir = tempfile.mkdtemp(prefix="nginx-", dir=self.work)
        with with_nginx.running_nginx(cert, key, nginx_dir, workers=4,
                                      protocols="TLSv1.3") as nginx:
            return best_rate([os.path.join(self.build, "bench",
                                           "bench_handshakes"),
                              "-a", nginx.address, "-C", cert, "-s",
                              str(self.seconds), "-j", str(HANDSHAKE_CLIENTS),
                              "-t", "1.3"], self.env("/dev/null"), ROUNDS)

    def certificate(self, key_args, conf, name):
        cert = self.path(name + ".crt")
        run(["openssl", "req", "-new", "-x509"] + key_args +
            ["-subj", "/CN=localhost", "-days", "2", "-addext",
             "subjectAltName=DNS:localhost,IP:127.0.0.1", "-out", cert],
            env=self.env(conf, self.conf["kmipd"]))
        return cert


def fmt(value):
    return "-" if value is None else "%.0f" % value


def main():
    build = os.path.abspath(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    out_dir = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else \
        os.path.join(build, "bench")
    os.makedirs(out_dir, exist_ok=True)
    servers.install_signal_handlers()
    work = tempfile.mkdtemp(prefix="p11kmip-compare-")
    try:
        certs = test_certs.make_certs(work)
        with servers.running_server("kmipd", work, certs, os.path.join(
                build, "kmipd", "kmipd")) as kmipd, \
                servers.running_server("pykmip", work, certs) as pykmip:
            return measure(Bench(build, seconds, work, certs), kmipd, pykmip,
                           out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


SIGNERS = (
    ("local", "local key file (OpenSSL)", ("rsa", "ec")),
    ("softhsm", "libp11 ENGINE over SoftHSM2", ("rsa", "ec")),
    ("provider/kmipd", "provider over p11core over kmipd", ("rsa", "ec")),
    ("engine", "libp11 ENGINE over p11kmip-pkcs11 over kmipd", ("rsa", "ec")),
    ("provider/pykmip", "provider over p11core over PyKMIP", ("rsa",)),
    ("pykmip-client", "PyKMIP's own client against PyKMIP", ("rsa",)),
)


# Round trips: through what, with which module configuration.
TRIP_PATHS = (("provider", "kmipd"), ("provider", "kmipd-2.1"),
              ("engine", "kmipd"))
TRIP_LABELS = {"provider": "provider over p11core",
               "engine": "libp11 ENGINE over p11kmip-pkcs11"}


def measure(bench, kmipd, pykmip, out_dir):
    bench.conf["kmipd"] = bench.module_conf("kmipd", kmipd)
    bench.conf["kmipd-2.1"] = bench.module_conf("kmipd-2.1", kmipd,
                                                version="2.1")
    bench.conf["pykmip"] = bench.module_conf("pykmip", pykmip)
    bench.openssl_confs()
    bench.local_keys()
    bench.softhsm_token()
    bench.kmip_keys(bench.conf["kmipd"], ("rsa", "ec"))
    bench.kmip_keys(bench.conf["pykmip"], ("rsa",))

    signatures = {}
    for how, _, algs in SIGNERS:
        for alg in algs:
            for threads in (1, 2):
                if how == "pykmip-client":
                    value = bench.pykmip_client(pykmip, threads)
                else:
                    value = bench.evp(how, alg, threads)
                signatures[how, alg, threads] = value
                print("sign %-16s %-3s %d thread(s): %8.1f/s" %
                      (how, alg, threads, value), flush=True)

    trips = {}
    for how, slot in TRIP_PATHS:
        for alg, _, _ in ALGORITHMS:
            trips[how, slot, alg] = bench.round_trips(kmipd, how, slot, alg)
            print("round trips %-8s %-9s %-3s: key load %d, per signature "
                  "%.2f" % ((how, slot, alg) + trips[how, slot, alg]),
                  flush=True)

    handshakes = {}
    for alg, _, _ in ALGORITHMS:
        uri = "pkcs11:object=bench-%s;type=private" % alg
        local_cert = bench.certificate(["-key", bench.path(alg + ".pem")],
                                       "/dev/null", "local-" + alg)
        kmip_cert = bench.certificate(["-key", uri], bench.conf["provider"],
                                      "kmip-" + alg)
        key_file = bench.path("kmip-%s.key.pem" % alg)
        run(["openssl", "pkey", "-in", uri, "-out", key_file],
            env=bench.env(bench.conf["provider"], bench.conf["kmipd"]))
        for how, key, cert, conf in (
                ("local", bench.path(alg + ".pem"), local_cert, "/dev/null"),
                ("provider", key_file, kmip_cert, bench.conf["provider"]),
                ("engine", "engine:pkcs11:" + uri, kmip_cert,
                 bench.conf["engine"])):
            handshakes[how, alg] = bench.handshakes(key, cert, conf)
            print("nginx %-8s %-3s: %8.1f handshakes/s" %
                  (how, alg, handshakes[how, alg]), flush=True)

    report(signatures, trips, handshakes, out_dir)
    return 0


def report(signatures, trips, handshakes, out_dir):
    lines = ["| signatures per second | RSA-2048, 1 thread | RSA-2048, 2 "
             "threads | P-256, 1 thread | P-256, 2 threads |",
             "|---|---:|---:|---:|---:|"]
    with open(os.path.join(out_dir, "sign.dat"), "w") as dat:
        dat.write("# how rsa1 rsa2 ec1 ec2\n")
        for how, label, _ in SIGNERS:
            row = [signatures.get((how, alg, t)) for alg in ("rsa", "ec")
                   for t in (1, 2)]
            lines.append("| %s | %s |" % (label, " | ".join(map(fmt, row))))
            dat.write('"%s" %s\n' % (label, " ".join(map(fmt, row))))
    lines += ["", "| KMIP round trips at kmipd | RSA-2048 key load | RSA-2048 "
              "per signature | P-256 key load | P-256 per signature |",
              "|---|---:|---:|---:|---:|"]
    for how, slot in TRIP_PATHS:
        label = TRIP_LABELS[how] + (", kmip_version 2.1 configured"
                                    if slot.endswith("2.1") else "")
        cells = []
        for alg in ("rsa", "ec"):
            load, per_sign = trips[how, slot, alg]
            cells += ["%d" % load, "%.2f" % per_sign]
        lines.append("| %s | %s |" % (label, " | ".join(cells)))
    lines += ["", "| nginx TLS 1.3 full handshakes per second | RSA-2048 | "
              "P-256 |", "|---|---:|---:|"]
    with open(os.path.join(out_dir, "handshakes.dat"), "w") as dat:
        dat.write("# how rsa ec\n")
        for how, label in (("local", "local key file"),
                           ("provider", "provider over kmipd"),
                           ("engine", "ENGINE over p11kmip-pkcs11 over kmipd")):
            row = [handshakes[how, alg] for alg in ("rsa", "ec")]
            lines.append("| %s | %s |" % (label, " | ".join(map(fmt, row))))
            dat.write('"%s" %s\n' % (label, " ".join(map(fmt, row))))
    local_rsa = signatures["local", "rsa", 1]
    lines += ["", "Ratios: RSA-2048 provider over kmipd / local key file: "
              "%.0f%% (1 thread), %.0f%% (2 threads); / ENGINE over SoftHSM2: "
              "%.2fx; provider over PyKMIP / PyKMIP's client: %.0f%%; nginx "
              "provider / local: RSA %.0f%%, P-256 %.0f%%; ENGINE / local: RSA "
              "%.0f%%, P-256 %.0f%%." % (
                  100 * signatures["provider/kmipd", "rsa", 1] / local_rsa,
                  100 * signatures["provider/kmipd", "rsa", 2] /
                  signatures["local", "rsa", 2],
                  signatures["provider/kmipd", "rsa", 1] /
                  signatures["softhsm", "rsa", 1],
                  100 * signatures["provider/pykmip", "rsa", 1] /
                  signatures["pykmip-client", "rsa", 1],
                  100 * handshakes["provider", "rsa"] /
                  handshakes["local", "rsa"],
                  100 * handshakes["provider", "ec"] /
                  handshakes["local", "ec"],
                  100 * handshakes["engine", "rsa"] /
                  handshakes["local", "rsa"],
                  100 * handshakes["engine", "ec"] /
                  handshakes["local", "ec"])]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out_dir, "compare.md"), "w") as out:
        out.write(text)
    print(text)
    subprocess.run(["gnuplot", "-e", "dir='%s'" % out_dir,
                    os.path.join(HERE, "compare.gnuplot")], check=True)
    print("wrote %s/compare.md and %s/compare.png" % (out_dir, out_dir))


if __name__ == "__main__":
    sys.exit(main())
