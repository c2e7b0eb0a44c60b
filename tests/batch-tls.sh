#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Line mode with TLS: STARTTLS verified against the test CA then EHLO again, --starttls,
# implicit TLS with the chain shown, a TLS 1.2 pin against a TLS 1.3-only server, and
# implicit TLS tried against a plain port.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd
pki

start_smtpd st --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" --auth alice:s3cret

# STARTTLS typed by hand: handshake on the 220, verified, capabilities reset.
printf 'EHLO me\nSTARTTLS\nEHLO me\nQUIT\n' |
	"$SMTPCON" --batch --cafile "$PKI/ca.pem" "127.0.0.1:$st_PORT" >"$T/out" 2>&1
assert_status 0 $? "STARTTLS"
assert_grep '^S: 220 .*TLS' "$T/out"
assert_grep '^\*  TLS 1\.[23] established: ' "$T/out"
assert_grep '^\*  certificate verified: chain trusted, name 127\.0\.0\.1 matches' "$T/out"
assert_grep 'send EHLO again' "$T/out"
assert_grep '^\*   \[0\] CN=localhost' "$T/out" "chain: leaf"
assert_grep '^\*   \[1\] CN=smtpcon Test Intermediate CA' "$T/out" "chain: intermediate"
assert_grep '^\*       names   DNS:localhost, IP:127\.0\.0\.1, IP:::1' "$T/out"
assert_grep '^\*       sha256  ([0-9A-F]{2}:){31}[0-9A-F]{2}$' "$T/out"
assert_grep '^\*       valid   .*days left' "$T/out"
# The second EHLO (after TLS) is answered with AUTH, which aiosmtpd offers only over TLS.
n=$(grep -c '^C: EHLO me' "$T/out")
assert_eq "$n" 2 "EHLO sent twice"
assert_grep '^S: 250-AUTH' "$T/out"

# --starttls: EHLO and STARTTLS come by themselves.  --sni checks the certificate
# against a DNS name without resolving one: by address, so that no test here needs
# a "localhost" line in /etc/hosts (tests/resolve.sh connects by name).
printf 'EHLO again\nQUIT\n' |
	"$SMTPCON" --batch --starttls --ehlo smtpcon.test --cafile "$PKI/ca.pem" \
	--sni localhost "127.0.0.1:$st_PORT" >"$T/out2" 2>&1
assert_status 0 $? "--starttls"
assert_grep '^C: EHLO smtpcon\.test +\(sent by smtpcon\)' "$T/out2"
assert_grep '^C: STARTTLS +\(sent by smtpcon\)' "$T/out2"
assert_grep 'name localhost matches' "$T/out2"
# A second STARTTLS is refused locally.
printf 'STARTTLS\nQUIT\n' |
	"$SMTPCON" --batch --starttls --cafile "$PKI/ca.pem" "127.0.0.1:$st_PORT" >"$T/out3" 2>&1
assert_grep 'TLS is already up' "$T/out3"

# Implicit TLS, TLS 1.3 only.
start_smtpd imp --implicit-tls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" --tls13-only
printf 'EHLO me\nQUIT\n' |
	"$SMTPCON" --batch --tls --cafile "$PKI/ca.pem" "127.0.0.1:$imp_PORT" >"$T/out4" 2>&1
assert_status 0 $? "implicit TLS"
assert_grep 'port '"$imp_PORT"' \(implicit TLS\)' "$T/out4"
assert_grep '^\*  TLS 1\.3 established: TLS_' "$T/out4"
assert_grep '^S: 220 ' "$T/out4"
# The greeting comes after the handshake.
tls_line=$(grep -n 'established' "$T/out4" | head -1 | cut -d: -f1)
greet_line=$(grep -n '^S: 220' "$T/out4" | head -1 | cut -d: -f1)
[ "$tls_line" -lt "$greet_line" ] || fail "greeting before the handshake"

# A TLS 1.2 pin against that server fails and says which versions were offered.
printf 'QUIT\n' |
	"$SMTPCON" --batch --tls --tls-version 1.2 --cafile "$PKI/ca.pem" \
	"127.0.0.1:$imp_PORT" >"$T/out5" 2>"$T/err5"
assert_status 4 $? "TLS 1.2 pin"
assert_grep '^!! TLS handshake failed' "$T/out5"
assert_grep 'no TLS version .*in common.*we offered TLS 1\.2\)?' "$T/out5"
assert_grep '^smtpcon: TLS handshake failed' "$T/err5"

# A bad priority string is a usage error, said before connecting.
printf 'QUIT\n' | "$SMTPCON" --batch --tls --priority 'NORMAL:+BOGUS' \
	"127.0.0.1:$imp_PORT" >"$T/out6" 2>&1
assert_status 2 $? "bad priority"
assert_grep 'bad TLS priority string' "$T/out6"
assert_not_grep 'connect' "$T/out6" "bad priority"

# Implicit TLS against a port that speaks plain SMTP: the hint says so.
printf 'QUIT\n' | "$SMTPCON" --batch --tls --cafile "$PKI/ca.pem" \
	"127.0.0.1:$st_PORT" >"$T/out7" 2>&1
assert_status 4 $? "implicit TLS on a plain port"
assert_grep 'the server answered in plain text \("220 ' "$T/out7"
assert_grep 'this port speaks plain SMTP.*STARTTLS' "$T/out7"

# A client certificate can be given; --cert without --key is a usage error.
printf 'QUIT\n' | "$SMTPCON" --batch --tls --cafile "$PKI/ca.pem" \
	--cert "$PKI/client.pem" --key "$PKI/client-key.pem" \
	"127.0.0.1:$imp_PORT" >"$T/out8" 2>&1
assert_status 0 $? "client certificate"
"$SMTPCON" --batch --cert "$PKI/client.pem" x </dev/null >/dev/null 2>&1
assert_status 2 $? "--cert alone"
pass
