# SPDX-License-Identifier: Apache-2.0
"""kmipd's Derive Key over the wire: ECDH (Derivation Method Asymmetric
Key) with a registered EC private key, and X25519 / X448 with created and
registered keys, checked against the same agreement computed locally, with
and without the X9.63 KDF. Runs under integration/with_server.py --server
kmipd."""

import os
import sys
import unittest

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import E, T, OP, S, I, En, Tx, By, attr_v1, uid_payload
from kmipd_case import ServerCase, client_b

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


def register_private(key, usage, algorithm=E.CryptographicAlgorithm.EC,
                     bits=None):
    bits = key.curve.key_size if bits is None else bits
    der = key.private_bytes(serialization.Encoding.DER,
                            serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    block = S(T.KEY_BLOCK, En(T.KEY_FORMAT_TYPE, E.KeyFormatType.PKCS_8),
              S(T.KEY_VALUE, By(T.KEY_MATERIAL, der)),
              En(T.CRYPTOGRAPHIC_ALGORITHM, algorithm),
              I(T.CRYPTOGRAPHIC_LENGTH, bits))
    return [En(T.OBJECT_TYPE, E.ObjectType.PRIVATE_KEY),
            template(algorithm, bits, usage), S(T.PRIVATE_KEY, block)]


def derive_payload(uid, bits, point=PEER_POINT, hash_=None, shared=None,
                   method=E.DerivationMethod.ASYMMETRIC_KEY,
                   object_type=E.ObjectType.SYMMETRIC_KEY,
                   algorithm=E.CryptographicAlgorithm.AES):
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
        template(algorithm, bits, ENCRYPT)]


class WireTest(ServerCase):
    def call(self, operation, payload):
        return self.conn.one(operation, payload, (1, 4))

    def key_value(self, uid, object_tag=T.SYMMETRIC_KEY):
        result = self.ok(self.call(OP.GET, uid_payload(uid)))
        block = result.payload.get(object_tag).get(T.KEY_BLOCK)
        return block.get(T.KEY_VALUE).val(T.KEY_MATERIAL)


class DeriveKey(WireTest):
    def setUp(self):
        super().setUp()
        self.own = ec.generate_private_key(ec.SECP256R1())
        self.uid = self.register(self.own, DERIVE_KEY)
        self.shared = self.own.exchange(ec.ECDH(), PEER.public_key())

    def register(self, key, usage):
        uid = self.ok(self.call(OP.REGISTER,
                                register_private(key, usage))).uid()
        self.ok(self.call(OP.ACTIVATE, uid_payload(uid)))
        return uid

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
        uid = self.ok(self.call(OP.REGISTER, register_private(
            self.own, DERIVE_KEY))).uid()
        self.fails(self.call(OP.DERIVE_KEY, derive_payload(uid, 256)),
                   R.WRONG_KEY_LIFECYCLE_STATE)

    def test_another_clients_key_is_not_found(self):
        with client_b() as other:
            self.fails(other.one(OP.DERIVE_KEY, derive_payload(self.uid, 256),
                                 (1, 4)), R.ITEM_NOT_FOUND)

    def test_without_object_type_the_request_is_refused(self):
        result = self.call(OP.DERIVE_KEY,
                           derive_payload(self.uid, 256, object_type=None))
        self.assertFalse(result.ok, result)


# X25519 and X448: KMIP has no algorithm for them; kmipd names them ECDH on
# Recommended Curve CURVE25519 / CURVE448.
MONTGOMERY = (
    ("X25519", x25519.X25519PrivateKey, E.RecommendedCurve.CURVE25519, 255,
     32),
    ("X448", x448.X448PrivateKey, E.RecommendedCurve.CURVE448, 448, 56),
)
ECDH = E.CryptographicAlgorithm.ECDH
SECRET = E.CryptographicAlgorithm.HMAC_SHA256  # a secret of any length


def create_pair_payload(curve, bits):
    common = S(T.COMMON_TEMPLATE_ATTRIBUTE,
               attr_v1("Cryptographic Algorithm", En(0, ECDH)),
               attr_v1("Cryptographic Length", I(0, bits)),
               attr_v1("Cryptographic Domain Parameters",
                       S(0, En(T.RECOMMENDED_CURVE, curve))))
    private = S(T.PRIVATE_KEY_TEMPLATE_ATTRIBUTE,
                attr_v1("Cryptographic Usage Mask", I(0, DERIVE_KEY)))
    return [common, private]


def raw_public(key):
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw)


class MontgomeryDerive(WireTest):
    def create_pair(self, curve, bits):
        result = self.ok(self.call(OP.CREATE_KEY_PAIR,
                                   create_pair_payload(curve, bits)))
        priv = result.payload.val(T.PRIVATE_KEY_UNIQUE_IDENTIFIER)
        pub = result.payload.val(T.PUBLIC_KEY_UNIQUE_IDENTIFIER)
        self.ok(self.call(OP.ACTIVATE, uid_payload(priv)))
        return priv, pub

    def register(self, key, bits, usage=DERIVE_KEY):
        uid = self.ok(self.call(OP.REGISTER, register_private(
            key, usage, ECDH, bits))).uid()
        self.ok(self.call(OP.ACTIVATE, uid_payload(uid)))
        return uid

    def test_a_created_pair_agrees_with_a_local_peer(self):
        for name, cls, curve, bits, size in MONTGOMERY:
            with self.subTest(name):
                priv, pub = self.create_pair(curve, bits)
                spki = self.key_value(pub, T.PUBLIC_KEY)
                server_public = serialization.load_der_public_key(spki)
                self.assertIsInstance(server_public,
                                      type(cls.generate().public_key()))
                peer = cls.generate()
                uid = self.ok(self.call(OP.DERIVE_KEY, derive_payload(
                    priv, 8 * size, point=raw_public(peer),
                    algorithm=SECRET))).uid()
                self.assertEqual(self.key_value(uid),
                                 peer.exchange(server_public))

    def test_created_keys_are_ecdh_on_their_curve(self):
        for name, _, curve, bits, _ in MONTGOMERY:
            with self.subTest(name):
                priv, _ = self.create_pair(curve, bits)
                result = self.ok(self.call(OP.GET_ATTRIBUTES, uid_payload(
                    priv) + [Tx(T.ATTRIBUTE_NAME, "Cryptographic Algorithm"),
                             Tx(T.ATTRIBUTE_NAME, "Cryptographic Length")]))
                values = [a.val(T.ATTRIBUTE_VALUE)
                          for a in result.payload.all(T.ATTRIBUTE)]
                self.assertEqual(values, [ECDH.value, bits])

    def test_a_registered_key_agrees_with_and_without_kdf(self):
        for name, cls, _, bits, size in MONTGOMERY:
            with self.subTest(name):
                own, peer = cls.generate(), cls.generate()
                uid = self.register(own, bits)
                shared = own.exchange(peer.public_key())
                self.assertEqual(len(shared), size)
                plain = self.ok(self.call(OP.DERIVE_KEY, derive_payload(
                    uid, 8 * size, point=raw_public(peer),
                    algorithm=SECRET))).uid()
                self.assertEqual(self.key_value(plain), shared)
                kdf = self.ok(self.call(OP.DERIVE_KEY, derive_payload(
                    uid, 256, point=raw_public(peer),
                    hash_=E.HashingAlgorithm.SHA_256,
                    shared=b"context"))).uid()
                self.assertEqual(self.key_value(kdf), X963KDF(
                    hashes.SHA256(), 32, b"context").derive(shared))

    def test_a_peer_key_of_another_length_is_invalid_field(self):
        uid = self.register(x25519.X25519PrivateKey.generate(), 255)
        for point in (raw_public(x448.X448PrivateKey.generate()),
                      raw_public(x25519.X25519PrivateKey.generate())[:31],
                      PEER_POINT):
            with self.subTest(len(point)):
                self.fails(self.call(OP.DERIVE_KEY, derive_payload(
                    uid, 256, point=point)), R.INVALID_FIELD)

    def test_an_x25519_key_does_not_sign(self):
        uid = self.register(x25519.X25519PrivateKey.generate(), 255,
                            usage=DERIVE_KEY | 0x1)
        result = self.call(OP.SIGN, uid_payload(uid) + [
            By(T.DATA, b"message")])
        # KMIP 1.4 has no Incompatible Cryptographic Usage Mask.
        self.fails(result, R.PERMISSION_DENIED)
        self.assertIn("do not sign", result.message)

    def test_a_length_or_curve_not_the_curves_is_invalid_field(self):
        for curve, bits in ((E.RecommendedCurve.CURVE25519, 448),
                            (E.RecommendedCurve.P_256, 256)):
            with self.subTest(curve=curve, bits=bits):
                self.fails(self.call(OP.CREATE_KEY_PAIR,
                                     create_pair_payload(curve, bits)),
                           R.INVALID_FIELD)


if __name__ == "__main__":
    unittest.main(verbosity=2)
