#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
# Ctrl-C while the server keeps the console waiting (tmux): on an empty line it gives
# up the connection, saying so, and the console stays; connected and idle, or not
# connected, it goes on to the quit question as before. The quit question takes one
# key: y leaves; n, Enter and Esc stay; other keys are not an answer. Also the start
# screen's words, and an unbracketed IPv6 address with a port refused by /connect.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
_lib_python
export SMTPCON_HELPDIR="$srcdir/help"

send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
# The transcript pane, without the TLS pane beside it (hidden with F2 twice: shown, wide, hidden).
shows() { tmux_wait con "$1"; }
gone() { tmux_wait_gone con "$1"; }
running() { [ -z "$(tmux_status con)" ] || fail "the console left: $1"; }

# A listener that never accepts, its queue full: a connect to it stays in progress.
cat >"$T/full.py" <<'PY'
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
fill = socket.create_connection(s.getsockname())
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
import os
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
time.sleep(300)
PY
_lib_run full "$PYTHON" "$T/full.py"
start_hostile silent silent
_lib_run rec "$PYTHON" "$TESTS_SRC/recorder.py" --delay-on NOOP:60

# Through sh, which writes the console's exit status down: tmux may not have it yet
# when the program is gone.
tmux_start con 160 30 sh -c '"$@"; echo $? >"'"$T/status"'"' sh "$SMTPCON" \
	--connect-timeout 60 --timeout 60
# The start screen: port 465 needs no option.
shows '^\*  connect with /connect host\[:port\]  \(port 465 is implicit TLS; add --starttls for 587\) *│'
# F2 goes round: shown, wide, hidden.
tmux_keys con F2
tmux_wait con 'F2 hides'
tmux_keys con F2
gone 'F2 hides'

# An IPv6 address and what may be a port, without brackets: refused, saying how.
send con '/connect ::1:4465'
shows '^!! "::1:4465" is ambiguous: an IPv6 address with a port goes in brackets: \[::1\]:4465; the address ::1:4465 itself is written \[::1:4465\]$'
screen=$(tmux_screen con)
case $screen in *'connecting to'*) fail "/connect ::1:4465 tried to connect" ;; esac

# Connecting: Ctrl-C cancels the attempt; the console stays, not connected.
send con "/connect 127.0.0.1:$full_PORT"
shows "^\*  connecting to 127\.0\.0\.1 \[127\.0\.0\.1\] port $full_PORT$"
sleep 0.5
screen=$(tmux_screen con)
case $screen in *'connected to'*) fail "the full listener took the connection: the test proves nothing" ;; esac
tmux_keys con C-c
shows '^\*  connection cancelled \(Ctrl-C\) while connecting$'
shows 'Ctrl-C again to quit'
shows '^ not connected'
running "after Ctrl-C while connecting"

# The next Ctrl-C on the empty line asks to quit, as before; n alone answers, no Enter.
tmux_keys con C-c
shows '^Quit smtpcon\? \[y/N\] ?$'
tmux_keys con n
shows '^smtp> ?$'
running "after n"
# Enter alone is no; so is Esc; another key is not an answer.
tmux_keys con C-c C-c
shows '^Quit smtpcon\? \[y/N\] ?$'
tmux_keys con Enter
shows '^smtp> ?$'
tmux_keys con C-c C-c
shows '^Quit smtpcon\? \[y/N\] ?$'
tmux_keys con Escape
shows '^smtp> ?$'
tmux_keys con C-c C-c
shows '^Quit smtpcon\? \[y/N\] ?$'
tmux_keys con x
shows 'y or n'
shows '^Quit smtpcon\? \[y/N\] ?$'
tmux_keys con C-c
shows '^smtp> ?$'
running "after the quit questions answered no"

# Waiting for the greeting: the same.
send con "/connect 127.0.0.1:$silent_PORT"
shows "^\*  connected to 127\.0\.0\.1 \[127\.0\.0\.1\] port $silent_PORT$"
tmux_keys con C-c
shows '^\*  connection cancelled \(Ctrl-C\) while waiting for the greeting$'
shows '^ not connected'
running "after Ctrl-C before the greeting"

# Connected and idle, Ctrl-C keeps the connection (and asks before quitting, as
# before); waiting for a reply, it drops it.
send con "/connect 127.0.0.1:$rec_PORT"
shows '^S: 220 recorder\.test'
tmux_keys con C-c
shows 'Ctrl-C again to quit'
sleep 0.3
tmux_screen con >"$T/idle"
assert_not_grep '^ not connected' "$T/idle" "Ctrl-C on an idle connection"
[ "$(grep -c 'connection cancelled' "$T/idle")" = 2 ] || fail "Ctrl-C dropped an idle connection"
send con 'NOOP'
shows '^C: NOOP$'
tmux_keys con C-c
shows '^\*  connection cancelled \(Ctrl-C\) while waiting for the reply to NOOP$'
shows '^ not connected'
running "after Ctrl-C while waiting for a reply"

# y alone leaves.
tmux_keys con C-c
shows '^Quit smtpcon\? \[y/N\] ?$'
tmux_keys con y
tmux_wait_exit con 5
wait_for "$T/status" '^[0-9]+$' 5
assert_eq "$(cat "$T/status")" 0 "exit status after y"
pass
