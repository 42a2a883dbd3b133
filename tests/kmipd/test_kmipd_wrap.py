# SPDX-License-Identifier: Apache-2.0
"""Get with a Key Wrapping Specification: kmipd wraps a key with AES Key
Wrap (RFC 3394) and AES Key Wrap with Padding (RFC 5649) under another of
its keys, and python3-cryptography (OpenSSL) unwraps the bytes locally to
the key that was registered. Register with Key Wrapping Data: kmipd
unwraps a key wrapped locally, and encrypts with it as OpenSSL does. The
same with RSA OAEP: wrapped under an RSA public key (its hash, MGF1 hash
and label from the Cryptographic Parameters), unwrapped under the private
key. A specification kmipd does not serve (a TTLV Encoding Option, a
transparent format, no wrapping key identifier, Cryptographic Parameters
that do not parse) is refused. Private keys (RSA, EC, Ed25519) are wrapped as their PKCS#8 and
registered from a wrapped PKCS#8 (also one padded with zeros to whole
blocks, as SoftHSM2 wraps it), with hostile blobs refused; a private
key's public half is got as X.509 even when it is Sensitive; Ed448, X25519
and X448 ones registered from a wrapped PKCS#8 only as what they are (a
declared algorithm or Recommended Curve of another key is refused). Runs under
integration/with_server.py --server kmipd."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import (ec, ed448, ed25519,
                                                       padding, rsa, x448,
                                                       x25519)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.keywrap import (aes_key_unwrap,
                                                    aes_key_unwrap_with_padding,
                                                    aes_key_wrap,
                                                    aes_key_wrap_with_padding)

from kmiptest import (E, T, OP, S, I, En, B, By, Tx, Connection, attr_v1,
                      uid_payload)

R = E.ResultReason
AES = E.CryptographicAlgorithm.AES
WRAP = 0x10
UNWRAP = 0x20
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


def wrap_spec(wrapping_uid, mode=None, method=E.WrappingMethod.ENCRYPT,
              tag=T.KEY_WRAPPING_SPECIFICATION, params=None):
    info = [Tx(T.UNIQUE_IDENTIFIER, wrapping_uid)]
    if mode is not None:
        params = [En(T.BLOCK_CIPHER_MODE, mode)]
    if params is not None:
        info.append(S(T.CRYPTOGRAPHIC_PARAMETERS, *params))
    return S(tag, En(T.WRAPPING_METHOD, method),
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

    def test_only_the_bytes_of_a_key_are_wrapped(self):
        """Encoding Option No Encoding only, and a byte string format:
        a TTLV encoding or a transparent key is refused."""
        uid = register_aes(self.conn, os.urandom(16), ENCRYPT)
        for encoding, reason in (
                (E.EncodingOption.NO_ENCODING, None),
                (E.EncodingOption.TTLV_ENCODING, R.ENCODING_OPTION_ERROR)):
            spec = wrap_spec(self.kek_uid, KW)
            spec.value.append(En(T.ENCODING_OPTION, encoding))
            result = self.get(uid, spec)
            self.assertEqual(result.reason, reason and reason.value, result)
        result = self.conn.one(OP.GET, uid_payload(uid) + [
            En(T.KEY_FORMAT_TYPE, E.KeyFormatType.TRANSPARENT_SYMMETRIC_KEY),
            wrap_spec(self.kek_uid, KW)])
        self.assertEqual(result.reason, R.KEY_FORMAT_TYPE_NOT_SUPPORTED.value,
                         result)

    def test_a_spec_without_a_wrapping_key_identifier_is_invalid(self):
        uid = register_aes(self.conn, os.urandom(16), ENCRYPT)
        spec = S(T.KEY_WRAPPING_SPECIFICATION,
                 En(T.WRAPPING_METHOD, E.WrappingMethod.ENCRYPT),
                 S(T.ENCRYPTION_KEY_INFORMATION,
                   S(T.CRYPTOGRAPHIC_PARAMETERS, En(T.BLOCK_CIPHER_MODE, KW))))
        result = self.get(uid, spec)
        self.assertEqual(result.reason, R.INVALID_FIELD.value, result)


class RegisterWrapped(unittest.TestCase):
    def setUp(self):
        self.conn = Connection()
        self.addCleanup(self.conn.close)
        self.kek = os.urandom(32)
        self.kek_uid = register_aes(self.conn, self.kek, UNWRAP | ENCRYPT)

    def register(self, wrapped, length, mode, kek_uid=None):
        data = wrap_spec(kek_uid or self.kek_uid, mode,
                         tag=T.KEY_WRAPPING_DATA)
        return register_wrapped(self.conn, wrapped, length, data)

    def encrypts_as(self, uid, key):
        data = os.urandom(32)
        result = self.conn.one(OP.ENCRYPT, uid_payload(uid) + [
            S(T.CRYPTOGRAPHIC_PARAMETERS,
              En(T.BLOCK_CIPHER_MODE, E.BlockCipherMode.ECB)),
            By(T.DATA, data)])
        self.assertTrue(result.ok, result)
        local = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
        self.assertEqual(result.payload.val(T.DATA), local.update(data))

    def test_a_key_wrapped_locally_unwraps_on_the_server(self):
        key = os.urandom(16)
        uid = self.register(aes_key_wrap(self.kek, key), 128, KW)
        self.encrypts_as(uid, key)

    def test_a_key_wrapped_with_padding_unwraps_on_the_server(self):
        key = os.urandom(24)
        uid = self.register(aes_key_wrap_with_padding(self.kek, key), 192, KWP)
        self.encrypts_as(uid, key)

    def test_a_wrapped_key_that_does_not_unwrap_is_refused(self):
        wrapped = bytearray(aes_key_wrap(self.kek, os.urandom(16)))
        wrapped[3] ^= 1
        result = self.register(bytes(wrapped), 128, KW)
        self.assertEqual(result.reason, R.CRYPTOGRAPHIC_FAILURE.value)

    def test_an_unwrapping_key_without_unwrap_key_usage_is_refused(self):
        other = os.urandom(32)
        other_uid = register_aes(self.conn, other, ENCRYPT)
        result = self.register(aes_key_wrap(other, os.urandom(16)), 128, KW,
                               other_uid)
        self.assertEqual(result.reason, R.PERMISSION_DENIED.value)


def register_wrapped(conn, wrapped, length, data):
    """Registers an AES key of length bits given wrapped; its uid once
    activated, or the failed result."""
    block = S(T.KEY_BLOCK, En(T.KEY_FORMAT_TYPE, E.KeyFormatType.RAW),
              By(T.KEY_VALUE, wrapped),
              En(T.CRYPTOGRAPHIC_ALGORITHM, AES),
              I(T.CRYPTOGRAPHIC_LENGTH, length), data)
    attrs = [attr_v1("Cryptographic Algorithm", En(0, AES)),
             attr_v1("Cryptographic Length", I(0, length)),
             attr_v1("Cryptographic Usage Mask", I(0, ENCRYPT))]
    result = conn.one(OP.REGISTER,
                      [En(T.OBJECT_TYPE, E.ObjectType.SYMMETRIC_KEY),
                       S(T.TEMPLATE_ATTRIBUTE, *attrs),
                       S(T.SYMMETRIC_KEY, block)])
    if not result.ok:
        return result
    assert conn.one(OP.ACTIVATE, uid_payload(result.uid())).ok
    return result.uid()


RSA = E.CryptographicAlgorithm.RSA
H = E.HashingAlgorithm
LOCAL_HASH = {H.SHA_1: hashes.SHA1, H.SHA_256: hashes.SHA256,
              H.SHA_384: hashes.SHA384}


def oaep_params(hash_alg, mgf_hash, label=b""):
    params = [En(T.CRYPTOGRAPHIC_ALGORITHM, RSA),
              En(T.PADDING_METHOD, E.PaddingMethod.OAEP),
              En(T.HASHING_ALGORITHM, hash_alg),
              En(T.MASK_GENERATOR, E.MaskGenerator.MGF1),
              En(T.MASK_GENERATOR_HASHING_ALGORITHM, mgf_hash)]
    if label:
        params.append(By(T.P_SOURCE, label))
    return params


def local_oaep(hash_alg, mgf_hash, label=b""):
    return padding.OAEP(mgf=padding.MGF1(LOCAL_HASH[mgf_hash]()),
                        algorithm=LOCAL_HASH[hash_alg](),
                        label=label or None)


def register_rsa(conn, key, usage, private):
    if private:
        der = key.private_bytes(serialization.Encoding.DER,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        fmt, otype, tag = (E.KeyFormatType.PKCS_8,
                           E.ObjectType.PRIVATE_KEY, T.PRIVATE_KEY)
    else:
        der = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
        fmt, otype, tag = (E.KeyFormatType.PKCS_1,
                           E.ObjectType.PUBLIC_KEY, T.PUBLIC_KEY)
    attrs = [attr_v1("Cryptographic Algorithm", En(0, RSA)),
             attr_v1("Cryptographic Length", I(0, key.key_size)),
             attr_v1("Cryptographic Usage Mask", I(0, usage))]
    block = S(T.KEY_BLOCK, En(T.KEY_FORMAT_TYPE, fmt),
              S(T.KEY_VALUE, By(T.KEY_MATERIAL, der)),
              En(T.CRYPTOGRAPHIC_ALGORITHM, RSA),
              I(T.CRYPTOGRAPHIC_LENGTH, key.key_size))
    result = conn.one(OP.REGISTER, [En(T.OBJECT_TYPE, otype),
                                    S(T.TEMPLATE_ATTRIBUTE, *attrs),
                                    S(tag, block)])
    assert result.ok, result
    uid = result.uid()
    assert conn.one(OP.ACTIVATE, uid_payload(uid)).ok
    return uid


class RsaOaep(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rsa = rsa.generate_private_key(public_exponent=65537,
                                           key_size=2048)

    def setUp(self):
        self.conn = Connection()
        self.addCleanup(self.conn.close)

    def wrapped(self, key, hash_alg, mgf_hash, label=b""):
        wrapping = register_rsa(self.conn, self.rsa, WRAP, private=False)
        uid = register_aes(self.conn, key, ENCRYPT)
        spec = wrap_spec(wrapping, params=oaep_params(hash_alg, mgf_hash,
                                                      label))
        return self.conn.one(OP.GET, uid_payload(uid) + [spec])

    def test_a_key_wrapped_under_a_public_key_decrypts_locally(self):
        key = os.urandom(32)
        for hash_alg, mgf_hash, label in ((H.SHA_1, H.SHA_1, b""),
                                          (H.SHA_256, H.SHA_1, b"label"),
                                          (H.SHA_384, H.SHA_256, b"")):
            result = self.wrapped(key, hash_alg, mgf_hash, label)
            self.assertTrue(result.ok, result)
            block = result.payload.get(T.SYMMETRIC_KEY).get(T.KEY_BLOCK)
            wrapped = block.val(T.KEY_VALUE)
            self.assertEqual(len(wrapped), 256)
            self.assertEqual(self.rsa.decrypt(
                wrapped, local_oaep(hash_alg, mgf_hash, label)), key)

    def test_a_padding_other_than_oaep_is_refused(self):
        wrapping = register_rsa(self.conn, self.rsa, WRAP, private=False)
        uid = register_aes(self.conn, os.urandom(16), ENCRYPT)
        spec = wrap_spec(wrapping, params=[
            En(T.PADDING_METHOD, E.PaddingMethod.PKCS1v15)])
        result = self.conn.one(OP.GET, uid_payload(uid) + [spec])
        self.assertEqual(result.reason, R.CRYPTOGRAPHIC_FAILURE.value)

    def test_cryptographic_parameters_that_do_not_parse_are_invalid(self):
        wrapping = register_rsa(self.conn, self.rsa, WRAP, private=False)
        uid = register_aes(self.conn, os.urandom(16), ENCRYPT)
        bad = oaep_params(H.SHA_256, H.SHA_256)
        bad[2] = I(T.HASHING_ALGORITHM, H.SHA_256.value)  # not an enum
        result = self.conn.one(OP.GET, uid_payload(uid) + [
            wrap_spec(wrapping, params=bad)])
        self.assertEqual(result.reason, R.INVALID_FIELD.value, result)

    def test_a_private_key_does_not_wrap(self):
        wrapping = register_rsa(self.conn, self.rsa, WRAP, private=True)
        uid = register_aes(self.conn, os.urandom(16), ENCRYPT)
        spec = wrap_spec(wrapping, params=oaep_params(H.SHA_1, H.SHA_1))
        result = self.conn.one(OP.GET, uid_payload(uid) + [spec])
        self.assertEqual(result.reason, R.CRYPTOGRAPHIC_FAILURE.value)

    def unwrap(self, wrapped, usage, hash_alg, mgf_hash, label=b""):
        unwrapping = register_rsa(self.conn, self.rsa, usage, private=True)
        data = wrap_spec(unwrapping, tag=T.KEY_WRAPPING_DATA,
                         params=oaep_params(hash_alg, mgf_hash, label))
        return register_wrapped(self.conn, wrapped, 128, data)

    def test_a_key_wrapped_locally_unwraps_under_the_private_key(self):
        key = os.urandom(16)
        wrapped = self.rsa.public_key().encrypt(
            key, local_oaep(H.SHA_256, H.SHA_256, b"ctx"))
        uid = self.unwrap(wrapped, UNWRAP, H.SHA_256, H.SHA_256, b"ctx")
        RegisterWrapped.encrypts_as(self, uid, key)

    def test_a_wrong_label_does_not_unwrap(self):
        wrapped = self.rsa.public_key().encrypt(
            os.urandom(16), local_oaep(H.SHA_256, H.SHA_256, b"ctx"))
        result = self.unwrap(wrapped, UNWRAP, H.SHA_256, H.SHA_256, b"other")
        self.assertEqual(result.reason, R.CRYPTOGRAPHIC_FAILURE.value)

    def test_a_private_key_without_unwrap_key_usage_is_refused(self):
        wrapped = self.rsa.public_key().encrypt(
            os.urandom(16), local_oaep(H.SHA_1, H.SHA_1))
        result = self.unwrap(wrapped, ENCRYPT, H.SHA_1, H.SHA_1)
        self.assertEqual(result.reason, R.PERMISSION_DENIED.value)


PKCS8 = (serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
         serialization.NoEncryption())
SPKI = (serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo)
ALGORITHMS = ((rsa.RSAPrivateKey, RSA, 2048),
              (ec.EllipticCurvePrivateKey, E.CryptographicAlgorithm.EC, 256),
              (ed25519.Ed25519PrivateKey, E.CryptographicAlgorithm.ED25519,
               255),
              (ed448.Ed448PrivateKey, E.CryptographicAlgorithm.ED448, 448),
              (x25519.X25519PrivateKey, E.CryptographicAlgorithm.ECDH, 255),
              (x448.X448PrivateKey, E.CryptographicAlgorithm.ECDH, 448))


def private_block(value, algorithm, length, data=None):
    """A PKCS#8 private key's Key Block: value plain, or wrapped (data the
    Key Wrapping Data)."""
    block = [En(T.KEY_FORMAT_TYPE, E.KeyFormatType.PKCS_8),
             By(T.KEY_VALUE, value) if data else
             S(T.KEY_VALUE, By(T.KEY_MATERIAL, value)),
             En(T.CRYPTOGRAPHIC_ALGORITHM, algorithm),
             I(T.CRYPTOGRAPHIC_LENGTH, length)]
    return S(T.PRIVATE_KEY, S(T.KEY_BLOCK, *block, *([data] if data else [])))


def register_private(conn, key, extra=(), data=None, value=None,
                     algorithm=None):
    """Registers key (a cryptography private key) as PKCS#8, given plain or
    wrapped (value, under data), declared as algorithm (default: its own);
    the result, activated when it succeeded."""
    kind, own, length = next(a for a in ALGORITHMS if isinstance(key, a[0]))
    algorithm = algorithm or own
    attrs = [attr_v1("Cryptographic Algorithm", En(0, algorithm)),
             attr_v1("Cryptographic Usage Mask", I(0, 0x01))] + list(extra)
    result = conn.one(OP.REGISTER, [
        En(T.OBJECT_TYPE, E.ObjectType.PRIVATE_KEY),
        S(T.TEMPLATE_ATTRIBUTE, *attrs),
        private_block(value or key.private_bytes(*PKCS8), algorithm, length,
                      data)])
    if result.ok:
        assert conn.one(OP.ACTIVATE, uid_payload(result.uid())).ok
    return result


class PrivateKeys(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = [rsa.generate_private_key(public_exponent=65537,
                                             key_size=2048),
                    ec.generate_private_key(ec.SECP256R1()),
                    ed25519.Ed25519PrivateKey.generate()]

    def setUp(self):
        self.conn = Connection()
        self.addCleanup(self.conn.close)
        self.kek = os.urandom(32)
        self.kek_uid = register_aes(self.conn, self.kek,
                                    WRAP | UNWRAP | ENCRYPT)

    def get(self, uid, fmt, spec=None):
        return self.conn.one(OP.GET, uid_payload(uid) + [
            En(T.KEY_FORMAT_TYPE, fmt)] + ([spec] if spec else []))

    def public_half(self, uid):
        result = self.get(uid, E.KeyFormatType.X_509)
        self.assertTrue(result.ok, result)
        block = result.payload.get(T.PRIVATE_KEY).get(T.KEY_BLOCK)
        return block.get(T.KEY_VALUE).val(T.KEY_MATERIAL)

    def test_a_private_key_wraps_as_its_pkcs8(self):
        for key in self.keys:
            uid = register_private(self.conn, key, [
                attr_v1("Sensitive", B(0, True))]).uid()
            result = self.get(uid, E.KeyFormatType.PKCS_8,
                              wrap_spec(self.kek_uid, KWP))
            self.assertTrue(result.ok, result)
            block = result.payload.get(T.PRIVATE_KEY).get(T.KEY_BLOCK)
            self.assertEqual(block.val(T.KEY_FORMAT_TYPE),
                             E.KeyFormatType.PKCS_8.value)
            plain = aes_key_unwrap_with_padding(self.kek,
                                                block.val(T.KEY_VALUE))
            inside = serialization.load_der_private_key(plain, None)
            self.assertEqual(inside.private_bytes(*PKCS8),
                             key.private_bytes(*PKCS8))

    def test_a_sensitive_private_keys_public_half_is_got_as_x509(self):
        for key in self.keys:
            uid = register_private(self.conn, key, [
                attr_v1("Sensitive", B(0, True))]).uid()
            self.assertEqual(self.public_half(uid),
                             key.public_key().public_bytes(*SPKI))
            result = self.get(uid, E.KeyFormatType.PKCS_8)
            self.assertEqual(result.reason, R.SENSITIVE.value)

    def test_a_pkcs8_that_is_no_multiple_of_8_does_not_wrap_unpadded(self):
        uid = register_private(self.conn, self.keys[1]).uid()
        result = self.get(uid, E.KeyFormatType.PKCS_8,
                          wrap_spec(self.kek_uid, KW))
        self.assertEqual(result.reason, R.CRYPTOGRAPHIC_FAILURE.value)

    def unwrap_data(self, mode=KWP):
        return wrap_spec(self.kek_uid, mode, tag=T.KEY_WRAPPING_DATA)

    def test_a_pkcs8_wrapped_locally_registers_as_the_key(self):
        for key in self.keys:
            wrapped = aes_key_wrap_with_padding(self.kek,
                                                key.private_bytes(*PKCS8))
            result = register_private(self.conn, key, data=self.unwrap_data(),
                                      value=wrapped)
            self.assertTrue(result.ok, result)
            self.assertEqual(self.public_half(result.uid()),
                             key.public_key().public_bytes(*SPKI))

    def test_a_pkcs8_padded_with_zeros_to_whole_blocks_registers(self):
        """As SoftHSM2 wraps a PKCS#8 with RFC 3394: fewer than 8 zeros
        are padding; more, or another byte, are not."""
        key = self.keys[1]
        der = key.private_bytes(*PKCS8)
        pad = -len(der) % 8
        self.assertTrue(pad > 0)
        for tail, ok in ((bytes(pad), True), (bytes(pad + 8), False),
                         (bytes(pad - 1) + b"\1", False)):
            result = register_private(
                self.conn, key, data=self.unwrap_data(KW),
                value=aes_key_wrap(self.kek, der + tail))
            self.assertEqual(result.ok, ok, result)
            if ok:
                self.assertEqual(self.public_half(result.uid()),
                                 key.public_key().public_bytes(*SPKI))
            else:
                self.assertEqual(result.reason, R.INVALID_FIELD.value)

    def test_hostile_wrapped_private_keys_are_refused(self):
        rsa_key, ec_key = self.keys[0], self.keys[1]
        wrapped = aes_key_wrap_with_padding(self.kek,
                                            rsa_key.private_bytes(*PKCS8))
        not_der = aes_key_wrap_with_padding(self.kek, bytes(40))
        for value, algorithm, reason in (
                (wrapped[:len(wrapped) // 2], None, R.CRYPTOGRAPHIC_FAILURE),
                (wrapped[:8], None, R.CRYPTOGRAPHIC_FAILURE),
                (wrapped, E.CryptographicAlgorithm.EC, R.INVALID_FIELD),
                (not_der, None, R.INVALID_FIELD)):
            result = register_private(self.conn, rsa_key,
                                      data=self.unwrap_data(), value=value,
                                      algorithm=algorithm)
            self.assertEqual(result.reason, reason.value, result)
        ec_wrapped = aes_key_wrap_with_padding(self.kek,
                                               ec_key.private_bytes(*PKCS8))
        result = register_private(self.conn, rsa_key, data=self.unwrap_data(),
                                  value=ec_wrapped)
        self.assertEqual(result.reason, R.INVALID_FIELD.value, result)

    def test_raw_curve_keys_register_wrapped_only_as_what_they_are(self):
        """An Ed448 key is no Ed25519 key, an X448 key (ECDH) on no
        declared CURVE25519; undeclared, the curve is the PKCS#8's."""
        ecdh, ed = E.CryptographicAlgorithm.ECDH, E.CryptographicAlgorithm
        c25519, c448 = E.RecommendedCurve.CURVE25519, E.RecommendedCurve.CURVE448
        ed448_key = ed448.Ed448PrivateKey.generate()
        x448_key = x448.X448PrivateKey.generate()
        x25519_key = x25519.X25519PrivateKey.generate()
        for key, algorithm, curve, ok in (
                (ed448_key, None, None, True),
                (ed448_key, ed.ED25519, None, False),
                (x448_key, None, None, True),
                (x448_key, ecdh, c448, True),
                (x448_key, ecdh, c25519, False),
                (x25519_key, ecdh, c448, False),
                (x25519_key, ed.ED25519, None, False)):
            extra = [] if curve is None else [
                attr_v1("Cryptographic Domain Parameters",
                        S(0, En(T.RECOMMENDED_CURVE, curve)))]
            wrapped = aes_key_wrap_with_padding(self.kek,
                                                key.private_bytes(*PKCS8))
            result = register_private(self.conn, key, extra,
                                      data=self.unwrap_data(), value=wrapped,
                                      algorithm=algorithm)
            self.assertEqual(result.ok, ok, (key, algorithm, curve, result))
            if ok:
                self.assertEqual(self.public_half(result.uid()),
                                 key.public_key().public_bytes(*SPKI))
            else:
                self.assertEqual(result.reason, R.INVALID_FIELD.value)


if __name__ == "__main__":
    unittest.main()
