# SPDX-License-Identifier: Apache-2.0
"""A power cut after a stream of acknowledged Creates loses none of them.

The crash is simulated with an fsync shim (power_loss_shim.c, LD_PRELOAD):
at every fsync()/fdatasync() it copies the synced file aside, so the copies
hold what the disk held. After kill -9 the live database files (which still
have everything the page cache had) are replaced by those copies, and a
file never synced is removed, as a power cut would leave them. A store that
acknowledged before syncing (PRAGMA synchronous=OFF or NORMAL) fails here,
where a plain kill -9 cannot tell. Runs under integration/with_server.py
--server none with KMIPD_BINARY and POWER_LOSS_SHIM set."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import E, OP, Connection, create_aes, uid_payload
from kmipd_runner import Kmipd

CREATES = 12
DB_FILES = ("kmipd.sqlite", "kmipd.sqlite-wal", "kmipd.sqlite-shm",
            "kmipd.sqlite-journal")


def cut_power(directory):
    """Leaves in directory only what was synced before the cut. A file the
    server removed stays removed (the shim sees data syncs, not unlinks)."""
    for name in DB_FILES:
        live = os.path.join(directory, name)
        synced = os.path.join(directory, "durable", name)
        if not os.path.exists(live):
            continue
        if os.path.exists(synced):
            os.replace(synced, live)
        else:
            os.remove(live)


class PowerLoss(unittest.TestCase):
    def start_with_shim(self, server):
        os.environ["LD_PRELOAD"] = os.environ["POWER_LOSS_SHIM"]
        os.environ["POWER_LOSS_DIR"] = server.dir
        try:
            return server.start()
        finally:
            del os.environ["LD_PRELOAD"], os.environ["POWER_LOSS_DIR"]

    def test_acknowledged_creates_survive_power_loss(self):
        server = Kmipd(os.environ["KMIPD_BINARY"])
        server.dir = os.path.realpath(server.dir)
        os.mkdir(os.path.join(server.dir, "durable"))
        self.addCleanup(server.kill)
        self.start_with_shim(server)
        acknowledged = []
        with Connection(address=server.address) as conn:
            for n in range(CREATES):
                result = conn.one(OP.CREATE, create_aes("p%d" % n))
                self.assertTrue(result.ok, result)
                acknowledged.append(("p%d" % n, result.uid()))
        server.kill()
        cut_power(server.dir)

        server.start()
        with Connection(address=server.address) as conn:
            for name, uid in acknowledged:
                result = conn.one(OP.GET_ATTRIBUTES, uid_payload(uid))
                self.assertTrue(result.ok, "%s (%s) lost: %r" %
                                (name, uid, result))
                names = [a.get(E.Tags.ATTRIBUTE_VALUE)
                         for a in result.payload.all(E.Tags.ATTRIBUTE)
                         if a.val(E.Tags.ATTRIBUTE_NAME) == "Name"]
                self.assertEqual(names[0].val(E.Tags.NAME_VALUE), name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
