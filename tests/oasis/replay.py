# SPDX-License-Identifier: Apache-2.0
"""Replays the OASIS KMIP profile test cases against a kmipd of its own.

Each case file is a sequence of request and response messages in the KMIP
XML encoding. A request is turned into KMIP JSON, then into TTLV by the
project's codec (oasis_codec), and sent over mutual TLS; the answer is
decoded the same way and compared with the expected response: per batch
item the Operation, Result Status and Result Reason, and every expected
payload field, with its value where that value is fixed (see oasis_match).
Variables ($UNIQUE_IDENTIFIER_0, $NOW-3600, ...) take the server's own
answers. The cases of one profile and version run under a client
certificate of their own, so that they see no other profile's objects.

The pass count is printed per profile and version. The test fails when
fewer mandatory cases pass than the floor written in doc/kmipd.md, or
when a failing mandatory case is not listed there with its reason.
To look into a case: --only NAME runs the cases whose file name holds
NAME (the floor is then not checked), and OASIS_DEBUG=1 prints every
answer as KMIP JSON."""

import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "kmipd"))

import kmipd_runner  # noqa: E402
import oasis_client  # noqa: E402
from oasis_codec import Codec  # noqa: E402
import oasis_match  # noqa: E402
import oasis_xml  # noqa: E402


def is_mandatory(name):
    return "-M-" in name or "_M_" in name


def profile_of(name):
    """The profile prefix of a case file name: "CS-BC", "SKLC", "TC"."""
    base = re.split(r"[-_]M[-_]|[-_]O[-_]|[-_]\d", name, maxsplit=1)[0]
    return base.replace("_", "-")


def run_case(path, codec, connect):
    """Replays one case; returns None when it passes, else the reason."""
    try:
        messages = oasis_xml.load_case(path)
    except (ValueError, SyntaxError) as error:
        return "unreadable: %s" % error
    bindings = oasis_match.Bindings([r for r, _ in messages])
    with connect() as conn:
        for index, (request, expected) in enumerate(messages):
            try:
                ttlv = codec.encode(bindings.request(request))
                answer = codec.decode(conn.call(ttlv))
            except (ValueError, KeyError, OSError) as error:
                return "message %d: %s" % (index, error)
            if os.environ.get("OASIS_DEBUG"):
                print(oasis_xml.dumps(answer))
            problem = oasis_match.compare_response(request, expected, answer,
                                                   bindings)
            if problem is not None:
                return "message %d: %s" % (index, problem)
    return None


def read_doc(path):
    """The floor and the listed failures {case: reason} of doc/kmipd.md."""
    with open(path, encoding="utf-8") as doc:
        text = doc.read()
    floor = re.search(r"at least \*\*(\d+)\*\* of the mandatory", text)
    listed = dict(re.findall(r"^\| `([^`]+)` \| (.+?) \|$", text, re.M))
    if floor is None:
        raise SystemExit("%s: no floor ('at least **N** of the mandatory')"
                         % path)
    return int(floor.group(1)), listed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--codec", required=True)
    parser.add_argument("--kmipd", required=True)
    parser.add_argument("--cases", required=True)
    parser.add_argument("--doc", required=True)
    parser.add_argument("--only", help="run the cases whose name holds this")
    args = parser.parse_args()
    if not os.path.isdir(args.cases):
        raise SystemExit("no test cases at %s" % args.cases)
    floor, listed = read_doc(args.doc)
    # The Symmetric Key Foundry cases make Triple DES keys.
    server = kmipd_runner.Kmipd(args.kmipd, log_level="warn",
                                allow_triple_des=True).start()
    codec = Codec(args.codec)
    clients = oasis_client.Clients(server.address)
    started = time.monotonic()
    results = {}
    for version in sorted(os.listdir(args.cases)):
        directory = os.path.join(args.cases, version)
        if not os.path.isdir(directory):
            continue
        for name in sorted(os.listdir(directory)):
            if not name.endswith(".xml") or (args.only and
                                             args.only not in name):
                continue
            key = "%s/%s" % (version, name)
            # The cases of a profile are a sequence (TL-M-3 reads the key
            # TL-M-2 made): they share a client; other cases see nothing.
            owner = "%s/%s" % (version, profile_of(name))
            results[key] = run_case(os.path.join(directory, name), codec,
                                    lambda o=owner: clients.connect(o))
    codec.close()
    server.kill()
    return report(results, floor, listed, time.monotonic() - started,
                  args.only is not None)


def report(results, floor, listed, seconds, partial):
    table = {}
    for key, problem in results.items():
        version, name = key.split("/", 1)
        kind = "M" if is_mandatory(name) else "O"
        row = table.setdefault((version, kind, profile_of(name)), [0, 0])
        row[0] += problem is None
        row[1] += 1
    for (version, kind, profile), (ok, count) in sorted(table.items()):
        print("%-5s %s %-10s %3d/%d" % (version, kind, profile, ok, count))
    for version in sorted({v for v, _, _ in table}):
        ok = sum(r[0] for (v, k, _), r in table.items()
                 if v == version and k == "M")
        count = sum(r[1] for (v, k, _), r in table.items()
                    if v == version and k == "M")
        print("%s mandatory: %d/%d" % (version, ok, count))
    mandatory = {k: p for k, p in results.items()
                 if is_mandatory(k.split("/", 1)[1])}
    passed = sum(p is None for p in mandatory.values())
    print("mandatory: %d/%d pass; optional: %d/%d; %.0f s" % (
        passed, len(mandatory),
        sum(p is None for k, p in results.items() if k not in mandatory),
        len(results) - len(mandatory), seconds))
    unlisted = sorted(k for k, p in mandatory.items()
                      if p is not None and k not in listed)
    for key in sorted(mandatory):
        if mandatory[key] is not None:
            print("FAIL %s: %s" % (key, mandatory[key]))
        elif key in listed:
            print("now passes (remove from doc/kmipd.md): %s" % key)
    if unlisted:
        print("failing mandatory cases not listed in doc/kmipd.md: %s"
              % ", ".join(unlisted))
        return 1
    if not partial and passed < floor:
        print("%d mandatory cases pass, below the floor of %d"
              % (passed, floor))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
