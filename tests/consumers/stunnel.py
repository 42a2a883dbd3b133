# SPDX-License-Identifier: Apache-2.0
"""stunnel 5.68 serves TLS with an RSA-2048 and a P-256 key held by kmipd
(one service each; key = the key file, read by the p11kmip provider that
OPENSSL_CONF activates; setuid to the unprivileged user after loading);
a verified handshake sees our public key. stunnel installs its own
allocator (CRYPTO_set_mem_functions). Usage: stunnel.py BUILD_DIR, under
with_server.py."""

import os
import pwd
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../integration"))
import consumers  # noqa: E402 pylint: disable=wrong-import-position
import daemons  # noqa: E402 pylint: disable=wrong-import-position
import servers  # noqa: E402 pylint: disable=wrong-import-position

STUNNEL = "/usr/bin/stunnel4"
GLOBAL = """\
foreground = yes
pid = {dir}/stunnel.pid
output = {dir}/stunnel.log
debug = info
setuid = {user}
setgid = {group}
"""
SERVICE = """\
[{kind}]
accept = 127.0.0.1:{port}
connect = 127.0.0.1:{backend}
cert = {cert}
key = {key}
"""


def serve_and_check(setup, key, backend):
    directory = setup.subdir("stunnel-" + key.kind)
    worker = pwd.getpwnam(consumers.WORKER_USER)
    os.chown(directory, worker.pw_uid, worker.pw_gid)  # stunnel logs there
    port = servers.free_port()
    conf = os.path.join(directory, "stunnel.conf")
    with open(conf, "w", encoding="utf-8") as out:
        out.write(GLOBAL.format(dir=directory, user=consumers.WORKER_USER,
                                group=consumers.WORKER_GROUP) +
                  SERVICE.format(kind=key.kind, port=port, cert=key.cert,
                                 key=key.keyfile, backend=backend))
    with daemons.running("stunnel", [STUNNEL, conf], setup.env("provider"),
                         port, os.path.join(directory, "stunnel.log")):
        consumers.expect_key(daemons.server_key_fingerprint(port, key.cert),
                             key, "a TLS client of stunnel")


def test(build):
    setup = consumers.Setup(build, "stunnel")
    keys = setup.keys()
    setup.share_with_workers()
    matrix = consumers.Matrix("stunnel")
    # Nothing answers behind stunnel: the handshake is all that is checked.
    with socket.create_server((servers.HOST, 0)) as backend:
        for key in keys.values():
            with matrix.case("key file", key.kind):
                serve_and_check(setup, key, backend.getsockname()[1])
    return matrix


if __name__ == "__main__":
    sys.exit(consumers.main(test))
