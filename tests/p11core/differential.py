# SPDX-License-Identifier: Apache-2.0
"""Differential test: the same scripted PKCS#11 call sequences run against
SoftHSM2 and against p11kmip-pkcs11.so (over the KMIP server with_server.py
started); their return codes and attribute values are compared.

    differential.py P11KMIP_MODULE

Every difference must be listed in doc/pkcs11.md's table between the
"differential:begin" and "differential:end" markers, with its KMIP reason;
a listed difference that no longer occurs fails the test too, so the list
stays the truth.
"""
import os
import re
import subprocess
import sys

import PyKCS11
from PyKCS11 import LowLevel

import differential_cases
import differential_wrap_cases  # noqa: F401 (registers its cases)
from differential_cases import rv_name

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "diff-pin-1234"
DOC = os.path.join(os.path.dirname(__file__), "..", "..", "doc", "pkcs11.md")


class Token:
    """One module, its first token, and a logged-in read-write session."""

    def __init__(self, module):
        self.pin = PIN
        self.lib = PyKCS11.PyKCS11Lib()
        self.lib.load(module)
        self.slot = self.lib.getSlotList(tokenPresent=True)[0]
        self.session = self.open(rw=True)
        self.session.login(self.pin)

    def open(self, rw):
        flags = PyKCS11.CKF_SERIAL_SESSION
        if rw:
            flags |= PyKCS11.CKF_RW_SESSION
        return self.lib.openSession(self.slot, flags)

    def attempt(self, call, *args):
        """(return code name, result or None) of one high-level call."""
        try:
            return "CKR_OK", call(*args)
        except PyKCS11.PyKCS11Error as error:
            return rv_name(error.value), None

    def read(self, handle, attribute, session=None):
        """One attribute: its value as hex, or the return code's name."""
        session = session or self.session
        template = LowLevel.ckattrlist(1)
        template[0].SetType(attribute)
        rv = session.lib.C_GetAttributeValue(session.session, handle, template)
        if rv == PyKCS11.CKR_OK:
            rv = session.lib.C_GetAttributeValue(session.session, handle,
                                                 template)
        if rv != PyKCS11.CKR_OK:
            return rv_name(rv)
        return bytes(template[0].GetBin()).hex()

    def count(self, template, session=None):
        return len((session or self.session).findObjects(template))


def softhsm_token(directory):
    tokens = os.path.join(directory, "softhsm-tokens")
    os.makedirs(tokens, exist_ok=True)
    conf = os.path.join(directory, "softhsm2.conf")
    with open(conf, "w") as out:
        out.write("directories.tokendir = %s\nobjectstore.backend = file\n"
                  % tokens)
    os.environ["SOFTHSM2_CONF"] = conf
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label",
                    "diff", "--so-pin", PIN, "--pin", PIN], check=True,
                   stdout=subprocess.DEVNULL)


def p11kmip_config(directory):
    """A key-passphrase slot: the PIN decrypts the client key, as SoftHSM2's
    user PIN guards its objects."""
    env = os.environ
    key = os.path.join(directory, "diff-client.key")
    subprocess.run(["openssl", "pkey", "-in", env["P11KMIP_TEST_KEY"],
                    "-aes256", "-passout", "pass:" + PIN, "-out", key],
                   check=True)
    conf = os.path.join(directory, "diff-p11kmip.json")
    with open(conf, "w") as out:
        out.write('{"slots": [{"label": "diff", "servers": ["%s"], '
                  '"ca": "%s", "cert": "%s", "key": "%s", '
                  '"login": "key-passphrase"}]}'
                  % (env["P11KMIP_TEST_SERVER"], env["P11KMIP_TEST_CA"],
                     env["P11KMIP_TEST_CERT"], key))
    env["P11KMIP_CONFIG"] = conf
    for name in ("P11KMIP_SERVER", "P11KMIP_CA", "P11KMIP_CERT",
                 "P11KMIP_KEY"):
        env.pop(name, None)


def observe(module):
    token = Token(module)
    observations = {}
    for case in differential_cases.CASES:
        record = {}
        try:
            case(token, record)
        except PyKCS11.PyKCS11Error as error:
            record["aborted"] = rv_name(error.value)
        for name, value in record.items():
            observations["%s/%s" % (case.__name__, name)] = value
    return observations


def listed_differences():
    text = open(DOC, encoding="utf-8").read()
    block = text.split("<!-- differential:begin -->")[1]
    block = block.split("<!-- differential:end -->")[0]
    return set(re.findall(r"^\| `([^`]+)` \|", block, re.MULTILINE))


def main():
    directory = os.environ["P11KMIP_TEST_DIR"]
    softhsm_token(directory)
    p11kmip_config(directory)
    reference = observe(SOFTHSM)
    ours = observe(sys.argv[1])
    found = {name for name in reference.keys() | ours.keys()
             if reference.get(name) != ours.get(name)}
    listed = listed_differences()
    for name in sorted(found):
        mark = "listed" if name in listed else "NEW"
        print("%-6s %s: softhsm2 %s, p11kmip %s"
              % (mark, name, reference.get(name), ours.get(name)))
    for name in sorted(listed - found):
        print("GONE   %s: listed in doc/pkcs11.md, no longer differs" % name)
    print("differential: %d observations, %d differences (%d listed)"
          % (len(reference), len(found), len(found & listed)))
    return 0 if found == listed else 1


if __name__ == "__main__":
    sys.exit(main())
