#!/usr/bin/env python3
"""memscan.py PID NEEDLE...: search a live process's writable memory for the needles.

Prints each needle found with the mapping it is in, and exits 1 if any is found, 0 if
none, 77 if the memory cannot be read (no permission to trace the process).
Reads /proc/PID/maps and /proc/PID/mem: the heap, the stack and anonymous mappings.
"""
import sys


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
        try:
            mem.seek(lo)
            data = mem.read(hi - lo)
        except OSError:
            continue
        regions += 1
        for n in needles:
            at = data.find(n)
            if at != -1:
                print("found %r in %s at +%#x: %r" % (n, name, at,
                      data[max(0, at - 64):at + len(n) + 64]))
                found = 1
    if regions == 0:
        print("memscan: no region of %s could be read" % pid, file=sys.stderr)
        return 77
    return found


sys.exit(main())
