# SPDX-License-Identifier: Apache-2.0
"""p11-kit's proxy module (p11-kit-proxy.so) with p11kmip-pkcs11.so
registered by a per-user module file (p11-kit reads none for root, so the
signer runs as the unprivileged user): PyKCS11 finds our token through the
proxy and signs with the RSA-2048 and the P-256 key held by kmipd; OpenSSL
verifies each signature with our public key.
Usage: p11kit_proxy.py BUILD_DIR, under with_server.py.
As the signer: p11kit_proxy.py --sign LABEL MECHANISM IN OUT."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__) + "/../../integration")
import consumers  # noqa: E402 pylint: disable=wrong-import-position

PROXY = "/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so"
PYTHON = "/usr/bin/python3"
MECHANISMS = {"rsa": "CKM_SHA256_RSA_PKCS", "ec": "CKM_ECDSA_SHA256"}


def sign(label, mechanism, message, out):
    """Runs in the signer process: signs message through the proxy and
    writes the signature as OpenSSL reads it (ECDSA: DER, not r|s)."""
    # pylint: disable=import-outside-toplevel
    import PyKCS11
    from cryptography.hazmat.primitives.asymmetric import utils
    library = PyKCS11.PyKCS11Lib()
    library.load(PROXY)
    slots = [slot for slot in library.getSlotList(tokenPresent=True)
             if library.getTokenInfo(slot).label.strip() == consumers.TOKEN]
    if len(slots) != 1:
        raise SystemExit("p11-kit proxy shows %d tokens labelled %s" %
                         (len(slots), consumers.TOKEN))
    session = library.openSession(slots[0])
    key = session.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY),
                               (PyKCS11.CKA_LABEL, label)])[0]
    with open(message, "rb") as data:
        signature = session.sign(key, data.read(), PyKCS11.Mechanism(
            getattr(PyKCS11, mechanism), None))
    signature = bytes(signature)
    if mechanism == MECHANISMS["ec"]:
        half = len(signature) // 2
        signature = utils.encode_dss_signature(
            int.from_bytes(signature[:half], "big"),
            int.from_bytes(signature[half:], "big"))
    with open(out, "wb") as sig:
        sig.write(signature)


def sign_and_verify(setup, home, key):
    message = setup.write(key.label + ".txt", "signed through the p11-kit "
                          "proxy with %s\n" % key.label)
    signature = os.path.join(home, key.label + ".sig")
    setup.run([PYTHON, os.path.abspath(__file__), "--sign", key.label,
               MECHANISMS[key.kind], message, signature],
              user=consumers.WORKER_USER, home=home)
    consumers.run(["openssl", "dgst", "-sha256", "-verify", key.pubkey,
                   "-signature", signature, message])


def test(build):
    setup = consumers.Setup(build, "p11kit_proxy")
    keys = setup.keys()
    home = setup.worker_home()
    matrix = consumers.Matrix("p11-kit-proxy")
    for key in keys.values():
        with matrix.case("PyKCS11 sign", key.kind):
            sign_and_verify(setup, home, key)
    return matrix


if __name__ == "__main__":
    if sys.argv[1] == "--sign":
        sign(*sys.argv[2:6])
        sys.exit(0)
    sys.exit(consumers.main(test))
