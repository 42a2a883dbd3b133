# SPDX-License-Identifier: Apache-2.0
"""C_GetMechanismList and C_GetMechanismInfo per slot through
p11kmip-pkcs11.so (PyKCS11) against the PyKMIP with_server.py started:
what the server refuses leaves the slot's list. PyKMIP signs only what
it hashes itself: once it refuses a hash (CKM_RSA_PKCS_PSS), the mechanisms
that sign a hash lose CKF_SIGN and keep their local CKF_VERIFY.

    test_mech_list_e2e.py MODULE
"""
import os
import sys
import unittest

import PyKCS11
from PyKCS11 import *  # noqa: F401,F403 (the CK* constants)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from module_session import module_session  # noqa: E402

LIB, SLOT, SESSION = module_session()


def flags(name):
    return LIB.getMechanismInfo(SLOT, name).flags


def code(call):
    try:
        call()
    except PyKCS11Error as error:
        return error.value
    return CKR_OK


class MechanismList(unittest.TestCase):
    def test_refusals_leave_the_slots_list(self):
        listed = set(LIB.getMechanismList(SLOT))
        self.assertIn("CKM_ECDSA", listed)
        self.assertTrue(flags("CKM_ECDSA") & CKF_SIGN)
        self.assertTrue(flags("CKM_RSA_PKCS_PSS") & CKF_SIGN)

        _, rsa = SESSION.generateKeyPair(
            [(CKA_TOKEN, True), (CKA_MODULUS_BITS, 2048),
             (CKA_PUBLIC_EXPONENT, b"\x01\x00\x01"), (CKA_ENCRYPT, True)],
            [(CKA_TOKEN, True), (CKA_SIGN, True)],
            Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN))
        pss = RSA_PSS_Mechanism(CKM_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256,
                                32)
        self.assertNotEqual(code(lambda: SESSION.sign(rsa, bytes(32), pss)),
                            CKR_OK)
        for name in ("CKM_ECDSA", "CKM_RSA_PKCS_PSS"):
            with self.subTest(mechanism=name):
                self.assertEqual(flags(name) & (CKF_SIGN | CKF_VERIFY),
                                 CKF_VERIFY)
        self.assertTrue(flags("CKM_SHA256_RSA_PKCS_PSS") & CKF_SIGN)
        self.assertEqual(code(lambda: SESSION.sign(rsa, bytes(32), pss)),
                         CKR_MECHANISM_INVALID)

    def test_sizes_are_what_the_servers_take(self):
        info = LIB.getMechanismInfo(SLOT, "CKM_RSA_PKCS_KEY_PAIR_GEN")
        self.assertEqual((info.ulMinKeySize, info.ulMaxKeySize), (2048, 4096))
        info = LIB.getMechanismInfo(SLOT, "CKM_SHA256_RSA_PKCS")
        self.assertEqual((info.ulMinKeySize, info.ulMaxKeySize), (1024, 8192))
        info = LIB.getMechanismInfo(SLOT, "CKM_SHA256_HMAC_GENERAL")
        self.assertEqual((info.ulMinKeySize, info.ulMaxKeySize), (1, 512))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
