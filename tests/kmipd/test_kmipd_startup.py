# SPDX-License-Identifier: Apache-2.0
"""kmipd's command line, its configuration file and the files it makes and
reads at startup, each on a kmipd of its own. Runs under
integration/with_server.py --server none with KMIPD_BINARY set."""

import os
import secrets
import socket
import stat
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import OP, Connection, create_aes
from kmipd_runner import Kmipd

BINARY = os.environ["KMIPD_BINARY"]


def run(*args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True,
                          timeout=10, stdin=subprocess.DEVNULL)


class CommandLine(unittest.TestCase):
    def test_help_is_printed_with_status_0(self):
        for option in ("-h", "--help"):
            result = run(option)
            self.assertEqual(result.returncode, 0, option)
            self.assertIn("usage: kmipd -c CONFIG", result.stdout)

    def test_version_is_printed_with_status_0(self):
        result = run("--version")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^kmipd \d+\.\d+\.\d+\n$")

    def test_an_unknown_option_is_a_usage_error(self):
        result = run("--colour")
        self.assertEqual(result.returncode, 2)
        self.assertIn("usage:", result.stderr)


class ConfigurationFile(unittest.TestCase):
    def test_a_device_as_configuration_fails_at_once(self):
        result = run("-c", "/dev/zero")  # used to read forever
        self.assertEqual(result.returncode, 1)
        self.assertIn("/dev/zero: not a regular file", result.stderr)

    def test_a_listen_port_out_of_range_is_refused(self):
        server = Kmipd(BINARY, listen="127.0.0.1:99999")
        result = run("-c", server.config_path)
        self.assertEqual(result.returncode, 1)
        self.assertIn('"listen"', result.stderr)
        self.assertIn("1 to 65535", result.stderr)


class Files(unittest.TestCase):
    def start(self, server):
        server.start()
        self.addCleanup(server.kill)
        return server

    def test_database_wal_shm_and_log_are_created_0600(self):
        old = os.umask(0o022)
        try:
            server = self.start(Kmipd(BINARY))
        finally:
            os.umask(old)
        with Connection(address=server.address) as conn:
            self.assertTrue(conn.one(OP.CREATE, create_aes("mode")).ok)
        database = os.path.join(server.dir, "kmipd.sqlite")
        for path in (database, database + "-wal", database + "-shm",
                     server.log_path):
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600,
                             path)

    def test_a_master_key_others_may_read_is_refused(self):
        server = Kmipd(BINARY)
        os.chmod(server.master_key, 0o640)
        result = run("-c", server.config_path)
        self.assertEqual(result.returncode, 1)
        self.assertIn(server.master_key + ": others than its owner may read",
                      server.log())

    def test_a_second_kmipd_on_the_same_database_is_refused(self):
        """The first keeps the objects it loaded in memory: a second
        process's changes would go unseen."""
        server = self.start(Kmipd(BINARY))
        database = os.path.join(server.dir, "kmipd.sqlite")
        second = Kmipd(BINARY, database=database,
                       master_key=server.master_key)
        result = run("-c", second.config_path)
        self.assertEqual(result.returncode, 1)
        self.assertIn("database %s is in use by another kmipd process" %
                      database, second.log())
        with Connection(address=server.address) as conn:
            self.assertTrue(conn.one(OP.CREATE, create_aes("first")).ok)
        self.assertEqual(
            stat.S_IMODE(os.stat(database + "-kmipd.lock").st_mode), 0o600)

    def test_a_wrong_master_key_is_named_at_startup(self):
        server = self.start(Kmipd(BINARY))
        with Connection(address=server.address) as conn:
            self.assertTrue(conn.one(OP.CREATE, create_aes("k")).ok)
        self.assertEqual(server.terminate(), 0)
        with open(server.master_key, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32))
        result = run("-c", server.config_path)
        self.assertEqual(result.returncode, 1)
        log = server.log()
        self.assertIn("the master key is not the one it was made with", log)
        self.assertIn("master key file " + server.master_key, log)


class StartupErrors(unittest.TestCase):
    """Every way the TLS context and the listening socket can fail stops
    kmipd with status 1 and a log line naming what failed."""

    def fails(self, why, **config):
        server = Kmipd(BINARY, **config)
        result = run("-c", server.config_path)
        self.assertEqual(result.returncode, 1, server.log())
        self.assertIn(why, server.log())
        self.assertIn("kmipd failed to start", server.log())
        return server

    def test_a_missing_certificate(self):
        self.fails("TLS: loading the certificate /nonexistent.pem",
                   cert="/nonexistent.pem")

    def test_a_missing_key(self):
        self.fails("TLS: loading the key /nonexistent.key",
                   key="/nonexistent.key")

    def test_a_key_of_another_certificate(self):
        server = self.fails("TLS: loading the key " +
                            os.environ["P11KMIP_TEST_KEY"],
                            key=os.environ["P11KMIP_TEST_KEY"])
        self.assertIn("key values mismatch", server.log())

    def test_a_missing_ca(self):
        self.fails("TLS: loading the CA /nonexistent-ca.pem",
                   ca="/nonexistent-ca.pem")

    def test_a_host_that_is_no_address(self):
        self.fails("listen 256.1.1.1:5696: ", listen="256.1.1.1:5696")

    def test_a_port_in_use(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            port = taken.getsockname()[1]
            self.fails("listen 127.0.0.1:%d: Address already in use" % port,
                       listen="127.0.0.1:%d" % port)


if __name__ == "__main__":
    unittest.main(verbosity=2)
