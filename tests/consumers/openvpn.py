# SPDX-License-Identifier: Apache-2.0
"""OpenVPN 2.6 (pkcs11-helper) finds keys held by kmipd through their
certificates on the token: openvpn --show-pkcs11-ids lists the RSA-2048
and the P-256 key's certificates (by serial number) with a
serialized id ending in the key's CKA_ID, what --pkcs11-id takes.
Usage: openvpn.py BUILD_DIR, under with_server.py."""

import os
import sys

from cryptography import x509

sys.path.insert(0, os.path.dirname(__file__) + "/../../integration")
import consumers  # noqa: E402 pylint: disable=wrong-import-position


def listed_certificates(output):
    """The "Certificate" blocks of --show-pkcs11-ids as dicts (DN, Serial,
    Serialized id)."""
    blocks = []
    for line in output.splitlines():
        if line.strip() == "Certificate":
            blocks.append({})
        elif blocks and ":" in line:
            name, value = line.split(":", 1)
            blocks[-1][name.strip()] = value.strip()
    return blocks


def expect_listed(blocks, key):
    with open(key.cert, "rb") as pem:
        cert = x509.load_pem_x509_certificate(pem.read())
    serial = "%X" % cert.serial_number
    for block in blocks:
        if block.get("Serial", "").lstrip("0") == serial and \
                block.get("Serialized id", "").endswith("/" + key.key_id):
            return
    raise consumers.Failure("no certificate with serial %s and id %s in %s" %
                            (serial, key.key_id, blocks))


def test(build):
    setup = consumers.Setup(build, "openvpn")
    keys = setup.keys(cert_on_token=True)
    matrix = consumers.Matrix("openvpn")
    blocks = listed_certificates(setup.run(["openvpn", "--show-pkcs11-ids",
                                            setup.module]))
    for key in keys.values():
        with matrix.case("--show-pkcs11-ids", key.kind):
            expect_listed(blocks, key)
    return matrix


if __name__ == "__main__":
    sys.exit(consumers.main(test))
