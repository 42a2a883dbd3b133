# SPDX-License-Identifier: Apache-2.0
"""GnuTLS 3.7 finds p11kmip-pkcs11.so through p11-kit (a per-user module
file; p11-kit reads none for root, so the tools run as the unprivileged
user). For an RSA-2048 and a P-256 key held by kmipd: certtool makes a
self-signed certificate (OpenSSL verifies its signature and finds our
public key in it), and gnutls-cli authenticates with it to a TLS server
that demands a client certificate and sees our public key.
Usage: gnutls.py BUILD_DIR, under with_server.py."""

import os
import sys

from cryptography import x509

sys.path.insert(0, os.path.dirname(__file__) + "/../../integration")
import consumers  # noqa: E402 pylint: disable=wrong-import-position
import daemons  # noqa: E402 pylint: disable=wrong-import-position

TEMPLATE = """\
cn = localhost
dns_name = localhost
ip_address = 127.0.0.1
expiration_days = 2
signing_key
tls_www_client
"""


def self_signed(setup, home, key):
    """certtool's self-signed certificate for key, checked with OpenSSL."""
    template = os.path.join(home, "template.cfg")
    cert = os.path.join(home, "gnutls-%s.crt" % key.kind)
    with open(template, "w", encoding="utf-8") as out:
        out.write(TEMPLATE)
    setup.run(["certtool", "--generate-self-signed", "--load-privkey",
               key.token_uri, "--template", template, "--outfile", cert],
              user=consumers.WORKER_USER, home=home)
    consumers.run(["openssl", "verify", "-CAfile", cert, cert])
    with open(cert, "rb") as pem:
        consumers.expect_key(consumers.spki_sha256(
            x509.load_pem_x509_certificate(pem.read()).public_key()),
            key, "certtool's certificate")
    return cert


def gnutls_cli(setup, home, key, cert, port):
    setup.run(["gnutls-cli", "--x509cafile", os.environ["P11KMIP_TEST_CA"],
               "--x509certfile", cert, "--x509keyfile", key.token_uri,
               "--port", str(port), "localhost"],
              user=consumers.WORKER_USER, home=home,
              stdin=b"GET / HTTP/1.0\r\n\r\n")


def test(build):
    setup = consumers.Setup(build, "gnutls")
    keys = setup.keys()
    home = setup.worker_home()
    matrix = consumers.Matrix("gnutls")
    certs = {}
    for key in keys.values():
        with matrix.case("certtool", key.kind):
            certs[key.kind] = self_signed(setup, home, key)
    with daemons.ClientCertServer(certs.values()) as server:
        for kind, cert in certs.items():
            with matrix.case("gnutls-cli", kind):
                consumers.expect_key(server.client_fingerprint(
                    lambda: gnutls_cli(setup, home, keys[kind], cert,
                                       server.port)),
                    keys[kind], "the TLS server")
    return matrix


if __name__ == "__main__":
    sys.exit(consumers.main(test))
