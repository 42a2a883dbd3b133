# SPDX-License-Identifier: Apache-2.0
"""stunnel 5.68 serves TLS with an RSA-2048 and a P-256 key held by kmipd
(one service each; key = the key file, read by the p11kmip provider that
OPENSSL_CONF activates; setuid to the unprivileged user after loading);
a verified handshake sees our public key. stunnel installs its own
allocator (CRYPTO_set_mem_functions). Usage: stunnel.py BUILD_DIR, under
with_server.py."""

import os
import pwd
import sys

sys.path.insert(0, os.path.dirname(__file__) + "/../../integration")
import consumers  # noqa: E402 pylint: disable=wrong-import-position
import daemons  # noqa: E402 pylint: disable=wrong-import-position
import servers  # noqa: E402 pylint: disable=wrong-import-position

STUNNEL = "/usr/bin/stunnel4"
# connect: a port where nothing listens; the handshake is all that is checked.
CONF = """\
foreground = yes
pid = {dir}/stunnel.pid
output = {dir}/stunnel.log
debug = info
setuid = {user}
setgid = {group}
[{kind}]
accept = 127.0.0.1:{port}
connect = 127.0.0.1:{backend}
cert = {cert}
key = {key}
"""


def serve_and_check(setup, _, key):
    directory, conf, port = setup.server_files(
        "stunnel-" + key.kind, "stunnel.conf", CONF, kind=key.kind,
        cert=key.cert, key=key.keyfile, backend=servers.free_port())
    worker = pwd.getpwnam(consumers.WORKER_USER)
    os.chown(directory, worker.pw_uid, worker.pw_gid)  # stunnel logs there
    daemons.serve_and_expect("stunnel", [STUNNEL, conf],
                             setup.env("provider"), port,
                             os.path.join(directory, "stunnel.log"), key)


def test(build):
    return consumers.server_test(build, "stunnel", ["key file"],
                                 serve_and_check)


if __name__ == "__main__":
    sys.exit(consumers.main(test))
