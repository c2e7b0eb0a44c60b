#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# smtpcon-practice speaks CHUNKING (RFC 3030), checked with raw sockets:
# chunks split mid-line stored byte for byte (dots, bare CR and LF, NUL
# and a "." line untouched), BDAT pipelined with MAIL and RCPT in one
# write, a trickled chunk, BDAT refused (503, 530) with its octets still
# consumed, bad sizes (501), BDAT 0 LAST, RSET and DATA after a partial
# BDAT message, a message over SIZE, BDAT under STARTTLS, and the strict
# and slow scenarios.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
_lib_python
need "$PYTHON"

cat >"$T/chunking.py" <<'EOF'
import os, socket, ssl, sys, time

def fail(what):
    print("FAIL:", what)
    sys.exit(1)

def check(cond, what):
    if not cond:
        fail(what)

class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.buf = b""
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

    def expect(self, what, want, prefix=None):
        code, lines = self.reply()
        check(code == want, "%s: expected %d, got %r" % (what, want, lines))
        if prefix is not None:
            check(lines[-1].startswith(prefix),
                  "%s: expected %r, got %r" % (what, prefix, lines))
        return lines[-1]

    def cmd(self, text, want, prefix=None):
        self.send(text.encode() + b"\r\n")
        return self.expect(text[:40], want, prefix)

    def bdat(self, data, want, prefix=None, last=False):
        head = b"BDAT %d%s\r\n" % (len(data), b" LAST" if last else b"")
        self.send(head + data)
        return self.expect(head.decode().strip(), want, prefix)

    def starttls(self, data):
        self.cmd("STARTTLS", 220)
        ctx = ssl.create_default_context(cafile=os.path.join(data, "ca.pem"))
        self.sock = ctx.wrap_socket(self.sock,
                                    server_hostname="practice.smtpcon.test")

def saved(line):
    """The file named by a 250 reply to BDAT LAST or to DATA's "."."""
    check("(saved in " in line, "no path in %r" % line)
    with open(line.split("(saved in ", 1)[1].rstrip(")"), "rb") as f:
        return f.read()

def normal(port, data):
    new = os.path.join(data, "maildir", "new")
    tmp = os.path.join(data, "maildir", "tmp")

    c = Client(port)
    c.send(b"EHLO client.example\r\n")
    code, lines = c.reply()
    check("250-CHUNKING" in lines and "250-PIPELINING" in lines,
          "EHLO does not offer CHUNKING and PIPELINING: %r" % lines)

    # Chunks cut mid-line, and mid-CRLF; what DATA would end or unstuff
    # (a "." line, a leading dot) and binary octets go in as they are.
    msg = (b"Subject: chunks\r\n\r\n.leading dot\r\n.\r\n..two\r\n"
           b"bare\rCR and bare\nLF\x00\xff\x01\r\nend\r\n")
    parts = [msg[:10], msg[10:18], msg[18:40], msg[40:]]
    c.cmd("MAIL FROM:<a@example.org>", 250)
    c.cmd("RCPT TO:<demo@example.com>", 250)
    for p in parts[:-1]:
        c.bdat(p, 250, "250 2.0.0 %d octets received" % len(p))
    line = c.bdat(parts[-1], 250, "250 2.0.0 Ok: %d octets queued as "
                  % len(msg), last=True)
    check(saved(line) == msg, "chunked message differs: %r" % saved(line))

    # MAIL, RCPT, two chunks and NOOP in one write: five replies in order.
    msg2 = b"Subject: pipelined\r\n\r\nline one\r\nline two\r\n"
    c.send(b"MAIL FROM:<a@example.org>\r\nRCPT TO:<bob@example.com>\r\n"
           b"BDAT 25\r\n" + msg2[:25] + b"BDAT %d LAST\r\n" % (len(msg2) - 25)
           + msg2[25:] + b"NOOP\r\n")
    c.expect("pipelined MAIL", 250, "250 2.1.0")
    c.expect("pipelined RCPT", 250, "250 2.1.5")
    c.expect("pipelined BDAT 25", 250, "250 2.0.0 25 octets received")
    line = c.expect("pipelined BDAT LAST", 250, "250 2.0.0 Ok: ")
    check(saved(line) == msg2, "pipelined message differs")
    c.expect("NOOP after the chunk", 250, "250 2.0.0 Ok")

    # A chunk trickled in pieces, its command line too.
    msg3 = b"Subject: slowly\r\n\r\ntrickle\r\n"
    c.cmd("MAIL FROM:<a@example.org>", 250)
    c.cmd("RCPT TO:<bob@example.com>", 250)
    wire = b"BDAT %d LAST\r\n" % len(msg3) + msg3
    for i in range(0, len(wire), 7):
        c.send(wire[i:i + 7])
        time.sleep(0.01)
    line = c.expect("trickled BDAT", 250, "250 2.0.0 Ok: ")
    check(saved(line) == msg3, "trickled message differs")

    # BDAT 0 LAST ends a message; alone it sends an empty one.
    c.cmd("MAIL FROM:<a@example.org>", 250)
    c.cmd("RCPT TO:<bob@example.com>", 250)
    c.bdat(b"hello\r\n", 250, "250 2.0.0 7 octets received")
    line = c.cmd("BDAT 0 LAST", 250, "250 2.0.0 Ok: 7 octets queued as ")
    check(saved(line) == b"hello\r\n", "BDAT 0 LAST message differs")
    c.cmd("MAIL FROM:<a@example.org>", 250)
    c.cmd("RCPT TO:<bob@example.com>", 250)
    line = c.cmd("bdat 0 last", 250, "250 2.0.0 Ok: 0 octets queued as ")
    check(saved(line) == b"", "empty message not empty")

    # Refused chunks: the octets are read all the same and never run as
    # commands (those here would give three more replies).
    c.send(b"BDAT 18\r\nNOOP\r\nNOOP\r\nNOOP\r\nNOOP\r\n")
    c.expect("BDAT before MAIL", 503, "503 5.5.1 Error: need MAIL command")
    c.expect("NOOP after a refused chunk", 250, "250 2.0.0 Ok")
    c.cmd("MAIL FROM:<a@example.org>", 250)
    c.bdat(b"RSET\r\n", 503, "503 5.5.1 Error: need RCPT command",
           last=True)
    c.cmd("RCPT TO:<bob@example.com>", 250)  # the transaction is still open
    c.bdat(b"ok\r\n", 250, "250 2.0.0 Ok: 4 octets", last=True)

    # Bad sizes: 501, and what follows is taken as commands.
    before = set(os.listdir(new))
    for bad in ("BDAT", "BDAT x", "BDAT -1", "BDAT 1x", "BDAT +5",
                "BDAT 5 LAST junk", "BDAT 5 FIRST",
                "BDAT 99999999999999999999999"):
        c.cmd(bad, 501, "501 5.5.4")
    c.cmd("NOOP", 250, "250 2.0.0 Ok")

    # RSET drops a partial BDAT message, and its file in tmp/.
    c.cmd("MAIL FROM:<a@example.org>", 250)
    c.cmd("RCPT TO:<bob@example.com>", 250)
    c.bdat(b"partial\r\n", 250, "250 2.0.0 9 octets received")
    check(os.listdir(tmp), "no file in maildir/tmp during BDAT")
    c.cmd("RSET", 250, "250 2.0.0 Ok")
    check(os.listdir(tmp) == [], "tmp/ not emptied by RSET: %r"
          % os.listdir(tmp))
    c.bdat(b"rest\r\n", 503, "503 5.5.1 Error: need MAIL", last=True)

    # DATA after BDAT in one transaction: 503, the BDAT message goes on.
    c.cmd("MAIL FROM:<a@example.org>", 250)
    c.cmd("RCPT TO:<bob@example.com>", 250)
    c.bdat(b"first\r\n", 250)
    c.cmd("DATA", 503, "503 5.5.1")
    line = c.bdat(b"second\r\n", 250, "250 2.0.0 Ok: 15 octets", last=True)
    check(saved(line) == b"first\r\nsecond\r\n", "BDAT after DATA's 503")
    before = set(os.listdir(new))

    # Over SIZE: every octet is read, 552, the transaction is gone.
    size = 10485760
    c.cmd("MAIL FROM:<a@example.org>", 250)
    c.cmd("RCPT TO:<bob@example.com>", 250)
    c.bdat(b"x" * (size - 10), 250)
    c.send(b"BDAT 11 LAST\r\n" + b"y" * 11 + b"NOOP\r\n")
    c.expect("BDAT over SIZE", 552, "552 5.3.4")
    c.expect("NOOP after 552", 250)
    c.bdat(b"z", 503, "503 5.5.1 Error: need MAIL", last=True)
    c.cmd("MAIL FROM:<a@example.org>", 250)
    c.cmd("RCPT TO:<bob@example.com>", 250)
    c.send(b"BDAT %d LAST\r\n" % (size + 1))
    chunk = b"w" * 65536
    left = size + 1
    while left > 0:
        n = min(left, len(chunk))
        c.send(chunk[:n])
        left -= n
    c.expect("one chunk over SIZE", 552, "552 5.3.4")
    c.cmd("NOOP", 250)
    check(set(os.listdir(new)) == before, "an oversized message was kept")
    check(os.listdir(tmp) == [], "tmp/ not empty after 552")

    # A close in the middle of a chunk leaves nothing behind.
    c.cmd("MAIL FROM:<a@example.org>", 250)
    c.cmd("RCPT TO:<bob@example.com>", 250)
    c.send(b"BDAT 100 LAST\r\nonly part of it")
    deadline = time.time() + 5
    while not os.listdir(tmp) and time.time() < deadline:
        time.sleep(0.02)
    c.sock.close()
    deadline = time.time() + 5
    while os.listdir(tmp) and time.time() < deadline:
        time.sleep(0.02)
    check(os.listdir(tmp) == [], "tmp/ not emptied after a close in BDAT")
    check(set(os.listdir(new)) == before, "a partial message reached new/")

    # Under STARTTLS: EHLO, MAIL, RCPT and chunks cut mid-line in one write.
    c = Client(port)
    c.cmd("EHLO client.example", 250)
    c.starttls(data)
    msg4 = b"Subject: over TLS\r\n\r\n" + bytes(range(256)) * 40 + b"\r\n"
    cut = [0, 5, 1000, 4099, len(msg4)]
    wire = b"EHLO client.example\r\nMAIL FROM:<a@example.org>\r\n" \
           b"RCPT TO:<demo@example.com>\r\n"
    for i in range(len(cut) - 1):
        part = msg4[cut[i]:cut[i + 1]]
        last = b" LAST" if i == len(cut) - 2 else b""
        wire += b"BDAT %d%s\r\n" % (len(part), last) + part
    c.send(wire + b"QUIT\r\n")
    code, lines = c.reply()
    check(code == 250 and "250-CHUNKING" in lines, "EHLO under TLS: %r" % lines)
    c.expect("MAIL under TLS", 250)
    c.expect("RCPT under TLS", 250)
    for i in range(len(cut) - 2):
        c.expect("chunk %d under TLS" % i, 250, "250 2.0.0 %d octets received"
                 % (cut[i + 1] - cut[i]))
    line = c.expect("BDAT LAST under TLS", 250, "250 2.0.0 Ok: %d octets "
                    "queued as " % len(msg4))
    check(saved(line) == msg4, "message over TLS differs")
    c.expect("QUIT under TLS", 221)

def strict(port, data):
    # Before TLS: 530 after the octets; then the same under TLS works.
    c = Client(port)
    c.cmd("EHLO client.example", 250)
    c.send(b"BDAT 6 LAST\r\nQUIT\r\nNOOP\r\n")
    c.expect("BDAT before TLS", 530, "530 5.7.0")
    c.expect("NOOP after 530", 250)
    c.starttls(data)
    c.cmd("EHLO client.example", 250)
    c.cmd("MAIL FROM:<a@example.org>", 250)
    c.cmd("RCPT TO:<demo@example.com>", 250)
    line = c.bdat(b"strict\r\n", 250, "250 2.0.0 Ok: 8 octets", last=True)
    check(saved(line) == b"strict\r\n", "strict message differs")
    c.cmd("QUIT", 221)

def greylist(port, data):
    # The 451 comes at RCPT; BDAT then has no recipient.
    c = Client(port)
    c.cmd("EHLO client.example", 250)
    c.send(b"MAIL FROM:<a@example.org>\r\nRCPT TO:<demo@example.com>\r\n"
           b"BDAT 4 LAST\r\nhi\r\n")
    c.expect("MAIL", 250)
    c.expect("greylisted RCPT", 451, "451 4.7.1")
    c.expect("BDAT after 451", 503, "503 5.5.1 Error: need RCPT")
    c.cmd("RSET", 250)
    c.send(b"MAIL FROM:<a@example.org>\r\nRCPT TO:<demo@example.com>\r\n"
           b"BDAT 4 LAST\r\nhi\r\n")
    c.expect("MAIL", 250)
    c.expect("RCPT again", 250)
    line = c.expect("BDAT", 250, "250 2.0.0 Ok: 4 octets")
    check(saved(line) == b"hi\r\n", "greylist message differs")
    c.cmd("QUIT", 221)

def slow(port, data):
    # Replies held 2 s each, the chunk waiting in the input meanwhile.
    c = Client(port)
    t0 = time.time()
    c.send(b"HELO client.example\r\nMAIL FROM:<a@example.org>\r\n"
           b"RCPT TO:<demo@example.com>\r\nBDAT 9 LAST\r\nslow\r\n.\r\n")
    c.expect("HELO", 250)
    c.expect("MAIL", 250)
    c.expect("RCPT", 250)
    line = c.expect("BDAT", 250, "250 2.0.0 Ok: 9 octets")
    t = time.time() - t0
    check(t >= 7.5, "slow replies came after %.2f s" % t)
    check(saved(line) == b"slow\r\n.\r\n", "slow message differs")

tests = {"normal": normal, "strict": strict, "greylist": greylist,
         "slow": slow}
tests[sys.argv[1]](int(sys.argv[2]), sys.argv[3])
print("ok")
EOF

for sc in normal strict greylist slow; do
	start_practice "$sc" --scenario "$sc"
	eval "_port=\$${sc}_PORT"
	"$PYTHON" "$T/chunking.py" "$sc" "$_port" "$T/$sc.data" ||
		{ _lib_show "$T/$sc.log"; fail "chunking.py $sc"; }
	eval "_pid=\$${sc}_PID"
	kill -0 "$_pid" 2>/dev/null || fail "the $sc server died"
	stop_server "$sc"
done

pass
