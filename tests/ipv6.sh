#!/bin/sh
# IPv6 on the loopback ::1, by address: smtpd.py and swaks there (the fixtures), a
# plain session with -6, STARTTLS verified against the certificate's IP ::1, and -4
# with an IPv6 literal refused.  Skipped, saying so, on a machine without ::1.
# shellcheck disable=SC2154  # NAME_PORT variables are set by start_* via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need swaks
need_aiosmtpd
"$PYTHON" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null ||
	skip "no IPv6 loopback: cannot bind ::1"
pki

# The fixture first: smtpd.py listens on ::1 and swaks reaches it.
start_smtpd six --host ::1 --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem"
swaks --server "::1" --port "$six_PORT" --from a@x.invalid --to b@x.invalid \
	>"$T/swaks-six" 2>&1 || { cat "$T/swaks-six" >&2; fail "smtpd.py on ::1"; }
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
