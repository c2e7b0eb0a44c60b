#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Secrets and the command line: a password is never taken from it and never echoed,
# an option naming a secret is taken only spelled in full, core dumps are off, and
# outside a UTF-8 locale every byte >= 0x80 from the server is shown escaped.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"

for arg in --password --password=Hunter2x --pass --pa --passw; do
	"$SMTPCON" --batch $arg Hunter2x 127.0.0.1:9 </dev/null >"$T/out" 2>&1
	assert_status 2 $? "$arg"
	assert_grep 'passwords never go on the command line: use --password-file or SMTPCON_PASSWORD' "$T/out"
	assert_not_grep 'Hunter2x' "$T/out"
done
"$SMTPCON" --batch --password-fil "$T/nofile-Hunter2x" 127.0.0.1:9 </dev/null >"$T/out" 2>&1
assert_status 2 $? "--password-fil"
assert_grep 'spell --password-file in full' "$T/out"
assert_not_grep 'Hunter2x' "$T/out"

# Core dumps are off (a crash core would hold the password).
need_aiosmtpd
start_smtpd srv
mkfifo "$T/in"
"$SMTPCON" --batch "127.0.0.1:$srv_PORT" <"$T/in" >"$T/live.out" 2>&1 &
pid=$!
track_pid "$pid"
exec 3>"$T/in"
i=0
while [ $i -lt 50 ] && ! grep -q '^S: 220' "$T/live.out"; do sleep 0.1; i=$((i + 1)); done
grep -E '^Max core file size' "/proc/$pid/limits" >"$T/limits"
assert_grep '^Max core file size +0 +0 ' "$T/limits"
exec 3>&-
wait "$pid"

# Outside UTF-8 a byte such as 0x9B (CSI to an 8-bit terminal) is escaped; in UTF-8,
# valid text like U+00DB stays as it is.
printf 'EHLO me\nVRFY \303\233\nQUIT\n' |
	LC_ALL=C "$SMTPCON" --batch "127.0.0.1:$srv_PORT" >"$T/c.out" 2>&1
assert_grep '^C: VRFY \\xC3\\x9B' "$T/c.out"
LC_ALL=C grep -q "$(printf '\233')" "$T/c.out" && fail "a raw 0x9B byte reached the output in the C locale"
printf 'EHLO me\nVRFY \303\233\nQUIT\n' |
	"$SMTPCON" --batch "127.0.0.1:$srv_PORT" >"$T/u.out" 2>&1
assert_grep "^C: VRFY $(printf '\303\233')" "$T/u.out"
pass
