# SPDX-License-Identifier: Apache-2.0
"""curl 7.88 authenticates with a client certificate (mutual TLS) whose
RSA-2048 or P-256 key kmipd holds: --key names the key file (read by the
p11kmip provider) or a pkcs11: URI (libp11's ENGINE). The TLS server sees
our public key. Usage: curl.py BUILD_DIR, under with_server.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__) + "/../../integration")
import consumers  # noqa: E402 pylint: disable=wrong-import-position
import daemons  # noqa: E402 pylint: disable=wrong-import-position

# What --key names, per path to the key. curl sends a pkcs11: URI to
# libp11's ENGINE by itself (no --engine); OPENSSL_CONF names our module.
PATHS = {"provider": lambda key: key.keyfile, "engine": lambda key: key.uri}


def curl(setup, path, key, port):
    setup.run(["curl", "--silent", "--show-error", "--fail",
               "--max-time", "20", "--cacert", os.environ["P11KMIP_TEST_CA"],
               "--cert", key.cert, "--key", PATHS[path](key),
               "https://localhost:%d/" % port], openssl=path)


def test(build):
    setup = consumers.Setup(build, "curl")
    keys = setup.keys()
    matrix = consumers.Matrix("curl")
    with daemons.ClientCertServer([k.cert for k in keys.values()]) as server:
        for path in PATHS:
            for key in keys.values():
                with matrix.case(path, key.kind):
                    consumers.expect_key(server.client_fingerprint(
                        lambda: curl(setup, path, key, server.port)),
                        key, "the TLS server")
    return matrix


if __name__ == "__main__":
    sys.exit(consumers.main(test))
