# SPDX-License-Identifier: Apache-2.0
"""Session objects (CKA_TOKEN false) through p11kmip-pkcs11.so (PyKCS11)
against the kmipd with_server.py started: an RSA public key made in a
read-only session verifies and encrypts, every session finds it, it goes
with its session, and a second process never sees it.

    test_session_objects_e2e.py MODULE
"""
import os
import subprocess
import sys
import unittest

from PyKCS11 import *  # noqa: F401,F403 (the CK* constants)
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from module_session import module_lib  # noqa: E402

MODULE = sys.argv.pop(1)
MESSAGE = b"verified by a session public key"


def count(session, label):
    return len(session.findObjects([(CKA_LABEL, label)]))


class SessionObjects(unittest.TestCase):
    def setUp(self):
        self.lib, self.slot = module_lib(MODULE)
        self.key = rsa.generate_private_key(65537, 2048)
        numbers = self.key.public_key().public_numbers()
        self.template = [
            (CKA_CLASS, CKO_PUBLIC_KEY), (CKA_KEY_TYPE, CKK_RSA),
            (CKA_TOKEN, False), (CKA_LABEL, "session-public"),
            (CKA_VERIFY, True), (CKA_ENCRYPT, True),
            (CKA_MODULUS, numbers.n.to_bytes(256, "big")),
            (CKA_PUBLIC_EXPONENT, numbers.e.to_bytes(3, "big"))]

    def tearDown(self):
        self.lib.closeAllSessions(self.slot)

    def test_public_key_of_a_read_only_session(self):
        ro = self.lib.openSession(self.slot, CKF_SERIAL_SESSION)
        other = self.lib.openSession(self.slot, CKF_SERIAL_SESSION)
        handle = ro.createObject(self.template)
        self.assertEqual(other.getAttributeValue(handle, [CKA_TOKEN])[0],
                         False)
        self.assertEqual(count(other, "session-public"), 1)
        self.assertEqual(len(other.findObjects([(CKA_TOKEN, False)])), 1)
        signature = self.key.sign(MESSAGE, padding.PKCS1v15(),
                                  hashes.SHA256())
        other.verify(handle, MESSAGE, signature,
                     Mechanism(CKM_SHA256_RSA_PKCS))
        secret = bytes(other.encrypt(handle, b"secret",
                                     Mechanism(CKM_RSA_PKCS)))
        self.assertEqual(self.key.decrypt(secret, padding.PKCS1v15()),
                         b"secret")
        ro.closeSession()
        self.assertEqual(count(other, "session-public"), 0)

    def test_second_process_does_not_see_it(self):
        ro = self.lib.openSession(self.slot, CKF_SERIAL_SESSION)
        ro.createObject(self.template)
        seen = subprocess.run(
            [sys.executable, "-c",
             "import sys, PyKCS11; from PyKCS11 import *;"
             "lib = PyKCS11.PyKCS11Lib(); lib.load(sys.argv[1]);"
             "s = lib.openSession(lib.getSlotList(tokenPresent=True)[0]);"
             "print(len(s.findObjects([(CKA_LABEL, 'session-public')])))",
             MODULE], check=True, capture_output=True, text=True).stdout
        self.assertEqual(seen.strip(), "0")
        self.assertEqual(count(ro, "session-public"), 1)


if __name__ == "__main__":
    unittest.main()
