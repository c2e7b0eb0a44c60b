#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The rest of the console's promises: the welcome when started alone, F1, Tab completion,
# Esc / for a console command inside DATA, /clear, /timestamps, NO_COLOR, the view staying
# put while reading back, and the terminal restored on SIGTERM and on a crash.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
[ -x "$PRACTICE" ] || fail "no practice server at $PRACTICE"
export SMTPCON_HELPDIR="$srcdir/help"

send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
alt_screen() { tmux -L "$TMUX_SOCKET" display-message -p -t "$1" '#{alternate_on}'; }

# Alone: a welcome that says how to connect and get help; F1 opens the help index.
tmux_start w 100 30 "$SMTPCON"
tmux_wait w 'connect with /connect host\[:port\]'
tmux_wait w 'F1 or /help for help'
tmux_wait w 'not connected'
tmux_keys w F1
tmux_wait w 'smtpcon help'
tmux_keys w Escape
tmux_wait w 'smtp>'
send w 'NOOP'
tmux_wait w 'not connected: /connect host\[:port\] first'
# A reply code explained on demand.
send w '/help 535 5.7.8'
tmux_wait w 'Reply code 535 5\.7\.8'
tmux_wait w '5\.7\.8: authentication credentials invalid'
tmux_wait w 'What to try: '
tmux_keys w q
send w '/help 550'
tmux_wait w 'Reply code 550'
tmux_keys w q
tmux_wait w 'smtp>'

# Tab completes verbs, console commands and the mechanisms the server advertised.
tmux_start c 110 35 "$SMTPCON" --practice
tmux_wait c 'S: 220 '
tmux_type c 'eh'
tmux_keys c Tab
tmux_wait c 'smtp> EHLO $|smtp> EHLO$'
tmux_type c 'me'
tmux_keys c Enter
tmux_wait c '250 HELP'
tmux_type c 'AUTH CR'
tmux_keys c Tab
tmux_wait c 'smtp> AUTH CRAM-MD5'
tmux_keys c C-c
tmux_type c '/time'
tmux_keys c Tab
tmux_wait c 'smtp> /timestamps'
tmux_keys c C-c

# Esc / inside DATA runs one console command; other lines starting with / are body.
send c 'MAIL FROM:<demo@practice.smtpcon.test>'
send c 'RCPT TO:<alice@practice.smtpcon.test>'
send c 'DATA'
tmux_wait c 'data>'
tmux_keys c Escape
tmux_type c '/'
tmux_wait c 'cmd>'
send c 'timestamps on'
tmux_wait c '[0-9]{2}:[0-9]{2}:[0-9]{2} S: 354'
tmux_wait c 'data>'
send c '/body line'
send c '.'
tmux_wait c 'S: 250 2\.0\.0'
f=$(ls "$XDG_DATA_HOME/smtpcon/practice/maildir/new/"*)
assert_grep '^/body line' "$f"

# /clear empties the pane; the transcript goes on.
send c '/clear'
tmux_wait c 'smtp>'
screen=$(tmux_screen c)
case $screen in *'S: 220 '*) fail "/clear left the transcript on screen" ;; esac
send c 'NOOP'
tmux_wait c 'S: 250 '

# /tls and F2 hide and show the TLS pane.
send c '/tls'
tmux_wait_gone c 'no TLS yet'
tmux_keys c F2
tmux_wait c 'no TLS yet'

# SIGTERM: the console leaves, the terminal is restored (no alternate screen).
kill -TERM "$(tmux -L "$TMUX_SOCKET" display-message -p -t c '#{pane_pid}')"
tmux_wait_exit c
sleep 0.2
assert_eq "$(alt_screen c)" 0 "alternate screen after SIGTERM"

# A crash restores the terminal too.
tmux_start crash 100 30 "$SMTPCON"
tmux_wait crash 'smtp>'
assert_eq "$(alt_screen crash)" 1 "alternate screen while running"
kill -SEGV "$(tmux -L "$TMUX_SOCKET" display-message -p -t crash '#{pane_pid}')"
tmux_wait_exit crash
sleep 0.2
assert_eq "$(alt_screen crash)" 0 "alternate screen after a crash"

# Reading back: output arriving meanwhile does not move the view (the slow scenario
# answers two seconds late).
tmux_start s 100 20 "$SMTPCON" --practice=slow
tmux_wait s 'S: 220 ' 8
i=0
while [ $i -lt 8 ]; do
	send s "NOOP $i"
	i=$((i + 1))
done
tmux_keys s PPage
tmux_wait s 'reading back'
top=$(tmux_screen s | sed -n 2p)
tmux_wait s 'reading back: [1-9][0-9]* new rows below' 20
[ "$(tmux_screen s | sed -n 2p)" = "$top" ] || fail "the view moved while reading back"
tmux_keys s End
tmux_wait s 'C: NOOP 7'

# --insecure is loud: the status line says so all along.
tmux_start ins 100 30 "$SMTPCON" --insecure --practice
tmux_wait ins 'S: 220 '
tmux_wait ins 'plain --INSECURE'

# NO_COLOR: attributes but no colours.
tmux_start nc 100 30 env NO_COLOR=1 "$SMTPCON" --practice
tmux_wait nc 'S: 220 '
tmux -L "$TMUX_SOCKET" capture-pane -e -p -t nc >"$T/nc.screen"
assert_not_grep "$(printf '\033')\\[([0-9;]*;)?3[0-7](;[0-9;]*)?m" "$T/nc.screen" "NO_COLOR"
tmux_start col 100 30 "$SMTPCON" --practice
tmux_wait col 'S: 220 '
tmux -L "$TMUX_SOCKET" capture-pane -e -p -t col >"$T/col.screen"
assert_grep "$(printf '\033')\\[([0-9;]*;)?3[0-7](;[0-9;]*)?m" "$T/col.screen" "colours"
pass
