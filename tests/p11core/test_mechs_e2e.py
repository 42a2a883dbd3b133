# SPDX-License-Identifier: Apache-2.0
"""Mechanisms through p11kmip-pkcs11.so (PyKCS11) against the kmipd
with_server.py started. HMAC with every hash: RFC 4231 (and RFC 2202 for
SHA-1) vectors with keys imported by C_CreateObject, the _GENERAL forms'
truncated MACs, and a key whose KMIP algorithm fixes its hash refusing
another hash at C_SignInit. Raw RSA (CKM_RSA_X_509) sign and decrypt,
checked with the public key's raw RSA here.

    test_hmac_e2e.py MODULE
"""
import os
import struct
import sys
import unittest

import PyKCS11
from PyKCS11 import *  # noqa: F401,F403 (the CK* constants)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from module_session import code, module_session  # noqa: E402

JEFE = b"Jefe"
WHAT = b"what do ya want for nothing?"
# RFC 4231 test case 2 (RFC 2202 test case 2 for SHA-1).
VECTORS = {
    CKK_SHA_1_HMAC: (CKM_SHA_1_HMAC,
                     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
    CKK_SHA224_HMAC: (CKM_SHA224_HMAC,
                      "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44"),
    CKK_SHA256_HMAC: (CKM_SHA256_HMAC,
                      "5bdcc146bf60754e6a042426089575c7"
                      "5a003f089d2739839dec58b964ec3843"),
    CKK_SHA384_HMAC: (CKM_SHA384_HMAC,
                      "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47"
                      "e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"),
    CKK_SHA512_HMAC: (CKM_SHA512_HMAC,
                      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd6"
                      "10270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fd"
                      "caeab1a34d4a6b4b636e070a38bce737"),
}
# RFC 4231 test case 5: HMAC-SHA-256 truncated to 128 bits.
TRUNCATION_KEY = b"\x0c" * 20
TRUNCATION_DATA = b"Test With Truncation"
TRUNCATED = "a3b6167473100ee06e0c796c2955552b"


LIB, SLOT, SESSION = module_session()


def mac_key(value, key_type):
    return SESSION.createObject([
        (CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, key_type),
        (CKA_TOKEN, True), (CKA_VALUE, value), (CKA_SIGN, True),
        (CKA_VERIFY, True)])


def general(mechanism, length):
    """A _GENERAL mechanism with its CK_MAC_GENERAL_PARAMS (a CK_ULONG)."""
    return Mechanism(mechanism, struct.pack("L", length))  # native size


class Hmac(unittest.TestCase):
    def test_every_hash_gives_the_rfc_vector_and_verifies(self):
        for key_type, (mechanism, expected) in VECTORS.items():
            with self.subTest(mechanism=hex(mechanism)):
                key = mac_key(JEFE, key_type)
                mac = bytes(SESSION.sign(key, WHAT, Mechanism(mechanism)))
                self.assertEqual(mac.hex(), expected)
                self.assertTrue(SESSION.verify(key, WHAT, mac,
                                               Mechanism(mechanism)))
                bad = bytes([mac[0] ^ 1]) + mac[1:]
                self.assertFalse(SESSION.verify(key, WHAT, bad,
                                                Mechanism(mechanism)))

    def test_general_form_truncates(self):
        key = mac_key(TRUNCATION_KEY, CKK_SHA256_HMAC)
        mechanism = general(CKM_SHA256_HMAC_GENERAL, 16)
        mac = bytes(SESSION.sign(key, TRUNCATION_DATA, mechanism))
        self.assertEqual(mac.hex(), TRUNCATED)
        self.assertTrue(SESSION.verify(key, TRUNCATION_DATA, mac, mechanism))
        self.assertFalse(SESSION.verify(key, TRUNCATION_DATA,
                                        mac[:-1] + b"\0", mechanism))

    def test_general_form_of_every_hash_keeps_a_prefix(self):
        for key_type, (mechanism, expected) in VECTORS.items():
            with self.subTest(mechanism=hex(mechanism)):
                key = mac_key(JEFE, key_type)
                # The _GENERAL mechanism is the HMAC's code + 1.
                mac = SESSION.sign(key, WHAT, general(mechanism + 1, 10))
                self.assertEqual(bytes(mac).hex(), expected[:20])

    def test_general_lengths_out_of_range_are_refused(self):
        key = mac_key(JEFE, CKK_SHA_1_HMAC)
        for length in (0, 21):
            with self.subTest(length=length):
                self.assertEqual(
                    code(lambda: SESSION.sign(
                        key, WHAT, general(CKM_SHA_1_HMAC_GENERAL, length))),
                    CKR_MECHANISM_PARAM_INVALID)
        self.assertEqual(
            code(lambda: SESSION.sign(
                key, WHAT, Mechanism(CKM_SHA_1_HMAC_GENERAL, b"\x01"))),
            CKR_MECHANISM_PARAM_INVALID)

    def test_a_key_of_one_hash_refuses_another_at_init(self):
        key = mac_key(JEFE, CKK_SHA_1_HMAC)
        for mechanism in (CKM_SHA256_HMAC, CKM_SHA512_HMAC_GENERAL):
            with self.subTest(mechanism=hex(mechanism)):
                self.assertEqual(
                    code(lambda: SESSION.sign(key, WHAT, Mechanism(mechanism))),
                    CKR_KEY_TYPE_INCONSISTENT)
        self.assertEqual(
            code(lambda: SESSION.verify(key, WHAT, bytes(48),
                                        Mechanism(CKM_SHA384_HMAC))),
            CKR_KEY_TYPE_INCONSISTENT)

    def test_allowed_mechanisms_name_the_keys_hash(self):
        key = mac_key(JEFE, CKK_SHA384_HMAC)
        allowed = SESSION.getAttributeValue(key, [CKA_ALLOWED_MECHANISMS])[0]
        self.assertEqual(struct.unpack("2L", bytes(allowed)),
                         (CKM_SHA384_HMAC, CKM_SHA384_HMAC_GENERAL))

    def test_a_generic_secret_takes_the_hash_its_server_fixed(self):
        # The module registers a generic secret as HMAC-SHA256.
        key = mac_key(JEFE, CKK_GENERIC_SECRET)
        self.assertEqual(
            code(lambda: SESSION.sign(key, WHAT, Mechanism(CKM_SHA_1_HMAC))),
            CKR_KEY_TYPE_INCONSISTENT)
        mac = bytes(SESSION.sign(key, WHAT, Mechanism(CKM_SHA256_HMAC)))
        self.assertEqual(mac.hex(), VECTORS[CKK_SHA256_HMAC][1])

    def test_the_mechanism_list_offers_every_hmac(self):
        offered = set(LIB.getMechanismList(SLOT))
        for name in ("CKM_SHA_1_HMAC", "CKM_SHA224_HMAC_GENERAL",
                     "CKM_SHA512_HMAC", "CKM_SHA384_HMAC_GENERAL"):
            self.assertIn(name, offered)


def rsa_pair():
    public, private = SESSION.generateKeyPair(
        [(CKA_TOKEN, True), (CKA_MODULUS_BITS, 2048),
         (CKA_PUBLIC_EXPONENT, b"\x01\x00\x01"), (CKA_VERIFY, True),
         (CKA_ENCRYPT, True)],
        [(CKA_TOKEN, True), (CKA_SIGN, True), (CKA_DECRYPT, True)],
        Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN))
    n, e = SESSION.getAttributeValue(public, [CKA_MODULUS,
                                              CKA_PUBLIC_EXPONENT], True)
    return private, int.from_bytes(bytes(n), "big"), int.from_bytes(
        bytes(e), "big")


RAW = Mechanism(CKM_RSA_X_509)


class RawRsa(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.key, cls.n, cls.e = rsa_pair()

    def test_sign_is_undone_by_the_public_key(self):
        for data in (b"\x00" + os.urandom(255), os.urandom(100)):
            with self.subTest(length=len(data)):
                signature = bytes(SESSION.sign(self.key, data, RAW))
                self.assertEqual(len(signature), 256)
                recovered = pow(int.from_bytes(signature, "big"), self.e,
                                self.n)
                self.assertEqual(recovered, int.from_bytes(data, "big"))

    def test_decrypt_reverses_the_public_key(self):
        message = b"\x00" + os.urandom(255)
        cipher = pow(int.from_bytes(message, "big"), self.e, self.n)
        plain = bytes(SESSION.decrypt(self.key, cipher.to_bytes(256, "big"),
                                      RAW))
        self.assertEqual(plain, message)

    def test_wrong_lengths_get_the_standards_codes(self):
        self.assertEqual(
            code(lambda: SESSION.sign(self.key, bytes(257), RAW)),
            CKR_DATA_LEN_RANGE)
        self.assertEqual(
            code(lambda: SESSION.decrypt(self.key, bytes(255), RAW)),
            CKR_ENCRYPTED_DATA_LEN_RANGE)

    def test_an_input_above_the_modulus_is_refused(self):
        self.assertNotEqual(
            code(lambda: SESSION.sign(self.key, b"\xff" * 256, RAW)),
            CKR_OK)

    def test_only_the_private_operations_are_offered(self):
        info = LIB.getMechanismInfo(SLOT, "CKM_RSA_X_509")
        self.assertEqual(info.flags & (CKF_SIGN | CKF_DECRYPT),
                         CKF_SIGN | CKF_DECRYPT)
        self.assertEqual(info.flags & (CKF_VERIFY | CKF_ENCRYPT), 0)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
