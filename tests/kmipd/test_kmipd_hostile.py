# SPDX-License-Identifier: Apache-2.0
"""kmipd against hostile clients, each on a kmipd of its own: long client
CNs, silent connections, half-sent requests and a bounded mutation pass.
Runs under integration/with_server.py --server none with KMIPD_BINARY
set."""

import collections
import copy
import datetime
import os
import random
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

import kmiptest  # noqa: E402  (the item kinds, for the mutations)
from kmiptest import E, OP, T, By, I, En, Tx, Connection, attr_v1, \
    create_aes, encode, name_value, request, revoke_payload, uid_payload
from kmipd_runner import KmipdTestCase

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
    name = os.path.join(directory, "cn-%d-%s" % (len(cn), cn[-1:]))
    with open(name + ".pem", "wb") as out:
        out.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(os.open(name + ".key", os.O_WRONLY | os.O_CREAT, 0o600),
              "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return name + ".pem", name + ".key"


class LongCommonName(KmipdTestCase):
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


class SilentConnections(KmipdTestCase):
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

    def test_silent_sockets_cut_no_handshake_whose_client_has_spoken(self):
        server = self.server(max_handshakes=16, max_handshakes_per_peer=4)
        spoken = self.silent(server, 1)[0]
        spoken.sendall(b"\x16")  # a ClientHello begins, slowly
        time.sleep(0.2)
        self.silent(server, 100)
        spoken.settimeout(0.3)
        with self.assertRaises(socket.timeout):  # still open
            spoken.recv(1)

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


class HalfSentRequests(KmipdTestCase):
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


def captured_requests(uid):
    """Valid request messages of many kinds, the seeds of the mutations;
    uid names a key the client owns."""
    v2 = (2, 0)
    items = [
        ([(OP.DISCOVER_VERSIONS, [], None)], (1, 4)),
        ([(OP.QUERY, [En(T.QUERY_FUNCTION, 1), En(T.QUERY_FUNCTION, 3)],
           None)], (1, 4)),
        ([(OP.CREATE, create_aes("m1"), None)], (1, 4)),
        ([(OP.CREATE, create_aes("m2", version=v2), None)], v2),
        ([(OP.CREATE, create_aes("m3"), b"1"),
          (OP.ACTIVATE, [], b"2")], (1, 4)),
        ([(OP.GET, uid_payload(uid), None)], (1, 4)),
        ([(OP.GET_ATTRIBUTES, uid_payload(uid), None)], v2),
        ([(OP.LOCATE, [attr_v1("Name", name_value("m1"))], None)], (1, 4)),
        ([(OP.ADD_ATTRIBUTE, uid_payload(uid) + [
            attr_v1("Contact Information", Tx(0, "ops"))], None)], (1, 4)),
        ([(OP.ADJUST_ATTRIBUTE, uid_payload(uid) + [
            En(T.ATTRIBUTE_REFERENCE, T.CRYPTOGRAPHIC_USAGE_MASK.value),
            En(T.ADJUSTMENT_TYPE, E.AdjustmentType.INCREMENT),
            I(T.ADJUSTMENT_VALUE, 1)], None)], v2),
        ([(OP.REVOKE, revoke_payload(uid), None)], (1, 4)),
        ([(OP.DESTROY, uid_payload(uid), None)], (1, 4)),
    ]
    return [encode(request(batch, version=version))
            for batch, version in items]


INTERESTING = (0, 1, 7, 8, 0x7F, 0x80, 0xFF, 0x7FFFFFFF, 0x80000000,
               0xFFFFFFFF)
LEAF_VALUES = {
    kmiptest.INTEGER: (0, -1, 1, -2**31, 2**31 - 1),
    kmiptest.LONG: (0, -1, -2**63, 2**63 - 1),
    kmiptest.DATE: (0, -1, -2**63, 2**63 - 1),
    kmiptest.ENUM: (0, 1, 0x7FFFFFFF, 0xFFFFFFFF, 0x80000001),
    kmiptest.INTERVAL: (0, 0xFFFFFFFF),
    kmiptest.BOOL: (True, False),
    kmiptest.TEXT: ("", "\0", "a\0b", "x" * 5000, "\u00e9" * 64),
    kmiptest.BYTES: (b"", b"\0", bytes(5000)),
}


def all_items(item, found):
    """item and everything below it, depth first."""
    found.append(item)
    if item.kind == kmiptest.STRUCTURE:
        for child in item.value:
            all_items(child, found)
    return found


def mutate_items(message, rng):
    """message decoded, one item in it changed, encoded again: the change
    reaches the operations instead of the decoder."""
    root, _ = kmiptest.decode(message)
    items = all_items(root, [])
    target = rng.choice(items[1:])
    structures = [i for i in items if i.kind == kmiptest.STRUCTURE and
                  i.value]
    parent = rng.choice(structures)
    kind = rng.randrange(4)
    if kind == 0 and target.kind in LEAF_VALUES:
        target.value = rng.choice(LEAF_VALUES[target.kind])
    elif kind == 1:
        parent.value.pop(rng.randrange(len(parent.value)))
    elif kind == 2:
        parent.value.insert(rng.randrange(len(parent.value) + 1),
                            copy.deepcopy(rng.choice(items[1:])))
    else:
        target.tag = rng.choice(items[1:]).tag
    return encode(root)


def mutate_bytes(message, rng):
    """message with one random change of its bytes inside its outer
    structure, the outer length then fixed so that the frame stays
    whole."""
    body = bytearray(message[8:])
    kind = rng.randrange(6)
    at = rng.randrange(len(body))
    if kind == 0:
        body[at] ^= 1 << rng.randrange(8)
    elif kind == 1:
        body[at] = rng.choice((0, 0xFF, rng.randrange(256)))
    elif kind == 2:  # a length, a type or a value field made extreme
        at -= at % 4
        body[at:at + 4] = struct.pack(">I", rng.choice(INTERESTING))
    elif kind == 3:
        del body[at:at + rng.randrange(1, 33)]
    elif kind == 4:
        body[at:at] = bytes(rng.randrange(256)
                            for _ in range(rng.choice((1, 4, 8, 16))))
    else:  # a chunk repeated
        chunk = body[at:at + 8 * rng.randrange(1, 5)]
        body[at:at] = chunk * rng.randrange(1, 4)
    body += bytes((8 - len(body) % 8) % 8)
    return message[:4] + struct.pack(">I", len(body)) + bytes(body)


def mutate(message, rng):
    """Half the time an item changed, half the time bytes."""
    if rng.randrange(2):
        return mutate_items(message, rng)
    return mutate_bytes(message, rng)


class MutationPass(KmipdTestCase):
    """Mutated requests over TLS, bounded in count and time: each is
    answered with a Response Message, or the connection is closed; after
    each burst a new client is served at once."""

    COUNT = 3000
    BURST = 100
    SECONDS = 150

    def answer(self, conn, data):
        """The Result Reason of the first batch item (None on success), or
        "closed" when the server closed the connection."""
        try:
            conn.send_raw(data)
            response = conn.receive()
        except (ConnectionError, ssl.SSLError, BrokenPipeError):
            return "closed"
        return response.results[0].reason

    def assert_alive(self, server, done):
        self.assertIsNone(server.process.poll(), "kmipd died after %d" % done)
        with Connection(address=server.address, timeout=5) as conn:
            self.assertTrue(conn.one(OP.DISCOVER_VERSIONS, []).ok,
                            "after %d mutated requests" % done)

    def test_mutated_requests_are_answered_and_kmipd_lives(self):
        server = self.server(max_message=65536, log_level="warn")
        conn = Connection(address=server.address, timeout=5)
        uid = conn.one(OP.CREATE, create_aes("seed")).uid()
        seeds = captured_requests(uid)
        rng = random.Random(10)
        deadline = time.monotonic() + self.SECONDS
        answers = collections.Counter()
        while sum(answers.values()) < self.COUNT and \
                time.monotonic() < deadline:
            for _ in range(self.BURST):
                answer = self.answer(conn, mutate(rng.choice(seeds), rng))
                answers[answer] += 1
                if answer == "closed":
                    conn.close()
                    conn = Connection(address=server.address, timeout=5)
            self.assert_alive(server, sum(answers.values()))
        conn.close()
        done = sum(answers.values())
        print("%d mutated requests: %s" % (done, dict(answers)),
              file=sys.stderr)
        self.assertGreaterEqual(done, 1000, "too slow to mean anything")
        # Many mutations must get past the decoder to the operations.
        self.assertLess(answers[E.ResultReason.INVALID_MESSAGE.value],
                        done * 3 / 4)


if __name__ == "__main__":
    unittest.main(verbosity=2)
