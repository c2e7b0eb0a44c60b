#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Secrets out of memory: once an AUTH answer has gone to the server, no copy of it is
# left in smtpcon's memory (the input buffer, held lines, the send queue, the encoder),
# in line mode, for AUTH LOGIN, PLAIN from two lines and a PLAIN initial response. The
# live process is searched through /proc/PID/mem while the session goes on.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd

SECRET=Zq7-wipe-me-C0FFEE
start_smtpd srv --auth "alice:$SECRET"
B64_SECRET=$(printf %s "$SECRET" | base64)
BLOB=$(printf '\000alice\000%s' "$SECRET" | base64)

# scan NAME LINES...: the lines to smtpcon through a FIFO held open; once AUTH is
# answered with 235, the memory is searched, then the session ends.
scan() {
	_n=$1
	shift
	rm -f "$T/fifo"
	mkfifo "$T/fifo" || fail "mkfifo"
	"$SMTPCON" --batch --insecure --no-journal "127.0.0.1:$srv_PORT" <"$T/fifo" \
		>"$T/$_n.out" 2>&1 &
	_pid=$!
	track_pid $_pid
	exec 3>"$T/fifo"
	for _l in "$@"; do
		printf '%s\n' "$_l" >&3
	done
	wait_for "$T/$_n.out" '^S: 235 ' 10
	sleep 0.2
	"$PYTHON" "$TESTS_SRC/memscan.py" $_pid "$SECRET" "$B64_SECRET" "$BLOB" \
		>"$T/$_n.scan" 2>&1
	_st=$?
	printf 'QUIT\n' >&3
	exec 3>&-
	wait $_pid
	[ $_st -eq 77 ] && skip "$(cat "$T/$_n.scan")"
	[ $_st -eq 1 ] && { cat "$T/$_n.scan" >&2; fail "$_n: a secret left in memory"; }
	[ $_st -eq 0 ] || { cat "$T/$_n.scan" >&2; fail "$_n: the memory scan failed"; }
}

scan login 'EHLO me' 'AUTH LOGIN' alice "$SECRET"
scan plain 'EHLO me' 'AUTH PLAIN' alice "$SECRET"
scan plainir 'EHLO me' "AUTH PLAIN $BLOB"
pass
