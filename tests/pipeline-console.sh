#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
# Lines pasted or typed ahead in the console (tmux) are held until the reply they depend
# on: a pasted MAIL/RCPT/DATA/body/"." delivered byte for byte (an empty body line, a
# dot-stuffed line, a body line starting with "/"), each line shown once as "C:" and
# only once sent; against a slow server without PIPELINING the held lines shown at the
# foot of the transcript and counted on the status line, every command sent only after
# the previous reply and the body only after the 354; AUTH answers typed before the 334
# masked everywhere (screen, held lines, history) and sent only after each 334.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
need_aiosmtpd
export SMTPCON_HELPDIR="$srcdir/help"

send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
# paste NAME FILE: what a terminal does with a paste (no bracketed paste): the text as
# typed, each newline an Enter.  Several lines arrive at once.
paste() {
	_tmux load-buffer -b pipe "$2" || fail "tmux load-buffer $2"
	_tmux paste-buffer -d -b pipe -t "$1" || fail "tmux paste-buffer"
}
# snaps NAME DIR: capture the screen into DIR/NNNN every 50 ms, in the background, until
# the process in $snap_pid is killed (stop_snaps).
snaps() {
	mkdir -p "$2"
	(
		_n=1000
		while :; do
			tmux_screen "$1" >"$2/$_n" 2>/dev/null
			_n=$((_n + 1))
			sleep 0.05
		done
	) &
	snap_pid=$!
	track_pid "$snap_pid"
}
stop_snaps() { kill "$snap_pid" 2>/dev/null; wait "$snap_pid" 2>/dev/null; }
# count PATTERN FILE: lines matching (grep -E), 0 if none.
count() { grep -Ec -- "$1" "$2" 2>/dev/null || :; }

# The paste: the whole message after EHLO, with an empty line, a line starting with "."
# and one starting with "/" in the body.
printf '%s\n' 'MAIL FROM:<a@example.test>' 'RCPT TO:<b@example.test>' 'DATA' 'Subject: x' \
	'' '.dot line' '/not a command' 'body' '.' >"$T/paste"
printf 'Subject: x\r\n\r\n.dot line\r\n/not a command\r\nbody\r\n' >"$T/want"

# Each pasted line once as "C:" in a saved transcript (TIME C: TEXT[   note]).
check_once() {
	for _l in 'MAIL FROM:<a@example\.test>' 'RCPT TO:<b@example\.test>' 'DATA' \
	    'Subject: x' '\.dot line' '/not a command' 'body' '\.' ''; do
		_n=$(count "^[0-9:.]{12} C: ?$_l( {3}.*)?\$" "$1")
		[ "$_n" = 1 ] || { _lib_show "$1"; fail "$2: 'C: $_l' shown $_n times, not once"; }
	done
}

# --- (a) aiosmtpd: the paste delivered intact ----------------------------------------
start_smtpd srv --maildir "$T/mail"
tmux_start a 100 30 "$SMTPCON" "127.0.0.1:$srv_PORT"
tmux_wait a '^S: 220 '
tmux_wait a 'smtp>'
send a 'EHLO me'
tmux_wait a '250 HELP'
paste a "$T/paste"
tmux_wait a '^S: 250 2\.0\.0 Ok: queued as 0*1( |$)' 15
tmux_wait a 'smtp>'
[ -f "$T/mail/001.eml" ] || fail "(a) no message stored"
cmp "$T/want" "$T/mail/001.eml" || { od -c "$T/mail/001.eml" >&2; fail "(a) the stored message differs"; }
assert_grep '^MAIL FROM:<a@example.test>' "$T/mail/001.env"
assert_grep '^RCPT TO:<b@example.test>' "$T/mail/001.env"
# The transcript pane only (the TLS pane is on the right, after "│").
tmux_screen a | sed 's/ *│.*//' >"$T/a.screen"
assert_not_grep 'held' "$T/a.screen" "(a) screen after the message"
assert_not_grep 'unknown command' "$T/a.screen" "(a) screen after the message"
# The lines still on the screen, once each (the top may have scrolled away).
for l in 'MAIL FROM:<a@example\.test>' 'RCPT TO:<b@example\.test>' 'DATA' 'Subject: x' \
    '\.dot line' '/not a command' 'body' '\.'; do
	n=$(count "^C: $l( {3}.*)? *\$" "$T/a.screen")
	[ "$n" -le 1 ] || { _lib_show "$T/a.screen"; fail "(a) 'C: $l' shown $n times"; }
done
send a "/save $T/a.txt"
tmux_wait a 'transcript saved to'
check_once "$T/a.txt" "(a) transcript"
send a 'QUIT'
tmux_wait a '^S: 221 '
tmux_keys a C-d
tmux_wait_exit a

# --- (b) a slow server without PIPELINING: held, shown as held, sent one by one -----
_lib_run rec "$PYTHON" "$TESTS_SRC/recorder.py" --delay 1 --maildir "$T/rec.mail" \
	--log "$T/rec.jsonl"
tmux_start b 100 30 "$SMTPCON" "127.0.0.1:$rec_PORT"
tmux_wait b '^S: 220 '
tmux_wait b 'smtp>'
send b 'EHLO me'
tmux_wait b '250 ENHANCEDSTATUSCODES'
snaps b "$T/b.snaps"
paste b "$T/paste"
tmux_wait b '^S: 250 2\.0\.0 ok: queued as 1( |$)' 20
stop_snaps
tmux_screen b >"$T/b.snaps/9999"

# While the server delays: the held lines at the foot of the transcript, the count on
# the status line; the first capture after the paste has MAIL sent, the rest held.
held=0 status=0
for f in "$T"/b.snaps/*; do
	grep -Eq '^   held: RCPT TO:<b@example\.test>' "$f" && held=1
	grep -Eq '[0-9]+ held until the server answers (MAIL|RCPT|DATA)' "$f" && status=1
done
[ $held = 1 ] || { _lib_show "$T/b.snaps/1000"; fail "(b) no capture shows '   held: RCPT TO:<b@example.test>'"; }
[ $status = 1 ] || { _lib_show "$T/b.snaps/1000"; fail "(b) no capture shows 'N held until the server answers VERB'"; }
seen_more=0
for f in "$T"/b.snaps/*; do
	grep -Eq '^   \.\.\. and [0-9]+ more held until the server answers' "$f" && seen_more=1
done
[ $seen_more = 1 ] || fail "(b) 9 lines held, but no capture shows '   ... and N more held until the server answers'"

# In every capture: no body line shown as sent ("C: body") above or without "S: 354",
# and no line shown both as held and as sent.
for f in "$T"/b.snaps/*; do
	awk '
	function text(s) { sub(/   .*/, "", s); sub(/ +$/, "", s); return s }
	{ sub(/ *│.*/, "") }
	/^S: 354 / { s354 = NR }
	/^C: ?(Subject: x|\.dot line|\/not a command|body|\.)?( {3}.*)? *$/ {
		if (!s354) { print FILENAME ": body line \"" $0 "\" shown as sent before S: 354"; bad = 1 }
	}
	/^C: / { c = text($0); sub(/^C: /, "", c); sent[c] = 1 }
	/^   held: / { h = $0; sub(/^   held: /, "", h); h = text(h); held[h] = 1 }
	END {
		for (h in held) if (h != "" && (h in sent)) {
			print FILENAME ": \"" h "\" shown held and sent at once"; bad = 1
		}
		exit bad
	}' "$f" >>"$T/b.bad"
done
[ -s "$T/b.bad" ] && { cat "$T/b.bad" >&2; _lib_show "$(head -1 "$T/b.bad" | cut -d: -f1)"; fail "(b) held lines shown as sent"; }

assert_not_grep 'held' "$T/b.snaps/9999" "(b) screen after the message"
[ -f "$T/rec.mail/msg-1.eml" ] || fail "(b) no message stored"
cmp "$T/want" "$T/rec.mail/msg-1.eml" || { od -c "$T/rec.mail/msg-1.eml" >&2; fail "(b) the stored message differs"; }
send b "/save $T/b.txt"
tmux_wait b 'transcript saved to'
check_once "$T/b.txt" "(b) transcript"

# The recorder's log: each command sent only once the previous reply had arrived
# (pending 0), in order, and the body (dot-stuffed) only after the 354.
"$PYTHON" - "$T/rec.jsonl" >"$T/b.log.out" 2>&1 <<'EOF' || { cat "$T/b.log.out" >&2; fail "(b) recorder log"; }
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
ev = [e for e in ev if e["conn"] == 1]
lines = [e for e in ev if e["ev"] == "line"]
reads = {e["seq"]: e for e in ev if e["ev"] == "read"}
cmd = [e for e in lines if e["mode"] == "cmd"]
data = [e for e in lines if e["mode"] == "data"]
assert [e["line"] for e in cmd] == ["EHLO me\r\n", "MAIL FROM:<a@example.test>\r\n",
    "RCPT TO:<b@example.test>\r\n", "DATA\r\n"], [e["line"] for e in cmd]
for e in lines:
    assert e["pending"] == 0, ("sent before the reply it depends on", e)
assert [e["line"] for e in data] == ["Subject: x\r\n", "\r\n", "..dot line\r\n",
    "/not a command\r\n", "body\r\n", ".\r\n"], [e["line"] for e in data]
r354 = [e for e in ev if e["ev"] == "reply" and e["code"] == 354]
assert len(r354) == 1, r354
for e in data:
    assert reads[e["read"]]["replies_before"] >= r354[0]["seq"], ("body before the 354", e)
    assert reads[e["read"]]["t"] >= r354[0]["t"], ("body before the 354", e)
print("ok")
EOF
send b 'QUIT'
tmux_wait b '^S: 221 '
tmux_keys b C-d
tmux_wait_exit b

# --- (c) AUTH answers typed before the 334: masked, sent one after each 334 -----------
SECRETS='S3cretPW|UzNjcmV0UFc'
_lib_run arec "$PYTHON" "$TESTS_SRC/recorder.py" --auth --delay 1 --log "$T/arec.jsonl"
tmux_start c 100 30 "$SMTPCON" --insecure "127.0.0.1:$arec_PORT"
tmux_wait c '^S: 220 '
tmux_wait c 'smtp>'
send c 'EHLO me'
tmux_wait c '250 AUTH PLAIN LOGIN XOAUTH2'
snaps c "$T/c.snaps"
send c 'AUTH LOGIN'
send c 'alice'
tmux_type c 'S3cretPW'
tmux_screen c >"$T/c.typed"
tmux_keys c Enter
tmux_screen c >"$T/c.entered"
tmux_wait c '^S: 535 ' 15
tmux_wait c 'smtp>'
stop_snaps
tmux_screen c >"$T/c.after"
# Typed ahead indeed: both answers held before the first 334.
assert_grep '2 held until the server answers AUTH' "$T/c.entered" "(c) screen after typing ahead"
assert_grep '^   held: \*{8} \(an AUTH answer\)' "$T/c.entered" "(c) screen after typing ahead"
assert_grep '^C: YWxpY2U= +"alice"' "$T/c.after" "(c) screen after the exchange"
assert_grep '^C: \*{8} +password hidden' "$T/c.after" "(c) screen after the exchange"
for f in "$T/c.typed" "$T/c.entered" "$T/c.after" "$T"/c.snaps/*; do
	assert_not_grep "$SECRETS" "$f" "(c) screen"
done
"$PYTHON" - "$T/arec.jsonl" >"$T/c.log.out" 2>&1 <<'EOF' || { cat "$T/c.log.out" >&2; fail "(c) recorder log"; }
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
ev = [e for e in ev if e["conn"] == 1]
auth = [e for e in ev if e["ev"] == "line" and e["mode"] == "auth"]
assert [e["line"] for e in auth] == ["YWxpY2U=\r\n", "UzNjcmV0UFc=\r\n"], auth
reads = {e["seq"]: e for e in ev if e["ev"] == "read"}
r334 = [e for e in ev if e["ev"] == "reply" and e["code"] == 334]
assert len(r334) == 2, r334
for a, r in zip(auth, r334):
    assert a["pending"] == 0, ("answer sent before its 334", a)
    assert reads[a["read"]]["replies_before"] >= r["seq"], ("answer sent before its 334", a, r)
for e in ev:
    if e["ev"] == "line" and e["mode"] == "cmd":
        assert e["pending"] == 0, e
        assert "S3cretPW" not in e["line"] and "alice" not in e["line"], ("an answer sent as a command", e)
print("ok")
EOF
send c '/quit'
tmux_wait_exit c 10
hist="$XDG_STATE_HOME/smtpcon/history"
[ -f "$hist" ] || fail "(c) no history file"
assert_grep '^AUTH LOGIN$' "$hist"
assert_not_grep "$SECRETS|^alice$" "$hist" "(c) history"
pass
