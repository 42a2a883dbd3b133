# SPDX-License-Identifier: Apache-2.0
"""The call sequences of differential.py. Each case takes a Token and a dict
it fills with observations (name -> return code name or hex value); labels
start with the case's name so the two tokens' objects line up. Values that
differ by nature (generated key material, handles) are recorded by length.
"""
import functools
import os
import subprocess

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from PyKCS11 import LowLevel
from PyKCS11 import *  # noqa: F401,F403 (the CK* constants)

P256_PARAMS = bytes.fromhex("06082a8648ce3d030107")
CASES = []


def rv_name(rv):
    return CKR.get(rv, "0x%08x" % rv)


def raw_handle(number):
    """A low-level handle for a number no call returned (invalid handles)."""
    handle = LowLevel.CK_OBJECT_HANDLE()
    handle.assign(number)
    return handle


def case(function):
    CASES.append(function)
    return function


@functools.lru_cache(maxsize=None)
def certificate():
    """A self-signed RSA certificate: (DER, cryptography object)."""
    directory = os.environ["P11KMIP_TEST_DIR"]
    key, cert = (os.path.join(directory, "diff-" + n) for n in ("k", "c"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", key, "-out", cert, "-outform",
                    "DER", "-subj", "/CN=differential", "-days", "2"],
                   check=True, stderr=subprocess.DEVNULL)
    der = open(cert, "rb").read()
    return der, x509.load_der_x509_certificate(der)


def der_integer(number):
    """A DER INTEGER, as libp11 writes CKA_SERIAL_NUMBER (i2d_ASN1_INTEGER)."""
    body = number.to_bytes(number.bit_length() // 8 + 1, "big")
    return bytes([2, len(body)]) + body


def read_all(token, record, handle, attributes, by_length=()):
    for attribute in attributes:
        name = CKA[attribute]
        value = token.read(handle, attribute)
        if attribute in by_length and not value.startswith("CKR_"):
            value = "%d bytes" % (len(value) // 2)
        record[name] = value


def created(token, record, template, session=None):
    rv, handle = token.attempt((session or token.session).createObject,
                               template)
    record["create"] = rv
    return handle


COMMON = [CKA_CLASS, CKA_TOKEN, CKA_PRIVATE, CKA_LABEL, CKA_MODIFIABLE]
KEY_COMMON = COMMON + [CKA_KEY_TYPE, CKA_ID, CKA_LOCAL, CKA_DERIVE]
PRIVATE_FLAGS = [CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_ALWAYS_SENSITIVE,
                 CKA_NEVER_EXTRACTABLE, CKA_SIGN, CKA_DECRYPT, CKA_UNWRAP,
                 CKA_SIGN_RECOVER, CKA_ALWAYS_AUTHENTICATE]
PUBLIC_FLAGS = [CKA_VERIFY, CKA_ENCRYPT, CKA_WRAP, CKA_VERIFY_RECOVER,
                CKA_TRUSTED]


@case
def data_object(token, record):
    handle = created(token, record, [
        (CKA_CLASS, CKO_DATA), (CKA_TOKEN, True), (CKA_PRIVATE, False),
        (CKA_LABEL, "data_object"), (CKA_APPLICATION, "differential"),
        (CKA_VALUE, b"payload")])
    if handle is not None:
        read_all(token, record, handle,
                 COMMON + [CKA_APPLICATION, CKA_VALUE, CKA_OBJECT_ID])


@case
def data_object_without_value(token, record):
    handle = created(token, record, [
        (CKA_CLASS, CKO_DATA), (CKA_TOKEN, True), (CKA_PRIVATE, False),
        (CKA_LABEL, "data_object_without_value")])
    if handle is not None:
        read_all(token, record, handle, [CKA_VALUE])


@case
def data_object_empty_value(token, record):
    handle = created(token, record, [
        (CKA_CLASS, CKO_DATA), (CKA_TOKEN, True), (CKA_PRIVATE, False),
        (CKA_LABEL, "data_object_empty_value"), (CKA_VALUE, b"")])
    if handle is not None:
        read_all(token, record, handle, [CKA_VALUE, CKA_LABEL])
        record["destroy"] = token.attempt(token.session.destroyObject,
                                          handle)[0]


@case
def session_object_lifetime(token, record):
    """A session object made in a read-only session is seen by the other
    sessions and goes with its session."""
    session = token.open(rw=False)
    template = [(CKA_CLASS, CKO_DATA), (CKA_TOKEN, False),
                (CKA_LABEL, "session_object_lifetime"), (CKA_VALUE, b"x")]
    created(token, record, template, session)
    find = [(CKA_LABEL, "session_object_lifetime")]
    record["seen_by_other_session"] = str(token.count(find))
    session.closeSession()
    record["after_close"] = str(token.count(find))


SESSION_KEY_READS = [CKA_CLASS, CKA_TOKEN, CKA_LABEL, CKA_KEY_TYPE]


def session_key_use(token, record, session, key, label):
    """Encrypts with a session key, reads it, counts it from the main
    session, then closes its session and counts again."""
    read_all(token, record, key, SESSION_KEY_READS + [CKA_VALUE_LEN])
    iv = Mechanism(CKM_AES_CBC_PAD, b"\x01" * 16)
    rv, out = token.attempt(session.encrypt, key, b"s" * 16, iv)
    record["encrypt"] = rv
    record["ciphertext_length"] = str(len(out or ()))
    find = [(CKA_LABEL, label)]
    record["seen_by_other_session"] = str(token.count(find))
    session.closeSession()
    record["after_close"] = str(token.count(find))


@case
def session_secret_key_generate(token, record):
    """A secret key with CKA_TOKEN false made in a read-only session."""
    session = token.open(rw=False)
    rv, key = token.attempt(session.generateKey, [
        (CKA_CLASS, CKO_SECRET_KEY), (CKA_TOKEN, False),
        (CKA_LABEL, "session_secret_key_generate"), (CKA_VALUE_LEN, 16),
        (CKA_ENCRYPT, True), (CKA_DECRYPT, True)])
    record["generate"] = rv
    if key is not None:
        session_key_use(token, record, session, key,
                        "session_secret_key_generate")


@case
def session_secret_key_import(token, record):
    session = token.open(rw=False)
    rv, key = token.attempt(session.createObject, [
        (CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_AES),
        (CKA_TOKEN, False), (CKA_LABEL, "session_secret_key_import"),
        (CKA_ENCRYPT, True), (CKA_DECRYPT, True),
        (CKA_VALUE, b"0123456789abcdef")])
    record["create"] = rv
    if key is not None:
        session_key_use(token, record, session, key,
                        "session_secret_key_import")


@case
def session_key_pair_generate(token, record):
    """An EC key pair whose halves are session objects, in a read-only
    session; one with a token half is refused there."""
    session = token.open(rw=False)
    label = "session_key_pair_generate"
    rv, pair = token.attempt(
        session.generateKeyPair,
        [(CKA_EC_PARAMS, P256_PARAMS), (CKA_TOKEN, False),
         (CKA_LABEL, label), (CKA_VERIFY, True)],
        [(CKA_TOKEN, False), (CKA_LABEL, label), (CKA_SIGN, True)],
        Mechanism(CKM_EC_KEY_PAIR_GEN))
    record["generate"] = rv
    record["with_token_half"] = token.attempt(
        session.generateKeyPair,
        [(CKA_EC_PARAMS, P256_PARAMS), (CKA_TOKEN, False)],
        [(CKA_TOKEN, True)], Mechanism(CKM_EC_KEY_PAIR_GEN))[0]
    if pair is None:
        return
    public, private = pair
    read_all(token, record, private, SESSION_KEY_READS)
    record["public.CKA_TOKEN"] = token.read(public, CKA_TOKEN)
    rv, signature = token.attempt(session.sign, private, b"d" * 32,
                                  Mechanism(CKM_ECDSA))
    record["sign"] = rv
    record["signature_length"] = str(len(signature or ()))
    find = [(CKA_LABEL, label)]
    record["seen_by_other_session"] = str(token.count(find))
    session.closeSession()
    record["after_close"] = str(token.count(find))


@case
def token_object_in_read_only_session(token, record):
    session = token.open(rw=False)
    created(token, record, [(CKA_CLASS, CKO_DATA), (CKA_TOKEN, True),
                            (CKA_LABEL, "ro_token_object")], session)
    session.closeSession()


@case
def certificate_libp11_template(token, record):
    der, cert = certificate()
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo)
    handle = created(token, record, [
        (CKA_CLASS, CKO_CERTIFICATE), (CKA_CERTIFICATE_TYPE, CKC_X_509),
        (CKA_TOKEN, True), (CKA_LABEL, "certificate_libp11_template"),
        (CKA_ID, b"\x51"), (CKA_SUBJECT, cert.subject.public_bytes()),
        (CKA_ISSUER, cert.issuer.public_bytes()),
        (CKA_SERIAL_NUMBER, der_integer(cert.serial_number)),
        (CKA_VALUE, der),
        (CKA_NAME_HASH_ALGORITHM, CKM_SHA_1.to_bytes(8, "little")),
        (CKA_HASH_OF_SUBJECT_PUBLIC_KEY, spki[:20])])
    if handle is not None:
        read_all(token, record, handle, COMMON + [
            CKA_CERTIFICATE_TYPE, CKA_ID, CKA_SUBJECT, CKA_ISSUER, CKA_VALUE,
            CKA_TRUSTED, CKA_CERTIFICATE_CATEGORY])


@case
def rsa_public_key_import(token, record):
    numbers = certificate()[1].public_key().public_numbers()
    handle = created(token, record, [
        (CKA_CLASS, CKO_PUBLIC_KEY), (CKA_KEY_TYPE, CKK_RSA),
        (CKA_TOKEN, True), (CKA_LABEL, "rsa_public_key_import"),
        (CKA_ID, b"\x52"), (CKA_VERIFY, True),
        (CKA_MODULUS, numbers.n.to_bytes(256, "big")),
        (CKA_PUBLIC_EXPONENT, numbers.e.to_bytes(3, "big"))])
    if handle is not None:
        read_all(token, record, handle, KEY_COMMON + PUBLIC_FLAGS + [
            CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_MODULUS_BITS])


@case
def aes_key_import_sensitive(token, record):
    handle = created(token, record, [
        (CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_AES),
        (CKA_TOKEN, True), (CKA_LABEL, "aes_key_import_sensitive"),
        (CKA_VALUE, bytes(range(32))), (CKA_SENSITIVE, True),
        (CKA_EXTRACTABLE, False), (CKA_ENCRYPT, True), (CKA_DECRYPT, True)])
    if handle is not None:
        read_all(token, record, handle, KEY_COMMON + [
            CKA_VALUE, CKA_VALUE_LEN, CKA_SENSITIVE, CKA_EXTRACTABLE,
            CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE, CKA_ENCRYPT,
            CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP, CKA_SIGN, CKA_VERIFY])


@case
def aes_generate(token, record):
    rv, handle = token.attempt(token.session.generateKey, [
        (CKA_CLASS, CKO_SECRET_KEY), (CKA_TOKEN, True),
        (CKA_LABEL, "aes_generate"), (CKA_VALUE_LEN, 32),
        (CKA_ENCRYPT, True), (CKA_DECRYPT, True)])
    record["generate"] = rv
    if handle is not None:
        read_all(token, record, handle, KEY_COMMON + [
            CKA_VALUE, CKA_VALUE_LEN, CKA_SENSITIVE, CKA_EXTRACTABLE,
            CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE, CKA_ENCRYPT,
            CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP])


@case
def aes_generate_bad_length(token, record):
    record["generate"] = token.attempt(token.session.generateKey, [
        (CKA_CLASS, CKO_SECRET_KEY), (CKA_TOKEN, True),
        (CKA_LABEL, "aes_generate_bad_length"), (CKA_VALUE_LEN, 7)])[0]


def key_pair(token, record, mechanism, public, private, label):
    rv, pair = token.attempt(
        token.session.generateKeyPair,
        public + [(CKA_TOKEN, True), (CKA_LABEL, label), (CKA_ID, b"\x60")],
        private + [(CKA_TOKEN, True), (CKA_LABEL, label), (CKA_ID, b"\x60"),
                   (CKA_PRIVATE, True)],
        Mechanism(mechanism))
    record["generate"] = rv
    return pair or (None, None)


@case
def rsa_generate(token, record):
    public, private = key_pair(
        token, record, CKM_RSA_PKCS_KEY_PAIR_GEN,
        [(CKA_MODULUS_BITS, 2048), (CKA_VERIFY, True)],
        [(CKA_SIGN, True)], "rsa_generate")
    if private is None:
        return
    material = [CKA_MODULUS, CKA_PUBLIC_EXPONENT]
    read_all(token, record, private, KEY_COMMON + PRIVATE_FLAGS + material +
             [CKA_PRIVATE_EXPONENT], by_length=[CKA_MODULUS])
    pub = {}
    read_all(token, pub, public, KEY_COMMON + PUBLIC_FLAGS + material +
             [CKA_MODULUS_BITS], by_length=[CKA_MODULUS])
    record.update(("public." + k, v) for k, v in pub.items())
    rv, signature = token.attempt(token.session.sign, private, b"m" * 32,
                                  Mechanism(CKM_SHA256_RSA_PKCS))
    record["sign"] = rv
    record["signature_length"] = str(len(signature or ()))
    record["verify"] = token.attempt(token.session.verify, public, b"m" * 32,
                                     signature or b"",
                                     Mechanism(CKM_SHA256_RSA_PKCS))[0]


@case
def rsa_generate_too_small(token, record):
    key_pair(token, record, CKM_RSA_PKCS_KEY_PAIR_GEN,
             [(CKA_MODULUS_BITS, 256)], [], "rsa_generate_too_small")


@case
def ec_generate(token, record):
    public, private = key_pair(
        token, record, CKM_EC_KEY_PAIR_GEN,
        [(CKA_EC_PARAMS, P256_PARAMS), (CKA_VERIFY, True)],
        [(CKA_SIGN, True)], "ec_generate")
    if private is None:
        return
    read_all(token, record, private,
             KEY_COMMON + PRIVATE_FLAGS + [CKA_EC_PARAMS, CKA_VALUE])
    pub = {}
    read_all(token, pub, public,
             KEY_COMMON + PUBLIC_FLAGS + [CKA_EC_PARAMS, CKA_EC_POINT],
             by_length=[CKA_EC_POINT])
    record.update(("public." + k, v) for k, v in pub.items())
    rv, signature = token.attempt(token.session.sign, private, b"d" * 32,
                                  Mechanism(CKM_ECDSA))
    record["sign"] = rv
    record["signature_length"] = str(len(signature or ()))


@case
def always_authenticate(token, record):
    """A private key of CKA_ALWAYS_AUTHENTICATE signs only after a
    context-specific login, once per operation."""
    public, private = key_pair(
        token, record, CKM_EC_KEY_PAIR_GEN,
        [(CKA_EC_PARAMS, P256_PARAMS), (CKA_VERIFY, True)],
        [(CKA_SIGN, True), (CKA_ALWAYS_AUTHENTICATE, True)],
        "always_authenticate")
    if private is None:
        return
    record["CKA_ALWAYS_AUTHENTICATE"] = token.read(private,
                                                   CKA_ALWAYS_AUTHENTICATE)
    session = token.session
    lib, handle = session.lib, session.session

    def context_login(pin):
        return lib.C_Login(handle, CKU_CONTEXT_SPECIFIC, ckbytelist(pin))

    def sign(pin=None):
        signature, data = ckbytelist(), ckbytelist(b"a" * 32)
        rv = lib.C_SignInit(handle, Mechanism(CKM_ECDSA).to_native(), private)
        if rv == CKR_OK and pin is not None:
            rv = context_login(pin)
        for _ in range(2):  # the length, then the signature
            rv = lib.C_Sign(handle, data, signature) if rv == CKR_OK else rv
        return CKR[rv]

    record["context_login_no_operation"] = CKR[context_login(token.pin)]
    record["sign_without_login"] = sign()
    record["sign_with_login"] = sign(token.pin)
    record["sign_again_without_login"] = sign()
    record["sign_wrong_pin"] = sign("wrong-pin")
    # The operation stays, still waiting for its login.
    record["sign_after_wrong_pin"] = CKR[lib.C_Sign(handle, ckbytelist(
        b"a" * 32), ckbytelist())]


@case
def invalid_inputs(token, record):
    session = token.session
    record["create_empty"] = token.attempt(session.createObject, [])[0]
    record["create_bad_class"] = token.attempt(
        session.createObject, [(CKA_CLASS, 0x7777), (CKA_TOKEN, False)])[0]
    record["create_unknown_attribute"] = token.attempt(
        session.createObject, [(CKA_CLASS, CKO_DATA), (CKA_TOKEN, False),
                               (0x7ffe, b"\x00")])[0]
    record["read_bad_handle"] = token.read(raw_handle(0x7ead0001), CKA_LABEL)
    record["destroy_bad_handle"] = token.attempt(
        session.destroyObject, raw_handle(0x7ead0001))[0]
    record["generate_digest_mechanism"] = token.attempt(
        session.generateKey, [(CKA_VALUE_LEN, 32)], Mechanism(CKM_SHA256))[0]


@case
def template_completeness(token, record):
    """Incomplete and contradictory templates."""
    session = token.session
    record["create_without_class"] = token.attempt(
        session.createObject, [(CKA_TOKEN, True), (CKA_VALUE, b"x")])[0]
    record["aes_without_length"] = token.attempt(session.generateKey, [
        (CKA_CLASS, CKO_SECRET_KEY), (CKA_TOKEN, True)])[0]
    record["aes_of_class_public_key"] = token.attempt(session.generateKey, [
        (CKA_CLASS, CKO_PUBLIC_KEY), (CKA_VALUE_LEN, 32)])[0]
    record["aes_of_type_rsa"] = token.attempt(session.generateKey, [
        (CKA_KEY_TYPE, CKK_RSA), (CKA_VALUE_LEN, 32)])[0]
    record["rsa_without_modulus_bits"] = token.attempt(
        session.generateKeyPair, [(CKA_TOKEN, True)], [(CKA_TOKEN, True)],
        Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN))[0]
    record["ec_without_params"] = token.attempt(
        session.generateKeyPair, [(CKA_TOKEN, True)], [(CKA_TOKEN, True)],
        Mechanism(CKM_EC_KEY_PAIR_GEN))[0]


@case
def attribute_changes(token, record):
    session = token.session
    handle = created(token, record, [
        (CKA_CLASS, CKO_DATA), (CKA_TOKEN, True),
        (CKA_LABEL, "attribute_changes"), (CKA_VALUE, b"v")])
    if handle is None:
        return
    record["set_label"] = token.attempt(
        session.setAttributeValue, handle,
        [(CKA_LABEL, "attribute_changes-renamed")])[0]
    record["label"] = token.read(handle, CKA_LABEL)
    record["set_class"] = token.attempt(
        session.setAttributeValue, handle, [(CKA_CLASS, CKO_SECRET_KEY)])[0]
    record["destroy"] = token.attempt(session.destroyObject, handle)[0]
    record["read_destroyed"] = token.read(handle, CKA_LABEL)


@case
def sensitive_key_changes(token, record):
    rv, handle = token.attempt(token.session.generateKey, [
        (CKA_CLASS, CKO_SECRET_KEY), (CKA_TOKEN, True),
        (CKA_LABEL, "sensitive_key_changes"), (CKA_VALUE_LEN, 16),
        (CKA_SENSITIVE, True), (CKA_EXTRACTABLE, False)])
    record["generate"] = rv
    if handle is None:
        return
    for attribute, value in ((CKA_SENSITIVE, False), (CKA_EXTRACTABLE, True),
                             (CKA_ENCRYPT, False)):
        record["set_" + CKA[attribute]] = token.attempt(
            token.session.setAttributeValue, handle, [(attribute, value)])[0]
    read_all(token, record, handle, [CKA_SENSITIVE, CKA_EXTRACTABLE,
                                     CKA_ENCRYPT])


def wrap_secret(token, record, name, value, extra):
    return created(token, {}, [
        (CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_AES),
        (CKA_TOKEN, True), (CKA_LABEL, name), (CKA_VALUE, value),
        (CKA_SENSITIVE, True)] + extra)


def unwrapped(token, record, name, wrapping, wrapped, mechanism,
              template=None):
    rv, handle = token.attempt(
        token.session.unwrapKey, wrapping, wrapped, template or [
            (CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_AES),
            (CKA_TOKEN, True), (CKA_LABEL, "key_wrapping-" + name),
            (CKA_ENCRYPT, True)], mechanism)
    record["unwrap_" + name] = rv
    return handle


def encrypted_zeros(token, handle):
    rv, out = token.attempt(token.session.encrypt, handle, bytes(16),
                            Mechanism(CKM_AES_ECB))
    return bytes(out).hex() if out else rv


@case
def oaep_key_wrapping(token, record):
    """RSA OAEP (SHA-1, the hash SoftHSM2 wraps with) wraps a known key
    under a generated public key; the private key unwraps it to a key
    that encrypts as the known one."""
    key = wrap_secret(token, record, "oaep_key_wrapping-key", bytes(16),
                      [(CKA_EXTRACTABLE, True)])
    rv, pair = token.attempt(
        token.session.generateKeyPair,
        [(CKA_TOKEN, True), (CKA_LABEL, "oaep_key_wrapping"),
         (CKA_MODULUS_BITS, 2048), (CKA_PUBLIC_EXPONENT, b"\x01\x00\x01"),
         (CKA_WRAP, True)],
        [(CKA_TOKEN, True), (CKA_LABEL, "oaep_key_wrapping"),
         (CKA_UNWRAP, True)],
        Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN))
    record["generate"] = rv
    if pair is None or key is None:
        return
    oaep = RSAOAEPMechanism(CKM_SHA_1, CKG_MGF1_SHA1)
    rv, wrapped = token.attempt(token.session.wrapKey, pair[0], key, oaep)
    record["wrap"] = "%d bytes" % len(wrapped) if wrapped else rv
    if not wrapped:
        return
    handle = unwrapped(token, record, "oaep", pair[1], bytes(wrapped), oaep)
    if handle is not None:
        record["encrypts"] = encrypted_zeros(token, handle)
    unwrapped(token, record, "oaep_short", pair[1], bytes(wrapped[:100]),
              oaep)


@case
def key_wrapping(token, record):
    """AES key wrap with and without padding of a known key under a known
    key: the wrapped bytes, the unwrapped key's attributes, and each
    refusal's code."""
    kek = wrap_secret(token, record, "key_wrapping-kek", bytes(range(32)),
                      [(CKA_WRAP, True), (CKA_UNWRAP, True)])
    key = wrap_secret(token, record, "key_wrapping-key", bytes(16),
                      [(CKA_EXTRACTABLE, True), (CKA_ENCRYPT, True)])
    stays = wrap_secret(token, record, "key_wrapping-stays", bytes(16),
                        [(CKA_EXTRACTABLE, False)])
    no_wrap = wrap_secret(token, record, "key_wrapping-no-wrap",
                          bytes(32), [(CKA_WRAP, False), (CKA_UNWRAP, False)])
    for name, mechanism in (("kw", Mechanism(CKM_AES_KEY_WRAP)),
                            ("kwp", Mechanism(CKM_AES_KEY_WRAP_PAD))):
        rv, wrapped = token.attempt(token.session.wrapKey, kek, key,
                                    mechanism)
        record["wrap_" + name] = bytes(wrapped).hex() if wrapped else rv
        if not wrapped:
            continue
        handle = unwrapped(token, record, name, kek, bytes(wrapped),
                           mechanism)
        if handle is not None:
            read = {}
            read_all(token, read, handle, [
                CKA_CLASS, CKA_KEY_TYPE, CKA_VALUE_LEN, CKA_LOCAL,
                CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_ENCRYPT])
            record.update((name + "_" + k, v) for k, v in read.items())
            record[name + "_encrypts"] = encrypted_zeros(token, handle)
        tampered = bytearray(wrapped)
        tampered[3] ^= 1
        unwrapped(token, record, name + "_tampered", kek, bytes(tampered),
                  mechanism)
        unwrapped(token, record, name + "_short", kek, bytes(wrapped[:12]),
                  mechanism)
    kw = Mechanism(CKM_AES_KEY_WRAP)
    record["wrap_unextractable"] = token.attempt(
        token.session.wrapKey, kek, stays, kw)[0]
    record["wrap_without_wrap"] = token.attempt(
        token.session.wrapKey, no_wrap, key, kw)[0]
    record["wrap_by_cbc"] = token.attempt(
        token.session.wrapKey, kek, key, Mechanism(CKM_AES_CBC, bytes(16)))[0]
    unwrapped(token, record, "without_unwrap", no_wrap, bytes(24), kw)
    unwrapped(token, record, "without_key_type", kek, bytes(24), kw,
              [(CKA_CLASS, CKO_SECRET_KEY)])


@case
def login_states(token, record):
    session = token.session
    record["login_again"] = token.attempt(session.login, token.pin)[0]
    record["logout"] = token.attempt(session.logout)[0]
    record["logout_again"] = token.attempt(session.logout)[0]
    record["login_wrong_pin"] = token.attempt(session.login, "wrong-pin")[0]
    record["login"] = token.attempt(session.login, token.pin)[0]


@case
def find_by_label(token, record):
    for label in ("data_object", "rsa_generate", "ec_generate",
                  "certificate_libp11_template"):
        record[label] = str(token.count([(CKA_LABEL, label)]))
    record["private_keys_id_60"] = str(token.count(
        [(CKA_CLASS, CKO_PRIVATE_KEY), (CKA_ID, b"\x60")]))


def multi_part(token, calls, mechanism, key, parts):
    """Init, an Update per part and Final of (C_*Init, C_*Update, C_*Final):
    (the return codes and output lengths joined, the whole output)."""
    init, update, final = calls
    lib, session = token.session.lib, token.session.session
    steps = [rv_name(init(session, mechanism.to_native(), key))]
    output = b""
    for part in parts + [None]:
        out = ckbytelist([0] * 1024)
        rv = (final(session, out) if part is None
              else update(session, ckbytelist(part), out))
        steps.append("%s:%d" % (rv_name(rv), len(out) if rv == CKR_OK else 0))
        output += bytes(out) if rv == CKR_OK else b""
    return " ".join(steps), output


@case
def aes_gcm_multi_part(token, record):
    """AES-GCM in parts of several sizes, then with a wrong tag."""
    handle = created(token, record, [
        (CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_AES),
        (CKA_TOKEN, True), (CKA_LABEL, "aes_gcm_multi_part"),
        (CKA_VALUE, bytes(range(16))), (CKA_ENCRYPT, True),
        (CKA_DECRYPT, True)])
    if handle is None:
        return
    lib = token.session.lib
    encrypt = (lib.C_EncryptInit, lib.C_EncryptUpdate, lib.C_EncryptFinal)
    decrypt = (lib.C_DecryptInit, lib.C_DecryptUpdate, lib.C_DecryptFinal)
    mechanism = AES_GCM_Mechanism(bytes(range(12)), b"header", 128)
    data = bytes(range(150))
    record["encrypt"], sealed = multi_part(
        token, encrypt, mechanism, handle, [data[:5], data[5:45], b"",
                                            data[45:]])
    record["ciphertext"] = sealed.hex()
    record["decrypt"], opened = multi_part(
        token, decrypt, mechanism, handle, [sealed[:7], sealed[7:100],
                                            sealed[100:]])
    record["plaintext"] = opened.hex()
    wrong = sealed[:-1] + bytes([sealed[-1] ^ 1])
    record["wrong_tag"] = multi_part(token, decrypt, mechanism, handle,
                                     [wrong[:80], wrong[80:]])[0]
