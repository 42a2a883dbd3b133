# SPDX-License-Identifier: Apache-2.0
"""Java 17's SunPKCS11 over p11kmip-pkcs11.so, with an RSA-2048 and a P-256
key held by kmipd, each with its certificate on the token under the key's
CKA_ID (a keystore entry is a key with its certificate): keytool -list
shows both entries with our certificates' fingerprints; a Signature made
by JavaSign.java is verified by OpenSSL with our public key.
Usage: java.py BUILD_DIR, under with_server.py."""

import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes

sys.path.insert(0, os.path.dirname(__file__) + "/../../integration")
import consumers  # noqa: E402 pylint: disable=wrong-import-position

CONFIG = "name = p11kmip\nlibrary = {module}\nslotListIndex = 0\n"
SIGNER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "JavaSign.java")
ALGORITHM = {"rsa": "SHA256withRSA", "ec": "SHA256withECDSA"}
JAVA_TIMEOUT_S = 120  # the source launcher compiles JavaSign.java


def keytool_entry(listing, key):
    """Failure unless keytool listed key's label as a private key entry
    with its certificate's SHA-256 fingerprint."""
    with open(key.cert, "rb") as pem:
        fingerprint = x509.load_pem_x509_certificate(pem.read()).fingerprint(
            hashes.SHA256()).hex(":").upper()
    lines = listing.splitlines()
    for index, line in enumerate(lines[:-1]):
        if line.startswith(key.label + ", PrivateKeyEntry") and \
                lines[index + 1].endswith(fingerprint):
            return
    raise consumers.Failure("keytool did not list %s with %s:\n%s" %
                            (key.label, fingerprint, listing))


def sign(setup, config, keys):
    """JavaSign.java signs one message with every key: {kind: (message,
    signature file)}."""
    files, argv = {}, ["java", SIGNER, config]
    for key in keys.values():
        message = setup.write(key.label + ".txt", "signed by Java with %s\n"
                              % key.label)
        files[key.kind] = (message, setup.path(key.label + ".java.sig"))
        argv += [key.label, ALGORITHM[key.kind], *files[key.kind]]
    setup.run(argv, timeout=JAVA_TIMEOUT_S)
    return files


def verify(key, message, signature):
    consumers.run(["openssl", "dgst", "-sha256", "-verify", key.pubkey,
                   "-signature", signature, message])


def test(build):
    setup = consumers.Setup(build, "java")
    keys = setup.keys(cert_on_token=True)
    config = setup.write("sunpkcs11.cfg", CONFIG.format(module=setup.module))
    matrix = consumers.Matrix("java")
    listing = setup.run(["keytool", "-list", "-keystore", "NONE",
                         "-storetype", "PKCS11", "-providerClass",
                         "sun.security.pkcs11.SunPKCS11", "-providerArg",
                         config, "-storepass", "none"],
                        timeout=JAVA_TIMEOUT_S)
    for key in keys.values():
        with matrix.case("keytool -list", key.kind):
            keytool_entry(listing, key)
    signed = sign(setup, config, keys)
    for key in keys.values():
        with matrix.case("Signature", key.kind):
            verify(key, *signed[key.kind])
    return matrix


if __name__ == "__main__":
    sys.exit(consumers.main(test))
