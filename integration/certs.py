# SPDX-License-Identifier: Apache-2.0
"""Temporary test PKI made with the openssl CLI.

    certs.py DIR [--ca-key rsa|ec]

writes into DIR a CA, a server certificate for 127.0.0.1 / localhost and
two client certificates (CN=client-a, CN=client-b), plus client-a's key
encrypted with a random passphrase. As a library, make_certs() returns the
paths in a Certs record.
"""

import argparse
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass

OPENSSL = "openssl"
DAYS = "2"


@dataclass(frozen=True)
class Certs:
    directory: str
    ca: str  # CA certificate (PEM), trusted by servers and clients
    server_cert: str
    server_key: str
    client_cert: str  # CN=client-a
    client_key: str
    client_cert_b: str  # CN=client-b
    client_key_b: str
    client_key_encrypted: str  # client-a's key, encrypted
    client_key_passphrase: str  # passphrase of client_key_encrypted


def _openssl(*args):
    result = subprocess.run(
        [OPENSSL, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" %
                           (args[0], result.stderr.strip()))


def _new_key(path, algorithm):
    if algorithm == "ec":
        _openssl("genpkey", "-algorithm", "EC", "-pkeyopt",
                 "ec_paramgen_curve:P-256", "-out", path)
    else:
        _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt",
                 "rsa_keygen_bits:2048", "-out", path)
    os.chmod(path, 0o600)


def _write(path, text):
    with open(path, "w", encoding="ascii") as out:
        out.write(text)


def _issue(directory, name, subject, extensions, ca_cert, ca_key):
    """Makes name.key (RSA-2048) and name.pem signed by the CA."""
    key = os.path.join(directory, name + ".key")
    csr = os.path.join(directory, name + ".csr")
    cert = os.path.join(directory, name + ".pem")
    ext = os.path.join(directory, name + ".ext")
    _new_key(key, "rsa")
    _openssl("req", "-new", "-key", key, "-subj", subject, "-out", csr)
    _write(ext, extensions)
    _openssl("x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key,
             "-set_serial", "0x" + secrets.token_hex(8), "-days", DAYS,
             "-sha256", "-extfile", ext, "-out", cert)
    os.remove(csr)
    os.remove(ext)
    return cert, key


CLIENT_EXTENSIONS = (
    "basicConstraints = critical, CA:FALSE\n"
    "keyUsage = critical, digitalSignature, keyEncipherment\n"
    "extendedKeyUsage = clientAuth\n")

SERVER_EXTENSIONS = (
    "basicConstraints = critical, CA:FALSE\n"
    "keyUsage = critical, digitalSignature, keyEncipherment\n"
    "extendedKeyUsage = serverAuth\n"
    "subjectAltName = IP:127.0.0.1, DNS:localhost\n")


def make_certs(directory, ca_key_type="rsa"):
    """Creates the test PKI in directory (created if missing)."""
    os.makedirs(directory, exist_ok=True)
    ca_key = os.path.join(directory, "ca.key")
    ca_cert = os.path.join(directory, "ca.pem")
    _new_key(ca_key, ca_key_type)
    _openssl("req", "-x509", "-new", "-key", ca_key, "-sha256",
             "-subj", "/CN=p11kmip test CA", "-days", DAYS,
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             "-out", ca_cert)

    server_cert, server_key = _issue(directory, "server", "/CN=127.0.0.1",
                                     SERVER_EXTENSIONS, ca_cert, ca_key)
    client_cert, client_key = _issue(directory, "client-a", "/CN=client-a",
                                     CLIENT_EXTENSIONS, ca_cert, ca_key)
    client_cert_b, client_key_b = _issue(directory, "client-b",
                                         "/CN=client-b", CLIENT_EXTENSIONS,
                                         ca_cert, ca_key)

    passphrase = secrets.token_urlsafe(18)
    encrypted = os.path.join(directory, "client-a-encrypted.key")
    _openssl("pkey", "-in", client_key, "-aes256", "-passout",
             "pass:" + passphrase, "-out", encrypted)
    os.chmod(encrypted, 0o600)

    return Certs(directory=directory, ca=ca_cert, server_cert=server_cert,
                 server_key=server_key, client_cert=client_cert,
                 client_key=client_key, client_cert_b=client_cert_b,
                 client_key_b=client_key_b, client_key_encrypted=encrypted,
                 client_key_passphrase=passphrase)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--ca-key", choices=("rsa", "ec"), default="rsa")
    args = parser.parse_args()
    certs = make_certs(args.directory, args.ca_key)
    _write(os.path.join(args.directory, "client-a-encrypted.pass"),
           certs.client_key_passphrase + "\n")
    for field, value in vars(certs).items():
        if field != "client_key_passphrase":
            print("%s=%s" % (field, value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
