#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Where the time went: with timestamps, the first line of each reply says how long it took
# (from its command; the greeting from the connection), in line mode, in the console, in
# /save's file and in the journal; --timestamps=ms and /timestamps ms show milliseconds.
# An EHLO answered again after STARTTLS or AUTH says what the server offers now that it
# did not, and no longer does. A 220 gets the note of its step (greeting or STARTTLS)
# whatever the server's words.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd
need tmux
pki
export SMTPCON_HELPDIR="$srcdir/help"

send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
# ms FILE PATTERN: the latency on the first line matching PATTERN.
ms() {
	_l=$(grep -E -m 1 -- "$2" "$1") || { _lib_show "$1"; fail "no line /$2/"; }
	_v=$(printf '%s\n' "$_l" | sed -n 's/.*    (+\([0-9]*\) ms[;)].*/\1/p')
	[ -n "$_v" ] || { _lib_show "$1"; fail "no latency on: $_l"; }
	echo "$_v"
}
between() {	# between VALUE LOW HIGH WHAT
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ] || fail "$4: $1 ms, not within $2..$3"
}

# The greeting 0.8 s after the connection, RCPT's reply 1.2 s after RCPT.
_lib_python
_lib_run rec "$PYTHON" "$TESTS_SRC/recorder.py" --log "$T/rec.jsonl" \
	--delay-on GREETING:0.8 --delay-on RCPT:1.2
printf 'EHLO me\nMAIL FROM:<a@example.com>\nRCPT TO:<b@example.com>\nQUIT\n' >"$T/in"

# Line mode, --timestamps: the latency beside the first line of each reply.
"$SMTPCON" --batch --timestamps "127.0.0.1:$rec_PORT" <"$T/in" >"$T/on.out" 2>&1 ||
	{ _lib_show "$T/on.out"; fail "line mode failed"; }
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2} S: 220 .*    \(\+[0-9]+ ms; greeting: ready\)$' "$T/on.out"
between "$(ms "$T/on.out" ' S: 220 ')" 700 5000 "greeting"
between "$(ms "$T/on.out" ' S: 250 2\.1\.5 ')" 1100 5000 "RCPT"
between "$(ms "$T/on.out" ' S: 250 2\.1\.0 ')" 0 900 "MAIL"
assert_grep ' S: 250-recorder\.test hello me    \(\+[0-9]+ ms\)$' "$T/on.out"
# Only a reply's first line: the rest of EHLO's, the client's and local lines have none.
assert_eq "$(grep -c ' ms[;)]' "$T/on.out")" 5 "lines with a latency"
assert_not_grep ' S: 250-8BITMIME .*ms' "$T/on.out"

# Without timestamps, none; --timestamps=ms: times to the millisecond.
XDG_STATE_HOME=$T/off "$SMTPCON" --batch "127.0.0.1:$rec_PORT" <"$T/in" >"$T/off.out" 2>&1
assert_not_grep ' ms[;)]' "$T/off.out"
assert_grep '^S: 220 .*    \(greeting: ready\)$' "$T/off.out"
"$SMTPCON" --batch --timestamps=ms "127.0.0.1:$rec_PORT" <"$T/in" >"$T/ms.out" 2>&1
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} C: RCPT TO:<b@example\.com>$' "$T/ms.out"
between "$(ms "$T/ms.out" ' S: 250 2\.1\.5 ')" 1100 5000 "RCPT, =ms"
st=0
"$SMTPCON" --batch --timestamps=us "127.0.0.1:$rec_PORT" </dev/null >"$T/bad.out" 2>&1 || st=$?
[ "$st" -ne 0 ] || fail "--timestamps=us accepted"
assert_grep 'timestamps takes =ms' "$T/bad.out"

# The journal has millisecond times and the latencies, timestamps on or not.
set -- "$T"/off/smtpcon/journal/*.log
J=$1
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} S: 220 .*    \(\+[0-9]+ ms; greeting: ready\)$' "$J"
between "$(ms "$J" ' S: 250 2\.1\.5 ')" 1100 5000 "RCPT in the journal"

# Capabilities after STARTTLS and after AUTH: one line each, what changed.
start_smtpd tls --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" \
	--auth alice:s3cret --auth-require-tls
printf 'EHLO me\nSTARTTLS\nEHLO me\nAUTH PLAIN %s\nEHLO me\nQUIT\n' \
	"$(printf '\0alice\0s3cret' | base64)" >"$T/in"
"$SMTPCON" --batch --cafile "$PKI/ca.pem" "127.0.0.1:$tls_PORT" <"$T/in" >"$T/caps.out" 2>&1 ||
	{ _lib_show "$T/caps.out"; fail "STARTTLS session failed"; }
assert_grep '^\*  after TLS: \+AUTH LOGIN PLAIN, -STARTTLS$' "$T/caps.out"
assert_grep '^\*  after AUTH: the same extensions as before$' "$T/caps.out"
assert_eq "$(grep -c 'after ' "$T/caps.out")" 2 "capability lines"
# The line comes after the EHLO reply it is about.
assert_eq "$(grep -A 1 '^S: 250 HELP' "$T/caps.out" | sed -n 5p)" \
	"*  after TLS: +AUTH LOGIN PLAIN, -STARTTLS" "order"

# The 220: one note for the greeting on every server, one for STARTTLS's go-ahead.
cat >"$T/cases" <<'EOF'
case postfix GREETING
S: 220 mx.example.com ESMTP Postfix (Debian/GNU)
case enhanced GREETING
S: 220 2.0.0 mx.example.org ESMTP ready
case address GREETING
S: 220 2.58.12.7 ESMTP
EOF
_lib_run scr "$PYTHON" "$TESTS_SRC/scripted.py" --cert "$PKI/leaf-chain.pem" \
	--key "$PKI/leaf-key.pem" --greetings "$T/greetings" "$T/cases"
for port in $(awk '{ print $2 }' "$T/greetings") "$tls_PORT"; do
	printf 'QUIT\n' | "$SMTPCON" --batch "127.0.0.1:$port" >"$T/g.out" 2>&1
	assert_grep '^S: 220 .*    \(greeting: ready\)$' "$T/g.out"
	cat "$T/g.out" >>"$T/greetings.out"
done
assert_eq "$(grep -c 'greeting: ready' "$T/greetings.out")" 4 "greetings"
start_practice prac
printf 'STARTTLS\nQUIT\n' | "$SMTPCON" --batch --insecure "127.0.0.1:$prac_PORT" \
	>"$T/p.out" 2>&1
assert_grep '^S: 220 practice\.smtpcon\.test .*    \(greeting: ready\)$' "$T/p.out"
assert_grep '^S: 220 2\.0\.0 .*    \(start TLS now\)$' "$T/p.out"
assert_grep '^S: 220 Ready to start TLS    \(start TLS now\)$' "$T/caps.out"

# The console: the latency beside the reply with /timestamps on, milliseconds with ms,
# nothing with off; /save's file has both.
tmux_start con 120 30 "$SMTPCON" --cafile "$PKI/ca.pem" "127.0.0.1:$rec_PORT"
tmux_wait con 'S: 220 recorder\.test ESMTP recorder   greeting: ready'
send con '/timestamps on'
tmux_wait con '^[0-9]{2}:[0-9]{2}:[0-9]{2} S: 220 recorder\.test ESMTP recorder   \+[0-9]+ ms; greeting: ready'
send con 'EHLO me'
send con 'MAIL FROM:<a@example.com>'
send con 'RCPT TO:<b@example.com>'
tmux_wait con 'S: 250 2\.1\.5 ok   \+1[0-9]{3} ms; recipient ok'
tmux_wait con 'S: 250-recorder\.test hello me   \+[0-9]+ ms'
tmux_screen con | sed -n 1p | grep -Eq 'transcript .*timestamps' ||
	fail "the pane title does not say timestamps are on"
tmux_screen con | sed -n 1p | grep -q 'timestamps ms' && fail "title says ms too soon"
send con '/timestamps ms'
tmux_wait con '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} C: RCPT TO:<b@example\.com>'
tmux_screen con | sed -n 1p | grep -Eq 'transcript .*timestamps ms' ||
	fail "the pane title does not say ms"
tmux_wait con '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} S: 250 2\.1\.5 ok   \+1[0-9]{3} ms'
send con '/timestamps off'
tmux_wait con 'S: 250 2\.1\.5 ok   recipient ok'
tmux_screen con | grep -Eq ' ms;' && fail "latency shown without timestamps"
send con "/save $T/saved.txt"
tmux_wait con 'transcript saved to'
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} S: 250 2\.1\.5 ok    \(\+1[0-9]{3} ms; recipient ok\)$' "$T/saved.txt"
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} S: 220 .*\(\+[0-9]+ ms; greeting: ready\)$' "$T/saved.txt"

# And the capability line in the console.
send con "/connect 127.0.0.1:$tls_PORT"
tmux_wait con "S: 220 localhost smtpcon-test ESMTP"
send con 'EHLO me'
tmux_wait con '   250 HELP'
send con 'STARTTLS'
tmux_wait con 'send EHLO again'
send con 'EHLO me'
tmux_wait con '\*  +after TLS: \+AUTH LOGIN PLAIN, -STARTTLS'
pass
