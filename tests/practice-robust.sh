#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# smtpcon-practice against hostile or clumsy clients, with raw sockets: a
# 5000-octet command line, ten pipelined commands, a trickled command, a
# body line over 64 kB, a close in the middle of DATA, the STARTTLS
# injection (CVE-2011-0411), AUTH mistakes, the limit on bad commands, the
# slow scenario serving two clients at once, and a clean exit on SIGTERM.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
_lib_python
need "$PYTHON"

cat >"$T/lib.py" <<'EOF'
import os, socket, ssl, sys, time

def fail(what):
    print("FAIL:", what)
    sys.exit(1)

def check(cond, what):
    if not cond:
        fail(what)

class Client:
    def __init__(self, port, greet=True):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""
        if greet:
            code, lines = self.reply()
            check(code == 220, "greeting: %r" % lines)

    def send(self, data):
        self.sock.sendall(data)

    def line(self):
        while b"\n" not in self.buf:
            d = self.sock.recv(65536)
            if not d:
                fail("connection closed; buffered %r" % self.buf)
            self.buf += d
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def reply(self):
        lines = []
        while True:
            line = self.line()
            lines.append(line)
            check(len(line) >= 3 and line[:3].isdigit(), "bad line %r" % line)
            if len(line) == 3 or line[3] == " ":
                return int(line[:3]), lines

    def cmd(self, text, want, prefix=None):
        self.send(text.encode() + b"\r\n")
        code, lines = self.reply()
        check(code == want, "%s: expected %d, got %r" % (text[:40], want, lines))
        if prefix is not None:
            check(lines[-1].startswith(prefix),
                  "%s: expected %r, got %r" % (text[:40], prefix, lines))
        return lines

    def closed(self):
        """True when the server has closed the connection."""
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True

    def close(self):
        self.sock.close()
EOF

cat >"$T/robust.py" <<'EOF'
import base64, os, ssl, sys, time
sys.path.insert(0, os.path.dirname(sys.argv[0]))
from lib import Client, check, fail

port, data = int(sys.argv[1]), sys.argv[2]
new = os.path.join(data, "maildir", "new")
tmpdir = os.path.join(data, "maildir", "tmp")

# A 5000-octet command line gets 500 and the session goes on.
c = Client(port)
c.cmd("NOOP " + "a" * 4995, 500, "500 5.5.2")
c.cmd("EHLO client.example", 250)
c.cmd("NOOP", 250, "250 2.0.0")
# A line far past the input buffer without any LF, then its end.
c.send(b"x" * 200000)
c.cmd("", 500, "500 5.5.2")
c.cmd("NOOP", 250)
c.close()

# Ten commands in one write, answered in order.
c = Client(port)
c.send(b"EHLO client.example\r\nNOOP\r\nMAIL FROM:<a@example.org>\r\n"
       b"RCPT TO:<demo@example.com>\r\nRCPT TO:<nobody@example.com>\r\n"
       b"RCPT TO:<x@elsewhere.example>\r\nRSET\r\nVRFY demo\r\nHELP\r\n"
       b"XYZZY\r\n")
codes = [c.reply()[0] for _ in range(10)]
check(codes == [250, 250, 250, 250, 550, 554, 250, 252, 214, 500],
      "pipelined replies out of order: %r" % codes)
# A command trickled in pieces.
for piece in (b"NO", b"OP", b"\r", b"\n"):
    c.send(piece)
    time.sleep(0.01)
check(c.reply()[0] == 250, "trickled NOOP")
# 101 recipients in one write: the last one gets 452 4.5.3.
c.send(b"MAIL FROM:<a@example.org>\r\n" +
       b"RCPT TO:<alice@example.com>\r\n" * 101)
codes = [c.reply()[0] for _ in range(102)]
check(codes == [250] * 101 + [452], "101 recipients: %r" % codes[-3:])
c.cmd("RSET", 250, "250 2.0.0")
c.cmd("QUIT", 221, "221 2.0.0")
check(c.closed(), "QUIT did not close")

# Sequence and syntax errors, AUTH mistakes.
c = Client(port)
c.cmd("MAIL FROM:<a@example.org>", 503, "503 5.5.1")
c.cmd("HELO client.example", 250)
c.cmd("AUTH PLAIN", 503, "503 5.5.1")
c.cmd("EHLO client.example", 250)
c.cmd("RCPT TO:<demo@example.com>", 503, "503 5.5.1")
c.cmd("DATA", 503, "503 5.5.1")
c.cmd("MAIL FROM:a@example.org", 501, "501 5.1.7")
c.cmd("MAIL TO:<a@example.org>", 501, "501 5.5.4")
c.cmd("MAIL FROM:<a@example.org> SIZE=99999999999", 552, "552 5.3.4")
c.cmd("MAIL FROM:<a@example.org> FOO=1", 555)
c.cmd("MAIL FROM:<a@example.org> SIZE=100 BODY=8BITMIME", 250, "250 2.1.0")
c.cmd("MAIL FROM:<a@example.org>", 503, "503 5.5.1")
c.cmd("RCPT TO:<nobody@practice.smtpcon.test>", 550,
      "550 5.1.1 <nobody@practice.smtpcon.test>: Recipient address "
      "rejected: User unknown")
c.cmd("RCPT TO:<demo@>", 501, "501 5.1.3")
c.cmd("RCPT TO:<postmaster>", 250, "250 2.1.5")
c.cmd("DATA extra", 501, "501 5.5.4")
c.cmd("RSET", 250)
c.cmd("VRFY", 501, "501 5.5.4")
c.cmd("AUTH", 501, "501 5.5.4")
c.cmd("AUTH GSSAPI", 504, "504 5.5.4")
c.cmd("AUTH LOGIN", 334, "334 VXNlcm5hbWU6")
c.cmd("*", 501, "501 5.0.0 Authentication cancelled")
c.cmd("AUTH PLAIN", 334)
c.cmd("not base64!", 501, "501 5.5.2")
c.cmd("AUTH PLAIN " + base64.b64encode(b"\0demo\0nope").decode(), 535,
      "535 5.7.8 Authentication credentials invalid")
c.cmd("AUTH LOGIN " + base64.b64encode(b"student").decode(), 334,
      "334 UGFzc3dvcmQ6")
c.cmd(base64.b64encode(b"practice").decode(), 235,
      "235 2.7.0 Authentication successful")
c.cmd("AUTH PLAIN", 503, "503 5.5.1")
c.cmd("MAIL FROM:<a@example.org>", 250)
c.cmd("RCPT TO:<x@elsewhere.example>", 250, "250 2.1.5")
c.cmd("QUIT", 221)
c.close()

# A body line over 64 kB is kept whole; binary octets pass through.
c = Client(port)
c.cmd("EHLO client.example", 250)
c.cmd("MAIL FROM:<a@example.org>", 250)
c.cmd("RCPT TO:<bob@example.com>", 250)
c.cmd("DATA", 354, "354 End data with <CR><LF>.<CR><LF>")
body = b"Subject: long\r\n\r\n" + b"y" * 70000 + b"\r\n" + \
       bytes(range(1, 10)) + b"\x00\xff\r\n"
c.send(body + b".\r\n")
lines = c.reply()[1]
check(lines[-1].startswith("250 2.0.0 Ok: queued as "), "long line: %r" % lines)
path = lines[-1].split("(saved in ", 1)[1].rstrip(")")
with open(path, "rb") as f:
    check(f.read() == body, "the long-line message differs")

# Over SIZE: read to the end, then 552 5.3.4; nothing is kept.
before = set(os.listdir(new))
c.cmd("MAIL FROM:<a@example.org>", 250)
c.cmd("RCPT TO:<bob@example.com>", 250)
c.cmd("DATA", 354)
chunk = (b"z" * 998 + b"\r\n") * 1024
for _ in range(11):
    c.send(chunk)
c.send(b".\r\n")
c.cmd("NOOP", 552, "552 5.3.4")  # the reply to DATA comes first
check(c.reply()[0] == 250, "NOOP after an oversized message")
check(set(os.listdir(new)) == before, "an oversized message was kept")

# A client that closes in the middle of DATA leaves nothing behind.
c.cmd("MAIL FROM:<a@example.org>", 250)
c.cmd("RCPT TO:<bob@example.com>", 250)
c.cmd("DATA", 354)
c.send(b"Subject: cut\r\n\r\npart of a body\r\n")
deadline = time.time() + 5
while not os.listdir(tmpdir) and time.time() < deadline:
    time.sleep(0.02)
check(os.listdir(tmpdir), "no file in maildir/tmp during DATA")
c.close()
deadline = time.time() + 5
while os.listdir(tmpdir) and time.time() < deadline:
    time.sleep(0.02)
check(os.listdir(tmpdir) == [], "maildir/tmp not emptied after a close "
      "in DATA: %r" % os.listdir(tmpdir))
check(set(os.listdir(new)) == before, "a partial message reached new/")

# STARTTLS injection: the NOOP sent with STARTTLS must never run.
c = Client(port)
c.cmd("EHLO client.example", 250)
c.send(b"STARTTLS\r\nNOOP\r\n")
code, lines = c.reply()
check(lines == ["220 2.0.0 Ready to start TLS"], "STARTTLS: %r" % lines)
check(c.buf == b"", "plain text after the 220: %r" % c.buf)
ctx = ssl.create_default_context(cafile=os.path.join(data, "ca.pem"))
# A plain-text reply to the NOOP would break this handshake.
c.sock = ctx.wrap_socket(c.sock, server_hostname="practice.smtpcon.test")
c.cmd("MAIL FROM:<a@example.org>", 503, "503 5.5.1")
lines = c.cmd("EHLO client.example", 250)
check("250-STARTTLS" not in lines, "STARTTLS offered under TLS")
c.cmd("STARTTLS", 503)
c.cmd("QUIT", 221)
c.close()

# Twenty bad commands: 421 and the connection is closed.
c = Client(port)
for i in range(19):
    c.cmd("BOGUS%d" % i, 500, "500 5.5.2 Error: command not recognized")
c.send(b"BOGUS\r\n")
check(c.reply()[0] == 500, "20th bad command")
code, lines = c.reply()
check(code == 421 and lines[-1].startswith("421 4.7.0"), "no 421: %r" % lines)
check(c.closed(), "not closed after too many errors")

# Still alive: a final NOOP on a new connection.
c = Client(port)
c.cmd("NOOP", 250, "250 2.0.0 Ok")
c.cmd("QUIT", 221)
print("ok")
EOF

cat >"$T/slow.py" <<'EOF'
import os, sys, time
sys.path.insert(0, os.path.dirname(sys.argv[0]))
from lib import Client, check

port = int(sys.argv[1])
# Two clients at once: each waits 2 s, neither waits for the other.
t0 = time.time()
a = Client(port, greet=False)
b = Client(port, greet=False)
check(a.reply()[0] == 220 and b.reply()[0] == 220, "greetings")
t1 = time.time() - t0
check(1.9 <= t1 < 3.9, "slow greetings after %.2f s" % t1)
a.send(b"NOOP\r\n")
b.send(b"NOOP\r\n")
check(a.reply()[0] == 250 and b.reply()[0] == 250, "NOOP replies")
t2 = time.time() - t0 - t1
check(1.9 <= t2 < 3.9, "slow NOOP replies after %.2f s" % t2)
print("ok")
EOF

start_practice robust
"$PYTHON" "$T/robust.py" "$robust_PORT" "$T/robust.data" || fail "robust.py"
kill -0 "$robust_PID" 2>/dev/null || fail "the server died"
stop_server robust

start_practice slow --scenario slow
"$PYTHON" "$T/slow.py" "$slow_PORT" || fail "slow.py"
stop_server slow

pass
