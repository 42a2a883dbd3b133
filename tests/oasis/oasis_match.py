# SPDX-License-Identifier: Apache-2.0
"""Variables of the OASIS test cases and the comparison of an answer with
the expected response.

Per batch item: Operation, Result Status and Result Reason must be the
expected ones; every expected payload field must be present (in any
order, extra fields allowed), with the expected value where the value is
fixed. A value is not compared where it cannot be reproduced: Byte
Strings and Big Integers that come from keys the server generated, from
random IVs or from randomised padding (only objects the case registered
with its own material, and deterministic uses of them, give fixed
bytes), server-chosen texts (Result Message, Server Information). Times
written as $NOW+-N match within TIME_SLACK seconds."""

import calendar
import copy
import re
import time

import oasis_xml

TIME_SLACK = 300
NOW = re.compile(r"^\$NOW(?:([+-])(\d+))?$")
# Server-chosen content: presence is checked, values are not.
FREE_TAGS = {"ResultMessage", "ServerInformation", "VendorIdentification",
             "TimeStamp", "ClientCorrelationValue", "ServerCorrelationValue"}
# Attributes that describe the server itself: that they are present is
# checked, not their value.
FREE_ATTRIBUTES = {"Random Number Generator"}
# What a Query answers lists the server's own capabilities: that each
# kind asked for is answered is checked, not that it equals the list of
# the server that recorded the case.
CAPABILITIES = {"Operation", "ObjectType", "ApplicationNamespace",
                "ExtensionInformation", "CapabilityInformation",
                "ProfileInformation", "ValidationInformation",
                "RNGParameters", "ClientRegistrationMethod",
                "DefaultsInformation", "ProtectionStorageMasks",
                "AttestationType", "StorageProtectionMask"}
# Operations whose output bytes are reproducible with a registered key.
DETERMINISTIC = {"Get", "GetAttributes", "GetAttributeList", "Decrypt",
                 "MAC", "MACVerify", "Hash", "SignatureVerify", "Encrypt",
                 "Sign", "Register", "Locate", "GetUsageAllocation",
                 "Activate", "Revoke", "Destroy", "AddAttribute",
                 "ModifyAttribute", "DeleteAttribute", "SetAttribute",
                 "Query", "DiscoverVersions", "Check"}


def iso_time(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def parse_time(text):
    text = text.replace("+00:00", "Z")
    text = re.sub(r"\.\d+Z$", "Z", text)
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def now_offset(text):
    match = NOW.match(text)
    if match is None:
        return None
    sign, amount = match.groups()
    return 0 if sign is None else int(amount) * (-1 if sign == "-" else 1)


def child(item, tag):
    for c in item.get("value", []) if isinstance(item.get("value"),
                                                  list) else []:
        if c["tag"] == tag:
            return c
    return None


def children(item, tag):
    return [c for c in item["value"] if c["tag"] == tag]


class Bindings:
    """Variables bound so far, and the objects whose material the case
    gave (their output bytes are reproducible)."""

    def __init__(self, requests):
        self.values = {}
        self.last_seen = {}  # "MAC_DATA": the last MAC Data answered
        self.registered = set()
        self.client_times = set()
        for request in requests:
            self._collect_times(request)

    def _collect_times(self, item):
        if isinstance(item["value"], list):
            for c in item["value"]:
                self._collect_times(c)
        elif item.get("type") == "DateTime":
            self.client_times.add(item["value"])

    def _resolve(self, item):
        value = item.get("value")
        if isinstance(value, list):
            item["value"] = [self._resolve(c) for c in value]
        elif isinstance(value, str) and value.startswith("$"):
            offset = now_offset(value)
            if offset is not None:
                item["value"] = iso_time(time.time() + offset)
            elif value in self.values:
                item["value"] = self.values[value]
            elif re.sub(r"_\d+$", "", value[1:]) in self.last_seen:
                # Some cases answer with a literal and ask with a variable
                # named after the field ($MAC_DATA, $DATA_0).
                item["value"] = self.last_seen[re.sub(r"_\d+$", "",
                                                      value[1:])]
            else:
                raise KeyError("unbound variable %s" % value)
        return item

    def request(self, request):
        return self._resolve(copy.deepcopy(request))

    def answered(self, item):
        """Notes the byte values of an answer, by field name."""
        if isinstance(item["value"], list):
            for c in item["value"]:
                self.answered(c)
        elif item.get("type") == "ByteString":
            name = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])",
                          "_", item["tag"]).upper()
            self.last_seen[name] = item["value"]


def _numbers(value):
    """An Integer or Enumeration value as a comparable set of parts."""
    if isinstance(value, int):
        return {value}
    parts = set()
    for part in re.split(r"[| ]+", value.strip()):
        parts.add(int(part, 16) if part.startswith("0x") else part)
    return parts


def _same_value(kind, want, got, fixed, client_times):
    if kind == "ByteString":
        return not fixed or want.lower() == got.lower()
    if kind == "BigInteger":
        return not fixed or int(want, 16) == int(got, 16)
    if kind in ("DateTime", "DateTimeExtended"):
        offset = now_offset(want)
        if offset is not None:
            return abs(parse_time(got) - (time.time() + offset)) <= TIME_SLACK
        # A time no request gave was the recording server's clock.
        return want not in client_times or parse_time(want) == parse_time(got)
    if kind in ("Integer", "Enumeration"):
        return _numbers(want) == _numbers(got)
    return want == got


class Matcher:
    def __init__(self, bindings, fixed, query):
        self.bindings = bindings
        self.fixed = fixed
        self.query = query

    def match(self, want, got, path):
        """None when got satisfies want (binding its variables), else
        what differs."""
        if want["tag"] != got["tag"]:
            return "%s: %s instead of %s" % (path, got["tag"], want["tag"])
        if isinstance(want["value"], list):
            return self._structure(want, got, path + "/" + want["tag"])
        if want.get("type") != got.get("type"):
            return "%s/%s: type %s instead of %s" % (
                path, want["tag"], got.get("type"), want.get("type"))
        value = want["value"]
        if want["tag"] in FREE_TAGS:
            return None
        if isinstance(value, str) and value.startswith("$") and \
                now_offset(value) is None:
            bound = self.bindings.values.setdefault(value, got["value"])
            return None if bound == got["value"] else \
                "%s/%s: %r, %s was %r" % (path, want["tag"], got["value"],
                                          value, bound)
        if _same_value(want["type"], value, got["value"], self.fixed,
                       self.bindings.client_times):
            return None
        return "%s/%s: %r instead of %r" % (path, want["tag"], got["value"],
                                            value)

    def _structure(self, want, got, path):
        if not isinstance(got["value"], list):
            return "%s: not a structure" % path
        name = child(want, "AttributeName")
        if want["tag"] in FREE_TAGS or (
                name is not None and name["value"] in FREE_ATTRIBUTES and
                child(got, "AttributeName") == name):
            return None
        used = set()
        for expected in want["value"]:
            problem = "%s: no %s" % (path, expected["tag"])
            if self.query and expected["tag"] in CAPABILITIES:
                if child(got, expected["tag"]) is None:
                    return problem
                continue
            for i, candidate in enumerate(got["value"]):
                if i in used or candidate["tag"] != expected["tag"]:
                    continue
                saved = dict(self.bindings.values)
                found = self.match(expected, candidate, path)
                if found is None:
                    used.add(i)
                    problem = None
                    break
                self.bindings.values = saved
                problem = found
            if problem is not None and expected["tag"] == "Attribute":
                problem = "%s: no Attribute %s" % (path, oasis_xml.dumps(
                    expected["value"]))
            if problem is not None:
                return problem
        return None


def _fixed_output(request_item, bindings, last_uid):
    """Whether the output bytes of this batch item are reproducible."""
    operation = child(request_item, "Operation")["value"]
    payload = child(request_item, "RequestPayload") or {"value": []}
    uid = child(payload, "UniqueIdentifier")
    uid = bindings.values.get(uid["value"], uid["value"]) if uid else last_uid
    if operation not in DETERMINISTIC:
        return False
    if operation in ("Encrypt", "Sign"):
        params = child(payload, "CryptographicParameters") or {"value": []}
        mode = child(params, "BlockCipherMode")
        if child(payload, "IVCounterNonce") is None and (
                mode is None or mode["value"] != "ECB"):
            return False
    return operation in ("Register", "Query", "DiscoverVersions") or \
        uid in bindings.registered


def _forget_new_stream(request_item, want, bindings):
    """A request with Init Indicator true opens a new stream, whose
    Correlation Value is new even where the case reuses its variable
    (TC-STREAM-ENC-1-14 names every stream $CORRELATION_VALUE)."""
    payload = child(request_item, "RequestPayload") or {"value": []}
    init = child(payload, "InitIndicator")
    answer = child(want, "ResponsePayload") or {"value": []}
    value = child(answer, "CorrelationValue")
    if init is not None and init["value"] is True and value is not None:
        bindings.values.pop(value["value"], None)


def compare_response(request, expected, answer, bindings):
    """None when answer is the expected response, else what differs."""
    if answer["tag"] != "ResponseMessage":
        return "answered %s" % answer["tag"]
    bindings.answered(answer)
    requests = children(request, "BatchItem")
    wants = children(expected, "BatchItem")
    gots = children(answer, "BatchItem")
    if len(wants) != len(gots):
        return "%d batch items instead of %d" % (len(gots), len(wants))
    last_uid = None
    for i, (want, got) in enumerate(zip(wants, gots)):
        req = requests[i] if i < len(requests) else requests[-1]
        fixed = _fixed_output(req, bindings, last_uid)
        matcher = Matcher(bindings, fixed,
                          child(req, "Operation")["value"] == "Query")
        for tag in ("Operation", "ResultStatus", "ResultReason"):
            field = child(want, tag)
            actual = child(got, tag)
            if field is not None and (actual is None or
                                      actual["value"] != field["value"]):
                return "item %d: %s %s instead of %s" % (
                    i, tag, actual and actual["value"], field["value"])
        payload = child(want, "ResponsePayload")
        _forget_new_stream(req, want, bindings)
        if payload is not None:
            actual = child(got, "ResponsePayload")
            if actual is None:
                return "item %d: no Response Payload" % i
            problem = matcher.match(payload, actual, "item %d" % i)
            if problem is not None:
                return problem
            uid = child(actual, "UniqueIdentifier")
            last_uid = uid["value"] if uid else last_uid
            operation = child(req, "Operation")["value"]
            if operation == "Register" and uid is not None:
                bindings.registered.add(uid["value"])
    return None
