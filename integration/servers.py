# SPDX-License-Identifier: Apache-2.0
"""Start and stop a KMIP server on 127.0.0.1 for tests.

    with running_server("pykmip", workdir, certs) as server:
        ... server.address ("127.0.0.1:PORT") ...

Backends: "pykmip" (Debian's python3-pykmip) and "kmipd" (ours). The server
always stops: on leaving the context, at interpreter exit (atexit) and on
SIGTERM / SIGINT / SIGHUP (see install_signal_handlers).

CLI: servers.py --server pykmip|kmipd [--kmipd PATH] DIR
starts a server with certificates made in DIR and runs until interrupted.
"""

import argparse
import atexit
import contextlib
import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time

import certs as test_certs

HOST = "127.0.0.1"
PYTHON = "/usr/bin/python3"
PYKMIP_SERVER = "/usr/bin/pykmip-server"
# The TLS 1.2 suites PyKMIP offers with an RSA server certificate.
TLS12_CIPHERS = ("ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA384",
                 "AES128-SHA256", "AES256-SHA256")
START_TIMEOUT_S = 30.0
# PyKMIP takes up to its 10 s accept timeout to notice SIGTERM; its state is
# in SQLite, so it is not worth waiting for.
STOP_TIMEOUT_S = {"pykmip": 1.0, "kmipd": 5.0}
LOG_TAIL_LINES = 40

_running = []  # servers started and not yet stopped, for atexit


class ServerError(RuntimeError):
    """The server could not start; the message holds its log tail."""


class Server:
    """A running server process (its own process group)."""

    def __init__(self, backend, port, process, log_path):
        self.backend = backend
        self.port = port
        self.process = process
        self.log_path = log_path

    @property
    def address(self):
        return "%s:%d" % (HOST, self.port)

    def log_tail(self):
        """The last lines of the server's log and of its stdout/stderr."""
        return "".join(_tail(path) for path in
                       (self.log_path, self.log_path + ".stdout"))

    def stop(self):
        """Terminates the process group, then kills it after a timeout."""
        if self in _running:
            _running.remove(self)
        if self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT_S[self.backend])
            except subprocess.TimeoutExpired:
                pass
        # Also ends what the server left behind in its group (PyKMIP's
        # multiprocessing manager).
        _signal_group(self.process, signal.SIGKILL)
        self.process.wait()


def _tail(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            lines = log.readlines()[-LOG_TAIL_LINES:]
    except OSError as err:
        return "(%s: %s)\n" % (path, err.strerror)
    return "==> %s <==\n%s" % (path, "".join(lines)) if lines else ""


def _signal_group(process, signum):
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def _stop_all():
    for server in list(_running):
        server.stop()


atexit.register(_stop_all)


def install_signal_handlers():
    """Turns SIGTERM, SIGINT and SIGHUP into SystemExit so that context
    managers and atexit stop the servers."""
    def handler(signum, _frame):
        raise SystemExit(128 + signum)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, handler)


def free_port():
    """A port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _client_tls_context(certs):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(":".join(TLS12_CIPHERS))
    context.load_verify_locations(certs.ca)
    context.load_cert_chain(certs.client_cert, certs.client_key)
    return context


def _tls_handshake_succeeds(context, port):
    try:
        with socket.create_connection((HOST, port), timeout=2) as sock:
            with context.wrap_socket(sock, server_hostname=HOST):
                return True
    except (OSError, ssl.SSLError):
        return False


def _wait_until_ready(server, certs):
    context = _client_tls_context(certs)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerError("%s exited with status %d:\n%s" %
                              (server.backend, server.process.returncode,
                               server.log_tail()))
        if _tls_handshake_succeeds(context, server.port):
            return
        time.sleep(0.1)
    raise ServerError("%s did not accept a TLS connection on %s within "
                      "%.0f s:\n%s" % (server.backend, server.address,
                                       START_TIMEOUT_S, server.log_tail()))


def _spawn(backend, argv, port, log_path, certs):
    with open(log_path + ".stdout", "ab") as output:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                   stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = Server(backend, port, process, log_path)
    _running.append(server)
    try:
        _wait_until_ready(server, certs)
    except BaseException:
        server.stop()
        raise
    return server


def start_pykmip(workdir, certs, log_level="INFO"):
    """PyKMIP with mutual TLS 1.2, its SQLite database in workdir."""
    port = free_port()
    policies = os.path.join(workdir, "pykmip-policies")
    os.makedirs(policies, exist_ok=True)
    conf = os.path.join(workdir, "pykmip-server.conf")
    log_path = os.path.join(workdir, "pykmip-server.log")
    with open(conf, "w", encoding="utf-8") as out:
        out.write("[server]\n"
                  "hostname=%s\n"
                  "port=%d\n"
                  "certificate_path=%s\n"
                  "key_path=%s\n"
                  "ca_path=%s\n"
                  "auth_suite=TLS1.2\n"
                  "policy_path=%s\n"
                  "enable_tls_client_auth=True\n"
                  "tls_cipher_suites=%s\n"
                  "logging_level=%s\n"
                  "database_path=%s\n" %
                  (HOST, port, certs.server_cert, certs.server_key, certs.ca,
                   policies, " ".join(TLS12_CIPHERS), log_level,
                   os.path.join(workdir, "pykmip.sqlite")))
    return _spawn("pykmip", [PYTHON, PYKMIP_SERVER, "-f", conf, "-l",
                             log_path], port, log_path, certs)


def start_kmipd(workdir, certs, kmipd="kmipd", log_level="info"):
    """Our reference server: `kmipd -c CONF` with a JSON configuration.

    master_key names a file holding 32 random bytes, hex encoded. The kmipd
    author may adjust the configuration keys here to match kmipd."""
    port = free_port()
    master_key = os.path.join(workdir, "kmipd-master.key")
    with open(os.open(master_key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                      0o600), "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32) + "\n")
    conf = os.path.join(workdir, "kmipd.json")
    log_path = os.path.join(workdir, "kmipd.log")
    with open(conf, "w", encoding="utf-8") as out:
        json.dump({"listen": "%s:%d" % (HOST, port),
                   "ca": certs.ca,
                   "cert": certs.server_cert,
                   "key": certs.server_key,
                   "database": os.path.join(workdir, "kmipd.sqlite"),
                   "master_key": master_key,
                   "log_level": log_level,
                   "log_file": log_path}, out, indent=2)
    return _spawn("kmipd", [kmipd, "-c", conf], port, log_path, certs)


def kill(server):
    """Kills the server at once (SIGKILL to its group), as a crash would."""
    _signal_group(server.process, signal.SIGKILL)
    server.process.wait()


def restart(server, certs):
    """Starts a stopped or killed server again with the same command: the
    same port, configuration and database. Returns the new Server."""
    server.stop()
    return _spawn(server.backend, server.process.args, server.port,
                  server.log_path, certs)


@contextlib.contextmanager
def running_server(backend, workdir, certs, kmipd="kmipd"):
    """Starts backend ("pykmip" or "kmipd") and stops it on exit."""
    if backend == "pykmip":
        server = start_pykmip(workdir, certs)
    elif backend == "kmipd":
        server = start_kmipd(workdir, certs, kmipd)
    else:
        raise ValueError("unknown server backend %r" % backend)
    try:
        yield server
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(
        description="Run a test KMIP server until interrupted.")
    parser.add_argument("--server", choices=("pykmip", "kmipd"),
                        required=True)
    parser.add_argument("--kmipd", default="kmipd")
    parser.add_argument("directory")
    args = parser.parse_args()
    install_signal_handlers()
    certs = test_certs.make_certs(args.directory)
    with running_server(args.server, args.directory, certs,
                        args.kmipd) as server:
        print("P11KMIP_TEST_SERVER=%s" % server.address, flush=True)
        while server.process.poll() is None:
            time.sleep(0.5)
        print(server.log_tail(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
