# SPDX-License-Identifier: Apache-2.0
"""Get with a Key Wrapping Specification: kmipd wraps a key with AES Key
Wrap (RFC 3394) and AES Key Wrap with Padding (RFC 5649) under another of
its keys, and python3-cryptography (OpenSSL) unwraps the bytes locally to
the key that was registered. Runs under integration/with_server.py
--server kmipd."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cryptography.hazmat.primitives.keywrap import (aes_key_unwrap,
                                                    aes_key_unwrap_with_padding)

from kmiptest import (E, T, OP, S, I, En, B, By, Tx, Connection, attr_v1,
                      uid_payload)

R = E.ResultReason
AES = E.CryptographicAlgorithm.AES
WRAP = 0x10
ENCRYPT = 0x04
KW = E.BlockCipherMode.NIST_KEY_WRAP
KWP = E.BlockCipherMode.AES_KEY_WRAP_PADDING


def register_aes(conn, key, usage, extra=()):
    attrs = [attr_v1("Cryptographic Algorithm", En(0, AES)),
             attr_v1("Cryptographic Length", I(0, len(key) * 8)),
             attr_v1("Cryptographic Usage Mask", I(0, usage))]
    attrs.extend(extra)
    block = S(T.KEY_BLOCK, En(T.KEY_FORMAT_TYPE, E.KeyFormatType.RAW),
              S(T.KEY_VALUE, By(T.KEY_MATERIAL, key)),
              En(T.CRYPTOGRAPHIC_ALGORITHM, AES),
              I(T.CRYPTOGRAPHIC_LENGTH, len(key) * 8))
    result = conn.one(OP.REGISTER,
                      [En(T.OBJECT_TYPE, E.ObjectType.SYMMETRIC_KEY),
                       S(T.TEMPLATE_ATTRIBUTE, *attrs),
                       S(T.SYMMETRIC_KEY, block)])
    assert result.ok, result
    uid = result.uid()
    assert conn.one(OP.ACTIVATE, uid_payload(uid)).ok
    return uid


def wrap_spec(wrapping_uid, mode=None, method=E.WrappingMethod.ENCRYPT):
    info = [Tx(T.UNIQUE_IDENTIFIER, wrapping_uid)]
    if mode is not None:
        info.append(S(T.CRYPTOGRAPHIC_PARAMETERS,
                      En(T.BLOCK_CIPHER_MODE, mode)))
    return S(T.KEY_WRAPPING_SPECIFICATION, En(T.WRAPPING_METHOD, method),
             S(T.ENCRYPTION_KEY_INFORMATION, *info))


class GetWrapped(unittest.TestCase):
    def setUp(self):
        self.conn = Connection()
        self.addCleanup(self.conn.close)
        self.kek = os.urandom(32)
        self.kek_uid = register_aes(self.conn, self.kek, WRAP | ENCRYPT)

    def get(self, uid, spec):
        return self.conn.one(OP.GET, uid_payload(uid) + [spec])

    def wrapped_block(self, result):
        self.assertTrue(result.ok, result)
        block = result.payload.get(T.SYMMETRIC_KEY).get(T.KEY_BLOCK)
        data = block.get(T.KEY_WRAPPING_DATA)
        self.assertEqual(data.val(T.WRAPPING_METHOD),
                         E.WrappingMethod.ENCRYPT.value)
        self.assertEqual(data.get(T.ENCRYPTION_KEY_INFORMATION)
                         .val(T.UNIQUE_IDENTIFIER), self.kek_uid)
        return block.val(T.KEY_VALUE)

    def test_aes_key_wrap_unwraps_locally_to_the_key(self):
        key = os.urandom(16)
        uid = register_aes(self.conn, key, ENCRYPT)
        wrapped = self.wrapped_block(self.get(uid, wrap_spec(self.kek_uid, KW)))
        self.assertEqual(len(wrapped), 24)
        self.assertEqual(aes_key_unwrap(self.kek, wrapped), key)

    def test_without_parameters_the_mode_is_nist_key_wrap(self):
        key = os.urandom(32)
        uid = register_aes(self.conn, key, ENCRYPT)
        wrapped = self.wrapped_block(self.get(uid, wrap_spec(self.kek_uid)))
        self.assertEqual(aes_key_unwrap(self.kek, wrapped), key)

    def test_aes_key_wrap_with_padding_unwraps_locally(self):
        key = os.urandom(24)
        uid = register_aes(self.conn, key, ENCRYPT)
        wrapped = self.wrapped_block(self.get(uid, wrap_spec(self.kek_uid, KWP)))
        self.assertEqual(aes_key_unwrap_with_padding(self.kek, wrapped), key)

    def test_a_sensitive_extractable_key_leaves_only_wrapped(self):
        key = os.urandom(16)
        uid = register_aes(self.conn, key, ENCRYPT,
                           [attr_v1("Sensitive", B(0, True))])
        plain = self.conn.one(OP.GET, uid_payload(uid))
        self.assertFalse(plain.ok, plain)
        wrapped = self.wrapped_block(self.get(uid, wrap_spec(self.kek_uid, KW)))
        self.assertEqual(aes_key_unwrap(self.kek, wrapped), key)

    def test_a_key_not_extractable_is_not_wrapped(self):
        uid = register_aes(self.conn, os.urandom(16), ENCRYPT,
                           [attr_v1("Extractable", B(0, False))])
        result = self.get(uid, wrap_spec(self.kek_uid, KW))
        self.assertFalse(result.ok, result)
        self.assertEqual(result.reason, R.NOT_EXTRACTABLE.value)

    def test_a_wrapping_key_without_wrap_key_usage_is_refused(self):
        other = register_aes(self.conn, os.urandom(32), ENCRYPT)
        uid = register_aes(self.conn, os.urandom(16), ENCRYPT)
        result = self.get(uid, wrap_spec(other, KW))
        self.assertFalse(result.ok, result)
        self.assertEqual(result.reason, R.PERMISSION_DENIED.value)

    def test_an_unknown_wrapping_key_and_method_are_refused(self):
        uid = register_aes(self.conn, os.urandom(16), ENCRYPT)
        result = self.get(uid, wrap_spec("no-such-key", KW))
        self.assertEqual(result.reason, R.ITEM_NOT_FOUND.value)
        result = self.get(uid, wrap_spec(self.kek_uid, KW,
                                         E.WrappingMethod.MAC_SIGN))
        self.assertEqual(result.reason, R.FEATURE_NOT_SUPPORTED.value)

    def test_a_mode_other_than_key_wrap_is_refused(self):
        uid = register_aes(self.conn, os.urandom(16), ENCRYPT)
        result = self.get(uid, wrap_spec(self.kek_uid, E.BlockCipherMode.CBC))
        self.assertFalse(result.ok, result)
        self.assertEqual(result.reason, R.CRYPTOGRAPHIC_FAILURE.value)


if __name__ == "__main__":
    unittest.main()
