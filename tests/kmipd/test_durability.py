# SPDX-License-Identifier: Apache-2.0
"""kill -9 during a stream of Creates: after a restart, every object whose
Create was acknowledged is there, with its attributes. Runs under
integration/with_server.py --server none with KMIPD_BINARY set."""

import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import E, OP, Connection, create_aes, uid_payload
from kmipd_runner import Kmipd

BINARY = os.environ["KMIPD_BINARY"]
WRITERS = 4
KILL_AFTER_S = 1.5


def stream_creates(address, writer, acknowledged, lock):
    """Creates keys until the connection breaks, recording each uid as soon
    as its response arrives."""
    try:
        conn = Connection(address=address, timeout=5)
    except OSError:
        return
    try:
        n = 0
        while True:
            result = conn.one(OP.CREATE, create_aes("w%d-%d" % (writer, n)))
            if not result.ok:
                return
            with lock:
                acknowledged.append(("w%d-%d" % (writer, n), result.uid()))
            n += 1
    except (OSError, ConnectionError, ValueError, IndexError):
        return
    finally:
        conn.close()


class Durability(unittest.TestCase):
    def test_acknowledged_creates_survive_kill_9(self):
        server = Kmipd(BINARY).start()
        self.addCleanup(server.kill)
        acknowledged, lock = [], threading.Lock()
        writers = [threading.Thread(target=stream_creates,
                                    args=(server.address, i, acknowledged,
                                          lock))
                   for i in range(WRITERS)]
        for writer in writers:
            writer.start()
        time.sleep(KILL_AFTER_S)
        server.kill()  # SIGKILL, mid-stream
        for writer in writers:
            writer.join(30)
        with lock:
            survivors = list(acknowledged)
        self.assertGreater(len(survivors), 10, "too few Creates to test")

        server.start()
        with Connection(address=server.address) as conn:
            for name, uid in survivors:
                result = conn.one(OP.GET_ATTRIBUTES, uid_payload(uid))
                self.assertTrue(result.ok, (name, uid, result))
                attrs = {a.val(E.Tags.ATTRIBUTE_NAME):
                         a.get(E.Tags.ATTRIBUTE_VALUE)
                         for a in result.payload.all(E.Tags.ATTRIBUTE)}
                self.assertEqual(attrs["Name"].val(E.Tags.NAME_VALUE), name)
                self.assertEqual(attrs["Cryptographic Length"].value, 256)
            # The material survived too: the key can be used.
            _, uid = survivors[-1]
            self.assertTrue(conn.one(OP.ACTIVATE, uid_payload(uid)).ok)
            get = conn.one(OP.GET, uid_payload(uid))
            self.assertTrue(get.ok, get)
        print("%d acknowledged Creates, all present after kill -9" %
              len(survivors))


if __name__ == "__main__":
    unittest.main(verbosity=2)
