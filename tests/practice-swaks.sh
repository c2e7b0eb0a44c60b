#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# smtpcon-practice against swaks: STARTTLS verified with the practice CA,
# AUTH LOGIN, PLAIN and CRAM-MD5, a wrong password, a relay refusal, and the
# strict, greylist and bad-cert scenarios; with no --datadir, the CA is made
# under XDG_DATA_HOME.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need swaks gnutls-cli
[ -x "$PRACTICE" ] || fail "no practice server at $PRACTICE"

# swaks with the common options against $port; its output goes to $T/out.
sw() {
	swaks --server 127.0.0.1 --port "$port" --helo client.example \
	    --from sender@example.org --timeout 10 "$@" >"$T/out" 2>&1
}
# fail, showing swaks's output first.
swfail() { cat -v "$T/out" >&2; fail "$@"; }

tls="--tls --tls-verify --tls-ca-path"

# normal, without --datadir (so not start_practice): the default data dir.
data=$XDG_DATA_HOME/smtpcon/practice
_lib_run normal "$PRACTICE" --scenario normal
port=$normal_PORT
[ -f "$data/ca.pem" ] || fail "no CA made under XDG_DATA_HOME"
assert_grep "listening on 127.0.0.1:$port" "$T/normal.log"
assert_grep "$data/ca.pem" "$T/normal.log" "where the CA is"

for mech in LOGIN PLAIN CRAM-MD5; do
	sw --to demo@practice.smtpcon.test $tls "$data/ca.pem" \
	    -a "$mech" --auth-user demo --auth-password demo \
	    --body "practice-swaks body via $mech" ||
	    swfail "swaks with STARTTLS and AUTH $mech failed"
	assert_grep "235 2.7.0" "$T/out" "$mech"
	assert_grep "250 2.0.0 Ok: queued as .* \(saved in $data/maildir/new/" \
	    "$T/out" "$mech: queued-as reply with the path"
	grep -l "practice-swaks body via $mech" "$data"/maildir/new/* \
	    >/dev/null 2>&1 || fail "$mech: the message is not in maildir/new"
done
n=$(ls "$data/envelopes" | wc -l)
[ "$n" -eq 3 ] || fail "expected 3 envelope files, found $n"
grep -q "^RCPT TO:<demo@practice.smtpcon.test>$" "$data"/envelopes/* ||
    fail "the envelope file lacks the RCPT TO line"

if sw --to demo@practice.smtpcon.test $tls "$data/ca.pem" -a LOGIN \
    --auth-user demo --auth-password wrong; then
	swfail "swaks succeeded with a wrong password"
fi
assert_grep "535 5.7.8" "$T/out" "wrong password"
assert_grep "535 5.7.8" "$T/normal.log" "server log"

if sw --to someone@elsewhere.example; then
	swfail "a relay without AUTH was accepted"
fi
assert_grep "554 5.7.1 <someone@elsewhere.example>: Relay access denied" \
    "$T/out" "relay"

sw --to someone@elsewhere.example $tls "$data/ca.pem" -a PLAIN \
    --auth-user student --auth-password practice ||
    swfail "an authenticated relay was refused"
stop_server normal

start_practice strict --scenario strict
port=$strict_PORT
if sw --to demo@practice.smtpcon.test -a PLAIN --auth-user demo \
    --auth-password demo --auth-optional; then
	swfail "strict: a session without TLS was accepted"
fi
assert_grep "530 5.7.0 Must issue a STARTTLS command first" "$T/out" "strict"
assert_not_grep "250-AUTH" "$T/out" "strict: AUTH before TLS"
sw --to demo@practice.smtpcon.test $tls "$T/strict.data/ca.pem" \
    -a PLAIN --auth-user demo --auth-password demo ||
    swfail "strict: swaks with STARTTLS and AUTH failed"
stop_server strict

start_practice greylist --scenario greylist
port=$greylist_PORT
if sw --to alice@example.com; then
	swfail "greylist: the first attempt was accepted"
fi
assert_grep "451 4.7.1 <alice@example.com>: Recipient address rejected: Greylisted" \
    "$T/out" "greylist: first attempt"
sw --to alice@example.com || swfail "greylist: the second attempt failed"
stop_server greylist

start_practice badcert --scenario bad-cert
port=$badcert_PORT
data=$T/badcert.data
[ -f "$data/expired-cert.pem" ] || fail "bad-cert: no expired certificate"
if sw --to demo@practice.smtpcon.test $tls "$data/ca.pem"; then
	swfail "bad-cert: swaks verified an expired certificate"
fi
if timeout 10 gnutls-cli --x509cafile "$data/ca.pem" \
    --starttls-proto smtp -p "$port" 127.0.0.1 </dev/null \
    >"$T/out" 2>&1; then
	swfail "bad-cert: gnutls-cli accepted the certificate"
fi
assert_grep "expired" "$T/out" "bad-cert: gnutls-cli"
stop_server badcert

pass
