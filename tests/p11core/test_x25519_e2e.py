# SPDX-License-Identifier: Apache-2.0
"""X25519 and X448 through p11kmip-pkcs11.so (PyKCS11) against the kmipd
with_server.py started: CKM_EC_MONTGOMERY_KEY_PAIR_GEN with the curve named
by OID or by name, the PKCS#11 3.0 public attributes (CKK_EC_MONTGOMERY,
CKA_EC_PARAMS, CKA_EC_POINT) compared with OpenSSL (cryptography),
CKM_ECDH1_DERIVE with a local peer compared with the agreement computed
locally, imported keys (C_CreateObject), and the standard's codes for
wrong peers, keys and curves.

    test_x25519_e2e.py MODULE
"""
import os
import sys
import unittest

import PyKCS11
from PyKCS11 import *  # noqa: F401,F403 (the CK* constants)
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from module_session import module_session  # noqa: E402

X25519_OID = bytes.fromhex("06032b656e")
X448_OID = bytes.fromhex("06032b656f")
ED25519_OID = bytes.fromhex("06032b6570")
P256 = bytes.fromhex("06082a8648ce3d030107")
RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)
SPKI = (serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo)

LIB, SLOT, SESSION = module_session()


def printable(name):
    return bytes([0x13, len(name)]) + name


def octets(raw):
    return bytes([0x04, len(raw)]) + raw


def pair(params, mechanism=CKM_EC_MONTGOMERY_KEY_PAIR_GEN, derive=True):
    return SESSION.generateKeyPair(
        [(CKA_TOKEN, True), (CKA_EC_PARAMS, params)],
        [(CKA_TOKEN, True), (CKA_DERIVE, derive), (CKA_SIGN, False)],
        Mechanism(mechanism))


def attribute(handle, attr):
    return bytes(SESSION.getAttributeValue(handle, [attr], True)[0])


def readable_secret(length):
    return [(CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_GENERIC_SECRET),
            (CKA_VALUE_LEN, length), (CKA_SENSITIVE, False),
            (CKA_EXTRACTABLE, True)]


def derived_value(base, mechanism, length):
    handle = SESSION.deriveKey(base, readable_secret(length), mechanism)
    value = attribute(handle, CKA_VALUE)
    SESSION.destroyObject(handle)
    return value


class Montgomery(unittest.TestCase):
    def assert_code(self, code, call, *args):
        with self.assertRaises(PyKCS11Error) as raised:
            call(*args)
        self.assertEqual(raised.exception.value, code,
                         PyKCS11.CKR.get(raised.exception.value))

    def check_pair(self, params, oid, private_class, raw_len):
        public, private = pair(params)
        for handle in (public, private):
            self.assertEqual(
                SESSION.getAttributeValue(handle, [CKA_KEY_TYPE])[0],
                CKK_EC_MONTGOMERY)
            self.assertEqual(attribute(handle, CKA_EC_PARAMS), oid)
        point = attribute(public, CKA_EC_POINT)
        self.assertEqual(point[:2], bytes([0x04, raw_len]))
        self.assertEqual(len(point), 2 + raw_len)
        self.assertEqual(attribute(private, CKA_EC_POINT), point)
        server_public = private_class.generate().public_key().from_public_bytes(
            point[2:])
        self.assertEqual(attribute(private, CKA_PUBLIC_KEY_INFO),
                         server_public.public_bytes(*SPKI))
        peer = private_class.generate()
        shared = peer.exchange(server_public)
        peer_raw = peer.public_key().public_bytes(*RAW)
        self.assertEqual(derived_value(
            private, ECDH1_DERIVE_Mechanism(peer_raw), raw_len), shared)
        kdf = derived_value(private, ECDH1_DERIVE_Mechanism(
            octets(peer_raw), CKD_SHA256_KDF, b"shared info"), 32)
        self.assertEqual(kdf, X963KDF(hashes.SHA256(), 32,
                                      b"shared info").derive(shared))

    def test_x25519_named_by_oid(self):
        self.check_pair(X25519_OID, X25519_OID, x25519.X25519PrivateKey, 32)

    def test_x25519_named_by_printable_string(self):
        self.check_pair(printable(b"curve25519"), X25519_OID,
                        x25519.X25519PrivateKey, 32)

    def test_x448(self):
        self.check_pair(printable(b"curve448"), X448_OID,
                        x448.X448PrivateKey, 56)

    def test_an_imported_private_key_derives_like_openssl(self):
        own, peer = x25519.X25519PrivateKey.generate(), \
            x25519.X25519PrivateKey.generate()
        private = SESSION.createObject([
            (CKA_CLASS, CKO_PRIVATE_KEY), (CKA_KEY_TYPE, CKK_EC_MONTGOMERY),
            (CKA_TOKEN, True), (CKA_EC_PARAMS, X25519_OID),
            (CKA_VALUE, own.private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                serialization.NoEncryption())), (CKA_DERIVE, True)])
        self.assertEqual(attribute(private, CKA_EC_POINT),
                         octets(own.public_key().public_bytes(*RAW)))
        peer_raw = peer.public_key().public_bytes(*RAW)
        self.assertEqual(
            derived_value(private, ECDH1_DERIVE_Mechanism(peer_raw), 32),
            own.exchange(peer.public_key()))

    def test_an_imported_public_key_reads_back(self):
        raw = x448.X448PrivateKey.generate().public_key().public_bytes(*RAW)
        for given in (octets(raw), raw):
            public = SESSION.createObject([
                (CKA_CLASS, CKO_PUBLIC_KEY),
                (CKA_KEY_TYPE, CKK_EC_MONTGOMERY), (CKA_TOKEN, False),
                (CKA_EC_PARAMS, printable(b"curve448")),
                (CKA_EC_POINT, given)])
            self.assertEqual(attribute(public, CKA_EC_POINT), octets(raw))
            self.assertEqual(attribute(public, CKA_EC_PARAMS), X448_OID)

    def test_bad_imports_are_attribute_value_invalid(self):
        base = [(CKA_CLASS, CKO_PRIVATE_KEY),
                (CKA_KEY_TYPE, CKK_EC_MONTGOMERY), (CKA_TOKEN, False)]
        for params, value in ((X25519_OID, bytes(31)),
                              (X448_OID, bytes(32)),
                              (ED25519_OID, bytes(32)),
                              (P256, bytes(32))):
            with self.subTest(params=params.hex(), length=len(value)):
                self.assert_code(CKR_ATTRIBUTE_VALUE_INVALID,
                                 SESSION.createObject,
                                 base + [(CKA_EC_PARAMS, params),
                                         (CKA_VALUE, value)])

    def test_a_peer_of_the_wrong_length_is_mechanism_param_invalid(self):
        _, private = pair(X25519_OID)
        peer_raw = x25519.X25519PrivateKey.generate().public_key() \
            .public_bytes(*RAW)
        p256 = ec.generate_private_key(ec.SECP256R1()).public_key() \
            .public_bytes(serialization.Encoding.X962,
                          serialization.PublicFormat.UncompressedPoint)
        x448_raw = x448.X448PrivateKey.generate().public_key() \
            .public_bytes(*RAW)
        for peer in (peer_raw[:31], peer_raw + b"\0", p256, x448_raw,
                     octets(peer_raw[:31])):
            with self.subTest(length=len(peer)):
                self.assert_code(CKR_MECHANISM_PARAM_INVALID,
                                 SESSION.deriveKey, private,
                                 readable_secret(32),
                                 ECDH1_DERIVE_Mechanism(peer))

    def test_wrong_keys_and_curves_are_refused(self):
        peer_raw = x25519.X25519PrivateKey.generate().public_key() \
            .public_bytes(*RAW)
        _, ed_private = pair(ED25519_OID, CKM_EC_EDWARDS_KEY_PAIR_GEN)
        self.assert_code(CKR_KEY_TYPE_INCONSISTENT, SESSION.deriveKey,
                         ed_private, readable_secret(32),
                         ECDH1_DERIVE_Mechanism(peer_raw))
        _, no_derive = pair(X25519_OID, derive=False)
        self.assert_code(CKR_KEY_FUNCTION_NOT_PERMITTED, SESSION.deriveKey,
                         no_derive, readable_secret(32),
                         ECDH1_DERIVE_Mechanism(peer_raw))
        _, private = pair(X25519_OID)
        self.assert_code(CKR_KEY_TYPE_INCONSISTENT, SESSION.sign, private,
                         b"message", Mechanism(CKM_EDDSA))
        for params in (ED25519_OID, P256, printable(b"curve1")):
            with self.subTest(params=params.hex()):
                self.assert_code(CKR_ATTRIBUTE_VALUE_INVALID, pair, params)

    def test_a_search_by_key_type_finds_the_keys(self):
        public, private = pair(X25519_OID)
        found = SESSION.findObjects([(CKA_KEY_TYPE, CKK_EC_MONTGOMERY)])
        self.assertIn(private.value(), [h.value() for h in found])
        self.assertIn(public.value(), [h.value() for h in found])
        ec = SESSION.findObjects([(CKA_KEY_TYPE, CKK_EC)])
        self.assertNotIn(private.value(), [h.value() for h in ec])

    def test_mechanisms_are_listed(self):
        self.assertIn("CKM_EC_MONTGOMERY_KEY_PAIR_GEN",
                      LIB.getMechanismList(SLOT))
        info = LIB.getMechanismInfo(SLOT, "CKM_EC_MONTGOMERY_KEY_PAIR_GEN")
        self.assertTrue(info.flags & CKF_GENERATE_KEY_PAIR)
        self.assertEqual((info.ulMinKeySize, info.ulMaxKeySize), (255, 448))
        info = LIB.getMechanismInfo(SLOT, "CKM_ECDH1_DERIVE")
        self.assertEqual((info.ulMinKeySize, info.ulMaxKeySize), (255, 521))


if __name__ == "__main__":
    unittest.main()
