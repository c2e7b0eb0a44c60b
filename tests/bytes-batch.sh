#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Bytes in line mode, against the recorder: 8-bit bytes, a 2,000-byte and a 100 kB
# body line and CRLF input line ends go out exactly; a body line with a NUL, a bare CR
# or over 1 MiB abandons the message without the final "." (nothing stored, exit 6);
# a NUL in a command line is not sent (exit 6).
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
_lib_python

_lib_run rec "$PYTHON" "$TESTS_SRC/recorder.py" --log "$T/rec.jsonl" --maildir "$T/mail"

# The inputs, and the message (a) must store.
"$PYTHON" - "$T" <<'EOF'
import os, sys
t = sys.argv[1]
head = b"EHLO me\nMAIL FROM:<a@x.test>\nRCPT TO:<b@x.test>\nDATA\nSubject: bytes\n\n"
tail = b".\nQUIT\n"
body = [b"caf\xc3\xa9 and \xff\xfe\x80", b"L" * 2000, b"M" * 100000, b"crlf in the input\r", b"end"]
def w(name, data):
    with open(os.path.join(t, name), "wb") as f:
        f.write(data)
w("ok.in", head + b"".join(l + b"\n" for l in body) + tail)
w("ok.want", b"Subject: bytes\r\n\r\n" + b"".join(l.rstrip(b"\r") + b"\r\n" for l in body))
w("nul.in", head + b"before\nab\x00cd\nafter\n" + tail)
w("cr.in", head + b"before\nab\rcd\nafter\n" + tail)
w("huge.in", head + b"before\n" + b"H" * (2 << 20) + b"\nafter\n" + tail)
w("cmdnul.in", b"EHLO me\nNOOP a\x00b\nMAIL FROM:<a@x.test>\nRCPT TO:<b@x.test>\nDATA\nx\n" + tail)
EOF

# (a) conn 1: exit 0, the message exactly.
"$SMTPCON" --batch --timeout 10 "127.0.0.1:$rec_PORT" <"$T/ok.in" >"$T/ok.out" 2>&1
assert_status 0 $? "(a) 8-bit and long lines"
[ -f "$T/mail/msg-1.eml" ] || { _lib_show "$T/ok.out"; fail "(a) no message stored"; }
cmp "$T/ok.want" "$T/mail/msg-1.eml" || fail "(a) message differs"

# check_abandoned CONN WHAT: connection CONN opened a DATA that was never ended by
# ".", stored nothing, and got no command after DATA.
check_abandoned() {
	"$PYTHON" - "$T/rec.jsonl" "$1" "$2" <<'EOF' || fail "$2: recorder log (see above)"
import json, sys
log, conn, what = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ev = [e for e in map(json.loads, open(log)) if e["conn"] == conn]
bad = []
if not any(e["ev"] == "reply" and e["code"] == 354 for e in ev):
    bad.append("no 354: the DATA was not reached")
for e in ev:
    if e["ev"] == "line" and e["mode"] == "data" and e["line"] == ".\r\n":
        bad.append("the final dot was sent")
    if e["ev"] == "line" and e["mode"] == "data" and "after" in e["line"]:
        bad.append("a line after the refused one was sent: %r" % e["line"])
    if e["ev"] == "message":
        bad.append("a message was stored: %r" % e)
    if e["ev"] == "line" and e["mode"] == "cmd" and e["verb"] not in ("EHLO", "MAIL", "RCPT", "DATA"):
        bad.append("command sent: %r" % e["line"])
if not any(e["ev"] == "close" for e in ev):
    bad.append("the connection is not closed")
for b in bad:
    print("FAIL: %s: %s" % (what, b), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

conn=1
for c in nul cr huge; do
	conn=$((conn + 1))
	"$SMTPCON" --batch --timeout 10 "127.0.0.1:$rec_PORT" <"$T/$c.in" >"$T/$c.out" 2>&1
	st=$?
	wait_for "$T/rec.jsonl" "\"ev\": \"close\", \"conn\": $conn" 5
	assert_status 6 "$st" "($c) body line refused"
	check_abandoned "$conn" "($c)"
	assert_grep 'the message is abandoned' "$T/$c.out" "($c)"
	assert_not_grep '^S: 250 2\.0\.0 ok: queued' "$T/$c.out" "($c)"
done
assert_grep '^!! a body line holds a NUL byte' "$T/nul.out"
assert_grep '^!! a body line holds a bare CR' "$T/cr.out"
assert_grep '^!! a body line is longer than 1 MiB' "$T/huge.out"
n=$(find "$T/mail" -name 'msg-*.eml' | wc -l)
assert_eq "$n" 1 "messages stored"
[ -z "$(find "$T/mail" -name '.msg-*')" ] || fail "a partial message left behind"

# (e) a NUL in a command line: not sent, nothing after it either; exit 6.
conn=$((conn + 1))
"$SMTPCON" --batch --timeout 10 "127.0.0.1:$rec_PORT" <"$T/cmdnul.in" >"$T/cmdnul.out" 2>&1
st=$?
wait_for "$T/rec.jsonl" "\"ev\": \"close\", \"conn\": $conn" 5
assert_grep '^!! a command line holds a NUL byte' "$T/cmdnul.out" "(e)"
"$PYTHON" - "$T/rec.jsonl" "$conn" <<'EOF' || fail "(e) recorder log (see above)"
import json, sys
ev = [e for e in map(json.loads, open(sys.argv[1])) if e["conn"] == int(sys.argv[2])]
cmds = [e["line"] for e in ev if e["ev"] == "line"]
if cmds != ["EHLO me\r\n", "QUIT\r\n"]:
    sys.exit("FAIL: (e) sent: %r (want EHLO and smtpcon's QUIT only)" % cmds)
EOF
assert_status 6 "$st" "(e) NUL in a command line"

stop_server rec
pass
