# SPDX-License-Identifier: Apache-2.0
"""All of issue 17's measurements in one run, on 127.0.0.1:

    /usr/bin/python3 bench/all.py BUILD_DIR [--seconds S] [--rounds N]
                                  [--out DIR] [--readme README.md]
                                  [--quiet-wait S]

- the round-trip floor: bench_floor's TLS 1.3 request/response exchanges of
  KMIP Sign sizes, no KMIP, at RTT 0, 1 and 5 ms (bench/delay_proxy) with
  1, 4 and 16 threads;
- signatures/s through the provider over kmipd (bench_evp; RSA-2048 and
  P-256) the same way, against threads/RTT, against floor + local signing
  time (1 / (1/floor + 1/local)) and against the local key file;
- nginx (4 and 8 workers, TLS 1.3) full handshakes/s with a local key
  file and with a provider key file at RTT 0, 1 and 5 ms;
- CPU per operation at RTT 0 with 1 thread, client and server: the
  floor's exchange, local signing, a KMIP signature (where the time of a
  round trip goes);
- failover, with timeout_ms FAILOVER_TIMEOUT_MS: a new process's time to
  its first good signature when the first of two servers refuses or is a
  black hole (delay_proxy -b), and the longest time without a good
  signature (and the failures) when it is killed or stops answering
  (SIGSTOP) in the middle of a run of 4 signing threads.

Each rate is the best of N rounds of S seconds (default 1 round of 1 s),
counted once every thread has done one operation; the time until then is
the cold start, reported apart. It first waits, up to --quiet-wait seconds
(default 600), until no more than 5% of the cores are busy.
Writes DIR (default BUILD_DIR/bench) benchmarks.md, rtt_sign.dat,
rtt_handshakes.dat and benchmarks.png; with --readme, also the generated
part of that file's "## Benchmarks" section (between the BEGIN/END
markers), and DIR defaults to bench/results next to it. Every process it
starts is stopped at the end, also on failure.
"""

import argparse
import datetime
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402

RTTS_MS = (0, 1, 5)
THREADS = (1, 4, 16)
ALGS = (("ec", "P-256"), ("rsa", "RSA-2048"))
NGINX_WORKERS = (4, 8)
FAILOVER_TIMEOUT_MS = 1000
FAILOVER_THREADS = 4
QUIET_BUSY = 0.05  # share of the cores busy before a run starts
QUIET_WAIT_S = 600
BEGIN = "<!-- bench/all.py: BEGIN generated -->"
END = "<!-- bench/all.py: END generated -->"


class Address:
    def __init__(self, address):
        self.address = address


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, deadline_s=10.0):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listens on 127.0.0.1:%d" % port)


class Processes:
    """The helpers this run started (floor server, proxies): each stopped
    on exit, stopped ones woken first so that they can end."""

    def __init__(self, build):
        self.build = build
        self.started = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)
                process.terminate()
        for process in self.started:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def start(self, program, *args):
        process = subprocess.Popen(
            [os.path.join(self.build, "bench", program)] + list(args),
            stdout=subprocess.PIPE, text=True)
        self.started.append(process)
        return process

    def proxy(self, *args):
        """A delay_proxy; (process, Address)."""
        process = self.start("delay_proxy", *args)
        return process, Address(process.stdout.readline().split()[1])

    def floor_server(self):
        """A bench_floor server; (process, Address)."""
        port = free_port()
        process = self.start("bench_floor", "-l", str(port))
        wait_listening(port)
        return process, Address("127.0.0.1:%d" % port)

    def delayed(self, target):
        """{rtt: Address of target at that RTT}."""
        return {rtt: target if rtt == 0 else
                self.proxy("-t", target.address, "-d", str(rtt))[1]
                for rtt in RTTS_MS}


class Run:
    def __init__(self, bench, rounds, processes):
        self.bench = bench
        self.rounds = rounds
        self.processes = processes
        self.timeout = bench.seconds * 3 + 60
        self.failed = 0  # operations that failed in the rate runs

    def once(self, argv, env):
        """One run's (rate, cold start in ms); its failures are counted,
        not fatal (the report says how many there were)."""
        out = subprocess.run(argv, env=env, text=True, stdout=subprocess.PIPE,
                             timeout=self.timeout, check=False).stdout
        self.failed += int(re.search(r"failed (\d+)", out).group(1))
        return compare.rate(out), float(
            re.search(r"cold_ms ([0-9.]+)", out).group(1))

    def best(self, argv, env):
        """The fastest round's (rate, cold start in ms)."""
        return max(self.once(argv, env) for _ in range(self.rounds))

    def floor_run(self, address, threads):
        """(argv, env) of a floor measurement."""
        return ([os.path.join(self.bench.build, "bench", "bench_floor"),
                 "-a", address.address, "-j", str(threads), "-s",
                 str(self.bench.seconds)], None)

    def sign_run(self, alg, threads, module_conf=None):
        """(argv, env) of signing with the local key file (module_conf
        None) or the KMIP key through the provider."""
        argv = [self.bench.bench_evp, "-j", str(threads), "-s",
                str(self.bench.seconds)]
        if module_conf is None:
            return (argv + [self.bench.path(alg + ".pem")],
                    self.bench.env("/dev/null"))
        return argv + [uri(alg)], self.bench.env(self.bench.conf["provider"],
                                                 module_conf)

    def floor(self, address, threads):
        return self.best(*self.floor_run(address, threads))

    def sign(self, alg, threads, module_conf=None):
        return self.best(*self.sign_run(alg, threads, module_conf))


def uri(alg):
    return "pkcs11:object=bench-%s;type=private" % alg


def measure_latency(run, kmipd):
    """({(rtt, threads): floor}, {(alg, rtt, threads): kmip},
    {(alg, threads): local}), each value (rate, cold start in ms)."""
    floor_at = run.processes.delayed(run.processes.floor_server()[1])
    kmipd_at = run.processes.delayed(kmipd)
    confs = {rtt: run.bench.module_conf("rtt%d" % rtt, kmipd_at[rtt],
                                        version="1.4") for rtt in RTTS_MS}
    floor, kmip, local = {}, {}, {}
    for threads in THREADS:
        for alg, _ in ALGS:
            local[alg, threads] = run.sign(alg, threads)
        for rtt in RTTS_MS:
            floor[rtt, threads] = run.floor(floor_at[rtt], threads)
            for alg, _ in ALGS:
                kmip[alg, rtt, threads] = run.sign(alg, threads, confs[rtt])
            print("RTT %d ms, %2d threads: floor %.0f/s, %s" % (
                rtt, threads, floor[rtt, threads][0], ", ".join(
                    "%s %.0f/s" % (name, kmip[alg, rtt, threads][0])
                    for alg, name in ALGS)), flush=True)
    return floor, kmip, local, confs


def process_cpu(pid):
    """CPU seconds (user + system) process pid has used."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_per_operation(argv, env, server_pid):
    """(client, server) CPU microseconds per operation of one run."""
    client, server = children_cpu(), process_cpu(server_pid)
    out = subprocess.run(argv, env=env, text=True, stdout=subprocess.PIPE,
                         check=True).stdout
    done = int(out.split()[1])
    return (1e6 * (children_cpu() - client) / done,
            1e6 * (process_cpu(server_pid) - server) / done)


def measure_cpu(run, kmipd, confs):
    """[(what, client us, server us)] per operation, 1 thread, RTT 0."""
    process, floor_server = run.processes.floor_server()
    cases = [("TLS 1.3 exchange (floor)", run.floor_run(floor_server, 1),
              process.pid)]
    for alg, name in ALGS:
        cases.append((name + ", local key file", run.sign_run(alg, 1), None))
        cases.append((name + ", KMIP (server: kmipd)",
                      run.sign_run(alg, 1, confs[0]), kmipd.process.pid))
    rows = []
    for what, (argv, env), pid in cases:
        client, server = cpu_per_operation(argv, env, pid or os.getpid())
        rows.append((what, client, server if pid else None))
        print("CPU per operation, %s: client %.0f us" % (what, client),
              flush=True)
    return rows


def handshakes(run, key, cert, openssl_conf, module_conf, workers):
    """nginx's full handshakes/s with workers worker processes."""
    saved = dict(os.environ)
    os.environ["OPENSSL_CONF"] = openssl_conf
    os.environ["P11KMIP_CONFIG"] = module_conf
    try:
        nginx_dir = tempfile.mkdtemp(prefix="nginx-", dir=run.bench.work)
        with compare.with_nginx.running_nginx(
                cert, key, nginx_dir, workers=workers,
                protocols="TLSv1.3") as nginx:
            return run.best([os.path.join(run.bench.build, "bench",
                                          "bench_handshakes"),
                             "-a", nginx.address, "-C", cert, "-s",
                             str(run.bench.seconds), "-j",
                             str(compare.HANDSHAKE_CLIENTS), "-t", "1.3"],
                            run.bench.env("/dev/null"))[0]
    finally:
        os.environ.clear()
        os.environ.update(saved)


def measure_nginx(run, confs):
    """{(alg, workers, rtt or "local"): handshakes/s}."""
    bench = run.bench
    bench.conf["kmipd"] = confs[0]
    result = {}
    for alg, name in ALGS:
        local_key = bench.path(alg + ".pem")
        local_cert = bench.certificate(["-key", local_key], "/dev/null",
                                       "local-" + alg)
        kmip_cert = bench.certificate(["-key", uri(alg)],
                                      bench.conf["provider"], "kmip-" + alg)
        key_file = bench.path("kmip-%s.key.pem" % alg)
        compare.run(["openssl", "pkey", "-in", uri(alg), "-out", key_file],
                    env=bench.env(bench.conf["provider"], confs[0]))
        for workers in NGINX_WORKERS:
            result[alg, workers, "local"] = handshakes(
                run, local_key, local_cert, "/dev/null", confs[0], workers)
            for rtt in RTTS_MS:
                result[alg, workers, rtt] = handshakes(
                    run, key_file, kmip_cert, bench.conf["provider"],
                    confs[rtt], workers)
            print("nginx %s, %d workers: local %.0f/s, KMIP %s" % (
                name, workers, result[alg, workers, "local"], ", ".join(
                    "%d ms %.0f/s" % (rtt, result[alg, workers, rtt])
                    for rtt in RTTS_MS)), flush=True)
    return result


def signing(run, conf, argv_extra, during=None):
    """bench_evp's output with conf (P-256 key), and its wall time in ms;
    during(), if any, is called one second into the run."""
    argv = [run.bench.bench_evp] + argv_extra + [uri("ec")]
    start = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True,
                               env=run.bench.env(run.bench.conf["provider"],
                                                 conf))
    try:
        if during is not None:
            time.sleep(1.0)
            during()
        out, _ = process.communicate(timeout=run.timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return out, (time.monotonic() - start) * 1000


def failover_conf(run, name, first, kmipd):
    return run.bench.module_conf("failover-" + name, first, kmipd,
                                 version="1.4",
                                 timeout_ms=FAILOVER_TIMEOUT_MS)


def first_signature(run, name, first, kmipd):
    """A new process: (ms to its first good signature, failed)."""
    out, ms = signing(run, failover_conf(run, name, first, kmipd),
                      ["-n", "1"])
    return ms, int(re.search(r"failed (\d+)", out).group(1))


def mid_run(run, name, kmipd, signum):
    """The first server (a delay_proxy at RTT 0 before kmipd) gets signum
    one second into a run: (longest gap in ms, failed)."""
    proxy, address = run.processes.proxy("-t", kmipd.address, "-d", "0")
    seconds = max(run.bench.seconds, 2.0 + 2 * FAILOVER_TIMEOUT_MS / 1000)
    out, _ = signing(run, failover_conf(run, name, address, kmipd),
                     ["-j", str(FAILOVER_THREADS), "-s", str(seconds)],
                     during=lambda: proxy.send_signal(signum))
    return (float(re.search(r"longest_gap_ms ([0-9.]+)", out).group(1)),
            int(re.search(r"failed (\d+)", out).group(1)))


def measure_failover(run, kmipd):
    """[(first server, what, ms, failed)]."""
    refused = Address("127.0.0.1:%d" % free_port())
    hole = run.processes.proxy("-b")[1]
    rows = []
    for name, label, first in (("none", "answers (kmipd)", kmipd),
                               ("refused", "refuses connections", refused),
                               ("hole", "black hole (accepts, never "
                                "answers)", hole)):
        rows.append((label, "new process: load key + first signature") +
                    first_signature(run, name, first, kmipd))
    for name, label, signum in (("killed", "killed mid-run", signal.SIGKILL),
                                ("stopped", "stops answering mid-run "
                                 "(SIGSTOP)", signal.SIGSTOP)):
        rows.append((label, "%d threads signing: longest time without a "
                     "good signature" % FAILOVER_THREADS) +
                    mid_run(run, name, kmipd, signum))
    for row in rows:
        print("failover: %s: %.0f ms, %d failed" % (row[0], row[2], row[3]),
              flush=True)
    return rows


def pct(value):
    return "%.0f%%" % (100 * value)


def of_ideal(rate, rtt, threads):
    return pct(rate * rtt / 1000 / threads) if rtt > 0 else "-"


def latency_tables(floor, kmip, local):
    lines = ["| RTT | threads | floor, exchanges/s | of threads/RTT | "
             "cold start, ms |", "|---|---:|---:|---:|---:|"]
    for rtt in RTTS_MS:
        for threads in THREADS:
            rate, cold = floor[rtt, threads]
            lines.append("| %d ms | %d | %.0f | %s | %.0f |" % (
                rtt, threads, rate, of_ideal(rate, rtt, threads), cold))
    lines += ["", "| key | RTT | threads | signatures/s | of threads/RTT | "
              "of floor + local signing | of local key file | "
              "cold start, ms |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for alg, name in ALGS:
        for threads in THREADS:
            lines.append("| %s, local key file | - | %d | %.0f | - | - | - | "
                         "%.0f |" % ((name, threads) + local[alg, threads]))
        for rtt in RTTS_MS:
            for threads in THREADS:
                (rate, cold), alone = (kmip[alg, rtt, threads],
                                       local[alg, threads][0])
                both = 1 / (1 / floor[rtt, threads][0] + 1 / alone)
                lines.append("| %s, KMIP | %d ms | %d | %.0f | %s | %s | %s | "
                             "%.0f |" % (name, rtt, threads, rate,
                                         of_ideal(rate, rtt, threads),
                                         pct(rate / both), pct(rate / alone),
                                         cold))
    return lines


def nginx_table(nginx):
    """Each row's 1 ms share is of the local key file's best, whatever its
    number of workers."""
    lines = ["| nginx, TLS 1.3 full handshakes/s | workers | local key file"
             " | KMIP, RTT 0 | KMIP, 1 ms | KMIP, 5 ms | 1 ms / best local |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for alg, name in ALGS:
        best_local = max(nginx[alg, workers, "local"]
                         for workers in NGINX_WORKERS)
        for workers in NGINX_WORKERS:
            lines.append("| %s | %d | %s | %s |" % (
                name, workers, " | ".join(
                    "%.0f" % nginx[alg, workers, how]
                    for how in ("local",) + RTTS_MS),
                pct(nginx[alg, workers, 1] / best_local)))
    return lines


def failover_table(rows):
    lines = ["| first of two servers (timeout_ms %d) | measured | ms | "
             "failed signatures |" % FAILOVER_TIMEOUT_MS,
             "|---|---|---:|---:|"]
    lines += ["| %s | %s | %.0f | %d |" % row for row in rows]
    return lines


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_busy(seconds=5.0):
    """The share of all cores' time that was busy over the next seconds."""
    def sample():
        with open("/proc/stat") as f:
            ticks = [int(x) for x in f.readline().split()[1:]]
        return sum(ticks), ticks[3] + ticks[4]  # idle, iowait
    total, idle = sample()
    time.sleep(seconds)
    total_after, idle_after = sample()
    return 1 - (idle_after - idle) / max(1, total_after - total)


def wait_for_quiet(limit_s):
    """Waits, up to limit_s, until other work leaves the cores: it would
    slow the rates down. Returns the busy share last seen."""
    end = time.monotonic() + limit_s
    while True:
        busy = cpu_busy()
        if busy <= QUIET_BUSY or time.monotonic() >= end:
            return busy
        print("waiting for a quiet machine: %.0f%% busy" % (100 * busy),
              flush=True)


def machine():
    return "%s UTC, %d cores, load average %s" % (
        datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M"), os.cpu_count(), load_average())


def write_data(out_dir, floor, kmip, local, nginx):
    with open(os.path.join(out_dir, "rtt_sign.dat"), "w") as dat:
        dat.write("# rtt_ms threads floor ec rsa ec_local rsa_local\n")
        for rtt in RTTS_MS:
            for threads in THREADS:
                dat.write("%d %d %.0f %.0f %.0f %.0f %.0f\n" % (
                    rtt, threads, floor[rtt, threads][0],
                    kmip["ec", rtt, threads][0], kmip["rsa", rtt, threads][0],
                    local["ec", threads][0], local["rsa", threads][0]))
            dat.write("\n\n")
    with open(os.path.join(out_dir, "rtt_handshakes.dat"), "w") as dat:
        dat.write("# rtt_ms ec rsa ec_local rsa_local\n")
        for rtt in RTTS_MS:
            dat.write("%d %s\n" % (rtt, " ".join(
                "%.0f" % nginx[alg, NGINX_WORKERS[0], how]
                for how in (rtt, "local") for alg in ("ec", "rsa"))))
    subprocess.run(["gnuplot", "-e", "dir='%s'" % out_dir,
                    os.path.join(HERE, "all.gnuplot")], check=True)


def cpu_table(rows):
    lines = ["| CPU per operation, 1 thread, RTT 0 | client, us | server, us "
             "|", "|---|---:|---:|"]
    lines += ["| %s | %.0f | %s |" % (what, client, "-" if server is None
                                      else "%.0f" % server)
              for what, client, server in rows]
    return lines


def report(args, before, results, plot):
    floor, kmip, local, nginx, failover, cpu, failed = results
    lines = ["Measured %s (before the run: %.0f%% of the cores busy), %s s "
             "per rate once every thread has done one operation (the cold "
             "start, timed apart), best of %d; client, kmipd, proxies and "
             "nginx share the cores. Operations that failed in the rate runs: "
             "%d." % (machine(), 100 * before, args.seconds, args.rounds,
                      failed), ""]
    lines += latency_tables(floor, kmip, local) + [""] + nginx_table(nginx)
    lines += [""] + failover_table(failover) + [""] + cpu_table(cpu)
    lines += ["", "![signatures and handshakes against RTT](%s)" % plot]
    return "\n".join(lines) + "\n"


def write_readme(readme, text):
    with open(readme) as f:
        old = f.read()
    start, end = old.index(BEGIN) + len(BEGIN), old.index(END)
    with open(readme, "w") as f:
        f.write(old[:start] + "\n" + text + old[end:])


def measure(args, work):
    certs = compare.test_certs.make_certs(work)
    with compare.servers.running_server(
            "kmipd", work, certs,
            os.path.join(args.build, "kmipd", "kmipd")) as kmipd, \
            Processes(args.build) as processes:
        bench = compare.Bench(args.build, args.seconds, work, certs)
        bench.openssl_confs()
        bench.local_keys()
        bench.kmip_keys(bench.module_conf("keygen", kmipd), ("rsa", "ec"))
        run = Run(bench, args.rounds, processes)
        floor, kmip, local, confs = measure_latency(run, kmipd)
        nginx = measure_nginx(run, confs)
        failover = measure_failover(run, kmipd)
        cpu = measure_cpu(run, kmipd, confs)
        return floor, kmip, local, nginx, failover, cpu, run.failed


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build", type=os.path.abspath)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", type=os.path.abspath)
    parser.add_argument("--readme", type=os.path.abspath)
    parser.add_argument("--quiet-wait", type=float, default=QUIET_WAIT_S)
    args = parser.parse_args()
    if args.out is None:
        args.out = (os.path.join(os.path.dirname(args.readme), "bench",
                                 "results") if args.readme else
                    os.path.join(args.build, "bench"))
    return args


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    before = wait_for_quiet(args.quiet_wait)
    compare.servers.install_signal_handlers()
    work = tempfile.mkdtemp(prefix="p11kmip-all-")
    try:
        results = measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_data(args.out, *results[:4])
    plot = os.path.join(args.out, "benchmarks.png")
    if args.readme:
        plot = os.path.relpath(plot, os.path.dirname(args.readme))
    text = report(args, before, results, plot)
    with open(os.path.join(args.out, "benchmarks.md"), "w") as out:
        out.write(text)
    print(text)
    if args.readme:
        write_readme(args.readme, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
