#!/usr/bin/python3
"""A deliberately misbehaving SMTP server for smtpcon's tests (plain sockets).

    hostile.py --portfile FILE [--host H] [--port P] SCENARIO

Serves connections one at a time, forever, until SIGTERM/SIGINT.
Scenarios: escape nul longline cutoff silent garbage injection plaingreet.
Every connection has a deadline, so a stuck client never wedges the server.
"""
import argparse
import os
import signal
import socket
import sys
import time

IDLE = 10.0  # seconds without input before a connection is dropped


def log(msg):
    print(f"hostile[{os.getpid()}]: {msg}", file=sys.stderr, flush=True)


class Conn:
    def __init__(self, sock, deadline):
        self.s = sock
        self.buf = b""
        self.deadline = time.monotonic() + deadline

    def send(self, data):
        # One sendall per call: callers rely on this to control segmenting.
        self.s.sendall(data)

    def _recv(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            return b""
        self.s.settimeout(min(left, IDLE))
        try:
            return self.s.recv(65536)
        except (socket.timeout, OSError):
            return b""

    def chunk(self):
        """Whatever arrives next (b"" on EOF/timeout), ignoring line ends."""
        if self.buf:
            data, self.buf = self.buf, b""
            return data
        return self._recv()

    def line(self):
        """Next CRLF/LF-terminated line, or None on EOF/timeout."""
        while b"\n" not in self.buf:
            data = self._recv()
            if not data:
                return None
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r")

    def drain(self):
        """Read and discard until EOF or the deadline."""
        while self._recv():
            pass


def close_gently(s):
    """FIN first, then swallow what the client still sends: close() with
    unread input would send a RST, which can destroy the last reply bytes
    (e.g. cutoff's partial line) before the client reads them."""
    try:
        s.shutdown(socket.SHUT_WR)
        end = time.monotonic() + 1.0
        while (left := end - time.monotonic()) > 0:
            s.settimeout(left)
            if not s.recv(65536):
                break
    except OSError:
        pass
    s.close()


def verb(line):
    return line.split(b" ", 1)[0].upper()


def command_loop(c, reply):
    """Answer each command line with reply(verb); QUIT gets 221 and closes."""
    while (line := c.line()) is not None:
        log(f"<< {line[:80]!r}")
        if verb(line) == b"QUIT":
            c.send(b"221 bye\r\n")
            return
        c.send(reply(verb(line)))


def escape(c):
    c.send(b"220 evil ESMTP \x1b[2J\x1b]0;pwned\x07 hello\r\n")
    command_loop(c, lambda v: b"250 ok \x1b[31mred\x1b[0m\r\n")


def nul(c):
    c.send(b"220 nul\x00byte and \xff\xfe not utf-8\r\n")
    command_loop(c, lambda v: b"250 ok\r\n")


def longline(c):
    c.send(b"220 " + b"A" * 100000 + b"\r\n")
    command_loop(c, lambda v: b"250 ok\r\n")


def cutoff(c):
    c.send(b"220 cutoff ready\r\n")
    while (line := c.line()) is not None:
        if verb(line) in (b"EHLO", b"HELO"):
            c.send(b"250-cutoff\r\n250-PIPEL")  # then hang up mid-reply
            return
        if verb(line) == b"QUIT":
            c.send(b"221 bye\r\n")
            return
        c.send(b"250 ok\r\n")


def silent(c):
    c.drain()  # the Conn deadline is 30 s for this scenario


def garbage(c):
    bad = [b"hello there\r\n", b"99 short\r\n", b"250x no separator\r\n"]
    n = 0

    def reply(v):
        nonlocal n
        n += 1
        return bad[(n - 1) % len(bad)]

    c.send(b"220 ok\r\n")
    command_loop(c, reply)


def injection(c):
    c.send(b"220 inj ESMTP\r\n")
    while (line := c.line()) is not None:
        v = verb(line)
        if v in (b"EHLO", b"HELO"):
            c.send(b"250-inj\r\n250 STARTTLS\r\n")
        elif v == b"STARTTLS":
            # The extra reply arrives in the same segment as the 220: a client
            # that keeps it buffered across the TLS handshake is vulnerable
            # (CVE-2011-0411 class).
            c.send(b"220 go ahead\r\n250 injected\r\n")
            c.drain()
            return
        elif v == b"QUIT":
            c.send(b"221 bye\r\n")
            return
        else:
            c.send(b"250 ok\r\n")


def plaingreet(c):
    c.send(b"220 plain.example ESMTP\r\n")
    while c.chunk():  # anything at all, TLS ClientHello included
        c.send(b"500 5.5.1 what?\r\n")


def trickle(c):
    """Answer a ClientHello with a TLS record, one byte every 50 ms:
    the handshake must still time out."""
    record = b"\x16\x03\x03\x40\x00" + b"\x02" * 0x4000
    for b in record:
        try:
            c.send(bytes([b]))
        except OSError:
            return
        time.sleep(0.05)


def authloop(c):
    """AUTH that never ends: an overlong LOGIN prompt, then 334 for ever; an
    unknown mechanism; QUIT answered with 221 but the connection kept open."""
    import base64
    c.send(b"220 authloop ESMTP\r\n")
    while (line := c.line()) is not None:
        v = verb(line)
        if v in (b"EHLO", b"HELO"):
            c.send(b"250-authloop\r\n250 AUTH LOGIN X-UNKNOWN\r\n")
        elif v == b"AUTH" and b"X-UNKNOWN" in line.upper():
            c.send(b"334 \r\n")
            answer = c.line()
            c.send(b"235 2.7.0 ok\r\n" if answer == b"Zm9v" else b"535 5.7.8 no\r\n")
        elif v == b"AUTH":
            prompt = base64.b64encode(b"U" * 200)
            while True:
                c.send(b"334 " + prompt + b"\r\n")
                answer = c.line()
                if answer is None:
                    return
                if answer == b"*":
                    c.send(b"501 5.0.0 cancelled\r\n")
                    break
        elif v == b"QUIT":
            c.send(b"221 bye, but I stay\r\n")
            c.drain()
            return
        else:
            c.send(b"250 ok\r\n")


def loginuser(c):
    """AUTH LOGIN whose two prompts both say "Username:" (a server that labels
    the password question wrong); records the answers on stderr as received."""
    c.send(b"220 loginuser ESMTP\r\n")
    while (line := c.line()) is not None:
        v = verb(line)
        if v in (b"EHLO", b"HELO"):
            c.send(b"250-loginuser\r\n250 AUTH LOGIN\r\n")
        elif v == b"AUTH":
            answers = []
            for _ in range(2):
                c.send(b"334 VXNlcm5hbWU6\r\n")
                a = c.line()
                if a is None:
                    return
                answers.append(a)
            log("loginuser answers: %r" % answers)
            c.send(b"235 2.7.0 ok\r\n")
        elif v == b"QUIT":
            c.send(b"221 bye\r\n")
            return
        else:
            c.send(b"250 ok\r\n")


SCENARIOS = {f.__name__: f for f in
             (escape, nul, longline, cutoff, silent, garbage, injection, plaingreet,
              authloop, trickle, loginuser)}
DEADLINE = {"silent": 30.0, "injection": 10.0, "plaingreet": 5.0, "authloop": 20.0, "trickle": 40.0}


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--portfile")
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    a = p.parse_args()

    def bye(sig, frame):
        log("stopping")
        sys.exit(0)
    signal.signal(signal.SIGTERM, bye)
    signal.signal(signal.SIGINT, bye)

    family, type_, proto, _, addr = socket.getaddrinfo(
        a.host, a.port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)[0]
    ls = socket.socket(family, type_, proto)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(addr)
    ls.listen(8)
    port = ls.getsockname()[1]
    log(f"{a.scenario} listening on {a.host} port {port}")
    if a.portfile:
        tmp = f"{a.portfile}.tmp{os.getpid()}"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.rename(tmp, a.portfile)

    run = SCENARIOS[a.scenario]
    while True:
        s, peer = ls.accept()
        log(f"connection from {peer[:2]}")
        try:
            run(Conn(s, DEADLINE.get(a.scenario, 60.0)))
        except OSError as e:  # client went away: fine, next one
            log(f"connection error: {e}")
        finally:
            close_gently(s)
            log("closed")


if __name__ == "__main__":
    main()
