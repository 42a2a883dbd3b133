# SPDX-License-Identifier: Apache-2.0
"""doc/pkcs11.md's mechanism table (between the mechanisms markers)
against C_GetMechanismList and C_GetMechanismInfo of a kmipd slot through
p11kmip-pkcs11.so (PyKCS11): the same mechanisms, each with the same
operation flags and key sizes (the unit the standard uses: bytes for AES,
HMAC and generic secrets, bits for the others). The KMIP column is free
text.

    test_mech_table.py MODULE DOC
"""
import os
import re
import sys
import unittest

import PyKCS11

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from module_session import module_session  # noqa: E402

LIB, SLOT, SESSION = module_session()
DOC = sys.argv.pop(1)

# The flags the table's Flags column names (CKF_HW and the curve flags
# are described in the text above it).
OPERATIONS = ("encrypt", "decrypt", "digest", "sign", "sign_recover",
              "verify", "verify_recover", "generate", "generate_key_pair",
              "wrap", "unwrap", "derive")
BYTE_SIZED = ("AES", "HMAC", "GENERIC_SECRET")


def operation_flags(flags):
    return {name for name in OPERATIONS
            if flags & getattr(PyKCS11, "CKF_" + name.upper())}


def unit(mechanism):
    return "bytes" if any(k in mechanism for k in BYTE_SIZED) else "bits"


def sizes(mechanism, text):
    """(min, max) of a Key sizes cell: "-" for none, else "MIN-MAX UNIT"."""
    if text == "-":
        return (0, 0)
    match = re.fullmatch(r"(\d+)-(\d+) (bits|bytes)", text)
    if match is None or match.group(3) != unit(mechanism):
        raise ValueError("%s: key sizes %r, not MIN-MAX %s"
                         % (mechanism, text, unit(mechanism)))
    return (int(match.group(1)), int(match.group(2)))


def table_rows():
    """{mechanism: (flags, (min, max))} of the doc's table."""
    text = open(DOC, encoding="utf-8").read()
    block = re.search(r"<!-- mechanisms:begin -->\n(.*?)<!-- mechanisms:end",
                      text, re.S)
    if block is None:
        raise ValueError("no mechanisms markers in " + DOC)
    rows = {}
    for line in block.group(1).splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        name = cells[0].strip("`")
        if name in rows:
            raise ValueError("%s: two rows" % name)
        rows[name] = (set(cells[1].split()), sizes(name, cells[2]))
    return rows


def module_rows():
    rows = {}
    for name in LIB.getMechanismList(SLOT):
        info = LIB.getMechanismInfo(SLOT, name)
        rows[name] = (operation_flags(info.flags),
                      (info.ulMinKeySize, info.ulMaxKeySize))
    return rows


class MechanismTable(unittest.TestCase):
    def test_table_is_the_slots_list(self):
        documented, listed = table_rows(), module_rows()
        self.assertEqual(sorted(set(listed) - set(documented)), [],
                         "listed, not in the table")
        self.assertEqual(sorted(set(documented) - set(listed)), [],
                         "in the table, not listed")
        for name, row in listed.items():
            with self.subTest(mechanism=name):
                self.assertEqual(documented[name], row)

    def test_flag_names_are_known(self):
        for name, (flags, _) in table_rows().items():
            with self.subTest(mechanism=name):
                self.assertLessEqual(flags, set(OPERATIONS))


if __name__ == "__main__":
    unittest.main()
