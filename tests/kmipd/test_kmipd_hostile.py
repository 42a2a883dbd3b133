# SPDX-License-Identifier: Apache-2.0
"""kmipd against hostile clients, each on a kmipd of its own: long client
CNs, silent connections, half-sent requests and a bounded mutation pass.
Runs under integration/with_server.py --server none with KMIPD_BINARY
set."""

import datetime
import os
import socket
import ssl
import struct
import sys
import time
import unittest

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import OP, T, By, Connection, create_aes, encode, request
from kmipd_runner import Kmipd

BINARY = os.environ["KMIPD_BINARY"]
REFUSED = (OSError, ssl.SSLError, ConnectionError)


def issue_client_cert(directory, cn):
    """A client certificate with CN cn signed by the test CA (any length:
    the 64-character bound of X.509 is not checked); returns (cert, key)."""
    test_dir = os.environ["P11KMIP_TEST_DIR"]
    with open(os.environ["P11KMIP_TEST_CA"], "rb") as pem:
        ca_cert = x509.load_pem_x509_certificate(pem.read())
    with open(os.path.join(test_dir, "ca.key"), "rb") as pem:
        ca_key = serialization.load_pem_private_key(pem.read(), None)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(
                NameOID.COMMON_NAME, cn, _validate=False)]))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                           critical=True)
            .add_extension(x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    name = os.path.join(directory, "cn-%d-%s" % (len(cn), cn[-1]))
    with open(name + ".pem", "wb") as out:
        out.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(os.open(name + ".key", os.O_WRONLY | os.O_CREAT, 0o600),
              "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return name + ".pem", name + ".key"


class Base(unittest.TestCase):
    def server(self, **config):
        server = Kmipd(BINARY, **config).start()
        self.addCleanup(server.kill)
        return server

    def connect(self, server, **kwargs):
        conn = Connection(address=server.address, **kwargs)
        self.addCleanup(conn.close)
        return conn


class LongCommonName(Base):
    def test_a_cn_longer_than_255_bytes_is_refused_and_logged(self):
        server = self.server()
        # Cut to 255 bytes, these two were one owner and shared objects.
        for last in "ab":
            cert, key = issue_client_cert(server.dir, "x" * 255 + last)
            with self.assertRaises(REFUSED):
                with Connection(address=server.address, cert=cert,
                                key=key, timeout=5) as conn:
                    conn.one(OP.CREATE, create_aes("long-cn"))
        self.assertIn("client certificate with a CN longer than 255 bytes: "
                      "refused", server.log())

    def test_a_cn_of_255_bytes_is_served(self):
        server = self.server()
        cert, key = issue_client_cert(server.dir, "y" * 255)
        conn = self.connect(server, cert=cert, key=key)
        self.assertTrue(conn.one(OP.CREATE, create_aes("cn-255")).ok)
        self.assertIn("connected as " + "y" * 255, server.log())


def silent_sockets(server, count, source="127.0.0.1"):
    """count TCP connections that never say a word."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(server.address, timeout=5,
                                        source_address=(source, 0))
        sockets.append(sock)
    return sockets


class SilentConnections(Base):
    def silent(self, server, count, source="127.0.0.1"):
        sockets = silent_sockets(server, count, source)
        for sock in sockets:
            self.addCleanup(sock.close)
        return sockets

    def assert_served_within_a_second(self, server):
        start = time.monotonic()
        with Connection(address=server.address, timeout=5) as conn:
            self.assertTrue(conn.one(OP.DISCOVER_VERSIONS, []).ok)
        self.assertLess(time.monotonic() - start, 1.0)

    def test_300_silent_connections_do_not_lock_a_client_out(self):
        server = self.server()  # 256 connections, 64 handshakes, 8 a peer
        self.silent(server, 300)
        self.assert_served_within_a_second(server)
        self.assertIn("too many TLS handshakes at once", server.log())

    def test_a_flood_from_one_address_cuts_only_its_own_handshakes(self):
        server = self.server(max_handshakes=16, max_handshakes_per_peer=4)
        elsewhere = self.silent(server, 3, "127.0.0.2")
        self.silent(server, 200)
        self.assert_served_within_a_second(server)
        for sock in elsewhere:
            sock.settimeout(0.2)
            with self.assertRaises(socket.timeout):  # still open
                sock.recv(1)

    def test_a_silent_connection_is_closed_at_the_handshake_timeout(self):
        server = self.server(handshake_timeout_ms=500)
        sock = self.silent(server, 1)[0]
        start = time.monotonic()
        self.assertEqual(sock.recv(1), b"")
        self.assertLess(time.monotonic() - start, 2.0)
        self.assertIn("TLS handshake failed (timeout)", server.log())

    def test_authenticated_connections_have_their_own_limit(self):
        server = self.server(max_connections=1)
        first = self.connect(server)
        self.assertTrue(first.one(OP.DISCOVER_VERSIONS, []).ok)
        with self.assertRaises(REFUSED):
            with Connection(address=server.address, timeout=5) as second:
                second.one(OP.DISCOVER_VERSIONS, [])
        self.assertIn("refused: 1 connections open", server.log())


class HalfSentRequests(Base):
    def test_partly_received_requests_share_one_bound(self):
        server = self.server(max_message=40000, max_buffered=65536,
                             idle_timeout_ms=3000)
        holder = self.connect(server)
        # A 40000-byte request header, 100 bytes of it, then nothing.
        holder.send_raw(bytes.fromhex("42007801") +
                        struct.pack(">I", 40000 - 8) + bytes(100))
        time.sleep(0.2)
        waiting = self.connect(server)
        waiting.send_raw(encode(request([(OP.DISCOVER_VERSIONS, [
            By(T.NONCE_VALUE, bytes(30000))], None)])))
        small = self.connect(server)  # fits in what is left
        self.assertTrue(small.one(OP.DISCOVER_VERSIONS, []).ok)
        self.assertFalse(waiting.is_closed(wait=0.5))  # not answered yet
        holder.close()
        self.assertIsNotNone(waiting.receive())
        self.assertIn("bytes of requests are held (max_buffered 65536)",
                      server.log())

    def test_a_request_with_no_room_in_time_closes_its_connection(self):
        # The test delay keeps the first request, and its bytes, 3 s.
        server = self.server(max_message=40000, max_buffered=65536,
                             idle_timeout_ms=800, faults={"delay_ms": 3000})
        holder = self.connect(server)
        holder.send_raw(encode(request([(OP.DISCOVER_VERSIONS, [
            By(T.NONCE_VALUE, bytes(35000))], None)])))
        time.sleep(0.2)
        waiting = self.connect(server)
        waiting.send_raw(bytes.fromhex("42007801") +
                         struct.pack(">I", 40000 - 8))
        start = time.monotonic()
        self.assertTrue(waiting.is_closed(wait=3))
        self.assertLess(time.monotonic() - start, 2)
        self.assertIn("closed: no room for its request in time",
                      server.log())


if __name__ == "__main__":
    unittest.main(verbosity=2)
