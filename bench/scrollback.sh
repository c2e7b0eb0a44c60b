#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# bench/scrollback.sh [LINES] -- the console keeps the whole session, and moving
# through it costs what is on screen (see bench/README).
#
# A message of LINES (default 1000000) body lines is pasted into the console (in tmux,
# as a person would) and sent to a fresh smtp-sink on 127.0.0.1.  Then:
#   memory: the console's RSS grown over the paste, less the text, per line;
#   keys:   Home, End, PgUp, PgDn, a resize and /timestamps, each timed from the key to
#           the screen inside smtpcon (its --debug trace) and from outside (tmux);
#   /save:  writes every line of the session;
#   peer:   less(1) on the saved session, the same keys timed the same way from outside;
#   CPU:    a paste of LINES/2 more lines while reading back against while following.
# Targets: at most 64 bytes per line beyond the text; every key redrawn within 20 ms
# inside smtpcon; /save holds all LINES body lines.
#   SMTPCON=path/to/smtpcon  KEEP=1 (keep the work files)
# shellcheck disable=SC2154  # variables from lib.sh and postfix.sh
. "$(dirname "$0")/../tests/lib.sh"
. "$TESTS_SRC/postfix.sh"
. "$(dirname "$0")/common.sh"
need tmux
need less

N=${1:-1000000}
case $N in '' | *[!0-9]*) echo "usage: scrollback.sh [LINES]" >&2; exit 2 ;; esac
postfix_sink_start
echo "bench/scrollback.sh: $("$SMTPCON" --version | head -n 1) ($SMTPCON)"
echo "$N lines; smtp-sink on 127.0.0.1:$SINK_PORT; $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC')"

"$PYTHON" -c 'import sys
w = sys.stdout.write
for i in range(1, int(sys.argv[1]) + 1):
    w("body line %07d: the quick brown fox jumps over the lazy dog\n" % i)' "$N" >"$W/body"
TEXT=$(($(wc -c <"$W/body") - N))	# the text of the lines, without their newlines

kt() { "$PYTHON" "$BENCH/keytime.py" "$TMUX_SOCKET" "$@"; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# The last "screen N ms after key" of the trace: the time inside smtpcon.
inside() { sed -n 's/.*screen \([0-9.]*\) ms after key.*/\1/p' "$W/trace" | tail -n 1; }
send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }

tmux_start con 120 40 "$SMTPCON" --debug "$W/trace" "127.0.0.1:$SINK_PORT"
tmux_wait con 'S: 220 ' 10
send con "EHLO bench.example"
tmux_wait con 'S: 250' 10
send con "MAIL FROM:<bench@example.com>"
send con "RCPT TO:<sink@example.com>"
send con "DATA"
tmux_wait con 'S: 354 ' 10
PID=$(_tmux display-message -p -t con '#{pane_pid}')
RSS0=$(rss "$PID")
_t0=$(date +%s%N)
_tmux load-buffer "$W/body" || fail "tmux load-buffer"
_tmux paste-buffer -t con
send con "."
sink_wait_count 1 3600
_t1=$(date +%s%N)
tmux_wait con "C: body line $(printf %07d "$N")" 60
RSS1=$(rss "$PID")
PASTE=$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
PERLINE=$(awk -v a="$RSS0" -v b="$RSS1" -v t="$TEXT" -v n="$N" \
	'BEGIN { printf "%.1f", ((b - a) * 1024 - t) / n }')
printf '\npaste of %d lines through the console: %s s; RSS %d -> %d KiB\n' "$N" "$PASTE" "$RSS0" "$RSS1"
printf 'memory beyond the text: %s bytes per line\n\n' "$PERLINE"

printf '%-22s %12s %12s %12s %8s\n' key "smtpcon in" "smtpcon out" "less out" ratio
MAXIN=0
# key LABEL SMTPCON_KEY LESS_KEY [GREP]: one row.
key() {
	_in0=$(grep -c 'after key' "$W/trace")
	_out=$(kt con "$2" ${4:+--grep "$4"} ${4:---change}) || fail "$1: no change on the screen"
	_i=0
	while [ "$(grep -c 'after key' "$W/trace")" -le "$_in0" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	_in=$(inside)
	_less=-
	if [ -n "$3" ]; then
		_less=$(kt pager "$3" ${4:+--grep "$4"} ${4:---change}) || _less=-
	fi
	printf '%-22s %12s %12s %12s %8s\n' "$1" "$_in ms" "$_out ms" "$_less ms" \
		"$(ratio "$_out" "${_less#-}")"
	MAXIN=$(awk -v a="$MAXIN" -v b="$_in" 'BEGIN { print (b > a ? b : a) }')
}

send con "/save $W/saved.txt"
tmux_wait con 'transcript saved' 600
SAVED=$(grep -c '^..:..:.. C: body line ' "$W/saved.txt")
tmux_start pager 120 40 less -S "$W/saved.txt"
tmux_wait pager 'journal: ' 30

key "Home (first line)" Home g 'journal: '
key "End (last line)" End G 'S: 250 2.0.0 Ok'
key "PgUp" PPage PPage
key "PgUp" PPage PPage
key "PgDn" NPage NPage
key "Home" Home g 'journal: '
key "PgDn (from the top)" NPage NPage
key "resize 100x35" resize=100x35 resize=100x35
key "resize 120x40" resize=120x40 resize=120x40
key "End" End G 'S: 250 2.0.0 Ok'
tmux_type con "/timestamps"
key "/timestamps (Enter)" Enter '' '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] '

# CPU while output streams in: reading back (Home) against following (End), the same
# paste each time. Reading back used to cost more: every redraw walked the session.
cpu() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
HALF=$((N / 2))
head -n "$HALF" "$W/body" >"$W/half"
_tmux load-buffer "$W/half" || fail "tmux load-buffer"
# paste_cpu KEY: a message of HALF lines pasted after KEY; prints smtpcon's CPU ticks.
paste_cpu() {
	_seen=$(sink_count)
	tmux_keys con End
	send con "MAIL FROM:<bench@example.com>"
	send con "RCPT TO:<sink@example.com>"
	send con "DATA"
	sleep 1
	tmux_keys con "$1"
	_c0=$(cpu)
	_tmux paste-buffer -t con
	send con "."
	sink_wait_count $((_seen + 1)) 3600
	tmux_keys con End
	sleep 0.5
	echo $(($(cpu) - _c0))
}
FOLLOW=$(paste_cpu End)
BACK=$(paste_cpu Home)
printf '\nCPU for a paste of %d lines: following %s ticks, reading back %s ticks (ratio %s)\n' \
	"$HALF" "$FOLLOW" "$BACK" "$(ratio "$BACK" "$FOLLOW")"

echo
target "reading back costs at most 10% more CPU than following" 'a <= b * 1.1' "$BACK" "$FOLLOW"
target "memory: $PERLINE bytes per line beyond the text (at most 64)" 'a <= 64' "$PERLINE" 0
target "keys: slowest redraw inside smtpcon $MAXIN ms (at most 20)" 'a <= 20' "$MAXIN" 0
target "/save: $SAVED of $N body lines saved" 'a == b' "$SAVED" "$N"
[ -z "$BENCH_FAILED" ] || exit 1
