# SPDX-License-Identifier: Apache-2.0
"""The private-key wrapping cases of differential.py (differential_cases.py
has the rest): known RSA, EC, Ed25519 and Ed448 private keys imported
extractable,
wrapped with AES key wrap (with padding) under a known key and the PKCS#8
inside checked; their PKCS#8 wrapped locally unwrapped into new keys that
sign; each refusal's code."""
import functools

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import (ec, ed448, ed25519,
                                                       padding)
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    encode_dss_signature)
from cryptography.hazmat.primitives.keywrap import (
    aes_key_unwrap, aes_key_unwrap_with_padding, aes_key_wrap,
    aes_key_wrap_with_padding)
from PyKCS11 import *  # noqa: F401,F403 (the CK* constants)

from differential_cases import case, created, read_all, wrap_secret

KEK = bytes(range(32))
P256_PARAMS = bytes.fromhex("06082a8648ce3d030107")
ED25519_PARAMS = bytes.fromhex("06032b6570")
ED448_PARAMS = bytes.fromhex("06032b6571")
MESSAGE = b"differential private key wrapping"


def be(number):
    return number.to_bytes((number.bit_length() + 7) // 8, "big")


@functools.lru_cache(maxsize=None)
def keys():
    """The same keys for both tokens: (name, key type, key, its template
    values)."""
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    n = rsa_key.private_numbers()
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ed_key = ed25519.Ed25519PrivateKey.generate()
    ed448_key = ed448.Ed448PrivateKey.generate()
    ed_raw, ed448_raw = (k.private_bytes(serialization.Encoding.Raw,
                                         serialization.PrivateFormat.Raw,
                                         serialization.NoEncryption())
                         for k in (ed_key, ed448_key))
    return (
        ("rsa", CKK_RSA, rsa_key, [
            (CKA_MODULUS, be(n.public_numbers.n)),
            (CKA_PUBLIC_EXPONENT, be(n.public_numbers.e)),
            (CKA_PRIVATE_EXPONENT, be(n.d)), (CKA_PRIME_1, be(n.p)),
            (CKA_PRIME_2, be(n.q)), (CKA_EXPONENT_1, be(n.dmp1)),
            (CKA_EXPONENT_2, be(n.dmq1)), (CKA_COEFFICIENT, be(n.iqmp))]),
        ("p256", CKK_EC, ec_key, [
            (CKA_EC_PARAMS, P256_PARAMS),
            (CKA_VALUE, be(ec_key.private_numbers().private_value))]),
        ("ed25519", CKK_EC_EDWARDS, ed_key, [
            (CKA_EC_PARAMS, ED25519_PARAMS), (CKA_VALUE, ed_raw)]),
        ("ed448", CKK_EC_EDWARDS, ed448_key, [
            (CKA_EC_PARAMS, ED448_PARAMS), (CKA_VALUE, ed448_raw)]),
    )


def private_key(token, name, key_type, values, extractable):
    return created(token, {}, [
        (CKA_CLASS, CKO_PRIVATE_KEY), (CKA_KEY_TYPE, key_type),
        (CKA_TOKEN, True), (CKA_LABEL, "private_key_wrapping-" + name),
        (CKA_SIGN, True), (CKA_EXTRACTABLE, extractable)] + values)


def pkcs8_holds(wrapped, pad, key):
    """Whether wrapped unwraps (locally) to a PKCS#8 of key (SoftHSM2 pads
    it with zeros to whole blocks, which the DER reader ignores)."""
    unwrap = aes_key_unwrap_with_padding if pad else aes_key_unwrap
    plain = unwrap(KEK, bytes(wrapped)).rstrip(b"\0")
    for end in range(len(plain), len(plain) + 8):
        try:
            inside = serialization.load_der_private_key(
                plain.ljust(end, b"\0"), None)
            break
        except ValueError:
            continue
    else:
        return "not a PKCS#8"
    same = inside.public_key().public_bytes(
        serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo) == \
        key.public_key().public_bytes(
            serialization.Encoding.DER,
            serialization.PublicFormat.SubjectPublicKeyInfo)
    return "PKCS#8 of the key" if same else "PKCS#8 of another key"


def signs_for(token, handle, key_type, key):
    """Whether handle's signature of MESSAGE verifies with key."""
    digest = hashes.Hash(hashes.SHA256())
    digest.update(MESSAGE)
    data = digest.finalize() if key_type == CKK_EC else MESSAGE
    mechanism = {CKK_RSA: CKM_SHA256_RSA_PKCS, CKK_EC: CKM_ECDSA,
                 CKK_EC_EDWARDS: CKM_EDDSA}[key_type]
    rv, signature = token.attempt(token.session.sign, handle, data,
                                  Mechanism(mechanism))
    if signature is None:
        return rv
    signature = bytes(signature)
    public = key.public_key()
    try:
        if key_type == CKK_RSA:
            public.verify(signature, MESSAGE, padding.PKCS1v15(),
                          hashes.SHA256())
        elif key_type == CKK_EC:
            half = len(signature) // 2
            public.verify(encode_dss_signature(
                int.from_bytes(signature[:half], "big"),
                int.from_bytes(signature[half:], "big")), MESSAGE,
                ec.ECDSA(hashes.SHA256()))
        else:
            public.verify(signature, MESSAGE)
    except Exception:  # cryptography's InvalidSignature
        return "does not verify"
    return "verifies"


def unwrapped(token, kek, wrapped, key_type, mechanism):
    return token.attempt(token.session.unwrapKey, kek, bytes(wrapped), [
        (CKA_CLASS, CKO_PRIVATE_KEY), (CKA_KEY_TYPE, key_type),
        (CKA_TOKEN, True), (CKA_LABEL, "private_key_wrapping-unwrapped"),
        (CKA_SIGN, True)], mechanism)


def round_trip(token, record, kek, name, key_type, key, handle):
    """The token wraps key (handle); a PKCS#8 of key wrapped locally (the
    same for both tokens) unwraps."""
    kwp = Mechanism(CKM_AES_KEY_WRAP_PAD)
    rv, wrapped = token.attempt(token.session.wrapKey, kek, handle, kwp)
    record[name + "_wrap_kwp"] = (pkcs8_holds(wrapped, True, key)
                                  if wrapped else rv)
    wrapped = aes_key_wrap_with_padding(KEK, key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    rv, new = unwrapped(token, kek, wrapped, key_type, kwp)
    record[name + "_unwrap"] = rv
    # SoftHSM2 2.6 unwraps no Edwards key: nothing more to compare.
    if key_type == CKK_EC_EDWARDS:
        return
    if new is not None:
        read = {}
        read_all(token, read, new, [CKA_MODULUS, CKA_PUBLIC_EXPONENT,
                                    CKA_EC_PARAMS, CKA_EC_POINT])
        record.update((name + "_" + k, v) for k, v in read.items())
        record[name + "_signs"] = signs_for(token, new, key_type, key)
    tampered = bytearray(wrapped)
    tampered[3] ^= 1
    record[name + "_unwrap_tampered"] = unwrapped(token, kek, tampered,
                                                  key_type, kwp)[0]
    other = CKK_EC if key_type == CKK_RSA else CKK_RSA
    record[name + "_unwrap_as_other_type"] = unwrapped(
        token, kek, wrapped, other, kwp)[0]


@case
def private_key_wrapping(token, record):
    """AES key wrap with padding of known private keys: the PKCS#8 inside,
    the unwrapped key's public attributes and signature, the refusals."""
    kek = wrap_secret(token, record, "private_key_wrapping-kek", KEK,
                      [(CKA_WRAP, True), (CKA_UNWRAP, True)])
    handles = {}
    for name, key_type, key, values in keys():
        handles[name] = private_key(token, name, key_type, values, True)
        round_trip(token, record, kek, name, key_type, key, handles[name])
    rv, wrapped = token.attempt(token.session.wrapKey, kek, handles["p256"],
                                Mechanism(CKM_AES_KEY_WRAP))
    record["p256_wrap_kw"] = (pkcs8_holds(wrapped, False, keys()[1][2])
                              if wrapped else rv)
    name, key_type, key, values = keys()[1]
    # A PKCS#8 padded with zeros to whole blocks, as SoftHSM2 wraps it.
    der = key.private_bytes(serialization.Encoding.DER,
                            serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    record["p256_unwrap_zero_padded"] = unwrapped(
        token, kek, aes_key_wrap(KEK, der + bytes(-len(der) % 8)), key_type,
        Mechanism(CKM_AES_KEY_WRAP))[0]
    stays = private_key(token, name + "-stays", key_type, values, False)
    record["wrap_unextractable"] = token.attempt(
        token.session.wrapKey, kek, stays, Mechanism(CKM_AES_KEY_WRAP_PAD))[0]
    rsa_values = dict(keys()[0][3])
    rsa_wrapping = created(token, {}, [
        (CKA_CLASS, CKO_PUBLIC_KEY), (CKA_KEY_TYPE, CKK_RSA),
        (CKA_TOKEN, True), (CKA_LABEL, "private_key_wrapping-rsa-wrap"),
        (CKA_WRAP, True), (CKA_MODULUS, rsa_values[CKA_MODULUS]),
        (CKA_PUBLIC_EXPONENT, rsa_values[CKA_PUBLIC_EXPONENT])])
    record["wrap_by_oaep"] = token.attempt(
        token.session.wrapKey, rsa_wrapping, handles["p256"],
        RSAOAEPMechanism(CKM_SHA_1, CKG_MGF1_SHA1))[0]
