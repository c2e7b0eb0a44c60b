#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The console against hostile servers (issue 10): C1 controls, OSC and DCS sequences, a
# 10,000-line reply. The terminal's raw output (tmux pipe-pane, every byte smtpcon
# writes) must hold no OSC (ESC ]), no DCS/APC/PM/SOS (ESC P, _, ^, X), no 8-bit C1
# byte, no UTF-8-encoded C1 or bidi override, and no escape sequence but the ones
# curses emits; the console must survive (NOOP still answered), its peak RSS bounded.
# Every scenario runs even when an earlier one fails; all failures are listed at the end.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
export SMTPCON_HELPDIR="$srcdir/help"

RSS_MAX_KB=30720
bad=
problem() {	# problem SCENARIO MESSAGE: record a failure, go on
	echo "FAIL: $1: $2" >&2
	case " $bad " in *" $1 "*) ;; *) bad="$bad $1" ;; esac
}
tm() { tmux -L "$TMUX_SOCKET" -f /dev/null "$@"; }

# The raw check. Allowed escape sequences are the ones curses writes: CSI (ESC [ ...),
# character sets (ESC ( B, ESC ) 0 ...), keypad (ESC = and ESC >), save/restore cursor
# (ESC 7, ESC 8), index/reverse index/next line (ESC D, ESC M, ESC E). Arguments: the
# capture, then raw byte strings (Python literals) the server sent that must not
# appear, then "--", then payload words that must appear (shown escaped).
cat >"$T/check.py" <<'PY'
import ast, re, sys
data = open(sys.argv[1], "rb").read()
args = sys.argv[2:]
cut = args.index("--")
forbidden = [ast.literal_eval(a) for a in args[:cut]]
words = [w.encode() for w in args[cut + 1:]]
found = []
def ctx(i):
    return repr(data[max(0, i - 24):i + 24])
for m in re.finditer(rb"\x1b(.|$)", data, re.S):
    nxt = m.group(1)
    if nxt not in (b"[", b"(", b")", b"*", b"+", b"=", b">", b"7", b"8", b"D", b"M", b"E"):
        found.append("ESC %r (not a curses sequence) at %d: %s" % (nxt, m.start(), ctx(m.start())))
        break
for m in re.finditer(rb"\x1b\[[\x30-\x3f]*[\x20-\x2f]*([\x40-\x7e]|$)", data):
    if not m.group(1):
        found.append("unfinished CSI at %d: %s" % (m.start(), ctx(m.start())))
if b"\x07" in data:
    found.append("BEL at %d: %s" % (data.index(b"\x07"), ctx(data.index(b"\x07"))))
text = data.decode("utf-8", "surrogateescape")
pos = 0
for ch in text:
    o = ord(ch)
    if 0xdc80 <= o <= 0xdcff:
        found.append("byte 0x%02X outside valid UTF-8: %s" % (o - 0xdc00, ctx(len(text[:pos].encode("utf-8", "surrogateescape")))))
        break
    if 0x80 <= o <= 0x9f or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
        found.append("U+%04X: %s" % (o, ctx(len(text[:pos].encode("utf-8", "surrogateescape")))))
        break
    pos += 1
for f in forbidden:
    if f in data:
        found.append("server bytes %r reached the terminal: %s" % (f, ctx(data.index(f))))
for w in words:
    i = data.find(w)
    if i < 0:
        found.append("payload %r not in the capture (is the capture working?)" % w)
    elif data[i - 1:i] == b"\x1b" or data[i - 2:i - 1] == b"\x1b" and data[i - 1:i] in b"]P_^X":
        found.append("payload %r right after an ESC: %s" % (w, ctx(i)))
for f in found:
    print(f)
sys.exit(1 if found else 0)
PY

# console SCENARIO: start the console in tmux against hostile.py SCENARIO, with the
# pane's raw output piped to $T/SCENARIO.raw from its first byte: the pane's command
# waits for $T/SCENARIO.go, made once pipe-pane is in place.
console() {
	_sc=$1
	start_hostile "$_sc" "$_sc"
	eval "_port=\$${_sc}_PORT"
	: >"$T/$_sc.raw"
	tmux_start "$_sc" 120 30 sh -c 'while [ ! -e "$0" ]; do sleep 0.05; done; exec "$@"' \
		"$T/$_sc.go" "$SMTPCON" --timeout 5 "127.0.0.1:$_port"
	tm pipe-pane -o -t "$_sc" "cat >>'$T/$_sc.raw'" || fail "$_sc: pipe-pane failed"
	sleep 0.2
	touch "$T/$_sc.go"
	pid=$(tm display-message -p -t "$_sc" '#{pane_pid}')
}

# send_line SCENARIO LINE PATTERN: type LINE and Enter, wait for PATTERN on the screen.
send_line() {
	tmux_type "$1" "$2"
	tmux_keys "$1" Enter
	tmux_wait "$1" "$3"
}

# finish SCENARIO: alive, NOOP answered, title untouched, peak RSS, the raw check.
finish() {
	_sc=$1
	shift
	[ -z "$(tmux_status "$_sc")" ] || problem "$_sc" "the console died (status $(tmux_status "$_sc"))"
	tm send-keys -t "$_sc" -l -- "NOOP" && tm send-keys -t "$_sc" Enter
	_i=0
	until tmux_screen "$_sc" | grep -q '^S: 250 ok'; do
		if [ $_i -ge 50 ]; then
			tmux_screen "$_sc" >"$T/.screen" 2>&1
			_lib_show "$T/.screen"
			problem "$_sc" "NOOP not answered: the console does not respond"
			break
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	_title=$(tm display-message -p -t "$_sc" '#{pane_title}')
	case $_title in *title* | *pwned*) problem "$_sc" "the pane title was set: $_title" ;; esac
	_kb=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null)
	echo "$_sc: peak RSS (VmHWM) ${_kb:-?} kB, raw capture $(wc -c <"$T/$_sc.raw") bytes" >&2
	if [ -z "$_kb" ]; then
		problem "$_sc" "no VmHWM for pid $pid"
	elif [ "$_kb" -ge "$RSS_MAX_KB" ]; then
		problem "$_sc" "peak RSS $_kb kB, not under $RSS_MAX_KB kB"
	fi
	sleep 0.3	# let the last output reach the pipe
	if ! "$PYTHON" "$T/check.py" "$T/$_sc.raw" "$@" >"$T/$_sc.check" 2>&1; then
		problem "$_sc" "the terminal got: $(cat "$T/$_sc.check")"
	fi
}

console c1
tmux_wait c1 'S: 220 c1 ESMTP <U\+009B>31mred<U\+009B>0m and \\x9B2J'
send_line c1 'EHLO me' '250 c1 bidi <U\+202E>evil<U\+202C> ok'
finish c1 'b"\x9b"' 'b"\xc2\x9b"' 'b"\xc2\x85"' 'b"\xe2\x80\xae"' -- \
	'utf8-red' 'raw-red' 'raw-next'

console osc
tmux_wait osc 'S: 220 osc ESMTP \^\[\]0;title-pwned\^G hello'
send_line osc 'EHLO me' '250 osc \^\[\]2;title-two\^\[\\ st'
finish osc 'b"\x1b]"' 'b"\x9d"' 'b"\xc2\x9d"' 'b"]0;title-pwned\x07"' 'b"52;c;Y2xpcGJvYXJkLXB3bmVk\x07"' -- \
	'title-pwned' 'Y2xpcGJvYXJkLXB3bmVk' 'hyperlink-pwned' 'eightbit-title' 'utf8-title' 'title-two'
tmux_wait osc 'S: 250 ok \^\[\]0;noop-title\^G'

console dcs
tmux_wait dcs 'S: 220 dcs ESMTP \^\[P\+q544e\^\[\\ hello'
send_line dcs 'EHLO me' '250 dcs done'
finish dcs 'b"\x1bP"' 'b"\x1b_"' 'b"\x1b^"' 'b"\x1bX"' 'b"\x90"' 'b"\xc2\x90"' -- \
	'+q544e' 'dcs-raw-payload' 'dcs-utf8-payload' 'apc-payload' 'pm-payload' 'sos-payload'
tmux_wait dcs 'S: 250 ok \^\[Pq#0;2;0;0;0#0~~\^\[\\'

# 10,000 lines, three times: 128 of each shown, the rest counted; memory stays bounded.
console bigreply
tmux_wait bigreply 'S: 220 bigreply ESMTP'
for i in 1 2 3; do
	send_line bigreply 'EHLO me' '9873 more lines of this reply were not shown'
	tmux_keys bigreply C-l
done
finish bigreply 'b"\x1b]0;big"' -- 'line 128 '
[ -z "$bad" ] || fail "failed:$bad"
pass
