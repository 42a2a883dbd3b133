# SPDX-License-Identifier: Apache-2.0
"""kmipd against hostile clients, each on a kmipd of its own: long client
CNs, silent connections, half-sent requests and a bounded mutation pass.
Runs under integration/with_server.py --server none with KMIPD_BINARY
set."""

import datetime
import os
import socket
import ssl
import sys
import time
import unittest

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import OP, Connection, create_aes
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


if __name__ == "__main__":
    unittest.main(verbosity=2)
