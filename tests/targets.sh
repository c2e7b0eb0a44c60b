#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Targets on the command line (line mode; no network beyond loopback, nothing listens):
# an unbracketed IPv6 address followed by what looks like a port is refused as
# ambiguous, saying how to write either meaning; a bare IPv6 address still goes; -4 or
# -6 against an address or a name of the other family says so, and not "check the
# spelling". The -6 localhost case needs a localhost with an IPv4 address and no IPv6
# one, and is left out, saying so, where it has one.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
_lib_python

# run ARGS...: line mode, output in $T/out, status in $st.
run() { printf 'QUIT\n' | "$SMTPCON" --batch "$@" >"$T/out" 2>&1; st=$?; }

# ::1:4465: the address ::1 on port 4465, or the address ::1:4465 on port 25.
run ::1:4465
assert_status 2 "$st" "::1:4465"
assert_grep '^smtpcon: "::1:4465" is ambiguous: an IPv6 address with a port goes in brackets: \[::1\]:4465; the address ::1:4465 itself is written \[::1:4465\]$' "$T/out"
assert_not_grep 'connecting|try -4' "$T/out"
run 2001:db8::1:25
assert_status 2 "$st" "2001:db8::1:25"
assert_grep '^smtpcon: "2001:db8::1:25" is ambiguous: .* \[2001:db8::1\]:25; .* \[2001:db8::1:25\]$' "$T/out"
# Not an address at all with the port on it: only the bracketed form is offered.
run ::1:99999
assert_status 2 "$st" "::1:99999"
assert_grep '^smtpcon: bad address "::1:99999": an IPv6 address with a port goes in brackets: \[::1\]:99999$' "$T/out"

# Not ambiguous: a bare address (-4 keeps it off the network), and brackets.
run -4 ::1
assert_status 3 "$st" "-4 ::1"
assert_grep '^!! ::1 is an IPv6 address, and -4 asks for IPv4$' "$T/out"
assert_grep '^\?  drop -4, or give an IPv4 address$' "$T/out"
run -4 '[::1]:4465'
assert_status 3 "$st" "-4 [::1]:4465"
assert_grep '^!! ::1 is an IPv6 address, and -4 asks for IPv4$' "$T/out"
run -6 127.0.0.1:4465
assert_status 3 "$st" "-6 127.0.0.1"
assert_grep '^!! 127\.0\.0\.1 is an IPv4 address, and -6 asks for IPv6$' "$T/out"
assert_grep '^\?  drop -6, or give an IPv6 address in brackets' "$T/out"

# -6 with a name that has IPv4 addresses only: no "check the spelling", no MX advice.
# Only where the resolver says so: 1 addresses, 0 none of that family, ? no answer
# (a build chroot without network: the lookup fails, which says nothing).
fam=$("$PYTHON" -c '
import socket
def has(f):
    try:
        return "1" if socket.getaddrinfo("localhost", 25, f, socket.SOCK_STREAM) else "0"
    except socket.gaierror as e:
        nodata = [getattr(socket, n) for n in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY")
                  if hasattr(socket, n)]
        return "0" if e.errno in nodata else "?"
    except OSError:
        return "?"
print(has(socket.AF_INET) + has(socket.AF_INET6))')
if [ "$fam" = 10 ]; then
	# A port nothing listens on: it is never reached anyway.
	run -6 localhost:1
	assert_status 3 "$st" "-6 localhost"
	assert_grep '^!! localhost has no IPv6 address \(AAAA record\)$' "$T/out"
	assert_grep '^\?  drop -6 to connect over IPv4, or use \[::1\] for the IPv6 loopback$' "$T/out"
	assert_not_grep 'spelling|host -t mx|name not found' "$T/out"
else
	echo "note: localhost here has IPv4/IPv6 = $fam (not 1/0; ? = no answer): the -6 localhost case is left out" >&2
fi
pass
