#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# IPv6 on the loopback ::1, by address: smtpd.py and swaks there (the fixtures), a
# plain session with -6, STARTTLS verified against the certificate's IP ::1, and -4
# with an IPv6 literal refused.  Skipped, saying so, on a machine without ::1.
# shellcheck disable=SC2154  # NAME_PORT variables are set by start_* via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need swaks
need_aiosmtpd
# The loopback works: a socket bound to ::1 takes a connection to ::1 (a build
# chroot or container may have IPv6 off, or ::1 missing from lo).
why=$("$PYTHON" -c '
import socket, sys
try:
    l = socket.socket(socket.AF_INET6)
    l.bind(("::1", 0))
    l.listen(1)
    c = socket.create_connection(("::1", l.getsockname()[1]), timeout=5)
    l.settimeout(5)
    l.accept()[0].close()
    c.close()
except OSError as e:
    print(e)
    sys.exit(1)' 2>&1) ||
	{ echo "SKIP: no IPv6 loopback: cannot listen on and connect to ::1 ($why)"; exit 77; }
pki

# The fixture first: smtpd.py listens on ::1 and swaks reaches it.  swaks needs
# IO::Socket::INET6 for IPv6 (libio-socket-inet6-perl, which it only
# recommends): without it the fixture is checked with Python's smtplib.
start_smtpd six --host ::1 --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem"
if swaks --support 2>&1 | grep -q '^=== IPv6 supported'; then
	swaks --server "::1" --port "$six_PORT" --from a@x.invalid --to b@x.invalid \
		>"$T/swaks-six" 2>&1 || { cat "$T/swaks-six" >&2; fail "smtpd.py on ::1"; }
else
	echo "note: swaks here has no IPv6 (install libio-socket-inet6-perl); smtpd.py on ::1 checked with smtplib"
	"$PYTHON" -c '
import smtplib, sys
s = smtplib.SMTP("::1", int(sys.argv[1]), timeout=10)
s.sendmail("a@x.invalid", ["b@x.invalid"], "Subject: six\r\n\r\nsix\r\n")
s.quit()' "$six_PORT" >"$T/smtplib-six" 2>&1 ||
		{ cat "$T/smtplib-six" >&2; fail "smtpd.py on ::1"; }
fi
wait_for "$T/six.log" 'accepted 001'

printf 'EHLO me\nQUIT\n' | "$SMTPCON" --batch -6 "[::1]:$six_PORT" >"$T/out" 2>&1
assert_status 0 $? "IPv6"
assert_grep "^\*  connected to ::1 \[::1\] port $six_PORT" "$T/out"
assert_grep '^S: 221' "$T/out"

# The test certificate names IP ::1: STARTTLS by address verifies.
printf 'EHLO me\nQUIT\n' |
	"$SMTPCON" --batch --starttls --cafile "$PKI/ca.pem" "[::1]:$six_PORT" >"$T/tls" 2>&1
assert_status 0 $? "STARTTLS on ::1"
assert_grep '^\*  certificate verified: chain trusted, name ::1 matches' "$T/tls"

# -4 with an IPv6 literal cannot work, and says so.
printf 'QUIT\n' | "$SMTPCON" --batch -4 "[::1]:$six_PORT" >"$T/out2" 2>&1
assert_status 3 $? "-4 with ::1"
pass
