# SPDX-License-Identifier: Apache-2.0
"""EdDSA through p11kmip-pkcs11.so (PyKCS11) against the kmipd
with_server.py started: CKM_EC_EDWARDS_KEY_PAIR_GEN with the curve named
by OID or by name, the PKCS#11 3.0 public attributes on both keys,
CKM_EDDSA signatures checked with OpenSSL (cryptography) and by C_Verify,
imported keys (C_CreateObject), and the standard's codes for wrong keys,
curves and parameters.

    test_eddsa_e2e.py MODULE
"""
import os
import sys
import unittest

import PyKCS11
from PyKCS11 import *  # noqa: F401,F403 (the CK* constants)
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from module_session import module_session  # noqa: E402

ED25519_OID = bytes.fromhex("06032b6570")
ED448_OID = bytes.fromhex("06032b6571")
P256 = bytes.fromhex("06082a8648ce3d030107")
MESSAGE = b"pure EdDSA signs the whole message"


def printable(name):
    return bytes([0x13, len(name)]) + name


LIB, SLOT, SESSION = module_session()


def pair(params, mechanism=CKM_EC_EDWARDS_KEY_PAIR_GEN):
    return SESSION.generateKeyPair(
        [(CKA_TOKEN, True), (CKA_EC_PARAMS, params), (CKA_VERIFY, True)],
        [(CKA_TOKEN, True), (CKA_SIGN, True)], Mechanism(mechanism))


def attribute(handle, attr):
    return bytes(SESSION.getAttributeValue(handle, [attr], True)[0])


def assert_code(test, code, call, *args):
    with test.assertRaises(PyKCS11Error) as raised:
        call(*args)
    test.assertEqual(raised.exception.value, code)


class EdDSA(unittest.TestCase):
    def check_pair(self, params, oid, public_class, raw_len):
        public, private = pair(params)
        self.assertEqual(
            SESSION.getAttributeValue(private, [CKA_KEY_TYPE])[0],
            CKK_EC_EDWARDS)
        self.assertEqual(attribute(public, CKA_EC_PARAMS), oid)
        self.assertEqual(attribute(private, CKA_EC_PARAMS), oid)
        point = attribute(public, CKA_EC_POINT)
        self.assertEqual(point[:2], bytes([0x04, raw_len]))
        self.assertEqual(len(point), 2 + raw_len)
        self.assertEqual(attribute(private, CKA_EC_POINT), point)
        key = public_class.from_public_bytes(point[2:])
        info = key.public_bytes(serialization.Encoding.DER,
                                serialization.PublicFormat.SubjectPublicKeyInfo)
        self.assertEqual(attribute(private, CKA_PUBLIC_KEY_INFO), info)
        signature = bytes(SESSION.sign(private, MESSAGE,
                                       Mechanism(CKM_EDDSA)))
        self.assertEqual(len(signature), {32: 64, 57: 114}[raw_len])
        key.verify(signature, MESSAGE)
        self.assertTrue(SESSION.verify(public, MESSAGE, signature,
                                       Mechanism(CKM_EDDSA)))
        tampered = bytes([signature[0] ^ 1]) + signature[1:]
        self.assertRaises(InvalidSignature, key.verify, tampered, MESSAGE)
        self.assertFalse(SESSION.verify(public, MESSAGE, tampered,
                                        Mechanism(CKM_EDDSA)))
        assert_code(self, CKR_SIGNATURE_LEN_RANGE, SESSION.verify, public,
                    MESSAGE, signature[:-1], Mechanism(CKM_EDDSA))
        return public, private

    def test_ed25519_named_by_oid(self):
        self.check_pair(ED25519_OID, ED25519_OID,
                        ed25519.Ed25519PublicKey, 32)

    def test_ed25519_named_by_printable_string(self):
        self.check_pair(printable(b"edwards25519"), ED25519_OID,
                        ed25519.Ed25519PublicKey, 32)

    def test_ed448(self):
        self.check_pair(printable(b"edwards448"), ED448_OID,
                        ed448.Ed448PublicKey, 57)

    def test_multi_part_signature_covers_the_whole_message(self):
        public, private = pair(ED25519_OID)
        low, handle = SESSION.lib, SESSION.session
        mech = Mechanism(CKM_EDDSA).to_native()
        self.assertEqual(low.C_SignInit(handle, mech, private), CKR_OK)
        for part in (MESSAGE[:7], MESSAGE[7:]):
            self.assertEqual(low.C_SignUpdate(handle, ckbytelist(part)),
                             CKR_OK)
        signature = ckbytelist([0] * 64)
        self.assertEqual(low.C_SignFinal(handle, signature), CKR_OK)
        signature = bytes(signature)
        ed25519.Ed25519PublicKey.from_public_bytes(
            attribute(public, CKA_EC_POINT)[2:]).verify(signature, MESSAGE)
        self.assertEqual(low.C_VerifyInit(handle, mech, public), CKR_OK)
        for part in (MESSAGE[:3], MESSAGE[3:]):
            self.assertEqual(low.C_VerifyUpdate(handle, ckbytelist(part)),
                             CKR_OK)
        self.assertEqual(low.C_VerifyFinal(handle, ckbytelist(signature)),
                         CKR_OK)

    def test_wrong_key_types_and_curves_are_refused(self):
        public, private = pair(ED25519_OID)
        ec_public, ec_private = pair(P256, CKM_EC_KEY_PAIR_GEN)
        assert_code(self, CKR_KEY_TYPE_INCONSISTENT, SESSION.sign,
                    ec_private, MESSAGE, Mechanism(CKM_EDDSA))
        assert_code(self, CKR_KEY_TYPE_INCONSISTENT, SESSION.sign,
                    private, MESSAGE, Mechanism(CKM_ECDSA))
        assert_code(self, CKR_KEY_TYPE_INCONSISTENT, SESSION.verify,
                    ec_public, MESSAGE, bytes(64), Mechanism(CKM_EDDSA))
        assert_code(self, CKR_ATTRIBUTE_VALUE_INVALID, pair, P256)
        assert_code(self, CKR_ATTRIBUTE_VALUE_INVALID, pair,
                    printable(b"edwards1"))
        assert_code(self, CKR_MECHANISM_PARAM_INVALID, SESSION.sign,
                    private, MESSAGE, Mechanism(CKM_EDDSA, bytes(8)))

    def test_imported_keys_sign_and_verify(self):
        own = ed25519.Ed25519PrivateKey.generate()
        raw = own.private_bytes(serialization.Encoding.Raw,
                                serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
        private = SESSION.createObject([
            (CKA_CLASS, CKO_PRIVATE_KEY), (CKA_KEY_TYPE, CKK_EC_EDWARDS),
            (CKA_TOKEN, True), (CKA_EC_PARAMS, printable(b"edwards25519")),
            (CKA_VALUE, raw), (CKA_SIGN, True)])
        self.assertEqual(attribute(private, CKA_EC_PARAMS), ED25519_OID)
        signature = bytes(SESSION.sign(private, MESSAGE,
                                       Mechanism(CKM_EDDSA)))
        own.public_key().verify(signature, MESSAGE)
        signer = ed448.Ed448PrivateKey.generate()
        point = signer.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        public = SESSION.createObject([
            (CKA_CLASS, CKO_PUBLIC_KEY), (CKA_KEY_TYPE, CKK_EC_EDWARDS),
            (CKA_TOKEN, True), (CKA_EC_PARAMS, ED448_OID),
            (CKA_EC_POINT, bytes([0x04, len(point)]) + point),
            (CKA_VERIFY, True)])
        self.assertTrue(SESSION.verify(public, MESSAGE,
                                       signer.sign(MESSAGE),
                                       Mechanism(CKM_EDDSA)))
        assert_code(self, CKR_ATTRIBUTE_VALUE_INVALID, SESSION.createObject, [
            (CKA_CLASS, CKO_PRIVATE_KEY), (CKA_KEY_TYPE, CKK_EC_EDWARDS),
            (CKA_TOKEN, True), (CKA_EC_PARAMS, ED448_OID), (CKA_VALUE, raw)])

    def test_mechanisms_are_listed(self):
        mechanisms = LIB.getMechanismList(SLOT)
        self.assertIn("CKM_EDDSA", mechanisms)
        self.assertIn("CKM_EC_EDWARDS_KEY_PAIR_GEN", mechanisms)
        info = LIB.getMechanismInfo(SLOT, "CKM_EDDSA")
        self.assertTrue(info.flags & CKF_SIGN and info.flags & CKF_VERIFY)


if __name__ == "__main__":
    unittest.main()
