# SPDX-License-Identifier: Apache-2.0
"""kmipd's limits, test faults, configuration errors and shutdown, each on
a kmipd of its own. Runs under integration/with_server.py --server none
with KMIPD_BINARY set."""

import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import E, OP, Connection, create_aes, encode, request, T, By, \
    uid_payload, wait_until
from kmipd_runner import Kmipd, KmipdTestCase

BINARY = os.environ["KMIPD_BINARY"]


def kill_quietly(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
R = E.ResultReason


class Limits(KmipdTestCase):
    def test_fault_delays_every_response(self):
        server = self.server(faults={"delay_ms": 400})
        conn = self.connect(server)
        start = time.monotonic()
        self.assertTrue(conn.one(OP.DISCOVER_VERSIONS, []).ok)
        self.assertGreaterEqual(time.monotonic() - start, 0.4)

    def test_fault_closes_the_connection_after_n_requests(self):
        server = self.server(faults={"close_after": 2})
        conn = self.connect(server)
        self.assertTrue(conn.one(OP.DISCOVER_VERSIONS, []).ok)
        self.assertFalse(conn.is_closed(wait=0.3))
        self.assertTrue(conn.one(OP.DISCOVER_VERSIONS, []).ok)
        self.assertTrue(conn.is_closed())

    def test_fault_answers_the_chosen_operation_with_the_chosen_reason(self):
        server = self.server(faults={"fail_operation": "Create",
                                     "fail_reason": "CryptographicFailure"})
        conn = self.connect(server)
        result = conn.one(OP.CREATE, create_aes("x"))
        self.assertFalse(result.ok)
        self.assertEqual(result.reason, R.CRYPTOGRAPHIC_FAILURE.value)
        self.assertTrue(conn.one(OP.DISCOVER_VERSIONS, []).ok)

    def test_faults_are_off_unless_configured(self):
        server = self.server()
        conn = self.connect(server)
        start = time.monotonic()
        for _ in range(5):
            self.assertTrue(conn.one(OP.DISCOVER_VERSIONS, []).ok)
        self.assertLess(time.monotonic() - start, 1.0)
        self.assertFalse(conn.is_closed(wait=0.2))

    def test_an_idle_connection_is_closed(self):
        server = self.server(idle_timeout_ms=300)
        conn = self.connect(server)
        self.assertTrue(conn.one(OP.DISCOVER_VERSIONS, []).ok)
        start = time.monotonic()
        self.assertTrue(conn.is_closed(wait=3))
        self.assertLess(time.monotonic() - start, 2.0)

    def test_a_slow_client_does_not_stall_the_others(self):
        server = self.server(idle_timeout_ms=1500, workers=1)
        slow = self.connect(server)
        slow.send_raw(bytes.fromhex("42007801"))  # half a header, then nothing
        fast = self.connect(server)
        start = time.monotonic()
        for _ in range(20):
            self.assertTrue(fast.one(OP.DISCOVER_VERSIONS, []).ok)
        self.assertLess(time.monotonic() - start, 1.0)
        self.assertTrue(slow.is_closed(wait=4))

    def test_connections_beyond_the_limit_are_refused(self):
        server = self.server(max_connections=2)
        first = self.connect(server)
        second = self.connect(server)
        self.assertTrue(first.one(OP.DISCOVER_VERSIONS, []).ok)
        self.assertTrue(second.one(OP.DISCOVER_VERSIONS, []).ok)
        with self.assertRaises((OSError, ssl.SSLError, ConnectionError)):
            third = Connection(address=server.address)
            try:
                third.one(OP.DISCOVER_VERSIONS, [])
            finally:
                third.close()
        first.close()
        time.sleep(0.3)
        self.assertTrue(self.connect(server).one(OP.DISCOVER_VERSIONS,
                                                 []).ok)

    def test_a_message_over_the_size_limit_is_refused(self):
        server = self.server(max_message=4096)
        conn = self.connect(server)
        big = request([(OP.DISCOVER_VERSIONS, [By(T.NONCE_VALUE, bytes(5000))],
                        None)])
        response = conn.call_raw(encode(big))
        self.assertEqual(response.results[0].reason, R.INVALID_MESSAGE.value)
        self.assertTrue(conn.is_closed())

    def test_a_client_without_a_certificate_is_refused(self):
        server = self.server()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.load_verify_locations(os.environ["P11KMIP_TEST_CA"])
        with socket.create_connection(server.address, timeout=5) as raw:
            with self.assertRaises((ssl.SSLError, ConnectionError, OSError)):
                with context.wrap_socket(raw,
                                         server_hostname="127.0.0.1") as tls:
                    tls.sendall(encode(request([(OP.QUERY, [], None)])))
                    if not tls.recv(8):
                        raise ConnectionError("closed")

    def test_sigterm_stops_the_server_cleanly(self):
        server = Kmipd(BINARY).start()
        conn = Connection(address=server.address)
        self.assertTrue(conn.one(OP.DISCOVER_VERSIONS, []).ok)
        start = time.monotonic()
        self.assertEqual(server.terminate(), 0)
        self.assertLess(time.monotonic() - start, 5)
        conn.close()
        self.assertIn("stopped", server.log())

    def test_an_empty_unique_identifier_is_invalid_and_locks_nothing(self):
        server = self.server(workers=1)
        for _ in range(3):  # each used to leave hash("")'s lock taken
            with Connection(address=server.address, timeout=5) as conn:
                self.assertEqual(conn.one(OP.ACTIVATE, uid_payload("")).reason,
                                 R.INVALID_FIELD.value)
        with Connection(address=server.address, timeout=2) as conn:
            self.assertTrue(conn.one(OP.DISCOVER_VERSIONS, []).ok)
        self.assertEqual(server.terminate(), 0)

    def test_a_unique_identifier_with_a_nul_byte_is_invalid(self):
        conn = self.connect(self.server())
        uid = conn.one(OP.CREATE, create_aes("nul")).uid()
        self.assertEqual(conn.one(OP.DESTROY, uid_payload(uid + "\0x")).reason,
                         R.INVALID_FIELD.value)
        self.assertTrue(conn.one(OP.GET_ATTRIBUTES, uid_payload(uid)).ok)

    def test_sigterm_abandons_a_stuck_connection_after_a_few_seconds(self):
        server = Kmipd(BINARY, faults={"delay_ms": 60000}).start()
        conn = Connection(address=server.address)
        self.addCleanup(conn.close)
        conn.send_raw(encode(request([(OP.DISCOVER_VERSIONS, [], None)])))
        time.sleep(0.3)  # the answer now waits in the 60 s delay
        start = time.monotonic()
        self.assertEqual(server.terminate(timeout=20), 0)
        self.assertLess(time.monotonic() - start, 6)
        self.assertIn("abandoning 1 connections", server.log())

    def test_daemon_mode_detaches_serves_and_stops_on_sigterm(self):
        server = Kmipd(BINARY)
        result = subprocess.run([BINARY, "-c", server.config_path, "-d"],
                                timeout=10)
        self.assertEqual(result.returncode, 0)  # the parent returns at once
        self.assertTrue(wait_until(lambda: "listening on" in server.log()))
        pid = int(re.search(r"listening on \S+ \(pid (\d+)\)",
                            server.log()).group(1))
        self.addCleanup(kill_quietly, pid)
        with Connection(address=server.address) as conn:
            self.assertTrue(conn.one(OP.DISCOVER_VERSIONS, []).ok)
        os.kill(pid, signal.SIGTERM)
        self.assertTrue(wait_until(lambda: "kmipd stopped" in server.log()))

    def test_an_unknown_configuration_key_is_reported(self):
        server = Kmipd(BINARY, colour="blue")
        result = subprocess.run([BINARY, "-c", server.config_path],
                                capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 1)
        self.assertIn('"colour"', result.stderr)
        self.assertIn(server.config_path, result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
