# SPDX-License-Identifier: Apache-2.0
"""The codec renders values by name where the OASIS XML writes names:
every message of every case is read from XML into KMIP JSON, encoded to
TTLV and decoded again by the project's codec (what `p11kmip decode`
prints), and each Enumeration and mask the XML writes by name must come
back as the same name(s), Attribute Values included.

    test_codec_names.py --codec PATH --cases DIR"""

import argparse
import os
import re
import sys

import oasis_xml
from oasis_codec import Codec

# Stand-ins for the variables of the cases, by type.
STAND_IN = {"DateTime": "2024-01-01T00:00:00Z", "ByteString": "00",
            "TextString": None}


def concrete(item):
    """item with its variables replaced by stand-ins of their type."""
    value = item["value"]
    if isinstance(value, list):
        return dict(item, value=[concrete(c) for c in value])
    if isinstance(value, str) and value.startswith("$"):
        stand_in = STAND_IN.get(item["type"])
        return dict(item, value=value if stand_in is None else stand_in)
    return item


def names(value):
    return set(re.split(r"[| ]+", value.strip()))


def compare(want, got, counts, problems):
    """Walks the XML item and the decoded one side by side."""
    if isinstance(want["value"], list):
        for w, g in zip(want["value"], got["value"]):
            compare(w, g, counts, problems)
        return
    value = want["value"]
    named = isinstance(value, str) and not value.startswith(("0x", "$")) \
        and want.get("type") in ("Enumeration", "Integer")
    if not named:
        return
    counts[want["tag"] == "AttributeValue"] += 1
    if not isinstance(got["value"], str) or \
            names(got["value"]) != names(value):
        problems.append("%s %r decoded as %r" % (want["tag"], value,
                                                got["value"]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--codec", required=True)
    parser.add_argument("--cases", required=True)
    args = parser.parse_args()
    codec = Codec(args.codec)
    counts = [0, 0]  # named values: elsewhere, in Attribute Values
    problems = []
    for root, _, files in sorted(os.walk(args.cases)):
        for name in sorted(f for f in files if f.endswith(".xml")):
            for pair in oasis_xml.load_case(os.path.join(root, name)):
                for item in map(concrete, pair):
                    try:
                        decoded = codec.decode(codec.encode(item))
                    except ValueError as error:
                        problems.append("%s: %s" % (name, error))
                        continue
                    compare(item, decoded, counts, problems)
    codec.close()
    print("%d values by name (%d Attribute Values); %d differ" % (
        sum(counts), counts[True], len(problems)))
    for problem in problems[:20]:
        print(problem)
    return 1 if problems or counts[True] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
