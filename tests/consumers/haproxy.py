# SPDX-License-Identifier: Apache-2.0
"""HAProxy 2.6 (master-worker, worker as the unprivileged user) serves TLS
with an RSA-2048 and a P-256 key held by kmipd: the bind line's crt is the
certificate, the key file next to it (crt.key). The p11kmip provider is
loaded by OPENSSL_CONF ("provider") or by HAProxy's own ssl-provider
("ssl-provider", no OpenSSL configuration). HAProxy has no ENGINE support.
A verified handshake sees our public key. Usage: haproxy.py BUILD_DIR,
under with_server.py."""

import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../integration"))
import consumers  # noqa: E402 pylint: disable=wrong-import-position
import daemons  # noqa: E402 pylint: disable=wrong-import-position
import servers  # noqa: E402 pylint: disable=wrong-import-position

HAPROXY = "/usr/sbin/haproxy"
CONF = """\
global
    user {user}
    group {group}
    nbthread 2
{providers}defaults
    mode http
    timeout connect 5s
    timeout client 10s
    timeout server 10s
frontend site
    bind 127.0.0.1:{port} ssl crt {crt}
    http-request return status 200 content-type text/plain string ok
"""
# Per way of loading the provider: HAProxy's global lines, OPENSSL_CONF.
LOADERS = {
    "provider": ("", "provider"),
    "ssl-provider": ("    ssl-provider-path {build}/provider\n"
                     "    ssl-provider default\n"
                     "    ssl-provider p11kmip\n", "none"),
}


def serve_and_check(setup, loader, key):
    directory = setup.subdir("%s-%s" % (loader, key.kind))
    providers, openssl = LOADERS[loader]
    crt = os.path.join(directory, "site.pem")
    shutil.copyfile(key.cert, crt)
    shutil.copyfile(key.keyfile, crt + ".key")
    port = servers.free_port()
    conf = os.path.join(directory, "haproxy.cfg")
    with open(conf, "w", encoding="utf-8") as out:
        out.write(CONF.format(user=consumers.WORKER_USER,
                              group=consumers.WORKER_GROUP, port=port,
                              crt=crt,
                              providers=providers.format(build=setup.build)))
    with daemons.running("haproxy", [HAPROXY, "-W", "-db", "-f", conf],
                         setup.env(openssl), port,
                         os.path.join(directory, "haproxy.log")) as haproxy:
        for _ in range(3):
            consumers.expect_key(daemons.server_key_fingerprint(
                port, key.cert), key, "a TLS client of HAProxy")
        haproxy.expect_workers_as(consumers.WORKER_USER)


def test(build):
    setup = consumers.Setup(build, "haproxy")
    keys = setup.keys()
    setup.share_with_workers()
    matrix = consumers.Matrix("haproxy")
    for loader in LOADERS:
        for key in keys.values():
            with matrix.case(loader, key.kind):
                serve_and_check(setup, loader, key)
    return matrix


if __name__ == "__main__":
    sys.exit(consumers.main(test))
