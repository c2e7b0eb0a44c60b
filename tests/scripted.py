#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
"""scripted.py -- an SMTP server that answers one step of the dialogue with a scripted reply.

    scripted.py [--cert F --key F] [--greetings FILE] --portfile FILE TABLE

Made to show a client the exact words real servers send, at the step where they send
them, many cases from one process.  Python 3 stdlib only.

TABLE holds cases, one stanza each (other lines -- tag, cause, next, not, # comments
-- are for the test and ignored here):

    case NAME STEP [FLAGS...]
    S: 535 5.7.139 Authentication unsuccessful, ...      (one line per reply line,
                                                           as sent, without CRLF)

STEP is the command whose reply is the case's: GREETING, EHLO, STARTTLS, AUTH, MAIL,
RCPT, DATA, or DOT (the end of the message data); VERB#N for its N-th time in the
session (AUTH#2: the first AUTH succeeds).  FLAG nostarttls: EHLO offers no STARTTLS.

The main port (written to --portfile) greets with 220; "EHLO NAME" picks case NAME
for the connection.  A GREETING case has a port of its own, whose greeting is the
case's reply; --greetings FILE gets "NAME PORT" lines for them (written before
the portfile).  Every other command gets what a plain server would say: EHLO
offers STARTTLS (before TLS, with --cert), AUTH PLAIN LOGIN and SIZE; STARTTLS
starts TLS; AUTH 235; MAIL, RCPT 250; DATA 354 and 250 after the dot; QUIT 221 and
the connection is closed.  A 421 reply closes the connection too.

Each connection runs in a thread of its own and has an idle limit.  Exits with
status 0 on SIGTERM or SIGINT.
"""
import argparse
import os
import selectors
import signal
import socket
import ssl
import sys
import threading

IDLE = 30.0  # seconds without input before a connection is dropped


def log(msg):
    print(f"scripted[{os.getpid()}]: {msg}", file=sys.stderr, flush=True)


def load(path):
    cases, cur = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("case "):
                w = line.split()
                step, _, nth = w[2].partition("#")
                cur = {"step": "." if step == "DOT" else step,
                       "nth": int(nth or 1), "flags": w[3:], "reply": [],
                       "pre": {}}
                cases[w[1]] = cur
            elif line.startswith("pre ") and cur is not None:
                pre = cur["pre"].setdefault(line.split()[1], [])
            elif line.startswith("P: ") and cur is not None:
                pre.append(line[3:].encode("utf-8"))
            elif line.startswith("S: ") and cur is not None:
                cur["reply"].append(line[3:].encode("utf-8"))
    return cases


def wire(lines):
    return b"".join(l + b"\r\n" for l in lines)


class Conn:
    def __init__(self, srv, sock, case):
        self.srv, self.s, self.case = srv, sock, case
        self.buf, self.tls, self.seen = b"", False, {}

    def send(self, data):
        self.s.sendall(data)

    def line(self):
        while b"\n" not in self.buf:
            self.s.settimeout(IDLE)
            try:
                data = self.s.recv(65536)
            except (socket.timeout, OSError):
                return None
            if not data:
                return None
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r")

    def scripted(self, verb):
        """The case's reply if verb is its step, this time; else None."""
        self.seen[verb] = self.seen.get(verb, 0) + 1
        c = self.case
        if c is None:
            return None
        if c["step"] == verb and c["nth"] == self.seen[verb]:
            return c["reply"]
        if verb in c["pre"] and self.seen[verb] == 1:
            return c["pre"][verb]
        return None

    def answer(self, lines):
        self.send(wire(lines))
        return not lines[-1].startswith(b"421")

    def ehlo(self):
        flags = self.case["flags"] if self.case else []
        caps = [b"250-mx.test"]
        if self.srv.tls_ctx and not self.tls and "nostarttls" not in flags:
            caps.append(b"250-STARTTLS")
        if "noauth" not in flags and (self.tls or "authtls" not in flags):
            caps.append(b"250-AUTH PLAIN LOGIN")
        caps += [b"250-ENHANCEDSTATUSCODES", b"250 SIZE 10240000"]
        return caps

    def run(self, greeting):
        if not self.answer(greeting):
            return
        while (line := self.line()) is not None:
            words = line.split()
            verb = words[0].upper().decode("ascii", "replace") if words else ""
            if verb in ("EHLO", "HELO") and len(words) > 1 and self.case is None:
                self.case = self.srv.cases.get(words[1].decode("ascii", "replace"))
            if verb == "QUIT":
                self.send(b"221 2.0.0 Bye\r\n")
                return
            reply = self.scripted(verb)
            if reply is not None:
                if not self.answer(reply):
                    return
                continue
            if verb in ("EHLO", "HELO"):
                self.send(wire(self.ehlo()))
            elif verb == "STARTTLS" and self.srv.tls_ctx and not self.tls:
                self.send(b"220 2.0.0 Ready to start TLS\r\n")
                self.buf = b""
                self.s.settimeout(IDLE)
                self.s = self.srv.tls_ctx.wrap_socket(self.s, server_side=True)
                self.tls = True
            elif verb == "AUTH":
                self.send(b"235 2.7.0 Authentication successful\r\n")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.send(b"250 2.0.0 Ok\r\n")
            elif verb == "DATA":
                self.send(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                while (body := self.line()) is not None and body != b".":
                    pass
                if body is None:
                    return
                reply = self.scripted(".")
                if reply is not None:
                    if not self.answer(reply):
                        return
                else:
                    self.send(b"250 2.0.0 Ok: queued\r\n")
            else:
                self.send(b"502 5.5.2 Error: command not recognized\r\n")


def serve(srv, sock, case):
    greeting = case["reply"] if case else [b"220 mx.test ESMTP scripted"]
    c = Conn(srv, sock, case)
    try:
        c.run(greeting)
    except (OSError, ssl.SSLError) as e:
        log(f"connection: {e}")
    finally:
        try:
            c.s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        c.s.close()


def listener():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--portfile", required=True)
    ap.add_argument("--greetings")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("table")
    a = ap.parse_args()

    signal.signal(signal.SIGTERM, lambda *x: os._exit(0))
    signal.signal(signal.SIGINT, lambda *x: os._exit(0))

    class Srv:
        pass

    srv = Srv()
    srv.cases = load(a.table)
    srv.tls_ctx = None
    if a.cert:
        srv.tls_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        srv.tls_ctx.load_cert_chain(a.cert, a.key)

    sel = selectors.DefaultSelector()
    main_sock = listener()
    sel.register(main_sock, selectors.EVENT_READ, None)
    lines = []
    for name, case in srv.cases.items():
        if case["step"] == "GREETING":
            s = listener()
            sel.register(s, selectors.EVENT_READ, case)
            lines.append(f"{name} {s.getsockname()[1]}\n")
    if a.greetings:
        with open(a.greetings + ".tmp", "w") as f:
            f.writelines(lines)
        os.rename(a.greetings + ".tmp", a.greetings)
    with open(a.portfile + ".tmp", "w") as f:
        f.write(str(main_sock.getsockname()[1]))
    os.rename(a.portfile + ".tmp", a.portfile)

    while True:
        for key, _ in sel.select():
            conn, _ = key.fileobj.accept()
            threading.Thread(target=serve, args=(srv, conn, key.data),
                             daemon=True).start()


if __name__ == "__main__":
    main()
