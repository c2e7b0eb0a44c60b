#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
"""memscan.py PID NEEDLE...: search a live process's writable memory for the needles.

Prints each needle found with the mapping it is in, and exits 1 if any is found, 0 if
none, 77 if the memory cannot be read (no permission to trace the process), 2 if the
scan itself failed. Mappings over 1 GiB are reservations (ASan's shadow), skipped.
Reads /proc/PID/maps and /proc/PID/mem: the heap, the stack and anonymous mappings.
"""
import sys


CHUNK = 1 << 20
REGION_MAX = 1 << 30  # larger mappings are reservations (ASan's shadow), not data


def scan(mem, lo, hi, needles):
    """The needles found in [lo, hi), read a chunk at a time (overlapping by the
    longest needle, so none is missed at a boundary)."""
    keep = max(len(n) for n in needles) - 1
    found, tail, at = set(), b"", lo
    while at < hi:
        try:
            mem.seek(at)
            data = mem.read(min(CHUNK, hi - at))
        except OSError:
            data = b""
        if not data:
            tail, at = b"", at + CHUNK
            continue
        buf = tail + data
        for n in needles:
            if n in buf:
                found.add(n)
        tail = buf[-keep:] if keep > 0 else b""
        at += len(data)
    return found


def main():
    pid, needles = sys.argv[1], [n.encode() for n in sys.argv[2:]]
    found = 0
    try:
        maps = open("/proc/%s/maps" % pid).read().splitlines()
        mem = open("/proc/%s/mem" % pid, "rb", 0)
    except OSError as e:
        print("memscan: cannot read the memory of %s: %s" % (pid, e), file=sys.stderr)
        return 77
    regions = 0
    for line in maps:
        f = line.split()
        addr, perms = f[0], f[1]
        name = f[5] if len(f) > 5 else "[anon]"
        if "w" not in perms or name.startswith("[v"):
            continue
        lo, hi = (int(x, 16) for x in addr.split("-"))
        if hi - lo > REGION_MAX:
            continue
        regions += 1
        for n in scan(mem, lo, hi, needles):
            print("found %r in %s (%s)" % (n, name, addr))
            found = 1
    if regions == 0:
        print("memscan: no region of %s could be read" % pid, file=sys.stderr)
        return 77
    return found


try:
    sys.exit(main())
except Exception as e:  # a failure of the scan itself, not a finding
    print("memscan: %s" % e, file=sys.stderr)
    sys.exit(2)
