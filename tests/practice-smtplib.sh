#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# smtpcon-practice against Python's smtplib: STARTTLS verified with the
# practice CA, login, then a message with dot-led lines, a lone ".", 8-bit
# UTF-8 and a long line; the Maildir file must hold exactly what smtplib
# meant to send (the body after un-dot-stuffing, CRLF line ends).  SIGTERM
# then stops the server with status 0 and removes its port file.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
_lib_python
need "$PYTHON"

start_practice srv --maildir "$T/mail"

cat >"$T/client.py" <<'EOF'
import os, re, smtplib, ssl, sys

port, data, mail = int(sys.argv[1]), sys.argv[2], sys.argv[3]

msg = (b"From: sender@example.org\r\n"
       b"To: demo@practice.smtpcon.test\r\n"
       b"Subject: smtplib practice\r\n"
       b"MIME-Version: 1.0\r\n"
       b"Content-Type: text/plain; charset=utf-8\r\n"
       b"Content-Transfer-Encoding: 8bit\r\n"
       b"\r\n"
       b"first line\r\n"
       b".a line that starts with a dot\r\n"
       b"..two dots\r\n"
       b".\r\n"
       + "8-bit: Gr\u00fc\u00dfe, \u00e7a va, \u65e5\u672c\u8a9e\r\n".encode("utf-8")
       + b"x" * 5000 + b"\r\n"
       b"last line\r\n")

def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)

ctx = ssl.create_default_context(cafile=os.path.join(data, "ca.pem"))
with smtplib.SMTP("127.0.0.1", port, local_hostname="client.example",
                  timeout=10) as s:
    s.ehlo()
    check(s.has_extn("starttls"), "STARTTLS not advertised")
    s.starttls(context=ctx)
    s.ehlo()
    check(not s.has_extn("starttls"), "STARTTLS advertised under TLS")
    code, _ = s.login("demo", "demo")
    check(code == 235, "login: %d" % code)
    code, _ = s.mail("sender@example.org", ["BODY=8BITMIME",
                                            "SIZE=%d" % len(msg)])
    check(code == 250, "MAIL: %d" % code)
    for rcpt in ("demo@practice.smtpcon.test", "bob@example.com"):
        code, _ = s.rcpt(rcpt)
        check(code == 250, "RCPT %s: %d" % (rcpt, code))
    code, reply = s.data(msg)
    reply = reply.decode()
    check(code == 250, "DATA: %d %s" % (code, reply))

m = re.search(r"queued as (\S+) \(saved in (.*)\)$", reply)
check(m is not None, "no 'queued as ... (saved in ...)' in: " + reply)
name, path = m.group(1), m.group(2)
check(path == os.path.join(mail, "new", name), "unexpected path " + path)
with open(path, "rb") as f:
    got = f.read()
check(got == msg, "the Maildir file differs from what was sent: "
      "%d octets, expected %d" % (len(got), len(msg)))
check(os.listdir(os.path.join(mail, "tmp")) == [], "maildir/tmp not empty")
with open(os.path.join(data, "envelopes", name), "rb") as f:
    env = f.read()
check(env == b"MAIL FROM:<sender@example.org>\n"
      b"RCPT TO:<demo@practice.smtpcon.test>\n"
      b"RCPT TO:<bob@example.com>\n", "envelope: %r" % env)
print("ok", name)
EOF

"$PYTHON" "$T/client.py" "$srv_PORT" "$T/srv.data" "$T/mail" ||
    fail "the smtplib session failed"

stop_server srv
[ ! -e "$T/srv.port" ] || fail "the port file is left behind"
pass
