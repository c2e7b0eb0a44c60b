#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# AUTH typed in the console (tmux): LOGIN prompts decoded and the password hidden (one
# marker, whatever its length), PLAIN asking its two questions, /auth choosing the
# strongest mechanism, a wrong password and its hint, confirmation before AUTH over
# plain text (one key; a paste never answers it); then the history file, the saved transcript and the screen are searched
# for the secrets.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
need_aiosmtpd
pki
export SMTPCON_HELPDIR="$srcdir/help"

start_smtpd srv --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" \
	--auth alice:s3cret --cram-md5
SECRETS='s3cret|czNjcmV0|AGFsaWNlAHMzY3JldA|slash-pw|L3NsYXNoLXB3'
screens="$T/screens"
: >"$screens"
snap() { tmux_screen con >>"$screens"; }

tmux_start con 120 40 "$SMTPCON" --starttls --cafile "$PKI/ca.pem" "127.0.0.1:$srv_PORT"
tmux_wait con 'TLS: verified'
tmux_type con 'EHLO me'
tmux_keys con Enter
tmux_wait con '250-AUTH CRAM-MD5 LOGIN PLAIN'

# AUTH LOGIN: the prompt becomes the decoded challenge; the password is masked.
tmux_type con 'AUTH LOGIN'
tmux_keys con Enter
tmux_wait con '^User Name: ?$'
tmux_type con 'alice'
tmux_keys con Enter
tmux_wait con '^Password: ?$'
tmux_type con 's3cret'
tmux_wait con '^Password: \[hidden\]$'
snap
tmux_keys con Enter
tmux_wait con 'S: 235 '
tmux_wait con 'authenticated as alice'
tmux_wait con 'C: YWxpY2U= +"alice"'
tmux_wait con 'C: \*\*\*\*\*\*\*\* +password hidden'
snap

# Up does not pull history into the masked field, and AUTH answers are not in it.
tmux_keys con Up
tmux_wait con 'smtp> AUTH LOGIN$'
tmux_keys con C-c

# A new session for the rest (AUTH once per session).
tmux_type con '/disconnect'
tmux_keys con Enter
tmux_type con "/connect 127.0.0.1:$srv_PORT --starttls"
tmux_keys con Enter
tmux_wait con 'TLS 1\.[23]  ready'
tmux_type con 'EHLO me'
tmux_keys con Enter
tmux_wait con '250 HELP'

# AUTH PLAIN alone asks both questions; a wrong password gets 535 and the hint.
tmux_type con 'AUTH PLAIN'
tmux_keys con Enter
tmux_wait con '^Username: ?$'
tmux_type con 'alice'
tmux_keys con Enter
tmux_wait con '^Password: ?$'
tmux_type con 'not-it'
tmux_wait con '^Password: \[hidden\]$'
tmux_keys con Enter
tmux_wait con 'S: 535 5\.7\.8'
tmux_wait con 'User name or password rejected'
tmux_wait con 'PLAIN answer for "alice" hidden'

# An answer starting with "/" is an answer, not a console command.
tmux_type con 'AUTH LOGIN'
tmux_keys con Enter
tmux_wait con '^User Name: ?$'
tmux_type con 'alice'
tmux_keys con Enter
tmux_wait con '^Password: ?$'
tmux_type con '/slash-pw'
tmux_keys con Enter
tmux_wait con 'S: 535 .*'
screen=$(tmux_screen con)
case $screen in *'unknown command'*) fail "an AUTH answer was taken for a command" ;; esac

# /auth picks CRAM-MD5 (the strongest offered) and does the whole exchange.
tmux_type con '/auth'
tmux_keys con Enter
tmux_wait con 'using CRAM-MD5'
tmux_wait con '^Username: ?$'
tmux_type con 'alice'
tmux_keys con Enter
tmux_wait con '^Password: ?$'
tmux_type con 's3cret'
tmux_keys con Enter
tmux_wait con '"<[0-9]+\.[0-9]+@localhost>"'
tmux_wait con 'S: 235 '
tmux_wait con 'authenticated as alice'
snap
tmux_type con "/save $T/saved.txt"
tmux_keys con Enter
tmux_wait con 'transcript saved'

# Over plain text the console asks first; "n" sends nothing.
tmux_type con "/connect 127.0.0.1:$srv_PORT"
tmux_keys con Enter
tmux_wait con 'S: 220 .*smtpcon-test'
tmux_type con 'AUTH LOGIN'
tmux_keys con Enter
tmux_wait con 'careful: this connection is not encrypted'
tmux_wait con 'Send AUTH anyway\? \[y/N\]'
# One key answers: "n" without Enter.
tmux_type con 'n'
tmux_wait con 'AUTH not sent'
tmux_wait con '^smtp> ?$'

# A pasted exchange does not answer the question: the base64 of "Ymob" starts with
# "Y", and the lines after a refused AUTH must not go out as commands.
printf 'AUTH LOGIN\rWW1vYg==\rcGFzdGVkLXB3\r' >"$T/paste"
_tmux load-buffer -b auth "$T/paste" || fail "tmux load-buffer"
_tmux paste-buffer -d -b auth -t con || fail "tmux paste-buffer"
tmux_wait con 'pasted characters? dropped: the question takes one key'
tmux_wait con 'Send AUTH anyway\? \[y/N\]'
tmux_type con 'x'
tmux_wait con 'press y or n'
tmux_keys con Escape
tmux_wait con 'AUTH not sent'
snap

# /auth asks the same question with one key; "y" goes on to the user name.
tmux_type con '/auth LOGIN'
tmux_keys con Enter
tmux_wait con 'Send AUTH anyway\? \[y/N\]'
tmux_type con 'y'
tmux_wait con '^Username: ?$'
tmux_keys con C-c
tmux_wait con '/auth cancelled'
tmux_wait con '^smtp> ?$'
snap
tmux_type con '/quit'
tmux_keys con Enter
tmux_wait_exit con

hist="$XDG_STATE_HOME/smtpcon/history"
assert_grep '^AUTH LOGIN$' "$hist"
assert_not_grep "$SECRETS|not-it|^alice$" "$hist" "history"
assert_grep 'S: 235 ' "$T/saved.txt"
assert_not_grep "$SECRETS|not-it|bm90LWl0" "$T/saved.txt" "saved transcript"
assert_grep ">> b'EHLO me'" "$T/srv.log"
assert_not_grep 'WW1vYg|cGFzdGVk|pasted-pw' "$T/srv.log" "server log"
assert_not_grep 'C: (WW1vYg|cGFzdGVk)' "$screens" "screen"
assert_not_grep "$SECRETS|not-it" "$screens" "screen"
pass
