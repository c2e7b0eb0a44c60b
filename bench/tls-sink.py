#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
"""tls-sink.py [--starttls CERT KEY] --portfile FILE [--log FILE] -- a fast discarding
SMTP sink with STARTTLS, for bench/tls.sh (and, without --starttls, a plain sink faster
than smtp-sink for bench/bulk.sh with BULK_SINK=python).

Listens on 127.0.0.1 (--port, 0 = free); a thread per connection.  Offers
PIPELINING, 8BITMIME, STARTTLS (with --starttls, before TLS); answers EHLO/HELO/MAIL/RCPT/RSET/
NOOP with 250, DATA with 354 then 250 after CRLF.CRLF, QUIT with 221.  Handles
any amount of pipelining (it parses a buffer, not a line at a time) and reads
the body in 1 MiB recv_into calls, searching only for the terminator, so it
costs little next to the client.  Appends "message N BYTES" lines (BYTES: the
DATA bytes as received, stuffed, without the final ".") to --log.  Exits 0 on
SIGTERM.  Not a fixture for correctness: for that see tests/recorder.py.
"""
import argparse
import os
import signal
import socket
import ssl
import sys
import threading

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--host", default="127.0.0.1")
p.add_argument("--port", type=int, default=0)
p.add_argument("--portfile")
p.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
p.add_argument("--log")
a = p.parse_args()

ctx = None
if a.starttls:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*a.starttls)
lock = threading.Lock()
count = 0


def record(n):
    global count
    with lock:
        count += 1
        if a.log:
            with open(a.log, "a") as f:
                f.write(f"message {count} {n}\n")


TERM = b"\r\n.\r\n"


def body(s, buf, view):
    """Consume DATA up to CRLF.CRLF (the DATA line's CRLF counts as the first
    CRLF); return the bytes before the final "."; what follows stays in buf.
    The body is searched in the receive buffer itself, never copied."""
    data = b"\r\n" + bytes(buf)
    j = data.find(TERM)
    if j >= 0:
        del buf[:j + 3]
        return j
    size, tail = len(buf), data[-4:]
    buf.clear()
    while True:
        n = s.recv_into(view)
        if not n:
            raise EOFError
        # Across the boundary: the last 4 bytes before, the first 4 of this read.
        k = (tail + bytes(view[:min(n, 4)])).find(TERM)
        if k >= 0:
            end = k + 5 - len(tail)
        else:
            j = view.find(TERM, 0, n)
            if j < 0:
                size += n
                tail = (tail + bytes(view[max(0, n - 4):n]))[-4:]
                continue
            end = j + 5
        buf.extend(memoryview(view)[end:n])
        return size + end - 3


def session(s):
    s.settimeout(60)
    buf = bytearray()
    tls = False
    view = bytearray(1 << 20)

    def fill():
        n = s.recv_into(view)
        if not n:
            raise EOFError
        buf.extend(memoryview(view)[:n])

    s.sendall(b"220 tls-sink ESMTP\r\n")
    while True:
        i = buf.find(b"\n")
        if i < 0:
            if len(buf) > 65536:
                raise EOFError
            fill()
            continue
        line = bytes(buf[:i + 1])
        del buf[:i + 1]
        verb = line[:4].upper()
        if verb in (b"EHLO", b"HELO"):
            ext = [b"tls-sink", b"PIPELINING", b"8BITMIME"] + ([] if tls or not ctx else [b"STARTTLS"])
            s.sendall(b"".join(b"250" + (b" " if j == len(ext) - 1 else b"-") + x + b"\r\n"
                               for j, x in enumerate(ext)))
        elif verb == b"STAR" and ctx and not tls:
            s.sendall(b"220 2.0.0 go ahead\r\n")
            buf.clear()
            s = ctx.wrap_socket(s, server_side=True)
            tls = True
        elif verb == b"DATA":
            s.sendall(b"354 go ahead\r\n")
            size = body(s, buf, view)
            record(size)
            s.sendall(b"250 2.0.0 ok\r\n")
        elif verb == b"QUIT":
            s.sendall(b"221 2.0.0 bye\r\n")
            return s
        else:
            s.sendall(b"250 2.0.0 ok\r\n")


def serve(s):
    try:
        s = session(s)
    except (EOFError, OSError, ssl.SSLError):
        pass
    try:
        if isinstance(s, ssl.SSLSocket):
            s = s.unwrap()
    except (OSError, ssl.SSLError):
        pass
    try:
        s.close()
    except OSError:
        pass


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    ls = socket.socket(socket.AF_INET6 if ":" in a.host else socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.host, a.port))
    ls.listen(16)
    port = ls.getsockname()[1]
    if a.portfile:
        tmp = f"{a.portfile}.tmp{os.getpid()}"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.rename(tmp, a.portfile)
    else:
        print(port, flush=True)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


main()
