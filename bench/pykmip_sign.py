# SPDX-License-Identifier: Apache-2.0
"""RSA signatures per second with PyKMIP's own client (python3-pykmip):
the reference that the p11kmip path over PyKMIP is compared with.

    /usr/bin/python3 pykmip_sign.py HOST:PORT LABEL [SECONDS [THREADS]]

Signs the same message as bench_evp (SHA-256, PKCS#1 v1.5; PyKMIP hashes
the data itself) with the private key named LABEL, one client connection
per thread, with the test PKI of P11KMIP_TEST_CA / _CERT / _KEY. Prints
"signatures N failed F seconds T per_second R".
"""

import os
import sys
import tempfile
import threading
import time

from kmip import enums
from kmip.pie import client as pie_client

MESSAGE = b"The quick brown fox signs over the lazy dog"
PARAMETERS = {
    "cryptographic_algorithm": enums.CryptographicAlgorithm.RSA,
    "padding_method": enums.PaddingMethod.PKCS1v15,
    "hashing_algorithm": enums.HashingAlgorithm.SHA_256,
}


def open_client(address, config):
    host, port = address.rsplit(":", 1)
    client = pie_client.ProxyKmipClient(
        hostname=host, port=int(port), cert=os.environ["P11KMIP_TEST_CERT"],
        key=os.environ["P11KMIP_TEST_KEY"], ca=os.environ["P11KMIP_TEST_CA"],
        config_file=config, kmip_version=enums.KMIPVersion.KMIP_1_2)
    client.open()
    return client


def private_key_uid(client, label):
    for uid in client.locate(attributes=[
            client.attribute_factory.create_attribute(
                enums.AttributeType.NAME, label)]):
        kind = client.get_attributes(uid, ["Object Type"])[1][0]
        if kind.attribute_value.value == enums.ObjectType.PRIVATE_KEY:
            return uid
    raise SystemExit("pykmip_sign.py: no private key named %s" % label)


def main():
    address, label = sys.argv[1], sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    # An empty configuration file keeps PyKMIP from reading ~/.pykmip.
    with tempfile.NamedTemporaryFile("w", suffix=".conf") as config:
        config.write("[client]\n")
        config.flush()
        clients = [open_client(address, config.name) for _ in range(threads)]
    uid = private_key_uid(clients[0], label)
    counts = [[0, 0] for _ in clients]
    deadline = time.monotonic() + seconds

    def sign_until_deadline(client, count):
        while time.monotonic() < deadline:
            try:
                client.sign(MESSAGE, uid=uid,
                            cryptographic_parameters=PARAMETERS)
                count[0] += 1
            except Exception as error:  # noqa: BLE001 - counted, reported
                if count[1] == 0:
                    print("sign: %s" % error, file=sys.stderr)
                count[1] += 1

    start = time.monotonic()
    workers = [threading.Thread(target=sign_until_deadline, args=pair)
               for pair in zip(clients, counts)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - start
    for client in clients:
        client.close()
    done = sum(count[0] for count in counts)
    failed = sum(count[1] for count in counts)
    print("signatures %d failed %d seconds %.3f per_second %.1f" %
          (done, failed, elapsed, done / elapsed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
