#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Failures explained: connection refused, no greeting on a port that may want implicit
# TLS, a handshake that trickles.  (IPv6 on ::1: tests/ipv6.sh.)
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd

# A port nobody listens on: bind one, note it, close it.
port=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'QUIT\n' | "$SMTPCON" --batch "127.0.0.1:$port" >"$T/out" 2>"$T/err"
assert_status 3 $? "refused"
assert_grep "^!! connection refused by 127\.0\.0\.1 \[127\.0\.0\.1\] port $port" "$T/out"
assert_grep '^\?  nothing listens on that port' "$T/out"
assert_grep '^smtpcon: connection refused' "$T/err"

# A server that never greets (an implicit-TLS port waiting for a ClientHello).
start_hostile silent silent
printf 'QUIT\n' | "$SMTPCON" --batch --timeout 1 "127.0.0.1:$silent_PORT" >"$T/out2" 2>&1
assert_status 5 $? "no greeting"
assert_grep '^!! no greeting from the server within 1 s' "$T/out2"
assert_grep 'may expect implicit TLS.*try --tls' "$T/out2"

# --tls against that silent port: the handshake times out with the opposite hint.
printf 'QUIT\n' | "$SMTPCON" --batch --tls --timeout 1 "127.0.0.1:$silent_PORT" >"$T/out3" 2>&1
assert_status 4 $? "handshake timeout"
assert_grep 'TLS handshake timed out' "$T/out3"

# A server that trickles a TLS record one byte at a time cannot stretch the handshake.
start_hostile trickle trickle
start=$(date +%s)
printf 'QUIT\n' | "$SMTPCON" --batch --tls --timeout 2 "127.0.0.1:$trickle_PORT" >"$T/out6" 2>&1
assert_status 4 $? "trickled handshake"
assert_grep 'TLS handshake timed out' "$T/out6"
[ $(($(date +%s) - start)) -le 6 ] || fail "the handshake deadline did not hold"

pass
