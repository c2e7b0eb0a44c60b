#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# More hostile servers, line mode (issue 10): C1 controls (8-bit and UTF-8-encoded), OSC
# and DCS sequences, a 10,000-line reply, a greeting at 1 byte per second, endless
# streams (a line without end, a multi-line reply without end, bytes instead of a
# greeting), and a TLS alert or an undecryptable record mid-stream (implicit TLS and
# STARTTLS). For each: no crash, no hang (30 s hard limit), the documented exit status,
# peak RSS under 30 MB, and nothing but printable, valid UTF-8 on the output: no ESC,
# BEL or other C0 control, no C1 byte raw or UTF-8-encoded, no bidi override.
# Every scenario runs even when an earlier one fails; all failures are listed at the end.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need timeout

RSS_MAX_KB=30720
TIME=/usr/bin/time
if ! [ -x "$TIME" ] || ! "$TIME" -v -o /dev/null true 2>/dev/null; then
	echo "note: no GNU time (package time) at $TIME: peak RSS is not checked" >&2
	TIME=
fi
# An AddressSanitizer build (./configure --enable-asan) carries its shadow memory and a
# quarantine of freed memory: its RSS is not smtpcon's, and the bound is for real builds.
if ldd "$SMTPCON" 2>/dev/null | grep -q 'libasan'; then
	echo "note: $SMTPCON is built with AddressSanitizer: peak RSS is not checked" >&2
	TIME=
fi

bad=
problem() {	# problem SCENARIO MESSAGE: record a failure, go on
	echo "FAIL: $1: $2" >&2
	case " $bad " in *" $1 "*) ;; *) bad="$bad $1" ;; esac
}

# The output check: valid UTF-8, no control byte but LF and TAB, no C1 (U+0080-U+009F),
# no bidi controls. Prints what it found, one per line.
cat >"$T/check.py" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
found = []
for i, b in enumerate(data):
    if (b < 0x20 and b not in (0x0a, 0x09)) or b == 0x7f:
        found.append("control byte 0x%02X at offset %d: %r" % (b, i, data[max(0, i - 20):i + 20]))
        break
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    found.append("invalid UTF-8 at offset %d: %r" % (e.start, data[max(0, e.start - 20):e.start + 20]))
    text = data.decode("utf-8", "replace")
for i, ch in enumerate(text):
    o = ord(ch)
    if 0x80 <= o <= 0x9f or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
        found.append("U+%04X at character %d: %r" % (o, i, text[max(0, i - 20):i + 20]))
        break
for f in found:
    print(f)
sys.exit(1 if found else 0)
EOF

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# run SCENARIO STATUS MAXSECONDS [smtpcon options]: hostile.py SCENARIO against
# `smtpcon --batch --timeout 5`, with EHLO, NOOP and QUIT on its input. Output in
# $T/SCENARIO.out. Checks the status, the wall time, the peak RSS, the output bytes.
run() {
	_sc=$1 _want=$2 _max=$3
	shift 3
	eval "_port=\$${_sc}_PORT"
	_t0=$(now_ms)
	if [ -n "$TIME" ]; then
		printf 'EHLO me\nNOOP\nQUIT\n' | timeout -k 2 30 "$TIME" -v -o "$T/$_sc.time" \
			"$SMTPCON" --batch --timeout 5 "$@" "127.0.0.1:$_port" >"$T/$_sc.out" 2>&1
	else
		printf 'EHLO me\nNOOP\nQUIT\n' | timeout -k 2 30 \
			"$SMTPCON" --batch --timeout 5 "$@" "127.0.0.1:$_port" >"$T/$_sc.out" 2>&1
	fi
	st=$?
	_ms=$(($(now_ms) - _t0))
	echo "$_sc: exit $st after $_ms ms" >&2
	if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
		problem "$_sc" "smtpcon hung: killed after 30 s"
	elif [ "$st" -ge 128 ] || grep -q 'Command terminated by signal' "$T/$_sc.time" 2>/dev/null; then
		problem "$_sc" "smtpcon died with a signal (status $st)"
	elif [ "$st" -ne "$_want" ]; then
		problem "$_sc" "exit status: expected $_want, got $st"
	fi
	[ "$_ms" -le $((_max * 1000)) ] || problem "$_sc" "took $_ms ms, more than $_max s"
	if [ -n "$TIME" ]; then
		_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$T/$_sc.time")
		echo "$_sc: peak RSS $_kb kB" >&2
		if [ -z "$_kb" ]; then
			problem "$_sc" "no peak RSS from $TIME"
		elif [ "$_kb" -ge "$RSS_MAX_KB" ]; then
			problem "$_sc" "peak RSS $_kb kB, not under $RSS_MAX_KB kB"
		fi
	fi
	if ! "$PYTHON" "$T/check.py" "$T/$_sc.out" >"$T/$_sc.check" 2>&1; then
		problem "$_sc" "unsafe bytes on the output: $(cat "$T/$_sc.check")"
	fi
	_sz=$(wc -c <"$T/$_sc.out")
	[ "$_sz" -lt 65536 ] || problem "$_sc" "output of $_sz bytes: what the server sent was not bounded"
}

# expect SCENARIO ERE [what]: the output has a line matching ERE.
expect() {
	grep -Eq -- "$2" "$T/$1.out" || problem "$1" "${3:-output}: no line matches /$2/"
}

for sc in c1 osc dcs bigreply trickle1 endless endlessml endlessgreet; do
	start_hostile "$sc" "$sc"
done

# C1 controls: 8-bit ones are not UTF-8 (\xNN); UTF-8-encoded ones are <U+00XX>.
run c1 0 10
expect c1 '^S: 220 c1 ESMTP <U\+009B>31mred<U\+009B>0m and \\x9B2J' "greeting"
expect c1 '^S: 250-c1 raw \\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8A\\x8B\\x8C\\x8D\\x8E\\x8F\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9A\\x9B\\x9C\\x9D\\x9E\\x9F end$' "8-bit C1"
expect c1 '^S: 250-c1 utf8 <U\+0080><U\+0081><U\+0082><U\+0083><U\+0084><U\+0085><U\+0086><U\+0087><U\+0088><U\+0089><U\+008A><U\+008B><U\+008C><U\+008D><U\+008E><U\+008F><U\+0090><U\+0091><U\+0092><U\+0093><U\+0094><U\+0095><U\+0096><U\+0097><U\+0098><U\+0099><U\+009A><U\+009B><U\+009C><U\+009D><U\+009E><U\+009F> end$' "UTF-8 C1"
expect c1 '^S: 250-c1 csi <U\+009B>31m utf8-red \\x9B31m raw-red$' "CSI"
expect c1 '^S: 250-c1 nel <U\+0085>next \\x85raw-next$' "NEL"
expect c1 '^S: 250 c1 bidi <U\+202E>evil<U\+202C> ok$' "bidi override"
expect c1 '^S: 250 ok <U\+009B>2J\\x9B2J$' "NOOP reply"
expect c1 '^S: 221 ' "dialogue goes on"

# OSC: title, clipboard write (OSC 52), hyperlink (OSC 8), 8-bit and UTF-8 OSC.
run osc 0 10
expect osc '^S: 220 osc ESMTP \^\[\]0;title-pwned\^G hello' "greeting"
expect osc '^S: 250-osc \^\[\]52;c;Y2xpcGJvYXJkLXB3bmVk\^G clip$' "OSC 52"
expect osc '^S: 250-osc \^\[\]8;;http://evil\.example/\^\[\\hyperlink-pwned\^\[\]8;;\^\[\\$' "OSC 8"
expect osc '^S: 250-osc \\x9D0;eightbit-title\\x9C raw$' "8-bit OSC"
expect osc '^S: 250-osc <U\+009D>0;utf8-title<U\+009C> utf8$' "UTF-8 OSC"
expect osc '^S: 250 osc \^\[\]2;title-two\^\[\\ st$' "OSC ended by ST"
expect osc '^S: 250 ok \^\[\]0;noop-title\^G$' "NOOP reply"
expect osc '^S: 221 ' "dialogue goes on"

# DCS (and its relatives APC, PM, SOS): terminal queries that would answer on input.
run dcs 0 10
expect dcs '^S: 220 dcs ESMTP \^\[P\+q544e\^\[\\ hello' "greeting"
expect dcs '^S: 250-dcs \^\[P\$qm\^\[\\ decrqss$' "DECRQSS"
expect dcs '^S: 250-dcs \\x90dcs-raw-payload\\x9C raw$' "8-bit DCS"
expect dcs '^S: 250-dcs <U\+0090>dcs-utf8-payload<U\+009C> utf8$' "UTF-8 DCS"
expect dcs '^S: 250-dcs \^\[_apc-payload\^\[\\ \^\[\^pm-payload\^\[\\ \^\[Xsos-payload\^\[\\$' "APC/PM/SOS"
expect dcs '^S: 250 ok \^\[Pq#0;2;0;0;0#0~~\^\[\\$' "sixel in the NOOP reply"
expect dcs '^S: 221 ' "dialogue goes on"

# 10,000 lines and a last one: 128 shown, the other 9,873 counted; the dialogue goes on.
run bigreply 0 10
n=$(grep -c '^S: 250-line ' "$T/bigreply.out")
[ "$n" -eq 128 ] || problem bigreply "$n lines of the reply shown, expected 128"
expect bigreply '^S: 250-line 128 ' "line 128"
expect bigreply '^!  9873 more lines of this reply were not shown' "the rest counted"
expect bigreply '^S: 250 ok$' "NOOP answered after the big reply"
expect bigreply '^S: 221 ' "dialogue goes on"

# A greeting at 1 byte per second (19 s): the deadline is for the whole reply, so
# --timeout 5 gives up at 5 s, not 5 s after the last byte. The bytes that did come
# are server input like any other: shown (as on a close mid-line), not dropped.
run trickle1 5 8
expect trickle1 '^!! no greeting from the server within 5 s' "timeout message"
expect trickle1 '^S: 220 s' "the part of the greeting that arrived"

# A line without end after the greeting: cut at 2048 bytes, the rest counted, given up
# after --timeout; the kept part shown (escaped), as the promise goes for long lines.
run endless 5 8
expect endless '^!! no reply to EHLO within 5 s' "timeout message"
expect endless '^S: 250 endless \^\[\]0;t\^G\\x9B2J<U\+009B> ' "the kept part of the endless line"
expect endless '^!  line too long: [0-9]+ more bytes were not kept' "the rest of the endless line counted"

# A multi-line reply without end: 128 lines shown, the rest counted, given up.
run endlessml 5 8
n=$(grep -c '^S: 250-x$' "$T/endlessml.out")
[ "$n" -eq 128 ] || problem endlessml "$n lines of the endless reply shown, expected 128"
expect endlessml '^!! no reply to EHLO within 5 s' "timeout message"
expect endlessml '^!  [0-9]+ more lines of this reply were not shown' "the rest of the endless reply counted"

# Bytes without end instead of a greeting.
run endlessgreet 5 8
expect endlessgreet '^!! no greeting from the server within 5 s' "timeout message"
expect endlessgreet '^S: 220 xxxxxxxx' "the kept part of the endless greeting"
expect endlessgreet '^!  line too long: [0-9]+ more bytes were not kept' "the rest of the endless greeting counted"

# TLS: after the handshake and half a reply, a raw alert record (or an application data
# record that does not decrypt) written under the TLS layer. A TLS failure mid-stream is
# a protocol failure (5), not a failed handshake or certificate (4).
# Without certtool only this part is left out, so earlier failures are not hidden.
if command -v certtool >/dev/null 2>&1; then
pki
for sc in tlsalert tlsgarbage starttlsalert; do
	start_hostile "$sc" "$sc" --cert "$PKI/leaf-chain.pem" --key "$PKI/leaf-key.pem"
done
for v in 1.3 1.2; do
	for sc in tlsalert tlsgarbage starttlsalert; do
		case $sc in starttls*) mode=--starttls ;; *) mode=--tls ;; esac
		eval "${sc}v${v%.*}${v#*.}_PORT=\$${sc}_PORT"
		run "${sc}v${v%.*}${v#*.}" 5 8 $mode --tls-version "$v" --cafile "$PKI/ca.pem"
		expect "${sc}v${v%.*}${v#*.}" '^S: 250-tls ready$' "the reply before the alert"
		expect "${sc}v${v%.*}${v#*.}" '^!! TLS read failed' "the TLS failure"
	done
done
else
	echo "note: no certtool (GnuTLS): the TLS alert scenarios are not run" >&2
fi

[ -z "$bad" ] || fail "failed:$bad"
pass
