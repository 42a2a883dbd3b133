# SPDX-License-Identifier: Apache-2.0
"""kmipd's Derive Key over the wire: ECDH (Derivation Method Asymmetric
Key) with a registered EC private key, checked against the same agreement
computed locally, with and without the X9.63 KDF. Runs under
integration/with_server.py --server kmipd."""

import os
import sys
import unittest

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import (E, T, OP, S, I, En, Tx, By, Connection, attr_v1,
                      uid_payload)

R = E.ResultReason
DERIVE_KEY, KEY_AGREEMENT, ENCRYPT = 0x200, 0x800, 0x4
PEER = ec.generate_private_key(ec.SECP256R1())
PEER_POINT = PEER.public_key().public_bytes(
    serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def template(algorithm, length, usage):
    return S(T.TEMPLATE_ATTRIBUTE,
             attr_v1("Cryptographic Algorithm", En(0, algorithm)),
             attr_v1("Cryptographic Length", I(0, length)),
             attr_v1("Cryptographic Usage Mask", I(0, usage)))


def register_ec_private(key, usage):
    der = key.private_bytes(serialization.Encoding.DER,
                            serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    block = S(T.KEY_BLOCK, En(T.KEY_FORMAT_TYPE, E.KeyFormatType.PKCS_8),
              S(T.KEY_VALUE, By(T.KEY_MATERIAL, der)),
              En(T.CRYPTOGRAPHIC_ALGORITHM, E.CryptographicAlgorithm.EC),
              I(T.CRYPTOGRAPHIC_LENGTH, key.curve.key_size))
    return [En(T.OBJECT_TYPE, E.ObjectType.PRIVATE_KEY),
            template(E.CryptographicAlgorithm.EC, key.curve.key_size, usage),
            S(T.PRIVATE_KEY, block)]


def derive_payload(uid, bits, point=PEER_POINT, hash_=None, shared=None,
                   method=E.DerivationMethod.ASYMMETRIC_KEY,
                   object_type=E.ObjectType.SYMMETRIC_KEY):
    params = []
    if hash_ is not None:
        params.append(S(T.CRYPTOGRAPHIC_PARAMETERS,
                        En(T.HASHING_ALGORITHM, hash_)))
    if point is not None:
        params.append(By(T.DERIVATION_DATA, point))
    if shared is not None:
        params.append(By(T.SALT, shared))
    head = [] if object_type is None else [En(T.OBJECT_TYPE, object_type)]
    return head + uid_payload(uid) + [
        En(T.DERIVATION_METHOD, method), S(T.DERIVATION_PARAMETERS, *params),
        template(E.CryptographicAlgorithm.AES, bits, ENCRYPT)]


class DeriveKey(unittest.TestCase):
    def setUp(self):
        self.conn = Connection()
        self.own = ec.generate_private_key(ec.SECP256R1())
        self.uid = self.register(self.own, DERIVE_KEY)
        self.shared = self.own.exchange(ec.ECDH(), PEER.public_key())

    def tearDown(self):
        self.conn.close()

    def call(self, operation, payload):
        return self.conn.one(operation, payload, (1, 4))

    def ok(self, result):
        self.assertTrue(result.ok, result)
        return result

    def fails(self, result, reason):
        self.assertFalse(result.ok, result)
        self.assertEqual(result.reason, reason.value, result)

    def register(self, key, usage):
        uid = self.ok(self.call(OP.REGISTER,
                                register_ec_private(key, usage))).uid()
        self.ok(self.call(OP.ACTIVATE, uid_payload(uid)))
        return uid

    def key_value(self, uid):
        result = self.ok(self.call(OP.GET, uid_payload(uid)))
        block = result.payload.get(T.SYMMETRIC_KEY).get(T.KEY_BLOCK)
        return block.get(T.KEY_VALUE).val(T.KEY_MATERIAL)

    def test_without_kdf_the_key_is_the_shared_secret(self):
        uid = self.ok(self.call(OP.DERIVE_KEY,
                                derive_payload(self.uid, 256))).uid()
        self.assertNotEqual(uid, self.uid)
        self.assertEqual(self.key_value(uid), self.shared)

    def test_a_shorter_key_without_kdf_takes_the_last_bytes(self):
        uid = self.ok(self.call(OP.DERIVE_KEY,
                                derive_payload(self.uid, 128))).uid()
        self.assertEqual(self.key_value(uid), self.shared[-16:])

    def test_x963_kdf_with_shared_info_matches_a_local_derivation(self):
        for hash_, local in ((E.HashingAlgorithm.SHA_256, hashes.SHA256()),
                             (E.HashingAlgorithm.SHA_1, hashes.SHA1())):
            uid = self.ok(self.call(OP.DERIVE_KEY, derive_payload(
                self.uid, 256, hash_=hash_, shared=b"context"))).uid()
            want = X963KDF(local, 32, b"context").derive(self.shared)
            self.assertEqual(self.key_value(uid), want)

    def test_the_derived_key_links_to_its_base_key(self):
        uid = self.ok(self.call(OP.DERIVE_KEY,
                                derive_payload(self.uid, 256))).uid()
        result = self.ok(self.call(OP.GET_ATTRIBUTES, uid_payload(uid) + [
            Tx(T.ATTRIBUTE_NAME, "Link")]))
        link = result.payload.get(T.ATTRIBUTE).get(T.ATTRIBUTE_VALUE)
        self.assertEqual(link.val(T.LINKED_OBJECT_IDENTIFIER), self.uid)

    def test_key_agreement_usage_also_allows_derivation(self):
        uid = self.register(self.own, KEY_AGREEMENT)
        self.ok(self.call(OP.DERIVE_KEY, derive_payload(uid, 256)))

    def test_a_key_without_derive_usage_is_refused(self):
        uid = self.register(self.own, 0x1)
        self.fails(self.call(OP.DERIVE_KEY, derive_payload(uid, 256)),
                   R.PERMISSION_DENIED)

    def test_a_point_off_the_curve_is_invalid_field(self):
        bad = bytearray(PEER_POINT)
        bad[-1] ^= 1
        self.fails(self.call(OP.DERIVE_KEY,
                             derive_payload(self.uid, 256, point=bytes(bad))),
                   R.INVALID_FIELD)

    def test_a_point_of_another_curve_is_invalid_field(self):
        other = ec.generate_private_key(ec.SECP384R1()).public_key()
        point = other.public_bytes(
            serialization.Encoding.X962,
            serialization.PublicFormat.UncompressedPoint)
        self.fails(self.call(OP.DERIVE_KEY,
                             derive_payload(self.uid, 256, point=point)),
                   R.INVALID_FIELD)

    def test_no_derivation_data_is_missing_data(self):
        self.fails(self.call(OP.DERIVE_KEY,
                             derive_payload(self.uid, 256, point=None)),
                   R.MISSING_DATA)

    def test_longer_than_the_secret_without_kdf_is_invalid_field(self):
        self.fails(self.call(OP.DERIVE_KEY, derive_payload(self.uid, 512)),
                   R.INVALID_FIELD)

    def test_an_aes_length_of_136_bits_is_invalid_field(self):
        self.fails(self.call(OP.DERIVE_KEY, derive_payload(
            self.uid, 136, hash_=E.HashingAlgorithm.SHA_256)),
                   R.INVALID_FIELD)

    def test_shared_info_without_kdf_is_invalid_field(self):
        self.fails(self.call(OP.DERIVE_KEY, derive_payload(
            self.uid, 256, shared=b"x")), R.INVALID_FIELD)

    def test_other_derivation_methods_are_not_supported(self):
        self.fails(self.call(OP.DERIVE_KEY, derive_payload(
            self.uid, 256, method=E.DerivationMethod.HASH)),
                   R.FEATURE_NOT_SUPPORTED)

    def test_a_symmetric_base_key_is_an_illegal_operation_in_1_4(self):
        aes = self.ok(self.call(OP.CREATE, [
            En(T.OBJECT_TYPE, E.ObjectType.SYMMETRIC_KEY),
            template(E.CryptographicAlgorithm.AES, 256, DERIVE_KEY)])).uid()
        self.ok(self.call(OP.ACTIVATE, uid_payload(aes)))
        self.fails(self.call(OP.DERIVE_KEY, derive_payload(aes, 256)),
                   R.ILLEGAL_OPERATION)

    def test_a_pre_active_base_key_is_wrong_state(self):
        uid = self.ok(self.call(OP.REGISTER, register_ec_private(
            self.own, DERIVE_KEY))).uid()
        self.fails(self.call(OP.DERIVE_KEY, derive_payload(uid, 256)),
                   R.WRONG_KEY_LIFECYCLE_STATE)

    def test_another_clients_key_is_not_found(self):
        other = Connection(cert=os.environ["P11KMIP_TEST_CERT_B"],
                           key=os.environ["P11KMIP_TEST_KEY_B"])
        try:
            self.fails(other.one(OP.DERIVE_KEY, derive_payload(self.uid, 256),
                                 (1, 4)), R.ITEM_NOT_FOUND)
        finally:
            other.close()

    def test_without_object_type_the_request_is_refused(self):
        result = self.call(OP.DERIVE_KEY,
                           derive_payload(self.uid, 256, object_type=None))
        self.assertFalse(result.ok, result)


if __name__ == "__main__":
    unittest.main(verbosity=2)
