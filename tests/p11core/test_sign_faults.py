# SPDX-License-Identifier: Apache-2.0
"""C_Sign through the module against a server whose Sign answers are
rewritten on the way: a proxy on 127.0.0.1 between the module and kmipd
changes the Signature Data as a broken (or zero-stripping) server would.
Run under integration/with_server.py --server kmipd:

    test_sign_faults.py MODULE
"""

import multiprocessing
import os
import socket
import ssl
import struct
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "kmipd"))

import PyKCS11  # noqa: E402

from kmiptest import E, T, decode, encode  # noqa: E402

MODULE = None

# How the proxy rewrites a Signature Data; the test writes the name in the
# mode file before each signature.
MUTATIONS = {
    "none": lambda sig: sig,
    "empty": lambda sig: b"",
    "one-byte": lambda sig: sig[:1],
    "one-byte-short": lambda sig: sig[1:],
    "zero-led-short": lambda sig: b"\0" + sig[2:],
    "one-byte-long": lambda sig: sig + b"\1",
    "strip-zeros": lambda sig: sig.lstrip(b"\0"),
    "garbage-der": lambda sig: b"\x30\x03\x02\x01",
}


def read_frame(sock):
    def read(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    head = read(8)
    length = struct.unpack(">I", head[4:8])[0]
    return head + read(length + (8 - length % 8) % 8)


# The field of each signing operation's answer that carries the result.
SIGNED_FIELDS = {E.Operation.SIGN.value: T.SIGNATURE_DATA,
                 E.Operation.MAC.value: T.MAC_DATA}


def rewrite(message, mutate):
    """Applies mutate to the result of every Sign and MAC batch item."""
    for item in message.all(T.BATCH_ITEM):
        payload = item.get(T.RESPONSE_PAYLOAD)
        tag = SIGNED_FIELDS.get(item.val(T.OPERATION))
        if tag is None or payload is None:
            continue
        for field in payload.all(tag):
            field.value = mutate(field.value)
    return message


def relay(client, upstream_address, mode_path):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(os.environ["P11KMIP_TEST_CA"])
    context.load_cert_chain(os.environ["P11KMIP_TEST_CERT"],
                            os.environ["P11KMIP_TEST_KEY"])
    raw = socket.create_connection(upstream_address, timeout=10)
    upstream = context.wrap_socket(raw, server_hostname=upstream_address[0])
    try:
        while True:
            upstream.sendall(read_frame(client))
            with open(mode_path) as mode_file:
                mutate = MUTATIONS[mode_file.read().strip()]
            message, _ = decode(read_frame(upstream))
            client.sendall(encode(rewrite(message, mutate)))
    except (ConnectionError, OSError):
        pass
    finally:
        upstream.close()
        client.close()


def serve(listener, upstream_address, mode_path):
    """The proxy process: one thread per connection of the module."""
    import threading

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.environ["P11KMIP_TEST_SERVER_CERT"],
                            os.environ["P11KMIP_TEST_SERVER_KEY"])
    context.load_verify_locations(os.environ["P11KMIP_TEST_CA"])
    context.verify_mode = ssl.CERT_REQUIRED
    while True:
        sock, _ = listener.accept()
        try:
            client = context.wrap_socket(sock, server_side=True)
        except (ssl.SSLError, OSError):
            sock.close()
            continue
        threading.Thread(target=relay, daemon=True,
                         args=(client, upstream_address, mode_path)).start()


class SignatureForms(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(
            dir=os.environ["P11KMIP_TEST_DIR"])
        cls.mode_path = os.path.join(cls.dir.name, "mode")
        cls.set_mode("none")
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        proxy_port = listener.getsockname()[1]
        host, port = os.environ["P11KMIP_TEST_SERVER"].rsplit(":", 1)
        cls.proxy = multiprocessing.Process(
            target=serve, daemon=True,
            args=(listener, (host, int(port)), cls.mode_path))
        cls.proxy.start()
        listener.close()
        config = os.path.join(cls.dir.name, "p11kmip.json")
        with open(config, "w") as out:
            out.write(
                '{"slots": [{"label": "faults", "servers": ["127.0.0.1:%d"],'
                ' "ca": "%s", "cert": "%s", "key": "%s", "timeout_ms": 5000}],'
                ' "log": {"level": "error"}}\n'
                % (proxy_port,
                   os.environ["P11KMIP_TEST_CA"],
                   os.environ["P11KMIP_TEST_CERT"],
                   os.environ["P11KMIP_TEST_KEY"]))
        os.environ["P11KMIP_CONFIG"] = config
        cls.lib = PyKCS11.PyKCS11Lib()
        cls.lib.load(MODULE)
        slot = cls.lib.getSlotList()[0]
        cls.session = cls.lib.openSession(
            slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
        cls.rsa_pub, cls.rsa_priv = cls.key_pair(
            PyKCS11.MechanismRSAGENERATEKEYPAIR,
            [(PyKCS11.CKA_MODULUS_BITS, 2048)])
        cls.ec_pub, cls.ec_priv = cls.key_pair(
            PyKCS11.Mechanism(PyKCS11.CKM_EC_KEY_PAIR_GEN),
            # P-256
            [(PyKCS11.CKA_EC_PARAMS,
              bytes.fromhex("06082a8648ce3d030107"))])
        cls.hmac_key = cls.session.generateKey(
            [(PyKCS11.CKA_CLASS, PyKCS11.CKO_SECRET_KEY),
             (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_GENERIC_SECRET),
             (PyKCS11.CKA_TOKEN, True), (PyKCS11.CKA_VALUE_LEN, 32),
             (PyKCS11.CKA_SIGN, True), (PyKCS11.CKA_VERIFY, True)],
            mecha=PyKCS11.Mechanism(PyKCS11.CKM_GENERIC_SECRET_KEY_GEN))

    @classmethod
    def tearDownClass(cls):
        cls.session.closeSession()
        cls.lib.lib.C_Finalize()
        cls.proxy.terminate()
        cls.proxy.join()
        cls.dir.cleanup()

    @classmethod
    def set_mode(cls, name):
        with open(cls.mode_path, "w") as out:
            out.write(name)

    @classmethod
    def key_pair(cls, mechanism, public_extra):
        public = [(PyKCS11.CKA_TOKEN, True), (PyKCS11.CKA_VERIFY, True),
                  (PyKCS11.CKA_LABEL, "sign-faults")] + public_extra
        private = [(PyKCS11.CKA_TOKEN, True), (PyKCS11.CKA_SIGN, True),
                   (PyKCS11.CKA_LABEL, "sign-faults")]
        return cls.session.generateKeyPair(public, private, mecha=mechanism)

    def sign(self, mode, key, mechanism, data=b"message"):
        self.set_mode(mode)
        try:
            return bytes(self.session.sign(key, data,
                                           PyKCS11.Mechanism(mechanism)))
        finally:
            self.set_mode("none")

    def assertSignRefused(self, mode, key, mechanism):
        with self.assertRaises(PyKCS11.PyKCS11Error) as caught:
            self.sign(mode, key, mechanism)
        self.assertEqual(caught.exception.value, PyKCS11.CKR_DEVICE_ERROR)
        # The failure ended the operation.
        rv = self.session.lib.C_SignFinal(self.session.session,
                                          PyKCS11.ckbytelist())
        self.assertEqual(rv, PyKCS11.CKR_OPERATION_NOT_INITIALIZED)

    def test_an_empty_rsa_signature_is_a_device_error(self):
        self.assertSignRefused("empty", self.rsa_priv,
                               PyKCS11.CKM_SHA256_RSA_PKCS)

    def test_a_one_byte_rsa_signature_is_a_device_error(self):
        self.assertSignRefused("one-byte", self.rsa_priv,
                               PyKCS11.CKM_SHA256_RSA_PKCS)

    def test_a_short_rsa_signature_led_by_a_zero_is_a_device_error(self):
        self.assertSignRefused("zero-led-short", self.rsa_priv,
                               PyKCS11.CKM_SHA256_RSA_PKCS)

    def test_a_long_rsa_signature_is_a_device_error(self):
        self.assertSignRefused("one-byte-long", self.rsa_priv,
                               PyKCS11.CKM_SHA256_RSA_PKCS)

    def test_an_ecdsa_signature_that_does_not_parse_is_a_device_error(self):
        self.assertSignRefused("garbage-der", self.ec_priv,
                               PyKCS11.CKM_ECDSA_SHA256)

    def test_an_ecdsa_signature_cut_short_is_a_device_error(self):
        self.assertSignRefused("one-byte-short", self.ec_priv,
                               PyKCS11.CKM_ECDSA_SHA256)

    def test_an_hmac_of_another_length_is_a_device_error(self):
        self.assertSignRefused("one-byte-short", self.hmac_key,
                               PyKCS11.CKM_SHA256_HMAC)
        self.assertSignRefused("one-byte-long", self.hmac_key,
                               PyKCS11.CKM_SHA256_HMAC)

    def test_an_untouched_signature_passes(self):
        for key, mechanism, length in (
                (self.rsa_priv, PyKCS11.CKM_SHA256_RSA_PKCS, 256),
                (self.ec_priv, PyKCS11.CKM_ECDSA_SHA256, 64),
                (self.hmac_key, PyKCS11.CKM_SHA256_HMAC, 32)):
            self.assertEqual(len(self.sign("none", key, mechanism)), length)

    def test_a_signature_stripped_of_leading_zeros_is_padded_back(self):
        # 1 signature in 256 starts with a zero byte: sign until one does.
        mechanism = PyKCS11.Mechanism(PyKCS11.CKM_SHA256_RSA_PKCS)
        for i in range(4000):
            data = b"message %d" % i
            signature = self.sign("strip-zeros", self.rsa_priv,
                                  PyKCS11.CKM_SHA256_RSA_PKCS, data)
            self.assertEqual(len(signature), 256)
            if signature[0] == 0:
                self.assertTrue(self.session.verify(self.rsa_pub, data,
                                                    signature, mechanism))
                return
        self.fail("no signature with a leading zero byte in 4000")


if __name__ == "__main__":
    MODULE = sys.argv.pop(1)
    unittest.main()
