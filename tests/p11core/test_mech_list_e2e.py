# SPDX-License-Identifier: Apache-2.0
"""C_GetMechanismList and C_GetMechanismInfo per slot through
p11kmip-pkcs11.so (PyKCS11) against the PyKMIP with_server.py started:
what the server refuses leaves the slot's list. PyKMIP signs only what
it hashes itself: once it refuses a hash (CKM_RSA_PKCS_PSS), the mechanisms
that sign a hash lose CKF_SIGN and keep their local CKF_VERIFY. PyKMIP
wraps with AES key wrap (RFC 3394) only, and cannot read a key given
wrapped: the other wrappings and the unwrappings it refused leave the
list.

    test_mech_list_e2e.py MODULE
"""
import os
import sys
import unittest

import PyKCS11
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap
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


def secret(value, usage):
    return SESSION.createObject(
        [(CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_AES),
         (CKA_TOKEN, True), (CKA_VALUE, value), (CKA_EXTRACTABLE, True)] +
        [(attribute, True) for attribute in usage])


class Wrapping(unittest.TestCase):
    def test_what_pykmip_cannot_do_leaves_the_list(self):
        kek, key = os.urandom(32), os.urandom(16)
        wrapping = secret(kek, [CKA_WRAP, CKA_UNWRAP])
        target = secret(key, [CKA_ENCRYPT])
        wrapped = bytes(SESSION.wrapKey(wrapping, target,
                                        Mechanism(CKM_AES_KEY_WRAP)))
        self.assertEqual(aes_key_unwrap(kek, wrapped), key)
        self.assertEqual(code(lambda: SESSION.wrapKey(
            wrapping, target, Mechanism(CKM_AES_KEY_WRAP_PAD))),
            CKR_MECHANISM_INVALID)
        rsa, _ = SESSION.generateKeyPair(
            [(CKA_TOKEN, True), (CKA_MODULUS_BITS, 2048),
             (CKA_PUBLIC_EXPONENT, b"\x01\x00\x01"), (CKA_WRAP, True)],
            [(CKA_TOKEN, True), (CKA_UNWRAP, True)],
            Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN))
        self.assertEqual(code(lambda: SESSION.wrapKey(
            rsa, target, RSAOAEPMechanism(CKM_SHA_1, CKG_MGF1_SHA1))),
            CKR_MECHANISM_INVALID)
        self.assertEqual(flags("CKM_AES_KEY_WRAP") & CKF_WRAP, CKF_WRAP)
        self.assertFalse(flags("CKM_AES_KEY_WRAP_PAD") & CKF_WRAP)
        self.assertFalse(flags("CKM_RSA_PKCS_OAEP") & CKF_WRAP)

        # PyKMIP cannot read a wrapped Key Value (a Byte String).
        template = [(CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_AES),
                    (CKA_TOKEN, True), (CKA_ENCRYPT, True)]
        for name in ("CKM_AES_KEY_WRAP", "CKM_AES_KEY_WRAP_PAD"):
            with self.subTest(mechanism=name):
                mechanism = Mechanism(CKM[name])
                self.assertEqual(code(lambda: SESSION.unwrapKey(
                    wrapping, wrapped, template, mechanism)),
                    CKR_MECHANISM_INVALID)
                self.assertEqual(code(lambda: SESSION.unwrapKey(
                    wrapping, wrapped, template, mechanism)),
                    CKR_MECHANISM_INVALID)
        self.assertEqual(flags("CKM_AES_KEY_WRAP") & (CKF_WRAP | CKF_UNWRAP),
                         CKF_WRAP)
        # Refused for both: no longer offered at all.
        self.assertNotIn("CKM_AES_KEY_WRAP_PAD", LIB.getMechanismList(SLOT))
        self.assertEqual(code(lambda: flags("CKM_AES_KEY_WRAP_PAD")),
                         CKR_MECHANISM_INVALID)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
