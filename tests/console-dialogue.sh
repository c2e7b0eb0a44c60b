#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The console as a person uses it, driven in tmux against aiosmtpd: connect, EHLO,
# STARTTLS with the TLS pane filling with the verified chain, MAIL/RCPT/DATA with a
# dot-stuffed body (and a body line starting with "/") delivered intact, /save, /chain,
# /help DATA, QUIT; then history recalled in a second run.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
need_aiosmtpd
pki
export SMTPCON_HELPDIR="$srcdir/help"

start_smtpd srv --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" --maildir "$T/mail"

tmux_start con 120 40 "$SMTPCON" --cafile "$PKI/ca.pem" "127.0.0.1:$srv_PORT"
tmux_wait con '^S: 220 '
tmux_wait con 'smtp>'
tmux_wait con 'no TLS yet'
tmux_type con 'EHLO console.example'
tmux_keys con Enter
tmux_wait con '250 HELP'
tmux_type con 'STARTTLS'
tmux_keys con Enter
tmux_wait con 'TLS: verified'
tmux_wait con 'send EHLO again'
tmux_wait con '\[0\] CN=localhost'
tmux_wait con '\[1\] CN=smtpcon Test Intermediate'
tmux_wait con 'TLS 1\.[23] +127\.0\.0\.1|TLS 1\.[23]  ready'
tmux_type con 'EHLO console.example'
tmux_keys con Enter
tmux_type con 'MAIL FROM:<alice@example.com>'
tmux_keys con Enter
tmux_type con 'RCPT TO:<bob@example.com>'
tmux_keys con Enter
tmux_type con 'DATA'
tmux_keys con Enter
tmux_wait con 'data>'
tmux_wait con 'in DATA: end with a line holding only \.'
for line in 'Subject: console' '' 'hello from the console' '.starts with a dot' \
    '/not a command, a body line'; do
	tmux_type con "$line"
	tmux_keys con Enter
done
tmux_type con '.'
tmux_keys con Enter
tmux_wait con '^S: 250 '
tmux_wait con 'smtp>'
printf 'Subject: console\r\n\r\nhello from the console\r\n.starts with a dot\r\n/not a command, a body line\r\n' >"$T/want"
cmp "$T/want" "$T/mail/001.eml" || fail "body differs"

# /save writes the transcript with millisecond timestamps; /chain the PEM chain.
tmux_type con "/save $T/saved.txt"
tmux_keys con Enter
tmux_wait con 'transcript saved to'
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} C: EHLO console\.example' "$T/saved.txt"
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} S: 354 ' "$T/saved.txt"
tmux_type con "/chain $T/chain.pem"
tmux_keys con Enter
tmux_wait con 'certificate chain \(2 certificates\) saved'
n=$(grep -c 'BEGIN CERTIFICATE' "$T/chain.pem")
assert_eq "$n" 2 "certificates in /chain"

# /help DATA shows the topic; q closes it.
tmux_type con '/help DATA'
tmux_keys con Enter
tmux_wait con 'smtpcon help'
tmux_wait con '354'
tmux_keys con q
tmux_wait con 'smtp>'

# An unknown command is explained, not sent.
tmux_type con '/frobnicate'
tmux_keys con Enter
tmux_wait con 'unknown command /frobnicate'

tmux_type con 'QUIT'
tmux_keys con Enter
tmux_wait con '^S: 221 '
tmux_keys con C-d
tmux_wait_exit con

# History: kept private, never holding body lines.
hist="$XDG_STATE_HOME/smtpcon/history"
[ -f "$hist" ] || fail "no history file"
mode=$(stat -c %a "$hist")
assert_eq "$mode" 600 "history file mode"
assert_grep '^MAIL FROM:<alice@example.com>$' "$hist"
assert_not_grep 'hello from the console' "$hist"
assert_not_grep 'starts with a dot' "$hist"

# A second run recalls it with Up.
tmux_start con2 100 30 "$SMTPCON" "127.0.0.1:$srv_PORT"
tmux_wait con2 '^S: 220 '
tmux_keys con2 Up
tmux_wait con2 'smtp> QUIT'
tmux_keys con2 Up
tmux_wait con2 'smtp> /frobnicate'
pass
