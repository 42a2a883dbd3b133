# SPDX-License-Identifier: Apache-2.0
"""Servers of consumer tests (Apache, HAProxy, sshd, stunnel) and the TLS
ends that look at them, all on 127.0.0.1.

    with running("apache", argv, env, port, log) as daemon: ...

starts argv in its own process group, waits until it listens on port
(Failure with the log tail if it exits or does not listen in time) and
always stops the whole group. server_key_fingerprint() completes a
verified handshake and returns the fingerprint of the server's public key;
ClientCertServer is a TLS server that demands a client certificate and
records the fingerprint of each client's public key.
"""

import contextlib
import os
import pwd
import signal
import socket
import ssl
import subprocess
import threading
import time

import consumers
import servers

START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0
TLS_TIMEOUT_S = 20.0
CLOSE_TIMEOUT_S = 1.0


def log_tail(path, lines=30):
    try:
        with open(path, errors="replace") as log:
            return "".join(log.readlines()[-lines:])
    except OSError as err:
        return "(%s: %s)\n" % (path, err.strerror)


def _ready(endpoint):
    """A TCP port accepts connections, or a Unix socket path exists."""
    if isinstance(endpoint, str):
        return os.path.exists(endpoint)
    try:
        with socket.create_connection((servers.HOST, endpoint), 1):
            return True
    except OSError:
        return False


class Daemon:
    """A started server: its process (group leader), port (or Unix
    socket path) and log."""

    def __init__(self, name, process, port, log):
        self.name = name
        self.process = process
        self.port = port
        self.log = log

    def group_uids(self):
        """The real uids of every process in the server's group."""
        uids = set()
        for pid in filter(str.isdigit, os.listdir("/proc")):
            with contextlib.suppress(OSError):
                if os.getpgid(int(pid)) == self.process.pid:
                    uids.add(os.stat("/proc/" + pid).st_uid)
        return uids

    def expect_workers_as(self, user):
        """Failure unless some process of the group runs as user."""
        uid = pwd.getpwnam(user).pw_uid
        if uid not in self.group_uids():
            raise consumers.Failure("%s has no process running as %s" %
                                    (self.name, user))

    def wait_until_listening(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _ready(self.port):
            if self.process.poll() is not None or \
                    time.monotonic() > deadline:
                raise consumers.Failure(
                    "%s did not listen on %s (status %s):\n%s" %
                    (self.name, self.port, self.process.poll(),
                     log_tail(self.log)))
            time.sleep(0.1)

    def stop(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@contextlib.contextmanager
def running(name, argv, env, port, log):
    """Starts a server writing its output to log.stderr (see module doc);
    port may be a Unix socket path the server creates."""
    with open(log + ".stderr", "ab") as stderr:
        process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                   stdout=stderr, stderr=stderr,
                                   start_new_session=True)
    daemon = Daemon(name, process, port, log)
    try:
        daemon.wait_until_listening()
        yield daemon
    except consumers.Failure as err:
        raise consumers.Failure("%s\n--- %s log ---\n%s%s" % (
            err, name, log_tail(log), log_tail(log + ".stderr"))) from err
    finally:
        daemon.stop()


def serve_and_expect(name, argv, env, port, log, key, handshakes=3):
    """Starts a TLS server (running()) for key; each of handshakes
    verified handshakes (more than one reaches several workers) must see
    key's public key, and a process of the server must run as the worker
    user."""
    with running(name, argv, env, port, log) as daemon:
        for _ in range(handshakes):
            consumers.expect_key(server_key_fingerprint(port, key.cert), key,
                                 "a TLS client of " + name)
        daemon.expect_workers_as(consumers.WORKER_USER)


def server_key_fingerprint(port, cafile, tls13=True):
    """Handshakes with 127.0.0.1:port, verifying the certificate (name
    localhost) against cafile; returns the server public key fingerprint."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cafile)
    if not tls13:
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    try:
        with socket.create_connection((servers.HOST, port),
                                      TLS_TIMEOUT_S) as sock:
            with context.wrap_socket(sock, server_hostname="localhost") as tls:
                return consumers.cert_spki_sha256(tls.getpeercert(True))
    except (OSError, ssl.SSLError) as err:
        raise consumers.Failure("TLS handshake with port %d: %s" %
                                (port, err)) from err


class ClientCertServer:
    """TLS server on 127.0.0.1 with the test PKI's server certificate; a
    client must present a certificate issued by one of cafiles. Answers
    each connection with an HTTP 200 and records, in seen, the fingerprint
    of the client's public key."""

    def __init__(self, cafiles):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.verify_mode = ssl.CERT_REQUIRED
        self.context.load_cert_chain(os.environ["P11KMIP_TEST_SERVER_CERT"],
                                     os.environ["P11KMIP_TEST_SERVER_KEY"])
        for cafile in cafiles:
            self.context.load_verify_locations(cafile)
        self.listener = socket.create_server((servers.HOST, 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.seen = []
        self.errors = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join()
        self.listener.close()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                continue
            with conn:
                self._answer(conn)

    def _answer(self, conn):
        conn.settimeout(TLS_TIMEOUT_S)
        try:
            with self.context.wrap_socket(conn, server_side=True) as tls:
                self.seen.append(
                    consumers.cert_spki_sha256(tls.getpeercert(True)))
                tls.recv(4096)
                tls.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n"
                            b"\r\nok\n")
                # close_notify (gnutls-cli insists on it) without waiting
                # long for the client's (tstclnt does not send one).
                tls.settimeout(CLOSE_TIMEOUT_S)
                tls.unwrap()
        except (OSError, ssl.SSLError) as err:
            self.errors.append(str(err))

    def client_fingerprint(self, client):
        """Runs client() and returns the fingerprint of the client that
        completed a handshake meanwhile; Failure if none did."""
        del self.seen[:], self.errors[:]
        client()
        if not self.seen:
            raise consumers.Failure("no client completed a handshake: %s" %
                                    "; ".join(self.errors[-3:]))
        return self.seen[-1]
