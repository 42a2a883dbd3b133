# SPDX-License-Identifier: Apache-2.0
"""What Solaris' pkcs11_kmip and Vault's PKCS#11 library offer, through
p11kmip-pkcs11.so (PyKCS11; C_CopyObject by ctypes, PyKCS11 lacks it) and
the CLI, against the kmipd with_server.py started: a PKCS#12 slot that
logs in, signs and changes its PIN; C_InitToken renaming the token in its
file; CKF_HW_SLOT; the attribute cache switch; the trace log without
secrets; C_CopyObject.

    test_seed_features_e2e.py MODULE CLI

Each case runs in a child process of its own (a configuration is read at
C_Initialize): `test_seed_features_e2e.py MODULE CLI --child NAME`.
"""
import ctypes
import json
import os
import subprocess
import sys
import unittest

import PyKCS11
from PyKCS11 import *  # noqa: F401,F403 (the CK* constants)
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

MODULE, CLI = sys.argv[1], sys.argv[2]
DIR = os.environ.get("P11KMIP_TEST_DIR", "/tmp")
P12 = os.path.join(DIR, "client.p12")
CONFIG = os.path.join(DIR, "seed.json")
LOG = os.path.join(DIR, "trace.log")
PIN, NEW_PIN = "pin-one-4711", "pin-two-4712"
SECRET_DATA = b"data-secret-5678"
CKR_ACTION_PROHIBITED = 0x1B  # not among PyKCS11's constants


def write_p12(passphrase):
    def read(name):
        with open(os.environ[name], "rb") as f:
            return f.read()
    key = serialization.load_pem_private_key(read("P11KMIP_TEST_KEY"), None)
    cert = x509.load_pem_x509_certificate(read("P11KMIP_TEST_CERT"))
    ca = x509.load_pem_x509_certificate(read("P11KMIP_TEST_CA"))
    data = pkcs12.serialize_key_and_certificates(
        b"client-a", key, cert, [ca],
        serialization.BestAvailableEncryption(passphrase.encode()))
    with open(P12, "wb") as f:
        f.write(data)
    os.chmod(P12, 0o600)


def write_config(**slot):
    entry = {"label": "seed", "servers": [os.environ["P11KMIP_TEST_SERVER"]]}
    entry.update(slot)
    with open(CONFIG, "w") as f:
        json.dump({"slots": [entry]}, f)
    os.chmod(CONFIG, 0o600)


PEM_SLOT = {"ca": "P11KMIP_TEST_CA", "cert": "P11KMIP_TEST_CERT",
            "key": "P11KMIP_TEST_KEY"}


def pem_slot(**extra):
    slot = {k: os.environ[v] for k, v in PEM_SLOT.items()}
    slot.update(extra)
    return slot


def open_module():
    lib = PyKCS11.PyKCS11Lib()
    lib.load(MODULE)
    slot = lib.getSlotList(tokenPresent=True)[0]
    return lib, slot


def rw_session(lib, slot):
    return lib.openSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION)


def expect_rv(rv, call, *args):
    try:
        call(*args)
    except PyKCS11.PyKCS11Error as e:
        assert e.value == rv, "%s, expected %s" % (e, CKR[rv])
        return
    raise AssertionError("no error, expected %s" % CKR[rv])


def ec_sign(session):
    public, private = session.generateKeyPair(
        [(CKA_TOKEN, True), (CKA_EC_PARAMS, bytes.fromhex(
            "06082a8648ce3d030107")), (CKA_VERIFY, True)],
        [(CKA_TOKEN, True), (CKA_SIGN, True)],
        Mechanism(CKM_EC_KEY_PAIR_GEN))
    digest = bytes(range(32))
    signature = bytes(session.sign(private, digest, Mechanism(CKM_ECDSA)))
    assert len(signature) == 64
    assert session.verify(public, digest, signature, Mechanism(CKM_ECDSA))
    return public, private


def data_object(session, label, value=b"kept-value"):
    return session.createObject([
        (CKA_CLASS, CKO_DATA), (CKA_TOKEN, True), (CKA_LABEL, label),
        (CKA_VALUE, value)])


def label_of(session, handle):
    return bytes(session.getAttributeValue(handle, [CKA_LABEL], True)[0]
                 ).decode()


# ---- the cases, each in a child process ----

def child_p12_login_sign_set_pin():
    write_p12(PIN)
    write_config(p12=P12, login="key-passphrase")
    lib, slot = open_module()
    session = rw_session(lib, slot)
    expect_rv(CKR_PIN_INCORRECT, session.login, "wrong-pin")
    expect_rv(CKR_PIN_LEN_RANGE, session.login, "x" * 257)
    session.login(PIN)
    ec_sign(session)
    session.setPin(PIN, NEW_PIN)
    assert os.stat(P12).st_mode & 0o777 == 0o600
    session.logout()
    expect_rv(CKR_PIN_INCORRECT, session.login, PIN)
    session.login(NEW_PIN)
    ec_sign(session)


def child_p12_passphrase_from_environment():
    write_p12(PIN)
    write_config(p12=P12, ca=os.environ["P11KMIP_TEST_CA"])
    os.environ["P11KMIP_KEY_PASSWORD"] = PIN
    lib, slot = open_module()
    ec_sign(rw_session(lib, slot))


def child_init_token_renames():
    write_config(**pem_slot())
    lib, slot = open_module()
    session = rw_session(lib, slot)
    data_object(session, "kept")
    session.closeSession()
    lib.initToken(slot, "", "renamed")
    assert lib.getTokenInfo(slot).label.strip() == "renamed"
    with open(CONFIG) as f:
        assert json.load(f)["slots"][0]["label"] == "renamed"
    session = rw_session(lib, slot)
    found = session.findObjects([(CKA_CLASS, CKO_DATA), (CKA_LABEL, "kept")])
    assert len(found) == 1
    value = session.getAttributeValue(found[0], [CKA_VALUE], True)[0]
    assert bytes(value) == b"kept-value"


def child_hardware_slot():
    write_config(**pem_slot(hardware_slot=True))
    lib, slot = open_module()
    assert lib.getSlotInfo(slot).flags & CKF_HW_SLOT


def child_no_hardware_slot():
    write_config(**pem_slot())
    lib, slot = open_module()
    assert not lib.getSlotInfo(slot).flags & CKF_HW_SLOT


def child_relabel():
    """Run by child_cache_*: another process renames the object."""
    lib, slot = open_module()
    session = rw_session(lib, slot)
    handle = session.findObjects([(CKA_CLASS, CKO_DATA),
                                  (CKA_LABEL, os.environ["SEED_LABEL"])])[0]
    session.setAttributeValue(handle, [(CKA_LABEL, "after")])


def labels_after_another_process_renames(cache):
    write_config(**pem_slot(attribute_cache=cache))
    lib, slot = open_module()
    session = rw_session(lib, slot)
    label = "before-%s" % cache
    handle = data_object(session, label)
    assert label_of(session, handle) == label
    env = dict(os.environ, SEED_LABEL=label)
    subprocess.run([sys.executable, __file__, MODULE, CLI, "--child",
                    "relabel"], env=env, check=True)
    return label_of(session, handle)


def child_cache_off_sees_another_process():
    assert labels_after_another_process_renames(False) == "after"


def child_cache_on_keeps_what_it_read():
    assert labels_after_another_process_renames(True) == "before-True"


def child_trace_log_has_no_secrets():
    write_p12(PIN)
    write_config(p12=P12, login="key-passphrase")
    os.environ.update(P11KMIP_LOG_LEVEL="trace", P11KMIP_LOG_FILE=LOG)
    lib, slot = open_module()
    session = rw_session(lib, slot)
    session.login(PIN)
    ec_sign(session)
    data_object(session, "traced", SECRET_DATA)
    session.logout()
    lib.lib.C_Finalize()
    with open(LOG, "rb") as f:
        log = f.read()
    assert b"KMIP Sign -> Success" in log, log
    assert b"KMIP Register, Activate -> Success, Success" in log, log
    with open(os.environ["P11KMIP_TEST_KEY"], "rb") as f:
        key_lines = f.read().splitlines()[1:-1]
    for secret in [PIN.encode(), SECRET_DATA, SECRET_DATA.hex().encode()] + \
            key_lines:
        assert secret not in log, secret


class Attribute(ctypes.Structure):
    _fields_ = [("type", ctypes.c_ulong), ("value", ctypes.c_void_p),
                ("len", ctypes.c_ulong)]


def copy_object(session, handle, label):
    """C_CopyObject with CKA_LABEL in the template: (rv, new handle)."""
    module = ctypes.CDLL(MODULE)  # the library PyKCS11 loaded
    text = ctypes.create_string_buffer(label.encode(), len(label))
    template = (Attribute * 1)(Attribute(CKA_LABEL, ctypes.cast(
        text, ctypes.c_void_p), len(label)))
    new = ctypes.c_ulong(0)
    rv = module.C_CopyObject(ctypes.c_ulong(session.session.value()),
                             ctypes.c_ulong(handle.value()), template, 1,
                             ctypes.byref(new))
    return rv, new.value


def object_with_handle(session, template, value):
    for handle in session.findObjects(template):
        if handle.value() == value:
            return handle
    raise AssertionError("copy %d not found" % value)


def copyable(session, handle):
    value = session.getAttributeValue(handle, [CKA_COPYABLE], True)[0]
    return bytes(value) == b"\x01"


def assert_copied(session, source, attrs):
    rv, new = copy_object(session, source, "the-copy")
    assert rv == CKR_OK, CKR[rv]
    assert new != source.value()
    copy = object_with_handle(session, [(CKA_LABEL, "the-copy")], new)
    for attr in attrs:
        assert session.getAttributeValue(copy, [attr], True) == \
            session.getAttributeValue(source, [attr], True), attr
    assert copyable(session, copy)


def child_copy_object():
    write_config(**pem_slot())
    lib, slot = open_module()
    session = rw_session(lib, slot)
    with open(os.environ["P11KMIP_TEST_CERT"], "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    der = cert.public_bytes(serialization.Encoding.DER)
    certificate = session.createObject([
        (CKA_CLASS, CKO_CERTIFICATE), (CKA_CERTIFICATE_TYPE, CKC_X_509),
        (CKA_TOKEN, True), (CKA_LABEL, "to-copy"), (CKA_VALUE, der)])
    assert_copied(session, certificate, [CKA_VALUE, CKA_SUBJECT, CKA_CLASS])
    assert_copied(session, data_object(session, "to-copy"),
                  [CKA_VALUE, CKA_CLASS])
    public, private = ec_sign(session)
    assert_copied(session, public, [CKA_EC_POINT, CKA_EC_PARAMS, CKA_CLASS])
    assert copy_object(session, private, "x")[0] == CKR_ACTION_PROHIBITED
    assert not copyable(session, private)


def child_cli_config_with_p12():
    write_p12(PIN)
    if os.path.exists(CONFIG):
        os.unlink(CONFIG)
    env = dict(os.environ, P11KMIP_PIN=PIN)
    init = [CLI, "config", "init", "--file", CONFIG, "--label", "cli-p12",
            "--server", os.environ["P11KMIP_TEST_SERVER"], "--p12", P12,
            "--login", "key-passphrase", "--hardware-slot", "true"]
    subprocess.run(init, env=env, check=True)
    with open(CONFIG) as f:
        slot = json.load(f)["slots"][0]
    assert slot["p12"] == P12 and "cert" not in slot, slot
    assert slot["hardware_slot"] is True, slot
    check = [CLI, "config", "check", "--file", CONFIG]
    subprocess.run(check, env=env, check=True)
    wrong = subprocess.run(check, env=dict(env, P11KMIP_PIN="wrong"),
                           capture_output=True, text=True)
    output = wrong.stdout + wrong.stderr
    assert wrong.returncode != 0 and "wrong passphrase" in output, output
    both = subprocess.run(init + ["--force", "--cert", P12],
                          env=env, capture_output=True, text=True)
    assert both.returncode != 0 and "give one or the other" in both.stderr, \
        both.stderr


# ---- the parent: one child per case ----

class SeedFeatures(unittest.TestCase):
    def run_child(self, name):
        env = dict(os.environ, P11KMIP_CONFIG=CONFIG)
        for key in ("P11KMIP_SERVER", "P11KMIP_LOG_LEVEL", "P11KMIP_LOG_FILE"):
            env.pop(key, None)
        done = subprocess.run([sys.executable, __file__, MODULE, CLI,
                               "--child", name], env=env,
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)


for case in [name[len("child_"):] for name in list(globals())
             if name.startswith("child_") and name != "child_relabel"]:
    setattr(SeedFeatures, "test_" + case,
            lambda self, case=case: self.run_child(case))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[3] == "--child":
        globals()["child_" + sys.argv[4]]()
        sys.exit(0)
    del sys.argv[1:3]
    unittest.main()
