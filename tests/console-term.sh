#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# A terminal curses can't drive (issue 15): TERM=dumb, a TERM unknown to terminfo, and no
# TERM at all. Started on a terminal, smtpcon says so in one line and goes on in line
# mode: a whole dialogue with a real server works, no alternate screen is opened, and
# the exit status is not 1 (which means the server answered 4xx/5xx).
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
need_aiosmtpd
start_smtpd srv

send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
alt_screen() { tmux -L "$TMUX_SOCKET" display-message -p -t "$1" '#{alternate_on}'; }

# check NAME WHY ENV-ARGS...: the fallback line, then a dialogue in line mode.
check() {
	_n=$1 _why=$2
	shift 2
	# Through sh, which writes the exit status down: tmux may not have it yet.
	tmux_start "$_n" 160 30 "$@" sh -c '"$@"; echo $? >"$0.status"' "$T/$_n" \
		"$SMTPCON" --no-journal "127.0.0.1:$srv_PORT"
	tmux_wait "$_n" "^smtpcon: $_why can't drive the console; using line mode \\(--batch\\)\$"
	tmux_wait "$_n" '^S: 220 '
	[ "$(alt_screen "$_n")" = 0 ] || fail "$_n: curses opened the alternate screen"
	send "$_n" 'EHLO client.example'
	tmux_wait "$_n" '^S: 250 '
	send "$_n" 'MAIL FROM:<a@example.org>'
	tmux_wait "$_n" '^S: 250 .*OK'
	send "$_n" 'RSET'
	send "$_n" 'QUIT'
	tmux_wait "$_n" '^S: 221 '
	wait_for "$T/$_n.status" '^[0-9]+$' 10
	tmux_screen "$_n" >"$T/$_n.screen"
	# One line says why, once; no curses screen and no ncurses message before it.
	[ "$(grep -c "can't drive the console" "$T/$_n.screen")" -eq 1 ] ||
		{ _lib_show "$T/$_n.screen"; fail "$_n: not one line"; }
	assert_not_grep 'Error opening terminal|unknown terminal type|smtp>' "$T/$_n.screen" "$_n"
	assert_status 0 "$(cat "$T/$_n.status")" "$_n: exit status"
}

check dumb 'TERM=dumb' TERM=dumb
check unknown 'TERM=smtpcon-no-such-term is unknown to terminfo:' TERM=smtpcon-no-such-term
check unset 'TERM is not set:' -u TERM

# A failure of the dialogue still counts as such (exit 1 only for a 4xx/5xx reply), and
# a local problem in line mode is not 1: refused connection is 3.
tmux_start refused 100 30 TERM=dumb sh -c '"$@"; echo $? >"$0.status"' "$T/refused" \
	"$SMTPCON" --no-journal 127.0.0.1:1
tmux_wait refused "^smtpcon: TERM=dumb can't drive the console"
wait_for "$T/refused.status" '^[0-9]+$' 10
assert_status 3 "$(cat "$T/refused.status")" "refused, on TERM=dumb"

# A terminal it can drive still gets the console.
tmux_start good 100 30 TERM=xterm "$SMTPCON" --no-journal "127.0.0.1:$srv_PORT"
tmux_wait good 'smtp>'
tmux_screen good >"$T/good.screen"
assert_not_grep "can't drive the console" "$T/good.screen"
[ "$(alt_screen good)" = 1 ] || fail "TERM=xterm: no alternate screen"
send good '/quit'
tmux_wait_exit good
pass
