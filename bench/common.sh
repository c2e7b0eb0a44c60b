# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# common.sh -- sourced by the bench scripts, after tests/lib.sh (which gives $T,
# cleanup of every tracked process and of $T, and $PYTHON).
# shellcheck disable=SC2154,SC2034  # lib.sh's variables; BENCH is for the scripts

BENCH=$(cd "$(dirname "$0")" && pwd)
BENCH_RUNS=${BENCH_RUNS:-3}
W=$T/bench
mkdir -p "$W"
[ -x /usr/bin/time ] || skip "needs /usr/bin/time -v (Debian package time)"
[ -x "$SMTPCON" ] || skip "no smtpcon at $SMTPCON (build it, or set SMTPCON)"
_lib_python
BENCH_FAILED=

# run_once INPUT CMD...: CMD <INPUT >/dev/null under /usr/bin/time -v.
# Sets R_WALL (s, from date, ns resolution), R_CPU (user+system s), R_RSS (peak,
# KiB), R_ST (exit status).  stderr goes to $W/run.err.
run_once() {
	_in=$1
	shift
	_t0=$(date +%s%N)
	/usr/bin/time -v -o "$W/time.out" "$@" <"$_in" >/dev/null 2>"$W/run.err"
	R_ST=$?
	_t1=$(date +%s%N)
	R_WALL=$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	R_CPU=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 }
		END { printf "%.3f", s }' "$W/time.out")
	R_RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$W/time.out")
}

# best_of LABEL INPUT CMD...: BENCH_RUNS runs; after each, the script's bench_check
# must succeed (the message arrived).  Sets B_WALL (the best), B_CPU (of that run),
# B_RSS (the highest of all runs).  Prints one row.
best_of() {
	_label=$1
	shift
	B_WALL='' B_CPU='' B_RSS=0
	_r=0
	while [ $_r -lt "$BENCH_RUNS" ]; do
		run_once "$@"
		if [ "$R_ST" -ne 0 ]; then
			cat "$W/run.err" >&2
			fail "$_label: exit status $R_ST"
		fi
		bench_check "$_label" || fail "$_label: the message did not arrive"
		if [ -z "$B_WALL" ] || awk -v a="$R_WALL" -v b="$B_WALL" 'BEGIN { exit !(a < b) }'; then
			B_WALL=$R_WALL B_CPU=$R_CPU
		fi
		[ "$R_RSS" -gt "$B_RSS" ] && B_RSS=$R_RSS
		_r=$((_r + 1))
	done
	row "$_label" "$B_WALL" "$B_CPU" "$B_RSS"
}

header() {
	printf '%-34s %9s %9s %9s\n' "$1" "wall s" "cpu s" "RSS MiB"
}
row() {
	printf '%-34s %9s %9s %9s\n' "$1" "$2" "$3" "$(awk -v k="$4" 'BEGIN { printf "%.1f", k / 1024 }')"
}

# ratio A B: A/B with two decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'
}

# target TEXT CONDITION(awk, on a and b) A B
target() {
	if awk -v a="$3" -v b="$4" "BEGIN { exit !($2) }"; then
		echo "PASS  $1"
	else
		echo "FAIL  $1"
		BENCH_FAILED=1
	fi
}
