#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
"""A deliberately misbehaving SMTP server for smtpcon's tests (plain sockets; TLS for a few).

    hostile.py --portfile FILE [--host H] [--port P] [--cert F --key F] SCENARIO

Serves connections one at a time, forever, until SIGTERM/SIGINT.
Scenarios: escape nul longline cutoff silent garbage injection plaingreet
authloop trickle loginuser; c1 osc dcs bigreply trickle1 endless endlessml
endlessgreet; and, with --cert/--key, tlsalert tlsgarbage starttlsalert.
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


# --- issue 10: C1 controls, OSC/DCS, huge and endless replies, TLS alerts ----

C1_RAW = bytes(range(0x80, 0xa0))                              # 8-bit C1, not UTF-8
C1_UTF8 = "".join(chr(c) for c in range(0x80, 0xa0)).encode()  # U+0080-U+009F


def c1(c):
    """C1 controls as raw single bytes and UTF-8-encoded: CSI (0x9b) both ways."""
    c.send(b"220 c1 ESMTP \xc2\x9b31mred\xc2\x9b0m and \x9b2J\r\n")
    while (line := c.line()) is not None:
        v = verb(line)
        if v in (b"EHLO", b"HELO"):
            c.send(b"250-c1 raw " + C1_RAW + b" end\r\n"
                   b"250-c1 utf8 " + C1_UTF8 + b" end\r\n"
                   b"250-c1 csi \xc2\x9b31m utf8-red \x9b31m raw-red\r\n"
                   b"250-c1 nel \xc2\x85next \x85raw-next\r\n"
                   b"250 c1 bidi \xe2\x80\xaeevil\xe2\x80\xac ok\r\n")
        elif v == b"QUIT":
            c.send(b"221 bye\r\n")
            return
        else:
            c.send(b"250 ok \xc2\x9b2J\x9b2J\r\n")


def osc(c):
    """Operating System Commands: window title, clipboard write (OSC 52),
    hyperlink (OSC 8), and the 8-bit OSC 0x9d (raw and UTF-8-encoded)."""
    c.send(b"220 osc ESMTP \x1b]0;title-pwned\x07 hello\r\n")
    while (line := c.line()) is not None:
        v = verb(line)
        if v in (b"EHLO", b"HELO"):
            c.send(b"250-osc \x1b]52;c;Y2xpcGJvYXJkLXB3bmVk\x07 clip\r\n"
                   b"250-osc \x1b]8;;http://evil.example/\x1b\\hyperlink-pwned\x1b]8;;\x1b\\\r\n"
                   b"250-osc \x9d0;eightbit-title\x9c raw\r\n"
                   b"250-osc \xc2\x9d0;utf8-title\xc2\x9c utf8\r\n"
                   b"250 osc \x1b]2;title-two\x1b\\ st\r\n")
        elif v == b"QUIT":
            c.send(b"221 bye\r\n")
            return
        else:
            c.send(b"250 ok \x1b]0;noop-title\x07\r\n")


def dcs(c):
    """Device Control Strings: ESC P ... ESC \\ (terminal queries), and 0x90."""
    c.send(b"220 dcs ESMTP \x1bP+q544e\x1b\\ hello\r\n")
    while (line := c.line()) is not None:
        v = verb(line)
        if v in (b"EHLO", b"HELO"):
            c.send(b"250-dcs \x1bP$qm\x1b\\ decrqss\r\n"
                   b"250-dcs \x90dcs-raw-payload\x9c raw\r\n"
                   b"250-dcs \xc2\x90dcs-utf8-payload\xc2\x9c utf8\r\n"
                   b"250-dcs \x1b_apc-payload\x1b\\ \x1b^pm-payload\x1b\\ \x1bXsos-payload\x1b\\\r\n"
                   b"250 dcs done\r\n")
        elif v == b"QUIT":
            c.send(b"221 bye\r\n")
            return
        else:
            c.send(b"250 ok \x1bPq#0;2;0;0;0#0~~\x1b\\\r\n")


BIG = 10000


def bigreply(c):
    """A 10,000-line multi-line 250 reply to EHLO (plus its last line)."""
    c.send(b"220 bigreply ESMTP\r\n")
    body = b"".join(b"250-line %d \x1b]0;big\x07\r\n" % i for i in range(1, BIG + 1))

    def reply(v):
        if v in (b"EHLO", b"HELO"):
            return body + b"250 end of the big reply\r\n"
        return b"250 ok\r\n"
    command_loop(c, reply)


def trickle1(c):
    """The greeting at 1 byte per second (19 s in all)."""
    for b in b"220 slow greeting\r\n":
        c.send(bytes([b]))
        time.sleep(1.0)
    command_loop(c, lambda v: b"250 ok\r\n")


def _stream(c, head, piece):
    """head, then piece for ever, until the client goes away or the deadline."""
    c.send(head)
    chunk = piece * (65536 // len(piece) + 1)
    c.s.settimeout(5.0)
    sent = 0
    while time.monotonic() < c.deadline:
        c.s.sendall(chunk)   # OSError when the client closes: the caller logs it
        sent += len(chunk)
        if sent >= 1 << 33:  # 8 GiB: enough
            break
    log(f"stream: {sent} bytes sent")


def endless(c):
    """After the greeting, EHLO gets a reply line that never ends (no CRLF)."""
    c.send(b"220 endless ESMTP\r\n")
    line = c.line()
    if line is None:
        return
    _stream(c, b"250 ", b"endless \x1b]0;t\x07\x9b2J\xc2\x9b ")


def endlessml(c):
    """After the greeting, EHLO gets a multi-line reply that never ends."""
    c.send(b"220 endlessml ESMTP\r\n")
    line = c.line()
    if line is None:
        return
    _stream(c, b"", b"250-x\r\n")


def endlessgreet(c):
    """No greeting at all: bytes without CRLF from the first moment."""
    _stream(c, b"220 ", b"x" * 512)


CERT = None  # (certfile, keyfile) from --cert/--key


def _tls_server(c):
    import ssl
    if not CERT:
        raise SystemExit("hostile.py: TLS scenarios need --cert and --key")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*CERT)
    c.s.settimeout(10.0)
    return ctx.wrap_socket(c.s, server_side=True)


ALERT = b"\x15\x03\x03\x00\x02\x02\x28"  # plain alert record: fatal, handshake_failure
GARBAGE = b"\x17\x03\x03\x00\x20" + bytes(range(0x80, 0xa0))  # app data that won't decrypt


def _tls_dialogue(c, t, raw):
    """Over TLS socket t: answer until EHLO, then half a reply, then the raw
    bytes written to the TCP socket under TLS, then hold on a little."""
    tc = Conn(t, 10.0)
    while (line := tc.line()) is not None:
        v = verb(line)
        if v in (b"EHLO", b"HELO"):
            t.sendall(b"250-tls ready\r\n")
            time.sleep(0.2)
            os.write(t.fileno(), raw)
            log(f"raw bytes written under TLS: {raw!r}")
            time.sleep(2.0)
            return
        if v == b"QUIT":
            t.sendall(b"221 bye\r\n")
            return
        t.sendall(b"250 ok\r\n")


def tlsalert(c):
    """Implicit TLS; after the handshake and greeting, a raw TLS alert record."""
    t = _tls_server(c)
    t.sendall(b"220 tlsalert ESMTP\r\n")
    _tls_dialogue(c, t, ALERT)


def tlsgarbage(c):
    """Implicit TLS; after the handshake, a record that does not decrypt."""
    t = _tls_server(c)
    t.sendall(b"220 tlsgarbage ESMTP\r\n")
    _tls_dialogue(c, t, GARBAGE)


def starttlsalert(c):
    """STARTTLS; after the handshake, a raw TLS alert record mid-stream."""
    c.send(b"220 starttlsalert ESMTP\r\n")
    while (line := c.line()) is not None:
        v = verb(line)
        if v in (b"EHLO", b"HELO"):
            c.send(b"250-starttlsalert\r\n250 STARTTLS\r\n")
        elif v == b"STARTTLS":
            c.send(b"220 go ahead\r\n")
            _tls_dialogue(c, _tls_server(c), ALERT)
            return
        elif v == b"QUIT":
            c.send(b"221 bye\r\n")
            return
        else:
            c.send(b"250 ok\r\n")


SCENARIOS = {f.__name__: f for f in
             (escape, nul, longline, cutoff, silent, garbage, injection, plaingreet,
              authloop, trickle, loginuser, c1, osc, dcs, bigreply, trickle1,
              endless, endlessml, endlessgreet, tlsalert, tlsgarbage, starttlsalert)}
DEADLINE = {"silent": 30.0, "injection": 10.0, "plaingreet": 5.0, "authloop": 20.0, "trickle": 40.0,
            "trickle1": 40.0, "endless": 30.0, "endlessml": 30.0, "endlessgreet": 30.0}


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--portfile")
    p.add_argument("--cert", help="certificate chain (PEM) for the TLS scenarios")
    p.add_argument("--key", help="its private key (PEM)")
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    a = p.parse_args()
    global CERT
    if a.cert and a.key:
        CERT = (a.cert, a.key)

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
