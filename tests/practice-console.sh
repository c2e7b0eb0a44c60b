#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# smtpcon --practice in the console (tmux): the welcome, a full dialogue with STARTTLS
# and AUTH delivering a message to the maildir byte-for-byte, and each scenario's
# lesson: strict (530 before STARTTLS), bad-cert (expired certificate), slow (late
# replies), greylist (451, then accepted).
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
[ -x "$PRACTICE" ] || fail "no practice server at $PRACTICE"
export SMTPCON_HELPDIR="$srcdir/help"
maildir="$XDG_DATA_HOME/smtpcon/practice/maildir"

send() {	# send SESSION LINE
	tmux_type "$1" "$2"
	tmux_keys "$1" Enter
}

# normal: the whole dialogue.
tmux_start con 120 40 "$SMTPCON" --practice
tmux_wait con 'practice server \(scenario "normal"\) on 127\.0\.0\.1 port [0-9]+'
tmux_wait con 'demo logins: demo / demo'
tmux_wait con 'S: 220 practice\.smtpcon\.test ESMTP'
send con 'EHLO student.example'
tmux_wait con '250 HELP'
send con 'STARTTLS'
tmux_wait con 'TLS: verified'
send con 'EHLO student.example'
tmux_wait con 'send EHLO again'
send con 'AUTH LOGIN'
tmux_wait con '^Username: ?$'
send con 'demo'
tmux_wait con '^Password: ?$'
send con 'demo'
tmux_wait con 'S: 235 2\.7\.0'
send con 'MAIL FROM:<demo@practice.smtpcon.test>'
tmux_wait con 'S: 250 2\.1\.0'
send con 'RCPT TO:<alice@practice.smtpcon.test>'
tmux_wait con 'S: 250 2\.1\.5'
send con 'DATA'
tmux_wait con 'data>'
for line in 'Subject: practice' '' 'Hello from the practice run.' '.leading dot' \
    'caf\303\251 UTF-8'; do
	send con "$(printf "$line")"
done
send con '.'
tmux_wait con 'S: 250 2\.0\.0 Ok: queued as'
send con 'QUIT'
tmux_wait con 'S: 221'
tmux_keys con C-d
tmux_wait_exit con
set -- "$maildir"/new/*
[ $# -eq 1 ] && [ -f "$1" ] || fail "expected one message in $maildir/new, found: $*"
printf 'Subject: practice\r\n\r\nHello from the practice run.\r\n.leading dot\r\ncaf\303\251 UTF-8\r\n' >"$T/want"
cmp "$T/want" "$1" || { od -c "$1" | head; fail "maildir message differs"; }
# The practice server is gone with the console.
sleep 0.5
pgrep -f "smtpcon-practice.*$XDG_DATA_HOME" >/dev/null && fail "practice server left running"

# strict: STARTTLS first.
tmux_start strict 120 30 "$SMTPCON" --practice=strict
tmux_wait strict 'scenario "strict"'
tmux_wait strict 'S: 220 '
send strict 'EHLO me'
tmux_wait strict '250 HELP'
send strict 'MAIL FROM:<demo@practice.smtpcon.test>'
tmux_wait strict 'S: 530 5\.7\.0 Must issue a STARTTLS command first'
tmux_wait strict 'STARTTLS'

# bad-cert: the expired certificate is named.
tmux_start bad 120 30 "$SMTPCON" --practice=bad-cert
tmux_wait bad 'S: 220 '
send bad 'STARTTLS'
tmux_wait bad 'TLS: NOT VERIFIED'
tmux_wait bad 'certificate NOT verified: certificate \[0\]'
# In the transcript, its wrapped rows joined (where it wraps follows the pane's width).
tmux_wait bad '^\?  on the server.s side: renew'
tmux_screen bad | sed 's/│.*//; s/ *$//' |
	awk '/^   / { sub(/^ +/, ""); printf " %s", $0; next } { printf "\n%s", $0 }' \
	>"$T/bad.joined"
assert_grep '^!  certificate NOT verified: certificate \[0\] \(CN=practice\.smtpcon\.test\) expired on 2021-01-01' \
	"$T/bad.joined" "bad-cert: the expired certificate named"

# slow: replies come two seconds late, and the status line says so.
tmux_start slow 120 30 "$SMTPCON" --practice=slow
tmux_wait slow 'S: 220 ' 8
send slow 'NOOP'
tmux_wait slow 'last reply [2-9][0-9]{3} ms' 8

# greylist: 451 first, accepted on the second try.
tmux_start grey 120 30 "$SMTPCON" --practice=greylist
tmux_wait grey 'S: 220 '
send grey 'EHLO me'
tmux_wait grey '250 HELP'
send grey 'MAIL FROM:<demo@practice.smtpcon.test>'
tmux_wait grey 'S: 250 2\.1\.0'
send grey 'RCPT TO:<bob@practice.smtpcon.test>'
tmux_wait grey 'S: 451 4\.7\.1 '
tmux_wait grey 'Greylisted'
send grey 'RCPT TO:<bob@practice.smtpcon.test>'
tmux_wait grey 'S: 250 2\.1\.5'

# --practice=list names them; an unknown one is explained.
"$SMTPCON" --practice=list >"$T/list" 2>&1
assert_status 0 $? "--practice=list"
for sc in normal strict bad-cert slow greylist; do
	assert_grep "^$sc " "$T/list"
done
# A usage error (issue 15): exit 2, before any server starts.
"$SMTPCON" --practice=nope </dev/null >"$T/nope" 2>&1
assert_status 2 $? "unknown scenario"
assert_grep 'unknown practice scenario "nope"' "$T/nope"
pass
