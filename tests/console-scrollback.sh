#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The console keeps the whole session: a message of 210,000 lines (more than the
# 200,000 the console used to keep) is pasted, then Home shows the session's first
# line, End its last, PgUp reads back, a resize and /timestamps keep the line at the
# top where it was, /save and the journal hold every line, and /clear starts afresh.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$TESTS_SRC/postfix.sh"
need tmux
postfix_sink_start

N=210000
"$PYTHON" -c 'import sys
w = sys.stdout.write
for i in range(1, int(sys.argv[1]) + 1):
    w("body line %07d: the quick brown fox\n" % i)' "$N" >"$T/body"
send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
# The first row of the transcript pane, without the TLS pane beside it.
top() { tmux_screen con | sed -n 2p | sed 's/ *│.*//; s/ *$//'; }

tmux_start con 120 40 "$SMTPCON" "127.0.0.1:$SINK_PORT"
tmux_wait con 'S: 220 ' 10
send con "EHLO test.example"
tmux_wait con 'S: 250' 10
send con "MAIL FROM:<a@example.com>"
send con "RCPT TO:<b@example.com>"
send con "DATA"
tmux_wait con 'S: 354 ' 10
_tmux load-buffer "$T/body" || fail "tmux load-buffer"
_tmux paste-buffer -t con
send con "."
sink_wait_count 1 120
tmux_wait con 'S: 250 2\.0\.0 Ok' 30

# Home: the first line of the session, the journal's path.
tmux_keys con Home
tmux_wait con 'reading back'
top | grep -q 'journal: ' || fail "Home: the first row is not the session's first line: $(top)"
tmux_screen con | grep -q 'body line 0000001:' || fail "Home: body line 1 not on the first screen"
tmux_keys con End
tmux_wait_gone con 'reading back'
tmux_wait con 'C: \.'

# PgUp twice: a page is the pane less one row, so the row at the top of one page is
# at the foot of the next one up: no gap, no repeat.
tmux_keys con PPage
tmux_wait con 'reading back'
top1=$(top)
tmux_keys con PPage
i=0
while [ "$(top)" = "$top1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
first=$(top)
case $first in *"body line 0"*) ;; *) fail "PgUp: not in the body: $first" ;; esac
assert_eq "$(tmux_screen con | sed -n 38p | sed 's/ *│.*//; s/ *$//')" "$top1" \
	"the foot of the page above"

# A resize and /timestamps while reading back: the same line stays at the top.
_tmux resize-window -t con -x 90 -y 30
sleep 0.5
tmux_wait con 'reading back'
[ "$(top)" = "$first" ] ||
	fail "resize moved the view: '$first' -> '$(top)'"
send con "/timestamps"
tmux_wait con '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] '
want=$(printf '%s' "$first" | sed 's/.*\(body line [0-9]*\).*/\1/')
tmux_screen con | grep -q "$want" || fail "/timestamps moved the view: $want is gone"

# /save and the journal hold every line.
send con "/save $T/saved.txt"
tmux_wait con 'transcript saved' 30
assert_eq "$(grep -c ' C: body line ' "$T/saved.txt")" "$N" "body lines in /save's file"
grep -q ' C: body line 0000001: ' "$T/saved.txt" || fail "/save: the first body line is missing"
j=$(ls "$XDG_STATE_HOME"/smtpcon/journal/*)
assert_eq "$(grep -c 'C: body line ' "$j")" "$N" "body lines in the journal"

# /clear: Home goes no further back than the clear.
send con "/clear"
send con "NOOP"
tmux_wait con 'S: 250 '
tmux_keys con Home
sleep 0.5
tmux_screen con | grep -q 'body line' && fail "Home after /clear shows lines from before it"
pass
