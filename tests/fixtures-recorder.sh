#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Tests tests/recorder.py, the recording SMTP server, with a small Python client: a delayed
# reply, a pipelined group seen in one read, BDAT and DATA stored byte for byte, AUTH
# recorded, QUIT refused with the connection kept, STARTTLS with discarded plaintext,
# a server that stops reading, two connections at once, a clean SIGTERM.
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need certtool
_lib_python
pki

# rec NAME [recorder.py options]: start one, log in $T/NAME.jsonl, mail in $T/NAME.mail.
rec() {
	_rn=$1
	shift
	_lib_run "$_rn" "$PYTHON" "$TESTS_SRC/recorder.py" --log "$T/$_rn.jsonl" \
		--maildir "$T/$_rn.mail" "$@"
}
# client SCRIPT PORT [args]: a Python client from a here-document; its own checks.
client() {
	_cn=$1
	shift
	"$PYTHON" - "$@" >"$T/client-$_cn.out" 2>&1 || { cat "$T/client-$_cn.out" >&2; fail "client $_cn"; }
}

# Shared helpers for the clients, and the log reader.
cat >"$T/smtpc.py" <<'EOF'
import json, socket, time
class C:
    def __init__(self, port, host="127.0.0.1"):
        self.s = socket.create_connection((host, port), timeout=10)
        self.f = self.s.makefile("rb")
    def reply(self):
        lines = []
        while True:
            l = self.f.readline()
            assert l, "EOF instead of a reply"
            lines.append(l)
            if l[3:4] != b"-":
                return b"".join(lines)
    def cmd(self, data, want):
        self.s.sendall(data)
        r = self.reply()
        assert r.startswith(want), (data, want, r)
        return r
def events(path, conn=None):
    with open(path) as f:
        ev = [json.loads(l) for l in f]
    return [e for e in ev if conn is None or e["conn"] == conn]
def lines(ev, mode=None):
    return [e for e in ev if e["ev"] == "line" and (mode is None or e["mode"] == mode)]
def one(ev, kind, **kw):
    m = [e for e in ev if e["ev"] == kind and all(e.get(k) == v for k, v in kw.items())]
    assert len(m) == 1, (kind, kw, m)
    return m[0]
EOF
export PYTHONPATH="$T"

# --- delays, pipelining, BDAT, DATA, 8-bit bytes ----------------------------------
rec main --delay 0.3 --pipelining --chunking
client main "$main_PORT" "$T/main.jsonl" "$T/main.mail" <<'EOF'
import os, sys, time
from smtpc import C, events, lines, one
port, log, mail = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = C(port)
t0 = time.monotonic()
assert c.reply().startswith(b"220")
assert time.monotonic() - t0 < 0.25, "the greeting was delayed without --delay-greeting"
t0 = time.monotonic()
r = c.cmd(b"EHLO t\r\n", b"250-")
assert time.monotonic() - t0 >= 0.3, "EHLO reply not delayed"
assert b"PIPELINING" in r and b"CHUNKING" in r and b"STARTTLS" not in r and b"AUTH" not in r, r
# A pipelined group in one send: it must show up in one read.
c.s.sendall(b"MAIL FROM:<a@x.test>\r\nRCPT TO:<b@x.test>\r\nRCPT TO:<c@x.test>\r\n")
for want in (b"250 2.1.0", b"250 2.1.5", b"250 2.1.5"):
    assert c.reply().startswith(want)
# BDAT: two chunks, the second with LAST, each command and chunk in one send; the
# chunk holds a CRLF.CRLF and a bare LF that must not be interpreted.
c.cmd(b"BDAT 12\r\nab\r\n.\r\ncd\nef", b"250 2.0.0 12 octets")
c.cmd(b"BDAT 3 LAST\r\n\x00\xff\n", b"250 2.0.0 ok: 15 octets, queued as 1")
# DATA: dot-stuffing undone, NUL and 8-bit bytes kept, the body after the 354.
c.s.sendall(b"MAIL FROM:<a@x.test>\r\nRCPT TO:<b@x.test>\r\nDATA\r\n")
for want in (b"250", b"250", b"354"):
    assert c.reply().startswith(want)
c.cmd(b"Subject: s\r\n\r\n..dot\r\nnul\x00 and \xe9\r\n...\r\n.\r\n", b"250 2.0.0 ok: queued as 2")
c.cmd(b"QUIT\r\n", b"221")
assert c.f.read() == b"", "connection not closed after 221"

with open(os.path.join(mail, "msg-1.eml"), "rb") as f:
    assert f.read() == b"ab\r\n.\r\ncd\nef\x00\xff\n", "BDAT message"
with open(os.path.join(mail, "msg-2.eml"), "rb") as f:
    assert f.read() == b"Subject: s\r\n\r\n.dot\r\nnul\x00 and \xe9\r\n..\r\n", "DATA message"
with open(os.path.join(mail, "msg-2.env"), "rb") as f:
    assert f.read() == b"MAIL FROM:<a@x.test>\nRCPT TO:<b@x.test>\n"

ev = events(log, 1)
cmds = lines(ev, "cmd")
by = {}
for e in cmds:
    by.setdefault(e["verb"], []).append(e)
# The delayed EHLO reply: logged with its delay, sent >= 0.3 s after the line arrived.
ehlo = by["EHLO"][0]
r = [e for e in ev if e["ev"] == "reply" and e["text"].startswith("250-recorder.test")][0]
assert r["delay"] == 0.3 and r["t"] - ehlo["t"] >= 0.3, (ehlo, r)
# The pipelined group: one read, pending 0, 1, 2.
g = [by["MAIL"][0]] + by["RCPT"][:2]
assert len({e["read"] for e in g}) == 1, g
assert [e["pending"] for e in g] == [0, 1, 2], g
rd = one(ev, "read", seq=g[0]["read"])
assert rd["n"] == len(b"MAIL FROM:<a@x.test>\r\nRCPT TO:<b@x.test>\r\nRCPT TO:<c@x.test>\r\n"), rd
# BDAT events, and the message records.
b1, b2 = [e for e in ev if e["ev"] == "bdat"]
assert (b1["size"], b1["last"], b2["size"], b2["last"]) == (12, False, 3, True), (b1, b2)
m1 = one(ev, "message", n=1)
assert m1["via"] == "BDAT" and m1["bytes"] == 15, m1
m2 = one(ev, "message", n=2)
assert m2["via"] == "DATA" and m2["bytes"] == 36, m2
# Raw bytes survive the log (Latin-1 in JSON).
body = [e["line"].encode("latin-1") for e in lines(ev, "data")]
assert body == [b"Subject: s\r\n", b"\r\n", b"..dot\r\n", b"nul\x00 and \xe9\r\n", b"...\r\n",
                b".\r\n"], body
# The body came after the 354 (pending 0); the terminator's reply was then owed.
assert all(e["pending"] == 0 for e in lines(ev, "data")), lines(ev, "data")
print("ok")
EOF
wait_for "$T/main.jsonl" '"ev": "close", "conn": 1'

# --- no PIPELINING: a client that sends ahead shows up as pending > 0 --------------
rec nopipe --delay 0.2
client nopipe "$nopipe_PORT" "$T/nopipe.jsonl" <<'EOF'
import sys
from smtpc import C, events, lines
port, log = int(sys.argv[1]), sys.argv[2]
c = C(port)
c.reply()
r = c.cmd(b"EHLO t\r\n", b"250")
assert b"PIPELINING" not in r, r
c.s.sendall(b"NOOP\r\nNOOP\r\nQUIT\r\n")
for want in (b"250", b"250", b"221"):
    assert c.reply().startswith(want)
p = [e["pending"] for e in lines(events(log, 1), "cmd")]
assert p == [0, 0, 1, 2], p
print("ok")
EOF

# --- AUTH recorded and refused; 504; QUIT answered 500 with the connection kept ------
rec auth --auth --quit-500
client auth "$auth_PORT" "$T/auth.jsonl" <<'EOF'
import socket, sys
from smtpc import C, events, one
port, log = int(sys.argv[1]), sys.argv[2]
c = C(port)
c.reply()
r = c.cmd(b"EHLO t\r\n", b"250")
assert b"250 AUTH PLAIN LOGIN XOAUTH2\r\n" in r, r
c.cmd(b"AUTH LOGIN\r\n", b"334 VXNlcm5hbWU6")
c.cmd(b"YWxpY2U=\r\n", b"334 UGFzc3dvcmQ6")
c.cmd(b"czNjcmV0\r\n", b"535 5.7.8")
c.cmd(b"AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n", b"535 5.7.8")
c.cmd(b"AUTH PLAIN\r\n", b"334 \r\n")
c.cmd(b"*\r\n", b"501")
c.cmd(b"AUTH XOAUTH2 dXNlcj1hAWF1dGg9QmVhcmVyIHQBAQ==\r\n", b"334 eyJzdGF0dXMiOiI0MDEi")
c.cmd(b"\r\n", b"535 5.7.8")
c.cmd(b"AUTH CRAM-MD5\r\n", b"504 5.5.4")
c.cmd(b"QUIT\r\n", b"500 5.5.2 no\r\n")
c.s.settimeout(1.0)
try:
    d = c.s.recv(100)
    sys.exit(f"after the 500 to QUIT: {d!r} instead of an open, silent connection")
except socket.timeout:
    pass
c.cmd(b"NOOP\r\n", b"250")
c.s.close()
ev = events(log, 1)
a = [e for e in ev if e["ev"] == "auth"]
assert [(e["mech"], e["initial"], e["answers"], e["code"]) for e in a] == [
    ("LOGIN", None, ["YWxpY2U=", "czNjcmV0"], 535),
    ("PLAIN", "AGFsaWNlAHMzY3JldA==", [], 535),
    ("PLAIN", None, ["*"], 501),
    ("XOAUTH2", "dXNlcj1hAWF1dGg9QmVhcmVyIHQBAQ==", [""], 535),
    ("CRAM-MD5", None, [], 504)], a
one(ev, "reply", text="500 5.5.2 no\r\n")
print("ok")
EOF
wait_for "$T/auth.jsonl" '"ev": "eof", "conn": 1'
rec auth504 --auth-504
client auth504 "$auth504_PORT" <<'EOF'
import sys
from smtpc import C
c = C(int(sys.argv[1]))
c.reply()
assert b"AUTH PLAIN LOGIN XOAUTH2" in c.cmd(b"EHLO t\r\n", b"250")
c.cmd(b"AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n", b"504 5.5.4")
c.cmd(b"AUTH LOGIN\r\n", b"504 5.5.4")
c.cmd(b"QUIT\r\n", b"221")
print("ok")
EOF

# --- STARTTLS: plaintext sent after the command is discarded and logged -------------
rec tls --pipelining --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem"
client tls "$tls_PORT" "$T/tls.jsonl" "$PKI/ca.pem" <<'EOF'
import ssl, sys
from smtpc import C, events, one
port, log, ca = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = C(port)
c.reply()
assert b"STARTTLS" in c.cmd(b"EHLO t\r\n", b"250")
c.cmd(b"STARTTLS\r\nRSET\r\n", b"220")
ctx = ssl.create_default_context(cafile=ca)
c.s = ctx.wrap_socket(c.s, server_hostname="localhost")
c.f = c.s.makefile("rb")
r = c.cmd(b"EHLO t\r\n", b"250")
assert b"STARTTLS" not in r, r
c.s.sendall(b"MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n")
for want in (b"250", b"250", b"354"):
    assert c.reply().startswith(want)
c.cmd(b"tls body\r\n.\r\n", b"250")
c.cmd(b"QUIT\r\n", b"221")
ev = events(log, 1)
assert one(ev, "plaintext_after_starttls")["data"] == "RSET\r\n"
assert one(ev, "tls")["version"].startswith("TLSv1.")
g = [e for e in ev if e["ev"] == "line" and e["mode"] == "cmd" and e["verb"] in ("MAIL", "RCPT", "DATA")]
assert len({e["read"] for e in g}) == 1 and [e["pending"] for e in g] == [0, 1, 2], g
assert not any(e["ev"] == "line" and e["line"] == "RSET\r\n" for e in ev)
print("ok")
EOF
printf 'tls body\r\n' | cmp "$T/tls.mail/msg-1.eml" - || fail "message over TLS"

# --- a server that stops reading after the 354 --------------------------------------
rec stop --stop-reading-after-data --rcvbuf 32768 --hold 10
client stop "$stop_PORT" "$T/stop.jsonl" <<'EOF'
import socket, struct, sys, time
from smtpc import C, events, one
port, log = int(sys.argv[1]), sys.argv[2]
c = C(port)
c.reply()
c.cmd(b"EHLO t\r\n", b"250")
c.cmd(b"MAIL FROM:<a@x>\r\n", b"250")
c.cmd(b"RCPT TO:<b@x>\r\n", b"250")
c.cmd(b"DATA\r\n", b"354")
c.s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
c.s.settimeout(1.0)
sent, chunk, end = 0, b"x" * 76 + b"\r\n", time.monotonic() + 20
try:
    while time.monotonic() < end:
        sent += c.s.send(chunk * 800)
    sys.exit("20 s of sending into a server that does not read")
except socket.timeout:
    pass
assert sent < 16 << 20, sent  # blocked after the buffers filled, not after the message
# Reset the connection: the server must notice and close.
c.s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.s.close()
print("blocked after", sent, "bytes")
EOF
wait_for "$T/stop.jsonl" '"ev": "hold_end".*client hung up' 5
wait_for "$T/stop.jsonl" '"ev": "close", "conn": 1' 5
assert_grep '"ev": "stop_reading"' "$T/stop.jsonl"
[ -z "$(ls "$T/stop.mail")" ] || fail "a stopped DATA left a message"

# --- two connections at once, then SIGTERM -------------------------------------------
client two "$main_PORT" <<'EOF'
import sys
from smtpc import C
a, b = C(int(sys.argv[1])), C(int(sys.argv[1]))
assert b.reply().startswith(b"220") and a.reply().startswith(b"220")
b.cmd(b"QUIT\r\n", b"221")
a.cmd(b"QUIT\r\n", b"221")
print("ok")
EOF
for s in main nopipe auth auth504 tls stop; do
	assert_not_grep 'Traceback|internal error' "$T/$s.log"
	stop_server "$s"
done
assert_grep 'stopping' "$T/main.log"
pass
