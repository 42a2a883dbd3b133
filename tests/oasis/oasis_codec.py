# SPDX-License-Identifier: Apache-2.0
"""The project's codec (the oasis_codec program) as a coprocess: KMIP JSON
<-> TTLV, one line each way."""

import subprocess

import oasis_xml


class Codec:
    """oasis_codec as a coprocess: KMIP JSON <-> TTLV."""

    def __init__(self, path):
        self.process = subprocess.Popen(
            [path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def _ask(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().rstrip("\n")
        if answer.startswith("!"):
            raise ValueError("codec: " + answer[2:])
        return answer

    def encode(self, item):
        return bytes.fromhex(self._ask("E " + oasis_xml.dumps(item)))

    def decode(self, ttlv):
        return oasis_xml.loads(self._ask("D " + ttlv.hex()))

    def close(self):
        self.process.stdin.close()
        self.process.wait()
