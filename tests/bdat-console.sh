#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# BDAT in the console (tmux) against the practice server, which offers CHUNKING: BDAT
# alone gives the bdat> prompt, the lines go out counted with no dot-stuffing and
# arrive byte for byte; BDAT n sends exactly n bytes; /help bdat explains it.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
[ -x "$PRACTICE" ] || fail "no practice server at $PRACTICE"
export SMTPCON_HELPDIR="$srcdir/help"
maildir="$XDG_DATA_HOME/smtpcon/practice/maildir"
send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }

tmux_start con 120 40 "$SMTPCON" --practice
tmux_wait con 'S: 220 practice\.smtpcon\.test ESMTP'
send con 'EHLO student.example'
tmux_wait con '250-CHUNKING'
tmux_wait con '250 HELP'
send con 'MAIL FROM:<demo@practice.smtpcon.test>'
tmux_wait con 'S: 250 2\.1\.0'
send con 'RCPT TO:<alice@practice.smtpcon.test>'
tmux_wait con 'S: 250 2\.1\.5'
send con 'BDAT'
tmux_wait con '^bdat> ?$'
for line in 'Subject: chunks' '' '.no stuffing' 'body'; do
	send con "$line"
done
send con '.'
# 17 + 2 + 14 + 6 bytes, CRLF counted.
tmux_wait con 'C: BDAT 39 LAST +counted by smtpcon'
tmux_wait con 'S: 250 2\.0\.0 Ok: 39 octets queued'
set -- "$maildir"/new/*
[ $# -eq 1 ] && [ -f "$1" ] || fail "expected one message in $maildir/new, found: $*"
printf 'Subject: chunks\r\n\r\n.no stuffing\r\nbody\r\n' >"$T/want"
cmp "$T/want" "$1" || { od -c "$1" | head; fail "the BDAT message differs"; }

# BDAT n: the next lines make exactly n bytes, sent with the command.
send con 'MAIL FROM:<demo@practice.smtpcon.test>'
send con 'RCPT TO:<alice@practice.smtpcon.test>'
send con 'BDAT 7 LAST'
send con 'hello'
tmux_wait con 'C: BDAT 7 LAST +typed'
tmux_wait con 'Ok: 7 octets queued'
send con '/help bdat'
tmux_wait con 'CHUNKING'
tmux_keys con q
send con 'QUIT'
tmux_wait con 'S: 221'
pass
