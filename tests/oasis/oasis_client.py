# SPDX-License-Identifier: Apache-2.0
"""Mutual-TLS connections to kmipd, one client certificate per owner (CN
oasis-N, signed by the test CA of with_server.py), so that an owner sees
only its own objects."""

import datetime
import os
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "kmipd"))

import kmiptest  # noqa: E402

TIMEOUT = 30


class Connection(kmiptest.Connection):
    """A connection that sends and returns raw TTLV."""

    def call(self, ttlv):
        self.send_raw(ttlv)
        head = self._read(8)
        return head + self._read(struct.unpack(">I", head[4:])[0])


class Clients:
    def __init__(self, address):
        self.address = address
        self.directory = os.environ["P11KMIP_TEST_DIR"]
        with open(os.path.join(self.directory, "ca.key"), "rb") as f:
            self.ca_key = serialization.load_pem_private_key(f.read(), None)
        with open(os.environ["P11KMIP_TEST_CA"], "rb") as f:
            self.ca = x509.load_pem_x509_certificate(f.read())
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.key_path = os.path.join(self.directory, "oasis.key")
        with open(self.key_path, "wb") as f:
            f.write(self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()))
        self.certificates = {}

    def _certificate(self, owner):
        if owner in self.certificates:
            return self.certificates[owner]
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(
                    NameOID.COMMON_NAME,
                    "oasis-%d" % len(self.certificates))]))
                .issuer_name(self.ca.subject)
                .public_key(self.key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(hours=1))
                .not_valid_after(now + datetime.timedelta(days=1))
                .add_extension(x509.ExtendedKeyUsage(
                    [x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), False)
                .sign(self.ca_key, hashes.SHA256()))
        path = os.path.join(self.directory,
                            "oasis-%d.pem" % len(self.certificates))
        with open(path, "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
        self.certificates[owner] = path
        return path

    def connect(self, owner):
        """A connection under owner's client certificate."""
        return Connection(self.address, cert=self._certificate(owner),
                          key=self.key_path, timeout=TIMEOUT)
