# SPDX-License-Identifier: Apache-2.0
"""No call circles among p11core's files (doc/DESIGN.md, "Floors"): reads
which file defines and which uses each symbol of the static library with
nm, and fails on any cycle of files, naming it.

    test_floors.py LIBP11CORE.a
"""

import re
import subprocess
import sys


# "archive:member.c.o:ADDRESS TYPE NAME", the address blank for "U".
NM_LINE = re.compile(r"^.*?([^/:]+)\.c\.o:[0-9a-f ]* ([A-Za-z]) (\S+)$")


def symbols(archive):
    """{file: (defined, used)} from nm -A."""
    out = subprocess.run(["nm", "-A", archive], check=True,
                         capture_output=True, text=True).stdout
    files = {}
    for line in out.splitlines():
        match = NM_LINE.match(line)
        if match is None:
            continue
        name, kind, symbol = match.groups()
        defined, used = files.setdefault(name, (set(), set()))
        if kind in "TDBR":
            defined.add(symbol)
        elif kind == "U":
            used.add(symbol)
    return files


def calls(files):
    owner = {sym: name for name, (defined, _) in files.items()
             for sym in defined}
    return {name: {owner[sym] for sym in used
                   if sym in owner and owner[sym] != name}
            for name, (_, used) in files.items()}


def find_cycle(graph):
    """A list of files that call each other in a circle, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for callee in sorted(graph[node]):
            if state.get(callee) == "open":
                return path[path.index(callee):] + [callee]
            if callee not in state:
                found = visit(callee, path + [callee])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [node])
            if found:
                return found
    return None


def main():
    graph = calls(symbols(sys.argv[1]))
    if len(graph) < 20:
        print("only %d files read from %s" % (len(graph), sys.argv[1]))
        return 1
    cycle = find_cycle(graph)
    if cycle:
        print("call circle: " + " -> ".join(cycle))
        return 1
    print("%d files, no call circle" % len(graph))
    return 0


if __name__ == "__main__":
    sys.exit(main())
