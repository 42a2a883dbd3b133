# SPDX-License-Identifier: Apache-2.0
"""C_GetMechanismList and C_GetMechanismInfo per slot through
p11kmip-pkcs11.so (PyKCS11) against the server with_server.py started:
what the server refuses leaves the slot's list. PyKMIP signs only what
it hashes itself: once it refuses a hash (CKM_RSA_PKCS_PSS), the mechanisms
that sign a hash lose CKF_SIGN and keep their local CKF_VERIFY. PyKMIP
wraps with AES key wrap (RFC 3394) only, and cannot read a key given
wrapped: the other wrappings and the unwrappings it refused leave the
list; a private key leaves as its PKCS#8 where RFC 3394 wraps its
length. PyKMIP makes RSA key pairs only: the EC, Edwards and Montgomery
pair generations it refused leave the list. kmipd refuses none of them:
every mechanism stays, also after a template the module refuses; a kmipd
of the test's own (KMIPD_BINARY) that refuses Derive Key drops
CKM_ECDH1_DERIVE.

    test_mech_list_e2e.py MODULE pykmip|kmipd|kmipd-refusing-derive
"""
import os
import sys
import unittest

import PyKCS11
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap
from PyKCS11 import *  # noqa: F401,F403 (the CK* constants)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from module_session import code, module_session  # noqa: E402

SERVER = sys.argv.pop(2)
if SERVER == "kmipd-refusing-derive":
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(
        __file__)), "..", "kmipd"))
    from kmipd_runner import Kmipd  # noqa: E402
    REFUSING = Kmipd(os.environ["KMIPD_BINARY"], faults={
        "fail_operation": "DeriveKey",
        "fail_reason": "OperationNotSupported"}).start()
    os.environ["P11KMIP_TEST_SERVER"] = "%s:%d" % REFUSING.address

LIB, SLOT, SESSION = module_session()

P256 = bytes.fromhex("06082a8648ce3d030107")
ED25519 = bytes.fromhex("06032b6570")
X25519 = bytes.fromhex("06032b656e")
# Each pair generation with the curve it is tried on.
PAIRS = (("CKM_EC_KEY_PAIR_GEN", P256),
         ("CKM_EC_EDWARDS_KEY_PAIR_GEN", ED25519),
         ("CKM_EC_MONTGOMERY_KEY_PAIR_GEN", X25519))


def flags(name):
    return LIB.getMechanismInfo(SLOT, name).flags


class MechanismList(unittest.TestCase):
    def test_refusals_leave_the_slots_list(self):
        listed = set(LIB.getMechanismList(SLOT))
        self.assertIn("CKM_ECDSA", listed)
        self.assertTrue(flags("CKM_ECDSA") & CKF_SIGN)
        self.assertTrue(flags("CKM_RSA_PKCS_PSS") & CKF_SIGN)

        _, rsa = SESSION.generateKeyPair(
            [(CKA_TOKEN, True), (CKA_MODULUS_BITS, 2048),
             (CKA_PUBLIC_EXPONENT, b"\x01\x00\x01"), (CKA_ENCRYPT, True)],
            [(CKA_TOKEN, True), (CKA_SIGN, True)],
            Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN))
        pss = RSA_PSS_Mechanism(CKM_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256,
                                32)
        self.assertNotEqual(code(lambda: SESSION.sign(rsa, bytes(32), pss)),
                            CKR_OK)
        for name in ("CKM_ECDSA", "CKM_RSA_PKCS_PSS"):
            with self.subTest(mechanism=name):
                self.assertEqual(flags(name) & (CKF_SIGN | CKF_VERIFY),
                                 CKF_VERIFY)
        self.assertTrue(flags("CKM_SHA256_RSA_PKCS_PSS") & CKF_SIGN)
        self.assertEqual(code(lambda: SESSION.sign(rsa, bytes(32), pss)),
                         CKR_MECHANISM_INVALID)

    def test_sizes_are_what_the_servers_take(self):
        info = LIB.getMechanismInfo(SLOT, "CKM_RSA_PKCS_KEY_PAIR_GEN")
        self.assertEqual((info.ulMinKeySize, info.ulMaxKeySize), (2048, 4096))
        info = LIB.getMechanismInfo(SLOT, "CKM_SHA256_RSA_PKCS")
        self.assertEqual((info.ulMinKeySize, info.ulMaxKeySize), (1024, 8192))
        info = LIB.getMechanismInfo(SLOT, "CKM_SHA256_HMAC_GENERAL")
        self.assertEqual((info.ulMinKeySize, info.ulMaxKeySize), (1, 512))


def generate_pair(name, params):
    return SESSION.generateKeyPair(
        [(CKA_TOKEN, True), (CKA_EC_PARAMS, params)],
        [(CKA_TOKEN, True)], Mechanism(CKM[name]))


def generate_rsa():
    return SESSION.generateKeyPair(
        [(CKA_TOKEN, True), (CKA_MODULUS_BITS, 2048),
         (CKA_PUBLIC_EXPONENT, b"\x01\x00\x01")],
        [(CKA_TOKEN, True)], Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN))


def derivable_x25519():
    return SESSION.generateKeyPair(
        [(CKA_TOKEN, True), (CKA_EC_PARAMS, X25519)],
        [(CKA_TOKEN, True), (CKA_DERIVE, True)],
        Mechanism(CKM_EC_MONTGOMERY_KEY_PAIR_GEN))[1]


def derive(private):
    return SESSION.deriveKey(private, [
        (CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_GENERIC_SECRET),
        (CKA_VALUE_LEN, 32)], ECDH1_DERIVE_Mechanism(bytes(range(1, 33))))


def generate_aes():
    return SESSION.generateKey(
        [(CKA_TOKEN, True), (CKA_VALUE_LEN, 32), (CKA_ENCRYPT, True)],
        Mechanism(CKM_AES_KEY_GEN))


class PairGenerations(unittest.TestCase):
    """PyKMIP: a refused pair generation leaves the list, RSA and AES
    stay."""

    def test_refused_generations_leave_the_list(self):
        for name, params in PAIRS:
            with self.subTest(mechanism=name):
                self.assertIn(name, LIB.getMechanismList(SLOT))
                self.assertEqual(code(lambda: generate_pair(name, params)),
                                 CKR_MECHANISM_INVALID)
                self.assertNotIn(name, LIB.getMechanismList(SLOT))
                self.assertEqual(code(lambda: flags(name)),
                                 CKR_MECHANISM_INVALID)
                # Refused at once from then on.
                self.assertEqual(code(lambda: generate_pair(name, params)),
                                 CKR_MECHANISM_INVALID)
        generate_rsa()
        generate_aes()
        for name in ("CKM_RSA_PKCS_KEY_PAIR_GEN", "CKM_AES_KEY_GEN"):
            with self.subTest(mechanism=name):
                self.assertIn(name, LIB.getMechanismList(SLOT))
        self.assertEqual(flags("CKM_RSA_PKCS_KEY_PAIR_GEN"),
                         CKF_HW | CKF_GENERATE_KEY_PAIR)


class KmipdKeepsEverything(unittest.TestCase):
    """kmipd: every generation and ECDH work, nothing leaves the list; a
    template error is no refusal of the mechanism."""

    def test_a_template_error_keeps_the_mechanism(self):
        before = LIB.getMechanismList(SLOT)
        for name, _ in PAIRS:
            with self.subTest(mechanism=name):
                self.assertEqual(
                    code(lambda: generate_pair(name, b"\x06\x01\x00")),
                    CKR_ATTRIBUTE_VALUE_INVALID)
                self.assertTrue(flags(name) & CKF_GENERATE_KEY_PAIR)
        self.assertEqual(LIB.getMechanismList(SLOT), before)

    def test_every_generation_and_derivation_keeps_the_list(self):
        before = {name: flags(name) for name in LIB.getMechanismList(SLOT)}
        self.assertEqual(len(before), 50)
        for name, params in PAIRS:
            generate_pair(name, params)
        generate_rsa()
        generate_aes()
        SESSION.generateKey([(CKA_TOKEN, True), (CKA_VALUE_LEN, 32)],
                            Mechanism(CKM_GENERIC_SECRET_KEY_GEN))
        derive(derivable_x25519())
        after = {name: flags(name) for name in LIB.getMechanismList(SLOT)}
        self.assertEqual(after, before)


class DeriveRefused(unittest.TestCase):
    """A kmipd that refuses Derive Key: CKM_ECDH1_DERIVE leaves the list,
    the rest stays."""

    def test_a_refused_derivation_leaves_the_list(self):
        before = LIB.getMechanismList(SLOT)
        private = derivable_x25519()
        self.assertEqual(code(lambda: derive(private)), CKR_MECHANISM_INVALID)
        self.assertEqual(LIB.getMechanismList(SLOT),
                         [name for name in before
                          if name != "CKM_ECDH1_DERIVE"])
        self.assertEqual(code(lambda: flags("CKM_ECDH1_DERIVE")),
                         CKR_MECHANISM_INVALID)
        self.assertEqual(code(lambda: derive(private)), CKR_MECHANISM_INVALID)


def secret(value, usage):
    return SESSION.createObject(
        [(CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_AES),
         (CKA_TOKEN, True), (CKA_VALUE, value), (CKA_EXTRACTABLE, True)] +
        [(attribute, True) for attribute in usage])


def rsa_private_key(pkcs8_blocks):
    """An RSA private key made locally whose PKCS#8 is (or is not) whole
    8-byte blocks, imported: (its PKCS#8, its handle)."""
    while True:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        der = key.private_bytes(serialization.Encoding.DER,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        if (len(der) % 8 == 0) == pkcs8_blocks:
            break
    n = key.private_numbers()
    parts = ((CKA_MODULUS, n.public_numbers.n),
             (CKA_PUBLIC_EXPONENT, n.public_numbers.e),
             (CKA_PRIVATE_EXPONENT, n.d), (CKA_PRIME_1, n.p),
             (CKA_PRIME_2, n.q), (CKA_EXPONENT_1, n.dmp1),
             (CKA_EXPONENT_2, n.dmq1), (CKA_COEFFICIENT, n.iqmp))
    return der, SESSION.createObject(
        [(CKA_CLASS, CKO_PRIVATE_KEY), (CKA_KEY_TYPE, CKK_RSA),
         (CKA_TOKEN, True), (CKA_SIGN, True)] +
        [(attribute, value.to_bytes((value.bit_length() + 7) // 8, "big"))
         for attribute, value in parts])


class Wrapping(unittest.TestCase):
    def test_what_pykmip_cannot_do_leaves_the_list(self):
        kek, key = os.urandom(32), os.urandom(16)
        wrapping = secret(kek, [CKA_WRAP, CKA_UNWRAP])
        target = secret(key, [CKA_ENCRYPT])
        wrapped = bytes(SESSION.wrapKey(wrapping, target,
                                        Mechanism(CKM_AES_KEY_WRAP)))
        self.assertEqual(aes_key_unwrap(kek, wrapped), key)
        self.assertEqual(code(lambda: SESSION.wrapKey(
            wrapping, target, Mechanism(CKM_AES_KEY_WRAP_PAD))),
            CKR_MECHANISM_INVALID)
        rsa, _ = SESSION.generateKeyPair(
            [(CKA_TOKEN, True), (CKA_MODULUS_BITS, 2048),
             (CKA_PUBLIC_EXPONENT, b"\x01\x00\x01"), (CKA_WRAP, True)],
            [(CKA_TOKEN, True), (CKA_UNWRAP, True)],
            Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN))
        self.assertEqual(code(lambda: SESSION.wrapKey(
            rsa, target, RSAOAEPMechanism(CKM_SHA_1, CKG_MGF1_SHA1))),
            CKR_MECHANISM_INVALID)
        # A private key leaves as its PKCS#8, when RFC 3394 wraps its length.
        der, private = rsa_private_key(pkcs8_blocks=True)
        self.assertEqual(aes_key_unwrap(kek, bytes(SESSION.wrapKey(
            wrapping, private, Mechanism(CKM_AES_KEY_WRAP)))), der)
        _, private = rsa_private_key(pkcs8_blocks=False)
        self.assertEqual(code(lambda: SESSION.wrapKey(
            wrapping, private, Mechanism(CKM_AES_KEY_WRAP))),
            CKR_KEY_SIZE_RANGE)
        self.assertEqual(flags("CKM_AES_KEY_WRAP") & CKF_WRAP, CKF_WRAP)
        self.assertFalse(flags("CKM_AES_KEY_WRAP_PAD") & CKF_WRAP)
        self.assertFalse(flags("CKM_RSA_PKCS_OAEP") & CKF_WRAP)

        # PyKMIP cannot read a wrapped Key Value (a Byte String).
        template = [(CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_AES),
                    (CKA_TOKEN, True), (CKA_ENCRYPT, True)]
        for name in ("CKM_AES_KEY_WRAP", "CKM_AES_KEY_WRAP_PAD"):
            with self.subTest(mechanism=name):
                mechanism = Mechanism(CKM[name])
                self.assertEqual(code(lambda: SESSION.unwrapKey(
                    wrapping, wrapped, template, mechanism)),
                    CKR_MECHANISM_INVALID)
                self.assertEqual(code(lambda: SESSION.unwrapKey(
                    wrapping, wrapped, template, mechanism)),
                    CKR_MECHANISM_INVALID)
        self.assertEqual(flags("CKM_AES_KEY_WRAP") & (CKF_WRAP | CKF_UNWRAP),
                         CKF_WRAP)
        # Refused for both: no longer offered at all.
        self.assertNotIn("CKM_AES_KEY_WRAP_PAD", LIB.getMechanismList(SLOT))
        self.assertEqual(code(lambda: flags("CKM_AES_KEY_WRAP_PAD")),
                         CKR_MECHANISM_INVALID)


# The cases of each server.
CASES = {"pykmip": (MechanismList, Wrapping, PairGenerations),
         "kmipd": (KmipdKeepsEverything,),
         "kmipd-refusing-derive": (DeriveRefused,)}

if __name__ == "__main__":
    loader = unittest.defaultTestLoader
    suite = unittest.TestSuite(loader.loadTestsFromTestCase(case)
                               for case in CASES[SERVER])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
