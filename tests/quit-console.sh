#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
# /quit in the console (tmux) against the recording server: with QUIT answered 20 s late
# the console still leaves within about 5 s; lines held when /quit is typed are sent
# first, QUIT after them; and a server that answers QUIT with 500 (keeping the connection)
# does not keep the console: it leaves at once, and the person is shown the 500.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
_lib_python
export SMTPCON_HELPDIR="$srcdir/help"

send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
# rec NAME [recorder.py options]: a recorder logging to $T/NAME.jsonl.
rec() {
	_rn=$1
	shift
	_lib_run "$_rn" "$PYTHON" "$TESTS_SRC/recorder.py" --log "$T/$_rn.jsonl" "$@"
}
# snaps NAME DIR: capture the screen into DIR/NNNN every 20 ms, in the background,
# until stop_snaps.
snaps() {
	mkdir -p "$2"
	(
		_n=1000
		while :; do
			tmux_screen "$1" >"$2/$_n" 2>/dev/null
			_n=$((_n + 1))
			sleep 0.02
		done
	) &
	snap_pid=$!
	track_pid "$snap_pid"
}
stop_snaps() { kill "$snap_pid" 2>/dev/null; wait "$snap_pid" 2>/dev/null; }
# log_check FILE PYTHON: run PYTHON (events of connection 1 in "ev") against FILE.
log_check() {
	"$PYTHON" - "$1" "$2" >"$T/log.out" 2>&1 <<'EOF' || { cat "$T/log.out" >&2; fail "recorder log $1"; }
import json, sys
ev = [e for e in (json.loads(l) for l in open(sys.argv[1])) if e["conn"] == 1]
cmd = [e for e in ev if e["ev"] == "line" and e["mode"] == "cmd"]
replies = [e for e in ev if e["ev"] == "reply"]
exec(sys.argv[2])
EOF
}

# --- QUIT answered 20 s late: the console leaves within 7 s ----------------------------
rec slow --delay 20
tmux_start slow 100 30 "$SMTPCON" "127.0.0.1:$slow_PORT"
tmux_wait slow '^S: 220 '
tmux_wait slow 'smtp>'
send slow '/quit'
tmux_wait_exit slow 7
log_check "$T/slow.jsonl" '
assert [e["line"] for e in cmd] == ["QUIT\r\n"], cmd
assert all(r["code"] != 221 for r in replies), "QUIT was answered: the test proves nothing"
'

# --- held lines first, then QUIT (no PIPELINING: one command at a time) ---------------
rec held --delay 1
tmux_start held 100 30 "$SMTPCON" "127.0.0.1:$held_PORT"
tmux_wait held '^S: 220 '
tmux_wait held 'smtp>'
send held 'EHLO me'
tmux_wait held '250 ENHANCEDSTATUSCODES'
send held 'NOOP'
send held 'RSET'
send held '/quit'
tmux_wait_exit held 10
log_check "$T/held.jsonl" '
assert [e["line"] for e in cmd] == ["EHLO me\r\n", "NOOP\r\n", "RSET\r\n", "QUIT\r\n"], cmd
for e in cmd:
    assert e["pending"] == 0, ("sent before the previous reply", e)
assert replies[-1]["code"] == 221, replies[-1]
'

# --- QUIT answered with 500: the console leaves at once, and shows the 500 -------------
rec no --quit-500
tmux_start no 100 30 "$SMTPCON" "127.0.0.1:$no_PORT"
tmux_wait no '^S: 220 '
tmux_wait no 'smtp>'
snaps no "$T/no.snaps"
send no '/quit'
tmux_wait_exit no 3
sleep 0.2
stop_snaps
tmux_screen no >"$T/no.snaps/9999"
log_check "$T/no.jsonl" '
assert [e["line"] for e in cmd] == ["QUIT\r\n"], cmd
assert [r["code"] for r in replies] == [220, 500], replies
'
# What the person saw: the 500, on some screen before the console left or on the pane it
# left behind.
grep -Eq '(^S: |^)500 5\.5\.2 no' "$T"/no.snaps/* || {
	last=$(grep -l 'C: QUIT' "$T"/no.snaps/* | tail -1)
	[ -n "$last" ] && _lib_show "$last"
	_lib_show "$T/no.snaps/9999"
	fail "the server's 500 to QUIT was never on the screen (shown above: the last capture with C: QUIT, and the pane after exit)"
}
pass
