# SPDX-License-Identifier: Apache-2.0
"""kmipd out of file descriptors: accept fails, kmipd says so in its log,
pauses before it tries again (rather than spinning on the pending
connection), does not crash, and serves again once descriptors are free.
The limit is lowered on the running kmipd (prlimit) to what it already
uses plus two. Every client sends one byte, so that no handshake is cut
(kmipd/handshakes.h) and no descriptor comes free while the test counts
the failed accepts. Runs under integration/with_server.py --server none
with KMIPD_BINARY set."""

import os
import resource
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import OP, create_aes, wait_until
from kmipd_runner import KmipdTestCase

SOCKETS = 8
ACCEPT_FAILED = "accept: Too many open files"
# kmipd pauses LISTEN_POLL_MS (200 ms) after a failed accept: about 5
# failures a second; without the pause, thousands.
MAX_FAILURES_PER_SECOND = 15


def cpu_ticks(pid):
    """User and system CPU time pid has used, in clock ticks."""
    with open("/proc/%d/stat" % pid, encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def failed_accepts(server):
    """How many failed accepts kmipd has logged (the whole log: log()
    keeps only its end)."""
    with open(server.log_path, encoding="utf-8", errors="replace") as log:
        return log.read().count(ACCEPT_FAILED)


class Descriptors(KmipdTestCase):
    def test_accept_without_descriptors_pauses_and_recovers(self):
        server = self.server(handshake_timeout_ms=60000)
        pid = server.process.pid
        used = len(os.listdir("/proc/%d/fd" % pid))
        limits = resource.prlimit(pid, resource.RLIMIT_NOFILE)
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (used + 2, limits[1]))
        sockets = [socket.create_connection(server.address, timeout=5)
                   for _ in range(SOCKETS)]
        for sock in sockets:
            sock.sendall(b"\x16")
        self.assertTrue(wait_until(lambda: ACCEPT_FAILED in server.log()),
                        server.log())
        before, failures = cpu_ticks(pid), failed_accepts(server)
        time.sleep(1)
        spent = cpu_ticks(pid) - before
        failures = failed_accepts(server) - failures
        self.assertIsNone(server.process.poll())
        for sock in sockets:
            sock.close()
        resource.prlimit(pid, resource.RLIMIT_NOFILE, limits)
        conn = self.connect(server)
        self.assertTrue(conn.one(OP.CREATE, create_aes("after")).ok)
        # A second of spinning is os.sysconf("SC_CLK_TCK") ticks.
        self.assertLess(spent, os.sysconf("SC_CLK_TCK") // 2,
                        "kmipd spun on accept")
        self.assertGreater(failures, 0, "accept did not fail again")
        self.assertLess(failures, MAX_FAILURES_PER_SECOND,
                        "kmipd retried accept without a pause")


if __name__ == "__main__":
    unittest.main(verbosity=2)
