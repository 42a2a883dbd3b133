# SPDX-License-Identifier: Apache-2.0
"""Run a command against a fresh KMIP server on 127.0.0.1.

    with_server.py --server pykmip|kmipd|none [--kmipd PATH] -- CMD ARGS...

Makes a temporary PKI (certs.py), starts the server (servers.py; "none"
starts no server, for tests that bring their own), runs CMD with

    P11KMIP_TEST_SERVER       127.0.0.1:PORT (not set with --server none)
    P11KMIP_TEST_CA           CA certificate
    P11KMIP_TEST_CERT/_KEY    client certificate and key, CN=client-a
    P11KMIP_TEST_CERT_B/_KEY_B  CN=client-b
    P11KMIP_TEST_SERVER_CERT/_SERVER_KEY  the server's certificate and key
    P11KMIP_TEST_KEY_ENC      client-a's key, encrypted
    P11KMIP_TEST_KEY_PASS     its passphrase
    P11KMIP_TEST_DIR          the temporary directory (removed afterwards)

stops the server and exits with CMD's status; with 1 when the server could
not start (never 77: a missing server is a failure, not a skip).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import certs as test_certs
import servers


def test_environment(certs, server):
    env = dict(os.environ)
    env.update({
        "P11KMIP_TEST_CA": certs.ca,
        "P11KMIP_TEST_CERT": certs.client_cert,
        "P11KMIP_TEST_KEY": certs.client_key,
        "P11KMIP_TEST_CERT_B": certs.client_cert_b,
        "P11KMIP_TEST_KEY_B": certs.client_key_b,
        "P11KMIP_TEST_SERVER_CERT": certs.server_cert,
        "P11KMIP_TEST_SERVER_KEY": certs.server_key,
        "P11KMIP_TEST_KEY_ENC": certs.client_key_encrypted,
        "P11KMIP_TEST_KEY_PASS": certs.client_key_passphrase,
        "P11KMIP_TEST_DIR": certs.directory,
    })
    if server is not None:
        env["P11KMIP_TEST_SERVER"] = server.address
    return env


def run_command(command, certs, server):
    result = subprocess.run(command, env=test_environment(certs, server),
                            check=False)
    if result.returncode != 0 and server is not None:
        print("--- %s log tail ---\n%s" % (server.backend, server.log_tail()),
              file=sys.stderr)
    return result.returncode


def main():
    parser = argparse.ArgumentParser(
        description="Run a command against a temporary KMIP server.")
    parser.add_argument("--server", choices=("pykmip", "kmipd", "none"),
                        required=True)
    parser.add_argument("--kmipd", default="kmipd",
                        help="path of the kmipd binary")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given after --")

    servers.install_signal_handlers()
    workdir = tempfile.mkdtemp(prefix="p11kmip-test-")
    try:
        certs = test_certs.make_certs(workdir)
        if args.server == "none":
            return run_command(command, certs, None)
        with servers.running_server(args.server, workdir, certs,
                                    args.kmipd) as server:
            return run_command(command, certs, server)
    except (servers.ServerError, RuntimeError, OSError) as err:
        print("with_server.py: %s" % err, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
