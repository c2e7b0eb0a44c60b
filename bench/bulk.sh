#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# bench/bulk.sh [SIZE_MB...] -- DATA at wire speed, in bounded memory (see bench/README).
#
# One fresh smtp-sink on 127.0.0.1.  At COMPARE_MB (default 100) MiB, best of
# BENCH_RUNS (default 3) runs each of: smtpcon --batch, a raw socket pipe of the same
# session bytes (bench/rawpipe.py) and swaks --data @FILE.  Then smtpcon alone at each
# SIZE_MB (default 10 100 500) for its peak RSS.  Exit status 1 if a target is missed.
#   SMTPCON=path/to/smtpcon  KEEP=1 (keep the work files)  BENCH_RUNS=N  COMPARE_MB=N
#   BULK_SINK=python (a sink faster than smtp-sink)
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
. "$(dirname "$0")/../tests/lib.sh"
. "$TESTS_SRC/postfix.sh"
. "$(dirname "$0")/common.sh"
need swaks

SIZES=${*:-10 100 500}
CMP=${COMPARE_MB:-100}
for _s in $CMP $SIZES; do
	case $_s in '' | *[!0-9]*) echo "usage: bulk.sh [SIZE_MB...] (whole MiB)" >&2; exit 2 ;; esac
done

# BULK_SINK=python: bench/tls-sink.py without TLS instead of smtp-sink, which parses
# every line and so limits the raw pipe to about 250 MB/s.
if [ "${BULK_SINK:-smtp-sink}" = python ]; then
	_lib_run psink "$PYTHON" "$BENCH/tls-sink.py" --log "$W/psink.msgs"
	SINK_PORT=$psink_PORT
	SINK_NAME="bench/tls-sink.py (plain)"
	sink_count() { { wc -l <"$W/psink.msgs"; } 2>/dev/null || echo 0; }
else
	postfix_sink_start
	SINK_NAME=smtp-sink
fi
SEEN=$(sink_count)
bench_check() {
	sink_wait_count $((SEEN + 1)) 10
	SEEN=$(sink_count)
}

echo "bench/bulk.sh: $("$SMTPCON" --version | head -n 1) ($SMTPCON)"
echo "sink: $SINK_NAME on 127.0.0.1:$SINK_PORT; $(nproc) CPUs; best of $BENCH_RUNS; $(date -u '+%Y-%m-%d %H:%M UTC')"

# --- the comparison ---------------------------------------------------------------
bytes=$("$PYTHON" "$BENCH/gen.py" "$CMP" "$W" --raw --data) || fail "gen.py"
echo
echo "message of $CMP MiB; $bytes session bytes on the wire after the greeting"
header "client"
best_of "smtpcon --batch" "$W/in-$CMP.txt" "$SMTPCON" --batch "127.0.0.1:$SINK_PORT"
s_wall=$B_WALL s_rss=$B_RSS
best_of "raw socket pipe (rawpipe.py)" /dev/null \
	"$PYTHON" "$BENCH/rawpipe.py" 127.0.0.1 "$SINK_PORT" "$W/raw-$CMP.bin" "$W/raw-$CMP.off"
r_wall=$B_WALL
best_of "swaks --data @FILE -n" /dev/null \
	swaks --server "127.0.0.1:$SINK_PORT" --from bench@bench.test --to sink@example.test \
	--data "@$W/data-$CMP.txt" --suppress-data
w_wall=$B_WALL
rm -f "$W/raw-$CMP.bin" "$W/data-$CMP.txt"
echo
mbs() { awk -v b="$bytes" -v t="$1" 'BEGIN { if (t > 0) printf "%.0f", b / t / 1e6; else print "-" }'; }
echo "throughput MB/s: smtpcon $(mbs "$s_wall"), raw pipe $(mbs "$r_wall"), swaks $(mbs "$w_wall")"
sr=$(ratio "$s_wall" "$r_wall")
ws=$(ratio "$w_wall" "$s_wall")
echo "smtpcon / raw pipe wall: $sr    swaks / smtpcon wall: $ws"

# --- peak RSS by size -----------------------------------------------------------------
echo
echo "smtpcon peak RSS by message size (one run each; $CMP MiB: the worst of the runs above)"
header "size"
rss_max=$s_rss	# the comparison size counts too
for S in $SIZES; do
	if [ "$S" = "$CMP" ]; then
		row "$S MiB" "$s_wall" "-" "$s_rss"
		rss=$s_rss
	else
		"$PYTHON" "$BENCH/gen.py" "$S" "$W" >/dev/null || fail "gen.py $S"
		run_once "$W/in-$S.txt" "$SMTPCON" --batch "127.0.0.1:$SINK_PORT"
		[ "$R_ST" -eq 0 ] || { cat "$W/run.err" >&2; fail "smtpcon $S MiB: exit status $R_ST"; }
		bench_check || fail "$S MiB: not delivered"
		row "$S MiB" "$R_WALL" "$R_CPU" "$R_RSS"
		rss=$R_RSS
		rm -f "$W/in-$S.txt"
	fi
	[ "$rss" -gt "$rss_max" ] && rss_max=$rss
done

echo
target "smtpcon wall <= 1.3 x raw pipe ($sr)" 'a <= 1.3 * b' "$s_wall" "$r_wall"
target "smtpcon >= 3 x faster than swaks ($ws)" 'b * 3 <= a' "$w_wall" "$s_wall"
target "smtpcon peak RSS <= 16 MiB at every size (max $(awk -v k="$rss_max" 'BEGIN { printf "%.1f", k / 1024 }') MiB)" \
	'a <= 16 * 1024' "$rss_max" 0
[ -z "$BENCH_FAILED" ]
