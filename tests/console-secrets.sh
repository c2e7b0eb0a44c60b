#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# A secret typed on the command line is masked while it is typed: the initial response
# of AUTH PLAIN / XOAUTH2 (the credentials in base64) shows as one "[hidden]" marker,
# the same for one character or forty, the cursor not moving with it; the rest of the
# line as typed. It never reaches the screen, before or after Enter.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
need_aiosmtpd
start_smtpd srv --auth alice:s3cret
AUTH_PLAIN_SHOWN='smtp> AUTH PLAIN [hidden]'

tmux_start con 100 30 "$SMTPCON" --insecure "127.0.0.1:$srv_PORT"
tmux_wait con '^S: 220 '
tmux_wait con 'smtp>'
tmux_type con 'EHLO me'
tmux_keys con Enter
tmux_wait con '250 HELP'

cursor() { tmux -L "$TMUX_SOCKET" display-message -p -t con '#{cursor_x}'; }
# One character of the secret, then all of it: the line and the cursor stay put.
tmux_type con 'AUTH PLAIN A'
tmux_wait con '^smtp> AUTH PLAIN \[hidden\]$'
x1=$(cursor)
# base64("\0alice\0s3cret")
tmux_type con 'GFsaWNlAHMzY3JldA=='
sleep 0.3
tmux_wait con '^smtp> AUTH PLAIN \[hidden\]$'
assert_eq "$(cursor)" "$x1" "the cursor after the whole secret"
assert_eq "$x1" "${#AUTH_PLAIN_SHOWN}" "the cursor after the marker"
tmux_screen con >"$T/typing"
assert_not_grep 'AGFsaWNl|s3cret' "$T/typing"
tmux_keys con Enter
tmux_wait con 'S: 235 '
tmux_wait con 'C: AUTH PLAIN \*\*\*\*\*\*\*\* +initial response hidden'
# The user inside the typed initial response is who the status line names.
tmux_wait con 'authenticated as alice'
tmux_screen con >"$T/after"
assert_not_grep 'AGFsaWNl|s3cret' "$T/after"

# Other mechanisms: the same for XOAUTH2; an AUTH LOGIN initial response (a user name)
# and an ordinary command stay visible.
tmux_type con 'auth xoauth2 dXNlcj1hbGljZQFhdXRo'
tmux_wait con '^smtp> auth xoauth2 \[hidden\]$'
tmux_keys con C-u
tmux_type con 'AUTH LOGIN YWxpY2U='
tmux_wait con '^smtp> AUTH LOGIN YWxpY2U=$'
tmux_keys con C-u
tmux_type con 'MAIL FROM:<a@example.com>'
tmux_wait con '^smtp> MAIL FROM:<a@example.com>$'

# What Ctrl-U cut from the secret line is not in the kill ring: Ctrl-Y and Alt-Y go
# round the lines cut in the clear (MAIL, then AUTH LOGIN) and never bring it back.
tmux_keys con C-u
tmux_wait con '^smtp> ?$'
tmux_keys con C-y
tmux_wait con '^smtp> MAIL FROM:<a@example.com>$'
tmux_keys con M-y
tmux_wait con '^smtp> AUTH LOGIN YWxpY2U=$'
tmux_keys con M-y
tmux_wait con '^smtp> MAIL FROM:<a@example.com>$'
# Nor is it in the undo record.
tmux_keys con C-u
tmux_keys con C-_ C-_ C-_
sleep 0.3
tmux_screen con >"$T/yank"
assert_not_grep 'dXNlcj1hbGljZQFhdXRo|xoauth2 \[hidden\]' "$T/yank"
pass
