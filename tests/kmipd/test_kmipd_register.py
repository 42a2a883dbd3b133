# SPDX-License-Identifier: Apache-2.0
"""Register of keys given in the transparent formats: what Get returns is
the key OpenSSL (python3-cryptography) made locally, and each malformed Key
Block is refused with its reason. Runs under integration/with_server.py
--server kmipd."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kmiptest import (BIGINT, E, T, OP, S, I, En, By, Item, Connection,
                      uid_payload)

R = E.ResultReason
F = E.KeyFormatType
SPKI = (serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo)


def big(n):
    """A Big Integer item body: two's complement, a multiple of 8 bytes."""
    length = (n.bit_length() // 8 + 1 + 7) // 8 * 8
    return n.to_bytes(length, "big")


def BI(tag, n):
    return Item(tag, BIGINT, big(n))


def key_block(fmt, material, algorithm=None, length=None, wrapped=False):
    children = [En(T.KEY_FORMAT_TYPE, fmt),
                S(T.KEY_VALUE, S(T.KEY_MATERIAL, *material))]
    if algorithm is not None:
        children.append(En(T.CRYPTOGRAPHIC_ALGORITHM, algorithm))
    if length is not None:
        children.append(I(T.CRYPTOGRAPHIC_LENGTH, length))
    if wrapped:
        children.append(S(T.KEY_WRAPPING_DATA,
                          En(T.WRAPPING_METHOD, E.WrappingMethod.ENCRYPT)))
    return S(T.KEY_BLOCK, *children)


def register(object_type, object_tag, block):
    return [En(T.OBJECT_TYPE, object_type),
            S(T.TEMPLATE_ATTRIBUTE), S(object_tag, block)]


RSA_ALG = E.CryptographicAlgorithm.RSA
PUBLIC = (E.ObjectType.PUBLIC_KEY, T.PUBLIC_KEY)


class TransparentRegister(unittest.TestCase):
    def setUp(self):
        self.conn = Connection()
        self.addCleanup(self.conn.close)

    def registered(self, payload):
        result = self.conn.one(OP.REGISTER, payload)
        self.assertTrue(result.ok, result)
        return result.uid()

    def refused(self, payload, reason):
        result = self.conn.one(OP.REGISTER, payload)
        self.assertFalse(result.ok, result)
        self.assertEqual(result.reason, reason.value, result)

    def get(self, uid, fmt):
        return self.conn.one(OP.GET, uid_payload(uid) +
                             [En(T.KEY_FORMAT_TYPE, fmt)])

    def material(self, uid, fmt, tag):
        result = self.get(uid, fmt)
        self.assertTrue(result.ok, result)
        block = result.payload.get(tag).get(T.KEY_BLOCK)
        return block.get(T.KEY_VALUE).val(T.KEY_MATERIAL)

    def test_rsa_public_numbers_give_back_the_local_key(self):
        key = rsa.generate_private_key(65537, 2048).public_key()
        numbers = key.public_numbers()
        uid = self.registered(register(*PUBLIC, key_block(
            F.TRANSPARENT_RSA_PUBLIC_KEY,
            [BI(T.MODULUS, numbers.n), BI(T.PUBLIC_EXPONENT, numbers.e)],
            RSA_ALG, 2048)))
        self.assertEqual(self.material(uid, F.X_509, T.PUBLIC_KEY),
                         key.public_bytes(*SPKI))
        got = self.material(uid, F.TRANSPARENT_RSA_PUBLIC_KEY, T.PUBLIC_KEY)
        self.assertEqual(
            [int.from_bytes(got[i].value, "big", signed=True)
             for i in range(2)], [numbers.n, numbers.e])

    def test_ec_point_gives_back_the_local_key(self):
        key = ec.generate_private_key(ec.SECP256R1()).public_key()
        point = key.public_bytes(serialization.Encoding.X962,
                                 serialization.PublicFormat.UncompressedPoint)
        uid = self.registered(register(*PUBLIC, key_block(
            F.TRANSPARENT_EC_PUBLIC_KEY,
            [En(T.RECOMMENDED_CURVE, E.RecommendedCurve.P_256),
             By(T.Q_STRING, point)], E.CryptographicAlgorithm.EC, 256)))
        self.assertEqual(self.material(uid, F.X_509, T.PUBLIC_KEY),
                         key.public_bytes(*SPKI))
        got = self.material(uid, F.TRANSPARENT_EC_PUBLIC_KEY, T.PUBLIC_KEY)
        self.assertEqual([item.value for item in got],
                         [E.RecommendedCurve.P_256.value, point])

    def test_symmetric_key_bytes_are_kept(self):
        value = bytes(range(32))
        uid = self.registered(register(
            E.ObjectType.SYMMETRIC_KEY, T.SYMMETRIC_KEY,
            key_block(F.TRANSPARENT_SYMMETRIC_KEY, [By(T.KEY, value)],
                      E.CryptographicAlgorithm.AES, 256)))
        self.assertEqual(self.material(uid, F.RAW, T.SYMMETRIC_KEY), value)
        got = self.material(uid, F.TRANSPARENT_SYMMETRIC_KEY, T.SYMMETRIC_KEY)
        self.assertEqual(got[0].value, value)
        result = self.get(uid, F.TRANSPARENT_RSA_PUBLIC_KEY)
        self.assertEqual(result.reason,
                         R.KEY_FORMAT_TYPE_NOT_SUPPORTED.value, result)

    def test_rsa_numbers_without_an_exponent_are_invalid_field(self):
        self.refused(register(*PUBLIC, key_block(
            F.TRANSPARENT_RSA_PUBLIC_KEY, [BI(T.MODULUS, 2 ** 2047 + 1)],
            RSA_ALG, 2048)), R.INVALID_FIELD)

    def test_a_format_of_another_object_type_is_not_supported(self):
        self.refused(register(
            E.ObjectType.SYMMETRIC_KEY, T.SYMMETRIC_KEY,
            key_block(F.TRANSPARENT_RSA_PUBLIC_KEY,
                      [BI(T.MODULUS, 3), BI(T.PUBLIC_EXPONENT, 3)],
                      E.CryptographicAlgorithm.AES, 256)),
            R.KEY_FORMAT_TYPE_NOT_SUPPORTED)

    def test_a_wrapped_key_is_not_unwrapped(self):
        self.refused(register(
            E.ObjectType.SYMMETRIC_KEY, T.SYMMETRIC_KEY,
            key_block(F.RAW, [], E.CryptographicAlgorithm.AES, 256,
                      wrapped=True)), R.FEATURE_NOT_SUPPORTED)

    def test_a_symmetric_key_without_algorithm_is_missing_data(self):
        self.refused(register(
            E.ObjectType.SYMMETRIC_KEY, T.SYMMETRIC_KEY,
            key_block(F.TRANSPARENT_SYMMETRIC_KEY,
                      [By(T.KEY, bytes(16))])), R.MISSING_DATA)


if __name__ == "__main__":
    unittest.main(verbosity=2)
