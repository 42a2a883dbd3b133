# SPDX-License-Identifier: Apache-2.0
"""OpenVPN 2.6 (pkcs11-helper) finds keys held by kmipd through their
certificates on the token: openvpn --show-pkcs11-ids lists the RSA-2048
and the P-256 key's certificates (by serial number) with a serialized id
ending in the key's CKA_ID. A client with that --pkcs11-id then completes
the TLS handshake with a peer-to-peer OpenVPN server (--dev null, UDP on
127.0.0.1), whose --tls-verify script records the client certificate's
SHA-256: ours. Usage: openvpn.py BUILD_DIR, under with_server.py."""

import os
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes

sys.path.insert(0, os.path.dirname(__file__) + "/../../integration")
import consumers  # noqa: E402 pylint: disable=wrong-import-position
import daemons  # noqa: E402 pylint: disable=wrong-import-position
import servers  # noqa: E402 pylint: disable=wrong-import-position

OPENVPN = "/usr/sbin/openvpn"
# --tls-verify runs this with the certificate depth as $1.
VERIFY = """\
#!/bin/sh
[ "$1" = 0 ] && echo "$tls_digest_sha256_0" >>{seen}
exit 0
"""
CONNECTED = "Peer Connection Initiated"
HANDSHAKE_TIMEOUT_S = 30


def listed_certificates(output):
    """The "Certificate" blocks of --show-pkcs11-ids as dicts (DN, Serial,
    Serialized id)."""
    blocks = []
    for line in output.splitlines():
        if line.strip() == "Certificate":
            blocks.append({})
        elif blocks and ":" in line:
            name, value = line.split(":", 1)
            blocks[-1][name.strip()] = value.strip()
    return blocks


def load_cert(key):
    with open(key.cert, "rb") as pem:
        return x509.load_pem_x509_certificate(pem.read())


def pkcs11_id(blocks, key):
    """The serialized id --show-pkcs11-ids gave key's certificate."""
    serial = "%X" % load_cert(key).serial_number
    for block in blocks:
        if block.get("Serial", "").lstrip("0") == serial and \
                block.get("Serialized id", "").endswith("/" + key.key_id):
            return block["Serialized id"]
    raise consumers.Failure("no certificate with serial %s and id %s in %s" %
                            (serial, key.key_id, blocks))


def openvpn(setup, name, options):
    """An OpenVPN on --dev null, running until the context ends; ready when
    it has written its pid file."""
    directory = setup.subdir(name)
    pid = os.path.join(directory, "openvpn.pid")
    log = os.path.join(directory, "openvpn.log")
    return daemons.running(name, [OPENVPN, "--dev", "null", "--proto", "udp",
                                  "--verb", "3", "--writepid", pid,
                                  "--log", log, *options],
                           setup.env(), pid, log), log


def wait_for_handshake(log, seen):
    deadline = time.monotonic() + HANDSHAKE_TIMEOUT_S
    while CONNECTED not in daemons.log_tail(log, 1000) or \
            not os.path.exists(seen):
        if time.monotonic() > deadline:
            raise consumers.Failure("no handshake within %d s" %
                                    HANDSHAKE_TIMEOUT_S)
        time.sleep(0.1)
    with open(seen, encoding="ascii") as digests:
        return digests.read().split()


def handshake(setup, key, serialized_id):
    """A client with key's --pkcs11-id and a server trusting key's
    certificate; the client certificate's SHA-256 the server saw."""
    seen = setup.path(key.kind + ".seen")
    verify = setup.write(key.kind + "-verify.sh", VERIFY.format(seen=seen),
                         0o755)
    port = str(servers.free_port())
    server, server_log = openvpn(setup, "server-" + key.kind, [
        "--tls-server", "--dh", "none", "--local", servers.HOST,
        "--lport", port, "--ca", key.cert,
        "--cert", os.environ["P11KMIP_TEST_SERVER_CERT"],
        "--key", os.environ["P11KMIP_TEST_SERVER_KEY"],
        "--script-security", "2", "--tls-verify", verify])
    client, _ = openvpn(setup, "client-" + key.kind, [
        "--tls-client", "--nobind", "--remote", servers.HOST, port,
        "--ca", os.environ["P11KMIP_TEST_CA"],
        "--pkcs11-providers", setup.module, "--pkcs11-id", serialized_id])
    with server, client:
        digests = wait_for_handshake(server_log, seen)
    wanted = load_cert(key).fingerprint(hashes.SHA256()).hex(":")
    if digests != [wanted]:
        raise consumers.Failure("the OpenVPN server saw %s, not %s" %
                                (digests, wanted))


def test(build):
    setup = consumers.Setup(build, "openvpn")
    keys = setup.keys(cert_on_token=True)
    matrix = consumers.Matrix("openvpn")
    blocks = listed_certificates(setup.run(["openvpn", "--show-pkcs11-ids",
                                            setup.module]))
    for key in keys.values():
        with matrix.case("--show-pkcs11-ids", key.kind):
            serialized_id = pkcs11_id(blocks, key)
        with matrix.case("--pkcs11-id handshake", key.kind):
            handshake(setup, key, serialized_id)
    return matrix


if __name__ == "__main__":
    sys.exit(consumers.main(test))
