# SPDX-License-Identifier: Apache-2.0
"""C_DeriveKey with CKM_ECDH1_DERIVE through p11kmip-pkcs11.so (PyKCS11)
against the kmipd with_server.py started: the derived key, which stays on
the server, encrypts there, and the same agreement computed locally with
the peer's private key decrypts; wrong keys and parameters get the
standard's codes.

    test_derive_e2e.py MODULE
"""
import os
import sys
import unittest

import PyKCS11
from PyKCS11 import *  # noqa: F401,F403 (the CK* constants)
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from module_session import module_session  # noqa: E402

P256 = bytes.fromhex("06082a8648ce3d030107")
BLOCK = bytes(range(16))
PEER = ec.generate_private_key(ec.SECP256R1())
PEER_POINT = PEER.public_key().public_bytes(
    serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


LIB, SLOT, SESSION = module_session()


def ec_pair(derive=True):
    return SESSION.generateKeyPair(
        [(CKA_TOKEN, True), (CKA_EC_PARAMS, P256), (CKA_VERIFY, True)],
        [(CKA_TOKEN, True), (CKA_SIGN, True), (CKA_DERIVE, derive)],
        Mechanism(CKM_EC_KEY_PAIR_GEN))


def own_public_key(public):
    der = bytes(SESSION.getAttributeValue(public, [CKA_EC_POINT], True)[0])
    point = der[2:]  # a DER OCTET STRING of the 65-byte point
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)


def aes_template(length=32, key_type=CKK_AES):
    template = [(CKA_CLASS, CKO_SECRET_KEY), (CKA_TOKEN, True),
                (CKA_ENCRYPT, True), (CKA_DECRYPT, True)]
    if key_type is not None:
        template.append((CKA_KEY_TYPE, key_type))
    if length is not None:
        template.append((CKA_VALUE_LEN, length))
    return template


class EcdhDerive(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        public, cls.private = ec_pair()
        cls.shared = PEER.exchange(ec.ECDH(), own_public_key(public))

    def derive(self, mechanism, template=None, base=None):
        return SESSION.deriveKey(base or self.private,
                                 template or aes_template(), mechanism)

    def assert_encrypts_like(self, handle, key):
        encrypted = bytes(SESSION.encrypt(handle, BLOCK,
                                          Mechanism(CKM_AES_ECB)))
        local = Cipher(algorithms.AES(key), modes.ECB()).decryptor()
        self.assertEqual(local.update(encrypted) + local.finalize(), BLOCK)

    def assert_fails(self, rv, call, *args):
        with self.assertRaises(PyKCS11.PyKCS11Error) as caught:
            call(*args)
        self.assertEqual(caught.exception.value, rv,
                         PyKCS11.CKR.get(caught.exception.value))

    def test_null_kdf_key_is_the_shared_secret(self):
        handle = self.derive(ECDH1_DERIVE_Mechanism(PEER_POINT))
        self.assert_encrypts_like(handle, self.shared)

    def test_a_shorter_key_takes_the_last_bytes_of_the_secret(self):
        handle = self.derive(ECDH1_DERIVE_Mechanism(PEER_POINT),
                             aes_template(16))
        self.assert_encrypts_like(handle, self.shared[-16:])

    def test_sha256_kdf_with_shared_data_and_a_der_point(self):
        wrapped = bytes([4, len(PEER_POINT)]) + PEER_POINT
        handle = self.derive(ECDH1_DERIVE_Mechanism(
            wrapped, CKD_SHA256_KDF, b"shared info"))
        key = X963KDF(hashes.SHA256(), 32, b"shared info").derive(self.shared)
        self.assert_encrypts_like(handle, key)

    def test_the_derived_key_reads_back_as_asked(self):
        handle = self.derive(ECDH1_DERIVE_Mechanism(PEER_POINT, CKD_SHA1_KDF),
                             aes_template(24))
        values = SESSION.getAttributeValue(
            handle, [CKA_CLASS, CKA_KEY_TYPE, CKA_VALUE_LEN, CKA_ENCRYPT])
        self.assertEqual(values, [CKO_SECRET_KEY, CKK_AES, 24, True])

    def test_a_readable_secret_shows_its_value(self):
        template = [(CKA_CLASS, CKO_SECRET_KEY),
                    (CKA_KEY_TYPE, CKK_GENERIC_SECRET), (CKA_VALUE_LEN, 32),
                    (CKA_SENSITIVE, False), (CKA_EXTRACTABLE, True)]
        handle = self.derive(ECDH1_DERIVE_Mechanism(PEER_POINT), template)
        value = SESSION.getAttributeValue(handle, [CKA_VALUE], True)[0]
        self.assertEqual(bytes(value), self.shared)
        SESSION.destroyObject(handle)

    def test_only_a_derived_key_may_be_made_readable(self):
        self.assert_fails(CKR_ATTRIBUTE_VALUE_INVALID, SESSION.generateKey,
                          aes_template() + [(CKA_SENSITIVE, False)])

    def test_mechanism_info_offers_derive(self):
        info = LIB.getMechanismInfo(SLOT, "CKM_ECDH1_DERIVE")
        self.assertTrue(info.flags & CKF_DERIVE)
        # 255: X25519 keys derive too (test_x25519_e2e.py).
        self.assertEqual((info.ulMinKeySize, info.ulMaxKeySize), (255, 521))

    def test_a_key_without_derive_is_not_permitted(self):
        _, private = ec_pair(derive=False)
        self.assert_fails(CKR_KEY_FUNCTION_NOT_PERMITTED, self.derive,
                          ECDH1_DERIVE_Mechanism(PEER_POINT), None, private)

    def test_an_rsa_base_key_is_type_inconsistent(self):
        _, rsa = SESSION.generateKeyPair(
            [(CKA_TOKEN, True), (CKA_MODULUS_BITS, 2048)],
            [(CKA_TOKEN, True), (CKA_DERIVE, True)])
        self.assert_fails(CKR_KEY_TYPE_INCONSISTENT, self.derive,
                          ECDH1_DERIVE_Mechanism(PEER_POINT), None, rsa)

    def test_an_unknown_handle_is_key_handle_invalid(self):
        handle = PyKCS11.LowLevel.CK_OBJECT_HANDLE()
        handle.assign(0x7ead0001)
        self.assert_fails(CKR_KEY_HANDLE_INVALID, self.derive,
                          ECDH1_DERIVE_Mechanism(PEER_POINT), None, handle)

    def test_bad_parameters_are_mechanism_param_invalid(self):
        for mechanism in (ECDH1_DERIVE_Mechanism(PEER_POINT[:-1]),
                          ECDH1_DERIVE_Mechanism(PEER_POINT, CKD_NULL, b"x"),
                          ECDH1_DERIVE_Mechanism(PEER_POINT,
                                                 CKD_SHA1_KDF_ASN1)):
            self.assert_fails(CKR_MECHANISM_PARAM_INVALID, self.derive,
                              mechanism)

    def test_a_point_off_the_curve_is_mechanism_param_invalid(self):
        bad = bytearray(PEER_POINT)
        bad[-1] ^= 1
        self.assert_fails(CKR_MECHANISM_PARAM_INVALID, self.derive,
                          ECDH1_DERIVE_Mechanism(bytes(bad)))

    def test_incomplete_templates_are_template_incomplete(self):
        for template in (aes_template(key_type=None),
                         aes_template(length=None)):
            self.assert_fails(CKR_TEMPLATE_INCOMPLETE, self.derive,
                              ECDH1_DERIVE_Mechanism(PEER_POINT), template)

    def test_a_public_key_class_is_template_inconsistent(self):
        template = aes_template() + [(CKA_CLASS, CKO_PUBLIC_KEY)]
        template.pop(0)
        self.assert_fails(CKR_TEMPLATE_INCONSISTENT, self.derive,
                          ECDH1_DERIVE_Mechanism(PEER_POINT), template)


if __name__ == "__main__":
    unittest.main(verbosity=2)
