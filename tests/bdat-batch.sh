#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# BDAT (RFC 3030) in line mode: "BDAT" alone sends the lines up to "." as counted
# chunks, not dot-stuffed (practice server, recorder with PIPELINING: a 3 MB body in
# several chunks, the last LAST); refused locally without CHUNKING; "BDAT 10 LAST"
# with a line that overshoots is refused and nothing of it sent; a private Postfix
# delivers "BDAT" alone and "BDAT 7 LAST" + "hello" (its part skips without Postfix).
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$TESTS_SRC/postfix.sh"
_lib_python

# (a) the practice server (--practice: its maildir under $XDG_DATA_HOME).
printf 'EHLO me\nMAIL FROM:<a@example.org>\nRCPT TO:<demo@practice.smtpcon.test>\nBDAT\nSubject: practice bdat\n\n.dot\n..two dots\n\n.\nQUIT\n' >"$T/a.in"
printf 'Subject: practice bdat\r\n\r\n.dot\r\n..two dots\r\n\r\n' >"$T/a.want"
"$SMTPCON" --batch --practice <"$T/a.in" >"$T/a.out" 2>&1
assert_status 0 $? "(a) BDAT to the practice server"
assert_grep '^C: BDAT [0-9]+ LAST' "$T/a.out" "(a)"
new="$XDG_DATA_HOME/smtpcon/practice/maildir/new"
n=$(find "$new" -type f 2>/dev/null | wc -l)
assert_eq "$n" 1 "(a) messages in $new"
cmp "$T/a.want" "$new"/* || { od -c "$new"/* | head -20 >&2; fail "(a) stored message differs"; }

# rec NAME [recorder.py options]: log in $T/NAME.jsonl, messages in $T/NAME.mail
rec() {
	_rn=$1
	shift
	_lib_run "$_rn" "$PYTHON" "$TESTS_SRC/recorder.py" --log "$T/$_rn.jsonl" \
		--maildir "$T/$_rn.mail" "$@"
}
# sent LOG: the lines the recorder's connection 1 got, one a line (CRLF dropped)
sent() {
	"$PYTHON" -c 'import json, sys
for e in map(json.loads, open(sys.argv[1])):
    if e["conn"] == 1 and e["ev"] == "line":
        print(e["line"].rstrip("\r\n"))
    if e["conn"] == 1 and e["ev"] == "bdat":
        print("(chunk %d%s)" % (e["size"], " last" if e["last"] else ""))' "$1"
}

# (c) no CHUNKING: refused locally, nothing after it sent, exit 1.
rec nochunk
printf 'EHLO me\nMAIL FROM:<a@x>\nRCPT TO:<b@x>\nBDAT\nhello\n.\nNOOP\n' |
	"$SMTPCON" --batch "127.0.0.1:$nochunk_PORT" >"$T/c.out" 2>&1
assert_status 1 $? "(c) BDAT without CHUNKING"
assert_grep 'did not advertise CHUNKING' "$T/c.out" "(c)"
sent "$T/nochunk.jsonl" >"$T/c.sent"
printf 'EHLO me\nMAIL FROM:<a@x>\nRCPT TO:<b@x>\nQUIT\n' | cmp -s - "$T/c.sent" ||
	{ _lib_show "$T/c.sent"; fail "(c) the server got more than EHLO, MAIL, RCPT and QUIT"; }

# (d) "BDAT 10 LAST" then a 21-byte line: refused, nothing of it (nor after it) sent.
rec chunk --chunking
printf 'EHLO me\nMAIL FROM:<a@x>\nRCPT TO:<b@x>\nBDAT 10 LAST\nthis line is too long\nNOOP\n' |
	"$SMTPCON" --batch "127.0.0.1:$chunk_PORT" >"$T/d.out" 2>&1
st=$?
[ "$st" -ne 0 ] || fail "(d) exit status 0 after an overshooting BDAT line"
assert_grep 'past the 10 bytes' "$T/d.out" "(d)"
sent "$T/chunk.jsonl" >"$T/d.sent"
printf 'EHLO me\nMAIL FROM:<a@x>\nRCPT TO:<b@x>\nQUIT\n' | cmp -s - "$T/d.sent" ||
	{ _lib_show "$T/d.sent"; fail "(d) the server got more than EHLO, MAIL, RCPT and QUIT"; }
assert_not_grep '"ev": "message"' "$T/chunk.jsonl" "(d) a message was stored"

# (e) a 3 MB body with "BDAT" alone, PIPELINING: several chunks, the last LAST, exact.
rec big --chunking --pipelining
"$PYTHON" - "$T/e.in" "$T/e.want" <<'EOF'
import sys
lines, size, i = [b"Subject: big", b"", b"..", b".x", b"", b"caf\xc3\xa9 \xff"], 0, 0
while size < 3000000:
    lines.append(b".dot %06d " % i + b"y" * 60 if i % 7 == 0 else b"line %06d " % i + b"z" * 64)
    size += len(lines[-1]) + 2
    i += 1
with open(sys.argv[1], "wb") as f:
    f.write(b"EHLO me\nMAIL FROM:<a@x>\nRCPT TO:<b@x>\nBDAT\n")
    f.write(b"".join(l + b"\n" for l in lines) + b".\nQUIT\n")
with open(sys.argv[2], "wb") as f:
    f.write(b"".join(l + b"\r\n" for l in lines))
EOF
"$SMTPCON" --batch "127.0.0.1:$big_PORT" <"$T/e.in" >"$T/e.out" 2>&1
assert_status 0 $? "(e) 3 MB with BDAT"
[ -f "$T/big.mail/msg-1.eml" ] || fail "(e) no message stored"
cmp "$T/e.want" "$T/big.mail/msg-1.eml" || fail "(e) stored message differs from the body"
"$PYTHON" - "$T/big.jsonl" "$(wc -c <"$T/e.want")" <<'EOF' || fail "(e) chunks (see above)"
import json, sys
b = [e for e in map(json.loads, open(sys.argv[1])) if e["ev"] == "bdat"]
sizes = [(e["size"], e["last"]) for e in b]
assert len(b) > 1, "one chunk only: %r" % sizes
assert [l for _, l in sizes] == [False] * (len(b) - 1) + [True], "LAST not only on the last: %r" % sizes
assert sum(s for s, _ in sizes) == int(sys.argv[2]), "chunk sizes %r" % sizes
assert not any(e["refused"] for e in b), b
EOF

for s in nochunk chunk big; do stop_server "$s"; done

# (b) a private Postfix: needs root and the postfix package.
if [ "$(id -u)" != 0 ] || ! command -v postconf >/dev/null 2>&1; then
	echo "note: (b) Postfix part not run: needs root and postfix" >&2
	pass
fi
postfix_start
cat >"$T/b.in" <<'IN'
EHLO me
MAIL FROM:<a@example.test>
RCPT TO:<b@example.test>
BDAT
Subject: bdat-postfix-1

first body line
.a dot line
..two dots
last body line
.
MAIL FROM:<a@example.test>
RCPT TO:<b@example.test>
BDAT 7 LAST
hello
QUIT
IN
"$SMTPCON" --batch "127.0.0.1:$PF_PORT" <"$T/b.in" >"$T/b.out" 2>&1
assert_status 0 $? "(b) BDAT to Postfix"
assert_grep '^C: BDAT 7 LAST' "$T/b.out" "(b)"
postfix_wait_mail 2
m1=$(grep -l '^Subject: bdat-postfix-1' "$PF_NEW"/*) || fail "(b) the BDAT message was not delivered"
for l in 'first body line' '.a dot line' '..two dots' 'last body line'; do
	grep -qxF -- "$l" "$m1" || { _lib_show "$m1"; fail "(b) body line '$l' missing"; }
done
m2=$(grep -L '^Subject: bdat-postfix-1' "$PF_NEW"/*)
[ "$(tail -n 1 "$m2")" = hello ] || { _lib_show "$m2"; fail "(b) BDAT 7 LAST message"; }
pass
