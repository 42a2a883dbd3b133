# SPDX-License-Identifier: Apache-2.0
"""Apache 2.4 (mod_ssl, prefork, workers as the unprivileged user) serves
TLS with an RSA-2048 and a P-256 key held by kmipd, through the p11kmip
provider (SSLCertificateKeyFile names a key file) and through libp11's
ENGINE (SSLCertificateKeyFile names a pkcs11: URI); a verified handshake
sees our public key. Usage: apache.py BUILD_DIR, under with_server.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__) + "/../../integration")
import consumers  # noqa: E402 pylint: disable=wrong-import-position
import daemons  # noqa: E402 pylint: disable=wrong-import-position

APACHE = "/usr/sbin/apache2"
MODULES = "/usr/lib/apache2/modules"
CONF = """\
ServerRoot {dir}
ServerName localhost
DefaultRuntimeDir {dir}
PidFile {dir}/httpd.pid
ErrorLog {dir}/error.log
LogLevel info
LoadModule mpm_prefork_module {modules}/mod_mpm_prefork.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule ssl_module {modules}/mod_ssl.so
User {user}
Group {group}
StartServers 2
DocumentRoot {dir}
Listen 127.0.0.1:{port}
SSLEngine on
SSLCertificateFile {cert}
SSLCertificateKeyFile "{key}"
"""
# What SSLCertificateKeyFile names, per path to the key.
KEY_NAME = {"provider": lambda key: key.keyfile,
            "engine": lambda key: key.uri}


def serve_and_check(setup, path, key):
    directory, conf, port = setup.server_files(
        "%s-%s" % (path, key.kind), "httpd.conf", CONF, modules=MODULES,
        cert=key.cert, key=KEY_NAME[path](key))
    daemons.serve_and_expect("Apache", [APACHE, "-f", conf, "-DFOREGROUND"],
                             setup.env(path), port,
                             os.path.join(directory, "error.log"), key)


def test(build):
    return consumers.server_test(build, "apache", KEY_NAME, serve_and_check)


if __name__ == "__main__":
    sys.exit(consumers.main(test))
