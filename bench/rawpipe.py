#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
"""rawpipe.py HOST PORT RAWFILE OFFFILE -- the baseline: the session's exact bytes, raw.

Sends RAWFILE (made by gen.py --raw) over one TCP connection with the fewest
waits a correct client needs: the greeting; EHLO; MAIL+RCPT+DATA as one
pipelined group (the sink offers PIPELINING); the dot-stuffed body and the final
"." with socket.sendall in 1 MiB blocks straight from the file; QUIT.  Checks
every reply code; exits 1 on any surprise.  No parsing, no transcript: the
fastest a client can be, so smtpcon's time is compared with this.
"""
import socket
import sys

host, port, raw, off = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(off) as f:
    head, bodyend, total = map(int, f.read().split())

s = socket.create_connection((host, port), timeout=60)
rf = s.makefile("rb")


def expect(code):
    while True:
        line = rf.readline()
        if not line:
            sys.exit(f"rawpipe: connection closed, wanted {code}")
        if line[3:4] != b"-":
            break
    if not line.startswith(code):
        sys.exit(f"rawpipe: got {line!r}, wanted {code}")


with open(raw, "rb") as f:
    expect(b"220")
    first = f.readline()  # EHLO
    s.sendall(first)
    expect(b"250")
    s.sendall(f.read(head - len(first)))  # MAIL, RCPT, DATA
    for code in (b"250", b"250", b"354"):
        expect(code)
    left = bodyend - head
    while left > 0:
        block = f.read(min(left, 1 << 20))
        if not block:
            sys.exit("rawpipe: short file")
        s.sendall(block)
        left -= len(block)
    expect(b"250")
    s.sendall(f.read())  # QUIT
    expect(b"221")
s.close()
