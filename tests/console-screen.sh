#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The console's screen handling: resize down to 40x10 and back, the TLS pane moving below
# the transcript on a narrow terminal, scrollback, Ctrl-C, an escape sequence from the
# server shown escaped, and 0% CPU while idle.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
need_aiosmtpd
export SMTPCON_HELPDIR="$srcdir/help"

start_hostile evil escape
tmux_start con 120 30 "$SMTPCON" "127.0.0.1:$evil_PORT"
tmux_wait con 'S: 220 evil ESMTP \^\[\[2J\^\[\]0;pwned\^G hello'
# The title-setting sequence did not reach the terminal.
title=$(tmux -L "$TMUX_SOCKET" display-message -p -t con '#{pane_title}')
case $title in *pwned*) fail "escape sequence reached the terminal" ;; esac

# Idle costs nothing: CPU time barely moves in 3 s.
pid=$(tmux -L "$TMUX_SOCKET" display-message -p -t con '#{pane_pid}')
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
before=$(cpu "$pid")
sleep 3
after=$(cpu "$pid")
[ $((after - before)) -le 3 ] || fail "busy while idle: $((after - before)) ticks in 3 s"

# /connect replaces the connection; the rest runs against aiosmtpd.
start_smtpd srv
tmux_type con "/connect 127.0.0.1:$srv_PORT"
tmux_keys con Enter
tmux_wait con "connected to 127\.0\.0\.1 \[127\.0\.0\.1\] port $srv_PORT"
tmux_wait con 'S: 220 localhost'

# Scrollback: fill the pane, read back, come back.
i=0
while [ $i -lt 30 ]; do
	tmux_type con "NOOP $i"
	tmux_keys con Enter
	i=$((i + 1))
done
tmux_wait con 'C: NOOP 29'
tmux_wait con 'smtp>$'
tmux_keys con PPage
tmux_wait con 'reading back'
tmux_keys con PPage PPage PPage
tmux_wait con 'S: 220 evil'
tmux_keys con End
tmux_wait con 'C: NOOP 29'
screen=$(tmux_screen con)
case $screen in *'reading back'*) fail "still reading back after End" ;; esac

# Ctrl-C clears a typed line; twice on an empty line asks before quitting.
tmux_type con 'half a line'
tmux_wait con 'smtp> half a line'
tmux_keys con C-c
tmux_wait con 'smtp>$'
tmux_keys con C-c
tmux_wait con 'Ctrl-C again to quit'
tmux_keys con C-c
tmux_wait con 'Quit smtpcon\? \[y/N\]'
tmux_type con 'n'
tmux_wait con 'smtp>$'

# Narrow: the TLS pane goes below the transcript; tiny: a clear message; back: all there.
tmux_wait con 'transcript +│ TLS +F2 wider'
tmux_keys con F2
tmux_wait con 'transcript +│ TLS +F2 hides'
tmux_keys con F2
tmux_wait_gone con 'F2 hides'
tmux_keys con F2
tmux_wait con 'F2 wider'
tmux -L "$TMUX_SOCKET" resize-window -t con -x 60 -y 24
tmux_wait con '^ TLS +F2 wider'
tmux_wait con 'no TLS yet'
tmux -L "$TMUX_SOCKET" resize-window -t con -x 40 -y 10
tmux_wait con 'smtp>'
tmux -L "$TMUX_SOCKET" resize-window -t con -x 30 -y 8
tmux_wait con 'smtpcon needs 40x10'
tmux -L "$TMUX_SOCKET" resize-window -t con -x 120 -y 30
tmux_wait con 'transcript +│ TLS'
tmux_keys con C-l
tmux_wait con 'C: NOOP 29'
[ -z "$(tmux_status con)" ] || fail "console died"
pass
