#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Plants each mutation of scripts/mutations.txt in turn, rebuilds, runs the
tests the mutation names and reports it killed (some test failed) or
survived. Run on demand, not in CI:

    ./scripts/mutants.py               # every mutation
    ./scripts/mutants.py M07 M12       # some of them
    ./scripts/mutants.py --list        # the list, checked against the code

A mutation is one paragraph of scripts/mutations.txt:

    id: M01
    file: p11core/op_calls.c
    find: return p11_op_end(session, rv);
    replace: return rv;
    tests: test_op_rules test_local_ops

`find` must occur exactly once in `file`. The tree is restored after each
mutation, also when the harness is interrupted. Builds in build/mutants.
Each named test first runs on the unmutated tree: a mutation whose tests
already fail there is reported "not run" and left out of the kill rate.
"""
import argparse
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIST = os.path.join(ROOT, "scripts", "mutations.txt")
BUILD = os.path.join(ROOT, "build", "mutants")
FIELDS = ("id", "file", "find", "replace", "tests")


def read_mutations(path):
    mutations, current = [], {}
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if line.startswith("#"):
            continue
        if not line.strip():
            if current:
                mutations.append(current)
                current = {}
            continue
        key, sep, value = line.partition(": ")
        if not sep or key not in FIELDS:
            sys.exit(f"{path}:{number}: expected one of {FIELDS}: {line!r}")
        current[key] = value
    if current:
        mutations.append(current)
    for mutation in mutations:
        missing = [key for key in FIELDS if key not in mutation]
        if missing:
            sys.exit(f"{path}: {mutation.get('id', '?')} lacks {missing}")
    return mutations


def source_of(mutation):
    path = os.path.join(ROOT, mutation["file"])
    text = open(path, encoding="utf-8").read()
    count = text.count(mutation["find"])
    if count != 1:
        raise ValueError(f"{mutation['id']}: 'find' occurs {count} times "
                         f"in {mutation['file']}")
    return path, text


def run(command, timeout):
    try:
        done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=timeout)
        return done.returncode
    except subprocess.TimeoutExpired:
        return -1


def run_tests(tests):
    return run(["meson", "test", "-C", BUILD, "--no-rebuild",
                "--num-processes", "2"] + tests, 1200)


def failing_unmutated(mutations):
    """The tests the mutations name that fail on the unmutated tree."""
    names = sorted({t for m in mutations for t in m["tests"].split()})
    return {name for name in names if run_tests([name]) != 0}


def try_mutation(mutation):
    path, original = source_of(mutation)
    mutated = original.replace(mutation["find"], mutation["replace"])

    def restore():
        with open(path, "w", encoding="utf-8") as out:
            out.write(original)

    def interrupted(*_):
        restore()
        sys.exit(130)

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        with open(path, "w", encoding="utf-8") as out:
            out.write(mutated)
        if run(["ninja", "-C", BUILD], 600) != 0:
            return "killed (build)"
        return "survived" if run_tests(mutation["tests"].split()) == 0 \
            else "killed"
    finally:
        restore()
        signal.signal(signal.SIGINT, previous)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    mutations = read_mutations(LIST)
    if args.ids:
        mutations = [m for m in mutations if m["id"] in args.ids]
    for mutation in mutations:
        source_of(mutation)
    if args.list:
        for m in mutations:
            print(f"{m['id']}  {m['file']}: {m['find']!r} -> {m['replace']!r}")
        return 0
    if not os.path.isdir(BUILD):
        subprocess.run(["meson", "setup", BUILD], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    if run(["ninja", "-C", BUILD], 900) != 0:
        sys.exit("mutants: the unmutated tree does not build")
    broken = failing_unmutated(mutations)
    if broken:
        print("mutants: failing without a mutation: " + " ".join(sorted(broken)))
    killed = not_run = 0
    for mutation in mutations:
        start = time.monotonic()
        if broken & set(mutation["tests"].split()):
            verdict = "not run"
            not_run += 1
        else:
            verdict = try_mutation(mutation)
        killed += verdict.startswith("killed")
        print(f"{mutation['id']}  {verdict:15} {time.monotonic() - start:6.0f} s"
              f"  {mutation['file']}", flush=True)
    run(["ninja", "-C", BUILD], 900)
    total = len(mutations) - not_run
    print(f"mutants: {killed} of {total} killed "
          f"({100 * killed / max(total, 1):.0f}%)"
          + (f", {not_run} not run" if not_run else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
