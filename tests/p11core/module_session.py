# SPDX-License-Identifier: Apache-2.0
"""The PyKCS11 tests' way into p11kmip-pkcs11.so: the slot of the server
with_server.py started (P11KMIP_TEST_*), the module's path taken from the
command line (its first argument, removed so unittest does not see it)."""
import os
import sys

import PyKCS11
from PyKCS11 import CKF_RW_SESSION, CKF_SERIAL_SESSION, CKR_OK


def code(call):
    """The CKR_ value a PyKCS11 call answers: CKR_OK, or what it raised."""
    try:
        call()
    except PyKCS11.PyKCS11Error as error:
        return error.value
    return CKR_OK


def module_lib(module):
    """(library, slot) of the module at path module."""
    os.environ.update({
        "P11KMIP_SERVER": os.environ["P11KMIP_TEST_SERVER"],
        "P11KMIP_CA": os.environ["P11KMIP_TEST_CA"],
        "P11KMIP_CERT": os.environ["P11KMIP_TEST_CERT"],
        "P11KMIP_KEY": os.environ["P11KMIP_TEST_KEY"]})
    os.environ.pop("P11KMIP_CONFIG", None)
    lib = PyKCS11.PyKCS11Lib()
    lib.load(module)
    return lib, lib.getSlotList(tokenPresent=True)[0]


def module_session():
    """(library, slot, read-write session) of the module."""
    lib, slot = module_lib(sys.argv.pop(1))
    return lib, slot, lib.openSession(slot, CKF_SERIAL_SESSION |
                                      CKF_RW_SESSION)
