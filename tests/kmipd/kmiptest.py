# SPDX-License-Identifier: Apache-2.0
"""A minimal KMIP client for kmipd's tests: a TTLV codec, request building
and a mutual-TLS connection that can also send raw (malformed) bytes.

Tag and enumeration numbers come from PyKMIP's kmip.core.enums (run with
/usr/bin/python3). Nothing here is used by the product."""

import os
import socket
import ssl
import struct
import time

from kmip.core import enums as E

T = E.Tags

STRUCTURE, INTEGER, LONG, BIGINT, ENUM, BOOL, TEXT, BYTES, DATE, INTERVAL = (
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10)


class Item:
    """One TTLV item; value is a list of Items for a structure."""

    def __init__(self, tag, kind, value):
        self.tag = tag.value if hasattr(tag, "value") else tag
        self.kind = kind
        self.value = value

    def all(self, tag):
        tag = tag.value if hasattr(tag, "value") else tag
        return [c for c in self.value if c.tag == tag]

    def get(self, tag):
        found = self.all(tag)
        return found[0] if found else None

    def val(self, tag):
        item = self.get(tag)
        return None if item is None else item.value

    def __repr__(self):
        return "Item(0x%06x, %d, %r)" % (self.tag, self.kind, self.value)


def S(tag, *children):
    return Item(tag, STRUCTURE, [c for c in children if c is not None])


def I(tag, v):
    return Item(tag, INTEGER, v)


def L(tag, v):
    return Item(tag, LONG, v)


def En(tag, v):
    return Item(tag, ENUM, v.value if hasattr(v, "value") else v)


def B(tag, v):
    return Item(tag, BOOL, v)


def Tx(tag, v):
    return Item(tag, TEXT, v)


def By(tag, v):
    return Item(tag, BYTES, v)


def D(tag, v):
    return Item(tag, DATE, v)


def encode(item):
    kind = item.kind
    if kind == STRUCTURE:
        body = b"".join(encode(c) for c in item.value)
    elif kind == INTEGER:
        body = struct.pack(">i", item.value)
    elif kind in (ENUM, INTERVAL):
        body = struct.pack(">I", item.value)
    elif kind in (LONG, DATE):
        body = struct.pack(">q", item.value)
    elif kind == BOOL:
        body = struct.pack(">Q", 1 if item.value else 0)
    elif kind == TEXT:
        body = item.value.encode("utf-8")
    else:
        body = bytes(item.value)
    head = item.tag.to_bytes(3, "big") + bytes([kind]) + \
        struct.pack(">I", len(body))
    return head + body + b"\0" * ((8 - len(body) % 8) % 8)


def decode(data):
    """Decodes one item at the start of data; returns (item, rest)."""
    tag = int.from_bytes(data[0:3], "big")
    kind = data[3]
    length = struct.unpack(">I", data[4:8])[0]
    body = data[8:8 + length]
    rest = data[8 + length + (8 - length % 8) % 8:]
    if kind == STRUCTURE:
        children = []
        while body:
            child, body = decode(body)
            children.append(child)
        return Item(tag, kind, children), rest
    if kind == INTEGER:
        value = struct.unpack(">i", body)[0]
    elif kind in (ENUM, INTERVAL):
        value = struct.unpack(">I", body)[0]
    elif kind in (LONG, DATE):
        value = struct.unpack(">q", body)[0]
    elif kind == BOOL:
        value = struct.unpack(">Q", body)[0] != 0
    elif kind == TEXT:
        value = body.decode("utf-8")
    else:
        value = bytes(body)
    return Item(tag, kind, value), rest


def request(items, version=(1, 4), header_extra=(), batch_count=None):
    """A Request Message; items are (operation, [payload children],
    batch_id or None) tuples."""
    batch = []
    for operation, payload, batch_id in items:
        batch.append(S(T.BATCH_ITEM,
                       En(T.OPERATION, operation),
                       None if batch_id is None else
                       By(T.UNIQUE_BATCH_ITEM_ID, batch_id),
                       S(T.REQUEST_PAYLOAD, *payload)))
    header = S(T.REQUEST_HEADER,
               S(T.PROTOCOL_VERSION, I(T.PROTOCOL_VERSION_MAJOR, version[0]),
                 I(T.PROTOCOL_VERSION_MINOR, version[1])),
               *header_extra,
               I(T.BATCH_COUNT,
                 len(items) if batch_count is None else batch_count))
    return S(T.REQUEST_MESSAGE, header, *batch)


class Result:
    """One response batch item."""

    def __init__(self, item):
        self.item = item
        self.operation = item.val(T.OPERATION)
        self.batch_id = item.val(T.UNIQUE_BATCH_ITEM_ID)
        self.status = item.val(T.RESULT_STATUS)
        self.reason = item.val(T.RESULT_REASON)
        self.message = item.val(T.RESULT_MESSAGE)
        self.payload = item.get(T.RESPONSE_PAYLOAD)

    @property
    def ok(self):
        return self.status == E.ResultStatus.SUCCESS.value

    def uid(self):
        return self.payload.val(T.UNIQUE_IDENTIFIER)

    def __repr__(self):
        return "Result(op=%r status=%r reason=%r message=%r)" % (
            self.operation, self.status, self.reason, self.message)


class Response:
    def __init__(self, message):
        self.message = message
        header = message.get(T.RESPONSE_HEADER)
        pv = header.get(T.PROTOCOL_VERSION)
        self.version = (pv.val(T.PROTOCOL_VERSION_MAJOR),
                        pv.val(T.PROTOCOL_VERSION_MINOR))
        self.batch_count = header.val(T.BATCH_COUNT)
        self.results = [Result(i) for i in message.all(T.BATCH_ITEM)]


def env_address():
    host, port = os.environ["P11KMIP_TEST_SERVER"].rsplit(":", 1)
    return host, int(port)


class Connection:
    """A mutual-TLS connection to kmipd."""

    def __init__(self, address=None, cert=None, key=None, ca=None,
                 tls_version=None, timeout=10.0):
        self.address = address or env_address()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.load_verify_locations(ca or os.environ["P11KMIP_TEST_CA"])
        context.load_cert_chain(cert or os.environ["P11KMIP_TEST_CERT"],
                                key or os.environ["P11KMIP_TEST_KEY"])
        if tls_version is not None:
            context.minimum_version = tls_version
            context.maximum_version = tls_version
        raw = socket.create_connection(self.address, timeout=timeout)
        self.sock = context.wrap_socket(raw, server_hostname=self.address[0])

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed by the server")
            data += chunk
        return data

    def receive(self):
        head = self._read(8)
        length = struct.unpack(">I", head[4:8])[0]
        body = self._read(length + (8 - length % 8) % 8)
        message, rest = decode(head + body)
        assert rest == b""
        return Response(message)

    def call_raw(self, data):
        self.send_raw(data)
        return self.receive()

    def call(self, items, **kwargs):
        return self.call_raw(encode(request(items, **kwargs)))

    def one(self, operation, payload, version=(1, 4)):
        """Sends one operation and returns its Result."""
        return self.call([(operation, payload, None)],
                         version=version).results[0]

    def is_closed(self, wait=2.0):
        """True when the server has closed the connection."""
        self.sock.settimeout(wait)
        try:
            return self.sock.recv(1) == b""
        except (ConnectionError, ssl.SSLError):
            return True
        except socket.timeout:
            return False


# ---- Payload builders for the common operations. ----

OP = E.Operation


def attr_v1(name, value_item):
    value_item.tag = T.ATTRIBUTE_VALUE.value
    return S(T.ATTRIBUTE, Tx(T.ATTRIBUTE_NAME, name), value_item)


def name_value(text, tag=T.ATTRIBUTE_VALUE):
    return S(tag, Tx(T.NAME_VALUE, text),
             En(T.NAME_TYPE, E.NameType.UNINTERPRETED_TEXT_STRING))


def create_aes(name=None, extra=(), version=(1, 4), usage=12):
    """Create payload children for an AES-256 key, in version's form."""
    if version[0] >= 2:
        attrs = [En(T.CRYPTOGRAPHIC_ALGORITHM,
                    E.CryptographicAlgorithm.AES),
                 I(T.CRYPTOGRAPHIC_LENGTH, 256),
                 I(T.CRYPTOGRAPHIC_USAGE_MASK, usage)]
        if name is not None:
            attrs.append(name_value(name, T.NAME))
        attrs.extend(extra)
        return [En(T.OBJECT_TYPE, E.ObjectType.SYMMETRIC_KEY),
                S(T.ATTRIBUTES, *attrs)]
    attrs = [attr_v1("Cryptographic Algorithm",
                     En(0, E.CryptographicAlgorithm.AES)),
             attr_v1("Cryptographic Length", I(0, 256)),
             attr_v1("Cryptographic Usage Mask", I(0, usage))]
    if name is not None:
        attrs.append(attr_v1("Name", name_value(name)))
    attrs.extend(extra)
    return [En(T.OBJECT_TYPE, E.ObjectType.SYMMETRIC_KEY),
            S(T.TEMPLATE_ATTRIBUTE, *attrs)]


def uid_payload(uid):
    return [] if uid is None else [Tx(T.UNIQUE_IDENTIFIER, uid)]


def revoke_payload(uid, code=E.RevocationReasonCode.CESSATION_OF_OPERATION):
    return uid_payload(uid) + [S(T.REVOCATION_REASON,
                                 En(T.REVOCATION_REASON_CODE, code))]


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
