#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# /help on a whole reply line, pasted from the transcript with or without its time and
# "S:": the rules the session's replies get, in this session's state. Microsoft 365's
# "SmtpClientAuthentication is disabled" needs an administrator, not a new password;
# "Must issue a STARTTLS command first" is answered with STARTTLS only while TLS is
# not up. /help with codes alone still explains the codes.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux certtool
_lib_python
pki
export SMTPCON_HELPDIR="$srcdir/help"

send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
# screen_lacks NAME REGEX: the help on the screen says nothing matching REGEX.
screen_lacks() {
	tmux_screen "$1" >"$T/.screen"
	if grep -Eiq -- "$2" "$T/.screen"; then
		_lib_show "$T/.screen"
		fail "tmux $1: /$2/ is on the screen"
	fi
}

: >"$T/cases"
_lib_run srv "$PYTHON" "$TESTS_SRC/scripted.py" --cert "$PKI/leaf-chain.pem" \
	--key "$PKI/leaf-key.pem" "$T/cases"

M365='535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.'
TLSREQ='530 5.7.0 Must issue a STARTTLS command first'

# Not connected: the line as the transcript shows it, with "S:".
tmux_start w 120 40 "$SMTPCON"
tmux_wait w 'not connected'
send w "/help S: $M365"
tmux_wait w 'In short: SMTP AUTH disabled for tenant/mailbox'
tmux_wait w '535: authentication credentials invalid'
tmux_wait w 'What to try: An Exchange administrator must enable it'
tmux_wait w 'Not connected: explained without'
screen_lacks w 'password'
tmux_keys w q
tmux_wait w 'smtp>'
# With the time stamp and smtpcon's note, as /save writes it: the note is not read.
send w "/help 10:42:07 S: 535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.    (SMTP AUTH disabled for tenant/mailbox)"
tmux_wait w 'In short: auth failed: wrong user or password'
tmux_wait w 'What to try: Check both'
screen_lacks w 'administrator must enable'
tmux_keys w q
# Millisecond time and the reply's latency, as /save and the journal have them now.
send w "/help 10:42:07.318 S: 535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.    (+1503 ms; SMTP AUTH disabled for tenant/mailbox)"
tmux_wait w 'In short: auth failed: wrong user or password'
screen_lacks w '1503'
tmux_keys w q
# Without the marker, and codes alone as before.
send w "/help $M365"
tmux_wait w 'In short: SMTP AUTH disabled for tenant/mailbox'
tmux_keys w q
send w '/help 535 5.7.139'
tmux_wait w 'Reply code 535 5\.7\.139'
tmux_wait w 'What to try: Microsoft 365 refused the login'
tmux_keys w q
send w '/help S: hello'
tmux_wait w 'a reply line starts with its code'

# The session's state: TLS up (--starttls), then plain text with STARTTLS offered.
tmux_start t 120 40 "$SMTPCON" --starttls --cafile "$PKI/ca.pem" \
	"127.0.0.1:$srv_PORT"
tmux_wait t 'TLS 1\.[23] established'
send t 'EHLO me'
tmux_wait t 'C: EHLO me'
tmux_wait t '250 SIZE'
send t "/help S: $TLSREQ"
tmux_wait t 'In short: TLS required, though TLS is up'
tmux_wait t 'Explained for this session: TLS up, not logged in'
screen_lacks t 'send STARTTLS'
tmux_keys t q

tmux_start p 120 40 "$SMTPCON" "127.0.0.1:$srv_PORT"
tmux_wait p 'S: 220 '
send p 'EHLO me'
tmux_wait p '250 SIZE'
send p "/help S: $TLSREQ"
tmux_wait p 'In short: TLS required first'
tmux_wait p 'What to try: Send STARTTLS'
tmux_wait p 'Explained for this session: no TLS, not logged in, STARTTLS offered'
tmux_keys p q
pass
