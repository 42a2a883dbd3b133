# SPDX-License-Identifier: Apache-2.0
"""What kmipd does for the KMIP profiles beyond the replay: the attributes
it keeps, Usage Limits, Hash, Query, Batch Undo, Triple DES refused by
default. Runs under
integration/with_server.py --server kmipd (default configuration)."""

import hashlib
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "kmipd"))

from kmiptest import (E, T, OP, S, I, L, En, By, D, Tx, Connection,  # noqa
                      attr_v1, create_aes, name_value, uid_payload)

R = E.ResultReason
KEY = bytes(range(16))


def register_aes(extra=()):
    attrs = [attr_v1("Cryptographic Usage Mask", I(0, 12)),
             attr_v1("Activation Date", D(0, int(time.time()) - 3600))]
    attrs.extend(extra)
    return [En(T.OBJECT_TYPE, E.ObjectType.SYMMETRIC_KEY),
            S(T.TEMPLATE_ATTRIBUTE, *attrs),
            S(T.SYMMETRIC_KEY, S(
                T.KEY_BLOCK, En(T.KEY_FORMAT_TYPE, E.KeyFormatType.RAW),
                S(T.KEY_VALUE, By(T.KEY_MATERIAL, KEY)),
                En(T.CRYPTOGRAPHIC_ALGORITHM, E.CryptographicAlgorithm.AES),
                I(T.CRYPTOGRAPHIC_LENGTH, 128)))]


def encrypt_ecb(uid, data):
    return [Tx(T.UNIQUE_IDENTIFIER, uid),
            S(T.CRYPTOGRAPHIC_PARAMETERS,
              En(T.BLOCK_CIPHER_MODE, E.BlockCipherMode.ECB)),
            By(T.DATA, data)]


class Profiles(unittest.TestCase):
    def setUp(self):
        self.conn = Connection()

    def tearDown(self):
        self.conn.close()

    def call(self, operation, payload):
        return self.conn.one(operation, payload)

    def attributes(self, uid):
        result = self.call(OP.GET_ATTRIBUTES, uid_payload(uid))
        self.assertTrue(result.ok, result)
        return {a.val(T.ATTRIBUTE_NAME): a.get(T.ATTRIBUTE_VALUE)
                for a in result.payload.all(T.ATTRIBUTE)}

    def test_a_new_key_has_the_attributes_the_server_keeps(self):
        uid = self.call(OP.CREATE, create_aes("kept")).uid()
        found = self.attributes(uid)
        self.assertEqual(found["Fresh"].value, True)
        self.assertEqual(found["Lease Time"].value, 3600)
        self.assertAlmostEqual(found["Original Creation Date"].value,
                               time.time(), delta=60)
        rng = found["Random Number Generator"]
        self.assertEqual(rng.val(T.RNG_ALGORITHM), E.RNGAlgorithm.DRBG.value)
        digest = found["Digest"]
        self.assertEqual(digest.val(T.HASHING_ALGORITHM),
                         E.HashingAlgorithm.SHA_256.value)
        self.assertEqual(len(digest.val(T.DIGEST_VALUE)), 32)
        for name, value in (("Sensitive", False), ("Extractable", True),
                            ("Always Sensitive", False),
                            ("Never Extractable", False)):
            self.assertEqual(found[name].value, value, name)

    def test_a_registered_key_has_the_sha256_digest_of_its_material(self):
        uid = self.call(OP.REGISTER, register_aes()).uid()
        found = self.attributes(uid)
        self.assertEqual(found["Digest"].val(T.DIGEST_VALUE),
                         hashlib.sha256(KEY).digest())
        self.assertEqual(found["Digest"].val(T.KEY_FORMAT_TYPE),
                         E.KeyFormatType.RAW.value)
        self.assertNotIn("Random Number Generator", found)

    def test_get_makes_a_key_no_longer_fresh(self):
        uid = self.call(OP.REGISTER, register_aes()).uid()
        self.assertTrue(self.call(OP.GET, uid_payload(uid)).ok)
        self.assertEqual(self.attributes(uid)["Fresh"].value, False)

    def test_usage_limits_refuse_use_past_their_total(self):
        limits = S(0, L(T.USAGE_LIMITS_TOTAL, 32),
                   En(T.USAGE_LIMITS_UNIT, E.UsageLimitsUnit.BYTE))
        uid = self.call(OP.REGISTER, register_aes(
            [attr_v1("Usage Limits", limits)])).uid()
        for _ in range(2):
            result = self.call(OP.ENCRYPT, encrypt_ecb(uid, bytes(16)))
            self.assertTrue(result.ok, result)
        result = self.call(OP.ENCRYPT, encrypt_ecb(uid, bytes(16)))
        self.assertEqual(result.reason, R.PERMISSION_DENIED.value, result)
        limits = self.attributes(uid)["Usage Limits"]
        self.assertEqual(limits.val(T.USAGE_LIMITS_COUNT), 0)

    def test_hash_digests_data(self):
        result = self.call(OP.HASH, [
            S(T.CRYPTOGRAPHIC_PARAMETERS,
              En(T.HASHING_ALGORITHM, E.HashingAlgorithm.SHA_512)),
            By(T.DATA, b"kmipd")])
        self.assertTrue(result.ok, result)
        self.assertEqual(result.payload.val(T.DATA),
                         hashlib.sha512(b"kmipd").digest())

    def test_query_answers_profiles_capabilities_and_rngs(self):
        Q = E.QueryFunction
        result = self.call(OP.QUERY, [
            En(T.QUERY_FUNCTION, Q.QUERY_PROFILES),
            En(T.QUERY_FUNCTION, Q.QUERY_CAPABILITIES),
            En(T.QUERY_FUNCTION, Q.QUERY_RNGS)])
        self.assertTrue(result.ok, result)
        profiles = [p.val(T.PROFILE_NAME) for p in
                    result.payload.all(T.PROFILE_INFORMATION)]
        P = E.ProfileName
        self.assertIn(P.SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPv12.value, profiles)
        # Its cases make Triple DES keys, refused by default.
        self.assertNotIn(P.SYMMETRIC_KEY_FOUNDRY_SERVER_KMIPv12.value,
                         profiles)
        caps = result.payload.get(T.CAPABILITY_INFORMATION)
        self.assertEqual(caps.val(T.STREAMING_CAPABILITY), True)
        self.assertEqual(caps.val(T.BATCH_CONTINUE_CAPABILITY), True)
        self.assertEqual(caps.val(T.BATCH_UNDO_CAPABILITY), True)
        self.assertEqual(result.payload.get(T.RNG_PARAMETERS).val(
            T.RNG_ALGORITHM), E.RNGAlgorithm.DRBG.value)
        older = self.conn.one(OP.QUERY, [
            En(T.QUERY_FUNCTION, Q.QUERY_PROFILES)], (1, 2))
        self.assertTrue(older.ok, older)
        self.assertEqual(older.payload.all(T.PROFILE_INFORMATION), [])

    def undo_batch(self, items):
        """Sends items ((operation, payload), ...) as one batch with Batch
        Error Continuation Option Undo; returns the results."""
        option = En(T.BATCH_ERROR_CONTINUATION_OPTION,
                    E.BatchErrorContinuationOption.UNDO)
        return self.conn.call(
            [(op, payload, bytes([i + 1]))
             for i, (op, payload) in enumerate(items)],
            header_extra=(option,)).results

    def test_undo_removes_what_the_batch_created(self):
        missing = [Tx(T.UNIQUE_IDENTIFIER, "no-such-object")]
        results = self.undo_batch([(OP.CREATE, create_aes("undone")),
                                   (OP.ACTIVATE, missing)])
        self.assertEqual(results[0].status,
                         E.ResultStatus.OPERATION_UNDONE.value)
        self.assertIsNone(results[0].payload)
        self.assertEqual(results[1].reason, R.ITEM_NOT_FOUND.value)
        found = self.call(OP.LOCATE, [attr_v1("Name", name_value("undone"))])
        self.assertEqual(found.payload.all(T.UNIQUE_IDENTIFIER), [])

    def test_undo_restores_what_the_batch_changed(self):
        uid = self.call(OP.CREATE, create_aes("restored")).uid()
        results = self.undo_batch([
            (OP.ACTIVATE, uid_payload(uid)),
            (OP.DESTROY, [Tx(T.UNIQUE_IDENTIFIER, "no-such-object")])])
        self.assertEqual(results[0].status,
                         E.ResultStatus.OPERATION_UNDONE.value)
        self.assertEqual(self.attributes(uid)["State"].value,
                         E.State.PRE_ACTIVE.value)

    def test_undo_keeps_a_batch_that_succeeds(self):
        uid = self.call(OP.CREATE, create_aes("kept-batch")).uid()
        results = self.undo_batch([(OP.ACTIVATE, uid_payload(uid)),
                                   (OP.GET_ATTRIBUTES, uid_payload(uid))])
        self.assertTrue(all(r.ok for r in results), results)
        self.assertEqual(self.attributes(uid)["State"].value,
                         E.State.ACTIVE.value)

    def test_triple_des_keys_are_refused_by_default(self):
        payload = [En(T.OBJECT_TYPE, E.ObjectType.SYMMETRIC_KEY),
                   S(T.TEMPLATE_ATTRIBUTE,
                     attr_v1("Cryptographic Algorithm",
                             En(0, E.CryptographicAlgorithm.TRIPLE_DES)),
                     attr_v1("Cryptographic Length", I(0, 168)),
                     attr_v1("Cryptographic Usage Mask", I(0, 12)))]
        result = self.call(OP.CREATE, payload)
        self.assertEqual(result.reason, R.FEATURE_NOT_SUPPORTED.value, result)


if __name__ == "__main__":
    unittest.main()
