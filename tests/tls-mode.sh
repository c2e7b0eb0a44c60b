#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The wrong TLS mode is named early: a port that stays silent (it waits for a TLS
# handshake) gets the implicit-TLS hint after 5 s while smtpcon still waits, in line
# mode and in the console; a TLS record where a reply should be is named at once; a
# close right after the greeting gets a hint.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux

start_hostile quiet silent

# Line mode: the hint within 6 s, the session still waiting (it ends at --timeout).
start=$(date +%s)
printf 'EHLO me\n' >"$T/in"
"$SMTPCON" --batch --timeout 20 "127.0.0.1:$quiet_PORT" <"$T/in" >"$T/quiet.out" 2>&1 &
pid=$!
track_pid "$pid"
i=0
while [ $i -lt 70 ] && ! grep -q 'no greeting after 5 s' "$T/quiet.out"; do
	sleep 0.1
	i=$((i + 1))
done
elapsed=$(($(date +%s) - start))
assert_grep '^\? +no greeting after 5 s: if this port expects implicit TLS .*reconnect with --tls; still waiting' "$T/quiet.out"
[ "$elapsed" -le 6 ] || fail "the hint came after $elapsed s"
kill -0 "$pid" 2>/dev/null || fail "smtpcon gave up instead of waiting on"
assert_not_grep '^C: EHLO' "$T/quiet.out"
kill "$pid"

# The console: the same hint on the screen within 6 s.
tmux_start con 100 30 "$SMTPCON" --timeout 20 "127.0.0.1:$quiet_PORT"
tmux_wait con 'connected to 127\.0\.0\.1'
tmux_wait con 'no greeting after 5 s' 6
tmux_keys con C-c
stop_server quiet

# A TLS record (here an alert) where the greeting should be: named at once.
_lib_python
_lib_run tls "$PYTHON" -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
open(sys.argv[sys.argv.index("--portfile") + 1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    c.sendall(bytes([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]))
    c.recv(100)
    c.close()
' x
printf 'EHLO me\n' | "$SMTPCON" --batch --timeout 10 "127.0.0.1:$tls_PORT" >"$T/tls.out" 2>&1
assert_status 5 $? "TLS record for a greeting"
assert_grep 'the server sent a TLS record where an SMTP reply should be: this port speaks implicit TLS' "$T/tls.out"
assert_grep '^\? +reconnect with --tls' "$T/tls.out"
assert_not_grep 'malformed' "$T/tls.out"
# Plain text after STARTTLS's 220 in a packet of its own is injection too, not a
# "wrong TLS mode": no advice to use --starttls, which was what was done.
_lib_run inj "$PYTHON" -c '
import signal, socket, sys, time
signal.signal(signal.SIGTERM, lambda *x: sys.exit(0))
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
open(sys.argv[sys.argv.index("--portfile") + 1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    f = c.makefile("rb")
    c.sendall(b"220 mx.example ESMTP\r\n")
    for line in f:
        if line.upper().startswith(b"EHLO"):
            c.sendall(b"250-mx.example\r\n250 STARTTLS\r\n")
        elif line.upper().startswith(b"STARTTLS"):
            c.sendall(b"220 go ahead\r\n")
            time.sleep(0.3)
            c.sendall(b"250 injected after the 220\r\n")
            time.sleep(1)
            break
    c.close()
' x
printf 'EHLO me\nSTARTTLS\n' | "$SMTPCON" --batch --timeout 10 "127.0.0.1:$inj_PORT" >"$T/inj.out" 2>&1
assert_status 5 $? "plain text after STARTTLS's 220"
assert_grep 'protocol violation: after its 220 to STARTTLS the server sent plain text' "$T/inj.out"
assert_grep 'plain text \("250 injected after the 220"\)' "$T/inj.out"
assert_grep 'CVE-2011-0411' "$T/inj.out"
assert_not_grep '--starttls|--tls' "$T/inj.out"

# A server that hangs up right after its greeting gets a hint of why, not silence.
_lib_run bye "$PYTHON" -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
open(sys.argv[sys.argv.index("--portfile") + 1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    c.sendall(b"220 mx.example ESMTP too many connections from your address\r\n")
    c.close()
' x
printf 'EHLO me\n' | "$SMTPCON" --batch --timeout 10 "127.0.0.1:$bye_PORT" >"$T/bye.out" 2>&1
assert_status 5 $? "a close after the greeting"
assert_grep "the server closed the connection|connection to the server lost|cannot send" "$T/bye.out"
assert_grep '^\? +it hung up right after its greeting: .*read the greeting' "$T/bye.out"
pass
