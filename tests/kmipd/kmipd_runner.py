# SPDX-License-Identifier: Apache-2.0
"""Starts kmipd instances with a chosen configuration, for tests that need
their own server (faults, limits, restarts). Certificates come from
with_server.py's environment (run under --server none); every instance is
stopped at exit, and at the end of its test, with SIGTERM (so that a
coverage build's kmipd writes what it ran) and SIGKILL if it lingers."""

import atexit
import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from kmiptest import Connection

HOST = "127.0.0.1"
_started = []


def _stop_all():
    for server in list(_started):
        server.stop()


atexit.register(_stop_all)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Kmipd:
    """One kmipd with its own directory, database and master key; restart()
    keeps all three."""

    def __init__(self, binary, **config):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="kmipd-",
                                    dir=os.environ["P11KMIP_TEST_DIR"])
        self.port = free_port()
        self.master_key = os.path.join(self.dir, "master.key")
        with open(os.open(self.master_key, os.O_WRONLY | os.O_CREAT, 0o600),
                  "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32))
        self.config_path = os.path.join(self.dir, "kmipd.json")
        self.log_path = os.path.join(self.dir, "kmipd.log")
        settings = {
            "listen": "%s:%d" % (HOST, self.port),
            "ca": os.environ["P11KMIP_TEST_CA"],
            "cert": os.environ["P11KMIP_TEST_SERVER_CERT"],
            "key": os.environ["P11KMIP_TEST_SERVER_KEY"],
            "database": os.path.join(self.dir, "kmipd.sqlite"),
            "master_key": self.master_key,
            "log_file": self.log_path,
            "log_level": "debug",
        }
        settings.update(config)
        with open(self.config_path, "w", encoding="utf-8") as out:
            json.dump(settings, out)
        self.process = None

    @property
    def address(self):
        return (HOST, self.port)

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "-c", self.config_path], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _started.append(self)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("kmipd exited: %s" %
                                   self.process.stderr.read().decode())
            if self._handshake():
                return self
            time.sleep(0.05)
        raise RuntimeError("kmipd did not start:\n" + self.log())

    def _handshake(self):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.load_verify_locations(os.environ["P11KMIP_TEST_CA"])
        context.load_cert_chain(os.environ["P11KMIP_TEST_CERT"],
                                os.environ["P11KMIP_TEST_KEY"])
        try:
            with socket.create_connection(self.address, timeout=2) as sock:
                with context.wrap_socket(sock, server_hostname=HOST):
                    return True
        except (OSError, ssl.SSLError):
            return False

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8",
                      errors="replace") as log:
                return log.read()[-4000:]
        except OSError:
            return ""

    def terminate(self, timeout=10):
        """SIGTERM; returns the exit status."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        finally:
            self.kill()

    def stop(self, timeout=10):
        """SIGTERM, then SIGKILL if it has not ended within timeout."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def kill(self):
        if self in _started:
            _started.remove(self)
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.wait()
            self.process.stderr.close()

    def restart(self):
        self.kill()
        return self.start()


class KmipdTestCase(unittest.TestCase):
    """A test case whose kmipds (KMIPD_BINARY) and connections end with
    it."""

    def server(self, **config):
        server = Kmipd(os.environ["KMIPD_BINARY"], **config).start()
        self.addCleanup(server.stop)
        return server

    def connect(self, server, **kwargs):
        conn = Connection(address=server.address, **kwargs)
        self.addCleanup(conn.close)
        return conn
