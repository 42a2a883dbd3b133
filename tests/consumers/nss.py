# SPDX-License-Identifier: Apache-2.0
"""NSS 3.87 with an RSA-2048 and a P-256 key held by kmipd, each with its
certificate on the token under the key's CKA_ID (NSS pairs a key with a
certificate of the same slot): modutil adds p11kmip-pkcs11.so to a new NSS
database, certutil -K lists our keys, pk1sign signs a file; the public key
it reports is ours and OpenSSL verifies the signature with our key.
Usage: nss.py BUILD_DIR, under with_server.py."""

import base64
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__) + "/../../integration")
import consumers  # noqa: E402 pylint: disable=wrong-import-position

# certutil -K: "< 0> rsa      01     label" (index, kind, CKA_ID, label).
KEY_LINE = re.compile(r"^<\s*\d+>\s+(\S+)\s+(\S+)\s+(.*?)\s*$", re.M)
# pk1sign signs SHA-1 digests (its AlgorithmIdentifier says which).
PK1SIGN_DIGEST = "-sha1"


def der_items(der):
    """The (tag, value) items of one DER SEQUENCE's contents."""
    items, offset = [], 0
    while offset < len(der):
        tag, length = der[offset], der[offset + 1]
        offset += 2
        if length & 0x80:
            size = length & 0x7F
            length = int.from_bytes(der[offset:offset + size], "big")
            offset += size
        items.append((tag, der[offset:offset + length]))
        offset += length
    return items


def pk1sign_output(text):
    """pk1sign prints "signature:" and "pubkey:", each followed by base64
    DER: (AlgorithmIdentifier, BIT STRING) and a SubjectPublicKeyInfo."""
    fields, name = {}, None
    for line in text.splitlines():
        if line.endswith(":"):
            name = line[:-1]
        elif name:
            fields[name] = fields.get(name, "") + line.strip()
    signature = der_items(der_items(base64.b64decode(fields["signature"]))
                          [0][1])[1][1][1:]  # BIT STRING without unused bits
    return signature, base64.b64decode(fields["pubkey"])


def sign_and_verify(setup, db, key):
    message = setup.write("message.txt", "signed by NSS with %s\n" % key.label)
    output = setup.run(["pk1sign", "-d", db, "-k",
                        "%s:%s" % (consumers.TOKEN, key.label),
                        "-i", message], stdin=b"")
    signature, pubkey = pk1sign_output(output)
    consumers.expect_key(hashlib.sha256(pubkey).hexdigest(), key,
                         "pk1sign")
    sig_path = setup.path(key.label + ".nss.sig")
    with open(sig_path, "wb") as out:
        out.write(signature)
    consumers.run(["openssl", "dgst", PK1SIGN_DIGEST, "-verify", key.pubkey,
                   "-signature", sig_path, message])


def test(build):
    setup = consumers.Setup(build, "nss")
    keys = setup.keys(cert_on_token=True)
    db = "sql:" + setup.subdir("nssdb")
    matrix = consumers.Matrix("nss")
    with matrix.case("modutil -add", "rsa+ec"):
        consumers.run(["certutil", "-N", "-d", db, "--empty-password"])
        setup.run(["modutil", "-dbdir", db, "-add", "p11kmip", "-libfile",
                   setup.module, "-force"])
    listed = setup.run(["certutil", "-K", "-d", db, "-h", consumers.TOKEN],
                       stdin=b"")
    for key in keys.values():
        with matrix.case("certutil -K", key.kind):
            if (key.kind, key.key_id, key.label) not in \
                    KEY_LINE.findall(listed):
                raise consumers.Failure("certutil -K did not list %s:\n%s" %
                                        (key.label, listed))
        with matrix.case("pk1sign", key.kind):
            sign_and_verify(setup, db, key)
    return matrix


if __name__ == "__main__":
    sys.exit(consumers.main(test))
