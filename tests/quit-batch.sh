#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# QUIT answered with 500 by a server that keeps the connection open: line mode closes
# at once ("QUIT was answered, but not with 221"), typed QUIT or its own at end of
# input, instead of waiting for a close that never comes; the 500 counts as a 5xx
# reply (exit status 1).
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
_lib_python

_lib_run rec "$PYTHON" "$TESTS_SRC/recorder.py" --log "$T/rec.jsonl" --quit-500 --idle 30

conn=0
for how in typed auto; do
	conn=$((conn + 1))
	if [ "$how" = typed ]; then in='EHLO x\nQUIT\n'; else in='EHLO x\n'; fi
	start=$(date +%s)
	# shellcheck disable=SC2059
	printf "$in" | "$SMTPCON" --batch --timeout 20 "127.0.0.1:$rec_PORT" >"$T/$how.out" 2>&1
	st=$?
	elapsed=$(($(date +%s) - start))
	[ "$elapsed" -le 3 ] || fail "$how: smtpcon took $elapsed s after QUIT was answered 500"
	assert_grep '^S: 500 5\.5\.2 no' "$T/$how.out" "$how"
	assert_grep 'QUIT was answered, but not with 221' "$T/$how.out" "$how"
	# smtpcon closed the connection: the recorder saw the end of it.
	wait_for "$T/rec.jsonl" "\"ev\": \"eof\", \"conn\": $conn" 2
	# A refused QUIT does not make the dialogue fail: whatever was to be done was
	# answered before it (README, exit statuses).
	assert_status 0 "$st" "$how: QUIT answered 500"
done
assert_grep '^C: QUIT +\(sent by smtpcon\)' "$T/auto.out" "auto"
stop_server rec
pass
