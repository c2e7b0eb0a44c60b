# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# lib.sh -- sourced by every shell test (POSIX sh; tests run under dash).
#
#   . "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
#
# automake's AM_TESTS_ENVIRONMENT sets srcdir (top source dir, possibly
# read-only under distcheck) and top_builddir.  Run by hand, both default
# to the directory above the test script (which lives next to lib.sh).
# Everything a test writes goes under $T, removed on exit unless KEEP=1.

_lib_top=$(cd "$(dirname "$0")/.." && pwd)
srcdir=${srcdir:-$_lib_top}
top_builddir=${top_builddir:-$_lib_top}
TESTS_SRC=$srcdir/tests
SMTPCON=${SMTPCON:-$top_builddir/src/smtpcon}
PRACTICE=${PRACTICE:-$top_builddir/src/smtpcon-practice}
export srcdir top_builddir SMTPCON PRACTICE

T=$(mktemp -d "${TMPDIR:-/tmp}/smtpcon-test.XXXXXX") || { echo "FAIL: mktemp" >&2; exit 99; }
HOME=$T/home XDG_STATE_HOME=$T/state XDG_DATA_HOME=$T/data XDG_CONFIG_HOME=$T/config
mkdir -p "$HOME" "$XDG_STATE_HOME" "$XDG_DATA_HOME"
INPUTRC=/dev/null LANG=C.UTF-8 LC_ALL=C.UTF-8
export HOME XDG_STATE_HOME XDG_DATA_HOME XDG_CONFIG_HOME INPUTRC LANG LC_ALL
# No colour override, and no outer tmux leaking into our private server.
unset NO_COLOR TMUX TMUX_PANE

_lib_pids=
_lib_tmux=
TMUX_SOCKET=smtpcon-$$

_lib_cleanup() {
	if [ -n "$_lib_tmux" ]; then
		tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null
	fi
	for _p in $_lib_pids; do kill "$_p" 2>/dev/null; done
	# Give them up to 2 s to exit cleanly, then insist.
	_i=0
	while [ $_i -lt 20 ]; do
		_alive=
		for _p in $_lib_pids; do kill -0 "$_p" 2>/dev/null && _alive=1; done
		[ -z "$_alive" ] && break
		sleep 0.1
		_i=$((_i + 1))
	done
	for _p in $_lib_pids; do kill -9 "$_p" 2>/dev/null; done
	if [ "${KEEP:-0}" = 1 ]; then
		echo "KEEP=1: test files left in $T" >&2
	else
		rm -rf "$T"
	fi
}
trap _lib_cleanup EXIT
# exit from a signal trap still runs the EXIT trap (dash and bash alike).
trap 'exit 130' INT
trap 'exit 143' TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
pass() { echo PASS; exit 0; }

need() {
	for _c; do
		command -v "$_c" >/dev/null 2>&1 || skip "needs $_c"
	done
}

# Register a background process for the cleanup trap.
track_pid() { _lib_pids="$_lib_pids $1"; }

# python3 first in PATH may be a pyenv/venv one without Debian's aiosmtpd:
# fall back to the system interpreter.  $PYTHON overrides.
_lib_python() {
	[ -n "${PYTHON:-}" ] && return
	for _py in python3 /usr/bin/python3; do
		if "$_py" -c 'import aiosmtpd' >/dev/null 2>&1; then
			PYTHON=$_py
			return
		fi
	done
	PYTHON=python3
}
need_aiosmtpd() {
	_lib_python
	"$PYTHON" -c 'import aiosmtpd' >/dev/null 2>&1 || skip "needs python3 aiosmtpd"
}

pki() {
	PKI=$T/pki
	[ -f "$PKI/leaf-chain.pem" ] || sh "$TESTS_SRC/pki.sh" "$PKI" || fail "pki.sh failed"
}

# _lib_run NAME COMMAND ARGS...: run a server in the background with
# --portfile, wait for its port file, set ${NAME}_PORT and ${NAME}_PID.
_lib_run() {
	_n=$1
	shift
	case $_n in *[!A-Za-z0-9_]* | [0-9]* | '') fail "bad server name '$_n'" ;; esac
	rm -f "$T/$_n.port"
	"$@" --portfile "$T/$_n.port" </dev/null >>"$T/$_n.log" 2>&1 &
	_pid=$!
	track_pid "$_pid"
	_i=0
	while [ ! -s "$T/$_n.port" ]; do
		if ! kill -0 "$_pid" 2>/dev/null || [ $_i -ge 100 ]; then
			cat "$T/$_n.log" >&2
			fail "server $_n ($*) did not start"
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	eval "${_n}_PORT=\$(cat \"\$T/\$_n.port\")"
	eval "${_n}_PID=\$_pid"
}

# start_smtpd NAME [smtpd.py options]  -> $NAME_PORT, log in $T/NAME.log
start_smtpd() {
	_sn=$1
	shift
	_lib_python
	_lib_run "$_sn" "$PYTHON" "$TESTS_SRC/smtpd.py" "$@"
}

# start_policyd NAME ADDR CERT KEY ROOT: an MTA-STS policy server on ADDR:443
# (tests/policyd.py), log in $T/NAME.log.
start_policyd() {
	_sn=$1
	shift
	_lib_python
	_lib_run "$_sn" "$PYTHON" "$TESTS_SRC/policyd.py" "$@"
}

# start_hostile NAME SCENARIO [hostile.py options]  -> $NAME_PORT
start_hostile() {
	_sn=$1 _sc=$2
	shift 2
	_lib_python
	_lib_run "$_sn" "$PYTHON" "$TESTS_SRC/hostile.py" "$@" "$_sc"
}

# start_practice NAME [smtpcon-practice options]  -> $NAME_PORT, $NAME_PID;
# its data (CA, maildir) in $T/NAME.data unless --datadir is given.
start_practice() {
	_sn=$1
	shift
	[ -x "$PRACTICE" ] || fail "no practice server at $PRACTICE"
	_lib_run "$_sn" "$PRACTICE" --datadir "$T/$_sn.data" "$@"
}

# stop_server NAME: SIGTERM, and the server must exit with status 0.
# _lib_running PID: the process runs (not gone, not a zombie waiting to be reaped).
_lib_running() {
	_state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$_state" ] && [ "$_state" != Z ]
}

# stop_server NAME: SIGTERM, and the server must exit 0. Never a hang: a server
# still running 5 s later gets a second SIGTERM (said on stderr), then SIGKILL
# and the test fails.
stop_server() {
	eval "_pid=\$${1}_PID"
	kill "$_pid" 2>/dev/null
	for _try in 1 2; do
		_i=0
		while _lib_running "$_pid" && [ $_i -lt 50 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		_lib_running "$_pid" || break
		if [ "$_try" = 1 ]; then
			echo "note: server $1 still runs 5 s after SIGTERM: sent again" >&2
			kill "$_pid" 2>/dev/null
		else
			kill -KILL "$_pid" 2>/dev/null
			cat "$T/$1.log" >&2
			fail "server $1 did not stop on SIGTERM (sent twice)"
		fi
	done
	wait "$_pid"
	_st=$?
	[ "$_st" -eq 0 ] || { cat "$T/$1.log" >&2; fail "server $1 exited with $_st on SIGTERM"; }
}

# Show a file on stderr without letting escape sequences in it act.
_lib_show() {
	echo "--- $1:" >&2
	cat -v "$1" >&2 2>/dev/null || echo "(missing)" >&2
	echo "---" >&2
}

assert_grep() {
	grep -Eq -- "$1" "$2" 2>/dev/null || { _lib_show "$2"; fail "${3:-$2}: no match for /$1/"; }
}
assert_not_grep() {
	! grep -Eq -- "$1" "$2" 2>/dev/null || { _lib_show "$2"; fail "${3:-$2}: unexpected match for /$1/"; }
}
assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-values}: expected '$2', got '$1'"
}
assert_status() {
	[ "$1" = "$2" ] || fail "${3:-exit status}: expected $1, got $2"
}

# wait_for FILE PATTERN [seconds=10]
wait_for() {
	_i=0 _max=$((${3:-10} * 10))
	until grep -Eq -- "$2" "$1" 2>/dev/null; do
		[ $_i -ge $_max ] && { _lib_show "$1"; fail "timed out waiting for /$2/ in $1"; }
		sleep 0.1
		_i=$((_i + 1))
	done
}

# --- tmux: drive the curses console in a private, detached tmux server -------
_tmux() { tmux -L "$TMUX_SOCKET" -f /dev/null "$@"; }

# tmux_start NAME COLS ROWS COMMAND [ARGS...]
# remain-on-exit is set in the same tmux invocation, before the session's
# command starts, so a console that dies at once still leaves its last screen.
# The command runs directly, never through $SHELL: given one argument, tmux
# runs "$SHELL -c COMMAND", and a shell that does not exec it (dash, when
# SHELL=/bin/sh) would be the pane's process, the one pane_pid names and
# the tests signal.  env makes it two arguments, and execs the command.
tmux_start() {
	_s=$1 _c=$2 _r=$3
	shift 3
	_lib_tmux=1
	_tmux start-server \; set -g remain-on-exit on \; set -g exit-empty off \; \
		new-session -d -s "$_s" -x "$_c" -y "$_r" env "$@" ||
		fail "tmux_start $_s failed"
}
tmux_keys() { _s=$1; shift; _tmux send-keys -t "$_s" "$@"; }
tmux_type() { _tmux send-keys -t "$1" -l -- "$2"; }
# When the command exits, tmux scrolls the screen up one line to print
# "Pane is dead (status N, ...)"; include that line from history so a dead
# pane's last screen is complete (rows+1 lines, status line last).
tmux_screen() {
	if [ "$(_tmux display-message -p -t "$1" '#{pane_dead}')" = 1 ]; then
		_tmux capture-pane -p -S -1 -t "$1"
	else
		_tmux capture-pane -p -t "$1"
	fi
}
# tmux_status NAME: exit status of the pane's command, empty while running.
tmux_status() { _tmux display-message -p -t "$1" '#{pane_dead_status}'; }

# tmux_wait NAME PATTERN [seconds=10]
tmux_wait() {
	_i=0 _max=$((${3:-10} * 10))
	while :; do
		tmux_screen "$1" >"$T/.screen" 2>&1
		grep -Eq -- "$2" "$T/.screen" && return 0
		if [ $_i -ge $_max ]; then
			_lib_show "$T/.screen"
			fail "tmux $1: timed out waiting for /$2/"
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
}

# tmux_wait_gone NAME PATTERN [seconds=5]: the pattern has left the screen.
tmux_wait_gone() {
	_i=0 _max=$((${3:-5} * 10))
	while tmux_screen "$1" | grep -Eq -- "$2"; do
		if [ $_i -ge $_max ]; then
			tmux_screen "$1" >"$T/.screen" 2>&1
			_lib_show "$T/.screen"
			fail "tmux $1: /$2/ is still on the screen"
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
}

# tmux_wait_exit NAME [seconds=10]: the pane's program has ended. tmux sometimes
# reaps it late (the process sits as a zombie for a while), so a zombie counts.
tmux_wait_exit() {
	_pid=$(_tmux display-message -p -t "$1" '#{pane_pid}')
	_i=0 _max=$((${2:-10} * 10))
	while [ -z "$(tmux_status "$1")" ]; do
		_st=$(awk '{ print $3 }' "/proc/$_pid/stat" 2>/dev/null)
		[ -z "$_st" ] || [ "$_st" = Z ] && return 0
		if [ $_i -ge $_max ]; then
			tmux_screen "$1" >"$T/.screen" 2>&1
			_lib_show "$T/.screen"
			fail "tmux $1: the program did not exit"
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
}
