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

sys.path.insert(0, os.path.dirname(__file__) + "/../../integration")
import consumers  # noqa: E402 pylint: disable=wrong-import-position
import daemons  # noqa: E402 pylint: disable=wrong-import-position

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
    bind 127.0.0.1:{port} ssl crt {dir}/site.pem
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
    providers, openssl = LOADERS[loader]
    directory, conf, port = setup.server_files(
        "%s-%s" % (loader, key.kind), "haproxy.cfg", CONF,
        providers=providers.format(build=setup.build))
    shutil.copyfile(key.cert, os.path.join(directory, "site.pem"))
    shutil.copyfile(key.keyfile, os.path.join(directory, "site.pem.key"))
    daemons.serve_and_expect("HAProxy", [HAPROXY, "-W", "-db", "-f", conf],
                             setup.env(openssl), port,
                             os.path.join(directory, "haproxy.log"), key)


def test(build):
    return consumers.server_test(build, "haproxy", LOADERS, serve_and_check)


if __name__ == "__main__":
    sys.exit(consumers.main(test))
