# SPDX-License-Identifier: Apache-2.0
"""kmipd's streaming Encrypt and Decrypt (Init Indicator, Correlation
Value, Final Indicator) on the wire, and its refusals, each test on a
kmipd of its own. Runs under integration/with_server.py --server none with
KMIPD_BINARY set."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import E, OP, T, B, By, En, I, S, Tx, create_aes, uid_payload
from kmipd_runner import KmipdTestCase

R = E.ResultReason
MODE = E.BlockCipherMode
V2 = (2, 0)
IV16 = bytes(range(16))
DATA = bytes(range(200)) * 3


def params(mode, padding=None, tag_length=None):
    return S(T.CRYPTOGRAPHIC_PARAMETERS, En(T.BLOCK_CIPHER_MODE, mode),
             None if padding is None else En(T.PADDING_METHOD, padding),
             None if tag_length is None else I(T.TAG_LENGTH, tag_length))


class Stream(KmipdTestCase):
    def start(self, **config):
        self.kmipd = self.server(**config)
        self.conn = self.connect(self.kmipd)
        return self.conn

    def key(self, conn=None):
        conn = conn or self.conn
        uid = conn.one(OP.CREATE, create_aes(version=V2), V2).uid()
        self.assertTrue(conn.one(OP.ACTIVATE, uid_payload(uid), V2).ok)
        return uid

    def call(self, op, uid, data=None, p=None, iv=None, aad=None, tag=None,
             init=None, final=None, corr=None, conn=None):
        payload = [Tx(T.UNIQUE_IDENTIFIER, uid), p,
                   None if data is None else By(T.DATA, data),
                   None if iv is None else By(T.IV_COUNTER_NONCE, iv),
                   None if corr is None else By(T.CORRELATION_VALUE, corr),
                   None if init is None else B(T.INIT_INDICATOR, init),
                   None if final is None else B(T.FINAL_INDICATOR, final),
                   None if aad is None else
                   By(T.AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA, aad),
                   None if tag is None else
                   By(T.AUTHENTICATED_ENCRYPTION_TAG, tag)]
        return (conn or self.conn).one(op, [c for c in payload if c], V2)

    def ok(self, result):
        self.assertTrue(result.ok, result)
        return result.payload

    def fails(self, result, reason):
        self.assertFalse(result.ok, result)
        self.assertEqual(result.reason, reason.value, result)

    def stream(self, op, uid, parts, p, iv=None, aad=None, tag=None):
        """Runs parts through one stream: (output, final payload)."""
        first = self.ok(self.call(op, uid, parts[0], p, iv, aad, init=True))
        corr = first.val(T.CORRELATION_VALUE)
        self.assertEqual(len(corr), 16)
        out = first.val(T.DATA) or b""
        for part in parts[1:]:
            mid = self.ok(self.call(op, uid, part, corr=corr))
            self.assertEqual(mid.val(T.CORRELATION_VALUE), corr)
            out += mid.val(T.DATA) or b""
        last = self.ok(self.call(op, uid, b"", tag=tag, corr=corr, final=True))
        self.assertIsNone(last.val(T.CORRELATION_VALUE))
        return out + (last.val(T.DATA) or b""), last

    def split(self, data, sizes=(1, 15, 17, 100, 5)):
        parts, at = [], 0
        for n in sizes:
            parts.append(data[at:at + n])
            at += n
        return parts + [data[at:]]

    def test_gcm_stream_gives_the_single_part_ciphertext_and_tag(self):
        self.start()
        uid = self.key()
        p = params(MODE.GCM, tag_length=16)
        whole = self.ok(self.call(OP.ENCRYPT, uid, DATA, p, IV16[:12], b"aad"))
        out, last = self.stream(OP.ENCRYPT, uid, self.split(DATA), p,
                                IV16[:12], b"aad")
        self.assertEqual(out, whole.val(T.DATA))
        tag = last.val(T.AUTHENTICATED_ENCRYPTION_TAG)
        self.assertEqual(tag, whole.val(T.AUTHENTICATED_ENCRYPTION_TAG))
        plain, _ = self.stream(OP.DECRYPT, uid, self.split(out), p,
                               IV16[:12], b"aad", tag)
        self.assertEqual(plain, DATA)

    def test_gcm_decrypt_stream_with_a_wrong_tag_fails_and_ends(self):
        self.start()
        uid = self.key()
        p = params(MODE.GCM, tag_length=16)
        whole = self.ok(self.call(OP.ENCRYPT, uid, DATA, p, IV16[:12]))
        first = self.ok(self.call(OP.DECRYPT, uid, whole.val(T.DATA), p,
                                  IV16[:12], init=True))
        corr = first.val(T.CORRELATION_VALUE)
        self.fails(self.call(OP.DECRYPT, uid, b"", tag=bytes(16), corr=corr,
                             final=True), R.CRYPTOGRAPHIC_FAILURE)
        self.fails(self.call(OP.DECRYPT, uid, b"", corr=corr),
                   R.INVALID_CORRELATION_VALUE)

    def test_cbc_pad_and_ctr_streams_give_the_single_part_output(self):
        self.start()
        uid = self.key()
        for p in (params(MODE.CBC, E.PaddingMethod.PKCS5), params(MODE.CTR),
                  params(MODE.ECB, E.PaddingMethod.PKCS5)):
            iv = None if p.get(T.BLOCK_CIPHER_MODE).value == MODE.ECB.value \
                else IV16
            whole = self.ok(self.call(OP.ENCRYPT, uid, DATA, p, iv))
            out, _ = self.stream(OP.ENCRYPT, uid, self.split(DATA), p, iv)
            self.assertEqual(out, whole.val(T.DATA))
            plain, _ = self.stream(OP.DECRYPT, uid, self.split(out), p, iv)
            self.assertEqual(plain, DATA)

    def test_a_partial_block_waits_for_the_next_request(self):
        self.start()
        uid = self.key()
        p = params(MODE.CBC, E.PaddingMethod.NONE)
        first = self.ok(self.call(OP.ENCRYPT, uid, DATA[:8], p, IV16,
                                  init=True))
        self.assertIsNone(first.val(T.DATA))
        corr = first.val(T.CORRELATION_VALUE)
        mid = self.ok(self.call(OP.ENCRYPT, uid, DATA[8:20], corr=corr))
        self.assertEqual(len(mid.val(T.DATA)), 16)
        self.fails(self.call(OP.ENCRYPT, uid, b"", corr=corr, final=True),
                   R.INVALID_FIELD)

    def test_an_unknown_correlation_value_is_refused(self):
        self.start()
        uid = self.key()
        self.fails(self.call(OP.ENCRYPT, uid, DATA, corr=bytes(16)),
                   R.INVALID_CORRELATION_VALUE)
        result = self.conn.one(OP.ENCRYPT, [
            Tx(T.UNIQUE_IDENTIFIER, uid), By(T.DATA, DATA[:16]),
            By(T.CORRELATION_VALUE, b"x")], (1, 4))
        self.fails(result, R.INVALID_FIELD)  # 1.x has no such reason
        self.assertIn("Correlation Value", result.message)

    def test_another_clients_correlation_value_is_refused(self):
        self.start()
        uid = self.key()
        corr = self.ok(self.call(OP.ENCRYPT, uid, DATA, params(MODE.CTR),
                                 IV16, init=True)).val(T.CORRELATION_VALUE)
        other = self.connect(self.kmipd, cert=os.environ["P11KMIP_TEST_CERT_B"],
                             key=os.environ["P11KMIP_TEST_KEY_B"])
        other_uid = self.key(other)
        self.fails(self.call(OP.ENCRYPT, other_uid, DATA, corr=corr,
                             conn=other), R.PERMISSION_DENIED)
        # Under its own key's identifier, another key of the same client.
        second = self.key()
        self.fails(self.call(OP.ENCRYPT, second, DATA, corr=corr),
                   R.INVALID_CORRELATION_VALUE)
        self.fails(self.call(OP.DECRYPT, uid, DATA, corr=corr),
                   R.INVALID_CORRELATION_VALUE)
        self.ok(self.call(OP.ENCRYPT, uid, DATA, corr=corr, final=True))

    def test_final_without_init_and_init_with_a_value_are_refused(self):
        self.start()
        uid = self.key()
        self.fails(self.call(OP.ENCRYPT, uid, DATA, params(MODE.CTR), IV16,
                             final=True), R.INVALID_CORRELATION_VALUE)
        self.fails(self.call(OP.ENCRYPT, uid, DATA, init=True,
                             corr=bytes(16)), R.INVALID_FIELD)
        # Init and Final together: one single-part request.
        whole = self.ok(self.call(OP.ENCRYPT, uid, DATA, params(MODE.CTR),
                                  IV16, init=True, final=True))
        self.assertEqual(len(whole.val(T.DATA)), len(DATA))

    def test_too_many_streams_are_refused_until_one_ends(self):
        self.start(max_streams_per_client=2)
        uid = self.key()
        p = params(MODE.CTR)
        corrs = [self.ok(self.call(OP.ENCRYPT, uid, DATA, p, IV16, init=True))
                 .val(T.CORRELATION_VALUE) for _ in range(2)]
        self.fails(self.call(OP.ENCRYPT, uid, DATA, p, IV16, init=True),
                   R.SERVER_LIMIT_EXCEEDED)
        self.ok(self.call(OP.ENCRYPT, uid, b"", corr=corrs[0], final=True))
        self.ok(self.call(OP.ENCRYPT, uid, DATA, p, IV16, init=True))

    def test_an_abandoned_stream_expires(self):
        self.start(stream_timeout_ms=300, max_streams_per_client=1)
        uid = self.key()
        p = params(MODE.CTR)
        corr = self.ok(self.call(OP.ENCRYPT, uid, DATA, p, IV16, init=True)) \
            .val(T.CORRELATION_VALUE)
        time.sleep(0.6)
        self.fails(self.call(OP.ENCRYPT, uid, DATA, corr=corr),
                   R.INVALID_CORRELATION_VALUE)
        # Its place is free again.
        self.ok(self.call(OP.ENCRYPT, uid, DATA, p, IV16, init=True))

    def test_sign_and_mac_do_not_stream(self):
        self.start()
        uid = self.key()
        self.fails(self.call(OP.MAC, uid, DATA, init=True),
                   R.FEATURE_NOT_SUPPORTED)


if __name__ == "__main__":
    unittest.main()
