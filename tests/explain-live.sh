#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Explanations read the server's words and the session: Microsoft 365's "SMTP AUTH is
# disabled for the tenant" is not called a wrong password, "Must issue a STARTTLS
# command first" is not called a missing login, and a server that offers no STARTTLS
# is never answered with "send STARTTLS".
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
_lib_python

# A scripted server: EHLO offers AUTH (and STARTTLS when asked), AUTH and MAIL get the
# replies given on the command line.
SERVER='
import signal, socket, sys
signal.signal(signal.SIGTERM, lambda *x: sys.exit(0))
a = sys.argv
auth, mail, starttls = a[1].encode(), a[2].encode(), a[3] == "yes"
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(4)
open(a[a.index("--portfile") + 1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    f = c.makefile("rb")
    c.sendall(b"220 mx.example ESMTP\r\n")
    for line in f:
        v = line.split()[0].upper() if line.split() else b""
        if v == b"EHLO":
            c.sendall(b"250-mx.example\r\n" + (b"250-STARTTLS\r\n" if starttls else b"") + b"250 AUTH LOGIN PLAIN\r\n")
        elif v == b"AUTH":
            c.sendall(auth + b"\r\n")
        elif v == b"MAIL":
            c.sendall(mail + b"\r\n")
        elif v == b"QUIT":
            c.sendall(b"221 bye\r\n")
            break
        else:
            c.sendall(b"250 ok\r\n")
    c.close()
'
_lib_run srv "$PYTHON" -c "$SERVER" "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information." \
  "530 5.7.0 Must issue a STARTTLS command first" yes x

printf 'EHLO me\nAUTH PLAIN AGFsaWNlAHMzY3JldA==\n' |
	"$SMTPCON" --batch --insecure "127.0.0.1:$srv_PORT" >"$T/o365.out" 2>&1
assert_status 1 $? "535 5.7.139"
assert_grep '^\? .*[Aa]dministrator|^\? .*SMTP AUTH.*(disabled|enable)' "$T/o365.out"
grep '^?' "$T/o365.out" | grep -qi 'password' && fail "5.7.139 (AUTH disabled) advised checking the password"
printf 'EHLO me\nMAIL FROM:<a@example.com>\n' |
	"$SMTPCON" --batch "127.0.0.1:$srv_PORT" >"$T/tls.out" 2>&1
assert_grep '^\? .*STARTTLS' "$T/tls.out"
stop_server srv

# No STARTTLS offered: "authentication required" is never answered with "STARTTLS".
_lib_run srv2 "$PYTHON" -c "$SERVER" \
  "535 5.7.8 no" "530 5.7.0 Authentication required" no x
printf 'EHLO me\nMAIL FROM:<a@example.com>\n' |
	"$SMTPCON" --batch "127.0.0.1:$srv2_PORT" >"$T/noss.out" 2>&1
assert_grep '^S: 530 5\.7\.0 Authentication required' "$T/noss.out"
assert_grep '^\? ' "$T/noss.out"
grep '^?' "$T/noss.out" | grep -qi 'starttls' && fail "advised STARTTLS to a server that offers none"
pass
