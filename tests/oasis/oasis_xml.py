# SPDX-License-Identifier: Apache-2.0
"""The KMIP XML encoding of the OASIS test cases, read into the KMIP JSON
form ({"tag", "type", "value"}) that the project's codec reads. Values
that are variables ("$NOW-3600", "$UNIQUE_IDENTIFIER_0") stay strings for
oasis_match to resolve."""

import json
import re
import xml.etree.ElementTree as ET


def dumps(item):
    return json.dumps(item, separators=(",", ":"))


def loads(text):
    return json.loads(text)


def _number(text):
    if text.startswith("0x"):
        return text
    try:
        return int(text)
    except ValueError:
        return None


def _value(kind, text):
    if text.startswith("$"):
        return text
    if kind in ("Integer", "LongInteger", "Interval"):
        number = _number(text)
        # A mask by names: the XML form separates them with spaces.
        return number if number is not None else " ".join(text.split())
    if kind == "BigInteger":
        return text if text.startswith("0x") else "0x" + text
    if kind == "Boolean":
        return text.strip().lower() in ("true", "1")
    return text


def _item(element):
    tag = element.get("tag", element.tag) if element.tag == "TTLV" \
        else element.tag
    kind = element.get("type")
    if kind is None or kind == "Structure":
        return {"tag": tag, "value": [_item(c) for c in element]}
    return {"tag": tag, "type": kind,
            "value": _value(kind, element.get("value", ""))}


def load_case(path):
    """[(request, expected response)] of one case file."""
    with open(path, encoding="utf-8") as case:
        text = case.read()
    text = re.sub(r"<\?xml[^>]*\?>", "", text)
    root = ET.fromstring("<case>" + text + "</case>")
    messages = []
    for element in root.iter():
        if element.tag in ("RequestMessage", "ResponseMessage"):
            messages.append(element)
    pairs = []
    for request, response in zip(messages[::2], messages[1::2]):
        if request.tag != "RequestMessage" or \
                response.tag != "ResponseMessage":
            raise ValueError("messages out of order")
        pairs.append((_item(request), _item(response)))
    if not pairs:
        raise ValueError("no messages")
    return pairs
