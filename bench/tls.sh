#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# bench/tls.sh [SIZE_MB] -- DATA over STARTTLS at the speed of a plain TLS pipe (see
# bench/README).
#
# A test PKI (tests/pki.sh, certtool) and a discarding SMTP sink with STARTTLS on
# 127.0.0.1: bench/tls-sink.c, built here (cc, libgnutls28-dev), or bench/tls-sink.py.  A message of SIZE_MB (default 100) MiB, best of BENCH_RUNS
# (default 3) runs each of:
#   smtpcon --batch --starttls --cafile CA     (EHLO..QUIT lines on stdin)
#   openssl s_client -starttls smtp -CAfile CA -quiet   (the same session's bytes on
#                                               stdin: EHLO..QUIT, CRLF, dot-stuffed)
# Target: smtpcon wall <= 1.2 x openssl s_client.  Exit status 1 if missed.
#   SMTPCON=path/to/smtpcon  KEEP=1  BENCH_RUNS=N  TLS_SINK=python  CC=cc
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
. "$(dirname "$0")/../tests/lib.sh"
. "$(dirname "$0")/common.sh"
need certtool openssl

S=${1:-100}
case $S in '' | *[!0-9]*) echo "usage: tls.sh [SIZE_MB]" >&2; exit 2 ;; esac

pki
# The C sink (GnuTLS) unless TLS_SINK=python or it cannot be built: the Python one
# pays about 9 us per TLS record, which a client sending a record per line would feel.
SINK_NAME=
# shellcheck disable=SC2046  # pkg-config's flags are meant to be split
if [ "${TLS_SINK:-c}" != python ] &&
	${CC:-cc} -O2 -D_GNU_SOURCE -o "$W/tls-sink" "$BENCH/tls-sink.c" \
		$(pkg-config --cflags --libs gnutls) 2>"$W/cc.err"; then
	_lib_run tsink "$W/tls-sink" "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" "$W/tsink.msgs"
	SINK_NAME="bench/tls-sink.c (GnuTLS)"
else
	[ -s "$W/cc.err" ] && echo "note: C sink not built, using Python: $(head -n 1 "$W/cc.err")"
	_lib_run tsink "$PYTHON" "$BENCH/tls-sink.py" --starttls "$PKI/leaf-chain.pem" \
		"$PKI/leaf-key.pem" --log "$W/tsink.msgs"
	SINK_NAME="bench/tls-sink.py (Python ssl)"
fi
SEEN=0
bench_check() {
	_i=0
	while [ "$({ wc -l <"$W/tsink.msgs"; } 2>/dev/null || echo 0)" -le "$SEEN" ]; do
		[ $_i -ge 50 ] && return 1
		sleep 0.1
		_i=$((_i + 1))
	done
	SEEN=$(wc -l <"$W/tsink.msgs")
}

echo "bench/tls.sh: $("$SMTPCON" --version | head -n 1) ($SMTPCON); $(openssl version)"
echo "sink: $SINK_NAME, STARTTLS, on 127.0.0.1:$tsink_PORT; $(nproc) CPUs; best of $BENCH_RUNS; $(date -u '+%Y-%m-%d %H:%M UTC')"
bytes=$("$PYTHON" "$BENCH/gen.py" "$S" "$W" --raw) || fail "gen.py"
echo
echo "message of $S MiB; $bytes session bytes inside TLS (EHLO..QUIT)"
header "client"
best_of "smtpcon --batch --starttls" "$W/in-$S.txt" \
	"$SMTPCON" --batch --starttls --ehlo bench.test --cafile "$PKI/ca.pem" "127.0.0.1:$tsink_PORT"
s_wall=$B_WALL
best_of "openssl s_client -starttls smtp" "$W/raw-$S.bin" \
	openssl s_client -starttls smtp -connect "127.0.0.1:$tsink_PORT" -CAfile "$PKI/ca.pem" \
	-verify_return_error -verify_ip 127.0.0.1 -quiet
o_wall=$B_WALL
echo
mbs() { awk -v b="$bytes" -v t="$1" 'BEGIN { if (t > 0) printf "%.0f", b / t / 1e6; else print "-" }'; }
echo "throughput MB/s: smtpcon $(mbs "$s_wall"), openssl s_client $(mbs "$o_wall")"
r=$(ratio "$s_wall" "$o_wall")
echo "smtpcon / openssl s_client wall: $r"
echo
target "smtpcon wall <= 1.2 x openssl s_client ($r)" 'a <= 1.2 * b' "$s_wall" "$o_wall"
[ -z "$BENCH_FAILED" ]
