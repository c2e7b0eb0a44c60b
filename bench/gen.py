#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
"""gen.py SIZE_MB DIR [--raw] [--data] [--rcpt ADDR] -- make one benchmark session.

Writes, for a message of SIZE_MB MiB (76-column lines, CRLF counted, every 37th
line starting with "." so that dot-stuffing is exercised; no "%" or backslash,
which swaks would interpret):
  DIR/in-SIZE.txt     smtpcon --batch input: EHLO, MAIL, RCPT, DATA, the lines,
                      ".", QUIT (LF line ends; smtpcon sends CRLF, stuffs dots)
  DIR/raw-SIZE.bin    (--raw) the exact session bytes on the wire after the
                      greeting: the same commands, CRLF, the body dot-stuffed
  DIR/raw-SIZE.off    (--raw) "HEAD BODYEND TOTAL": offsets that split raw-SIZE.bin
                      into the command group up to DATA, the body up to and
                      with the final ".", and QUIT
  DIR/data-SIZE.txt   (--data) the message alone for swaks --data @FILE (LF)
Prints the number of session bytes (the size of raw-SIZE.bin) on stdout.
"""
import argparse
import itertools
import os
import random

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("size", type=int)
p.add_argument("dir")
p.add_argument("--raw", action="store_true")
p.add_argument("--data", action="store_true")
p.add_argument("--rcpt", default="sink@example.test")
p.add_argument("--ehlo", default="bench.test")
a = p.parse_args()

rng = random.Random(a.size)
alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_=+()"
# A block of distinct lines, repeated: fast to write, still not one repeated line.
block = []
for i in range(999):
    s = "".join(rng.choice(alphabet) for _ in range(76))
    if i % 37 == 0:
        s = "." + s[1:]
    elif s.startswith("."):
        s = "x" + s[1:]
    block.append(s)
headers = ["From: <bench@bench.test>", f"To: <{a.rcpt}>", f"Subject: bench {a.size} MB", ""]
target = a.size * 1048576
nlines = max(1, (target - sum(len(h) + 2 for h in headers)) // 78)

cmds = [f"EHLO {a.ehlo}", "MAIL FROM:<bench@bench.test>", f"RCPT TO:<{a.rcpt}>", "DATA"]


def body_chunks(stuff, eol):
    """The message as text blocks: headers, then the lines."""
    yield "".join(h + eol for h in headers)
    full = "".join((("." + s) if stuff and s.startswith(".") else s) + eol for s in block)
    n, left = len(block), nlines
    while left >= n:
        yield full
        left -= n
    yield "".join((("." + s) if stuff and s.startswith(".") else s) + eol for s in block[:left])


def write(path, parts):
    with open(path, "w", encoding="ascii", newline="") as f:
        for x in parts:
            f.write(x)


S = a.size
write(os.path.join(a.dir, f"in-{S}.txt"),
      itertools.chain(["".join(c + "\n" for c in cmds)], body_chunks(False, "\n"), [".\nQUIT\n"]))
if a.data:
    write(os.path.join(a.dir, f"data-{S}.txt"), body_chunks(False, "\n"))
total = 0
if a.raw:
    path = os.path.join(a.dir, f"raw-{S}.bin")
    head = "".join(c + "\r\n" for c in cmds)
    write(path, itertools.chain([head], body_chunks(True, "\r\n"), [".\r\nQUIT\r\n"]))
    total = os.path.getsize(path)
    with open(os.path.join(a.dir, f"raw-{S}.off"), "w") as f:
        f.write(f"{len(head)} {total - len('QUIT') - 2} {total}\n")
print(total)
