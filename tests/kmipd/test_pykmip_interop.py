# SPDX-License-Identifier: Apache-2.0
"""Cross-check with an independent client: PyKMIP's own client library
(python3-pykmip) against kmipd. Runs under integration/with_server.py
--server kmipd, with /usr/bin/python3."""

import os
import tempfile
import unittest

from kmip import enums
from kmip.core.factories import attributes as attribute_factories
from kmip.pie import client as pie_client
from kmip.pie import exceptions as pie_exceptions
from kmip.pie import objects

ALG = enums.CryptographicAlgorithm
USAGE = enums.CryptographicUsageMask


def make_client(version):
    host, port = os.environ["P11KMIP_TEST_SERVER"].rsplit(":", 1)
    # An empty configuration file keeps PyKMIP from reading ~/.pykmip.
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    conf.write("[client]\n")
    conf.close()
    client = pie_client.ProxyKmipClient(
        hostname=host, port=int(port), cert=os.environ["P11KMIP_TEST_CERT"],
        key=os.environ["P11KMIP_TEST_KEY"], ca=os.environ["P11KMIP_TEST_CA"],
        config_file=conf.name, kmip_version=version)
    client.open()
    os.unlink(conf.name)
    return client


class PyKmipClient(unittest.TestCase):
    version = enums.KMIPVersion.KMIP_1_2

    def setUp(self):
        self.client = make_client(self.version)
        self.addCleanup(self.client.close)

    def name(self, text):
        return attribute_factories.AttributeFactory().create_attribute(
            enums.AttributeType.NAME, text)

    def test_symmetric_key_lifecycle(self):
        uid = self.client.create(ALG.AES, 256, name="interop-aes",
                                 cryptographic_usage_mask=[USAGE.ENCRYPT,
                                                           USAGE.DECRYPT])
        self.assertIn(uid, self.client.locate(attributes=[
            self.name("interop-aes")]))
        _, attrs = self.client.get_attributes(uid, ["State",
                                                    "Cryptographic Length"])
        found = {a.attribute_name.value: a.attribute_value.value
                 for a in attrs}
        self.assertEqual(found["State"], enums.State.PRE_ACTIVE)
        self.assertEqual(found["Cryptographic Length"], 256)
        self.client.activate(uid)
        self.assertIn("State", self.client.get_attribute_list(uid))
        with self.assertRaises(pie_exceptions.KmipOperationFailure):
            self.client.destroy(uid)  # Active: revoke first
        self.client.revoke(enums.RevocationReasonCode.CESSATION_OF_OPERATION,
                           uid)
        self.client.destroy(uid)
        self.assertNotIn(uid, self.client.locate(attributes=[
            self.name("interop-aes")]))

    def test_encrypt_and_decrypt_with_aes_cbc(self):
        uid = self.client.create(ALG.AES, 128,
                                 cryptographic_usage_mask=[USAGE.ENCRYPT,
                                                           USAGE.DECRYPT])
        self.client.activate(uid)
        params = {"block_cipher_mode": enums.BlockCipherMode.CBC,
                  "padding_method": enums.PaddingMethod.PKCS5,
                  "cryptographic_algorithm": ALG.AES}
        iv = bytes(range(16))
        ciphertext, _ = self.client.encrypt(b"interop plaintext", uid,
                                            cryptographic_parameters=params,
                                            iv_counter_nonce=iv)
        plaintext = self.client.decrypt(ciphertext, uid,
                                        cryptographic_parameters=params,
                                        iv_counter_nonce=iv)
        self.assertEqual(plaintext, b"interop plaintext")

    def test_rsa_key_pair_signs(self):
        public_uid, private_uid = self.client.create_key_pair(
            ALG.RSA, 2048,
            public_usage_mask=[USAGE.VERIFY],
            private_usage_mask=[USAGE.SIGN])
        self.client.activate(private_uid)
        self.client.activate(public_uid)
        params = {"padding_method": enums.PaddingMethod.PKCS1v15,
                  "cryptographic_algorithm": ALG.RSA,
                  "hashing_algorithm": enums.HashingAlgorithm.SHA_256}
        signature = self.client.sign(b"interop message", private_uid,
                                     cryptographic_parameters=params)
        self.assertEqual(len(signature), 256)
        valid = self.client.signature_verify(
            b"interop message", signature, public_uid,
            cryptographic_parameters=params)
        self.assertEqual(valid, enums.ValidityIndicator.VALID)
        public = self.client.get(public_uid)
        self.assertIsInstance(public, objects.PublicKey)

    def test_register_and_get_secret_data(self):
        secret = objects.SecretData(b"interop secret",
                                    enums.SecretDataType.PASSWORD)
        uid = self.client.register(secret)
        got = self.client.get(uid)
        self.assertEqual(got.value, b"interop secret")


class PyKmipClient14(PyKmipClient):
    version = enums.KMIPVersion.KMIP_1_4


class PyKmipClient20(PyKmipClient):
    version = enums.KMIPVersion.KMIP_2_0


if __name__ == "__main__":
    unittest.main(verbosity=2)
