#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Tests tests/postfix.sh: a private Postfix as root on loopback offers PIPELINING and
# CHUNKING and delivers what smtplib (DATA), a raw BDAT client and swaks send, body lines
# intact; it stops without leaving a process.  smtp-sink counts and dumps a message.
# Skips without root or without the postfix package.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$TESTS_SRC/postfix.sh"
need swaks
_lib_python

postfix_start
case $(readlink "/proc/$PF_PID/cwd") in
"$T"/*) ;;
*) fail "the master does not run in our queue directory" ;;
esac

# EHLO offers what the engine's tests need; a message by smtplib (DATA, dot-stuffed
# lines); one by raw BDAT in three chunks, commands pipelined with the chunks.
"$PYTHON" - "$PF_PORT" "$T/ehlo" >"$T/py.out" 2>&1 <<'EOF' || { cat "$T/py.out" >&2; fail "smtplib / BDAT"; }
import smtplib, socket, sys
port = int(sys.argv[1])
with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
    code, text = s.ehlo("client.test")
    assert code == 250, (code, text)
    open(sys.argv[2], "wb").write(text + b"\n")
    for ext in ("pipelining", "chunking", "8bitmime"):
        assert s.has_extn(ext), (ext, text)
    body = (b"Subject: smtplib\r\nFrom: <a@client.test>\r\n\r\nfirst line\r\n"
            b".a line that starts with a dot\r\n..two dots\r\n" + b"x" * 76 + b"\r\nlast line\r\n")
    refused = s.sendmail("a@client.test", ["bob@example.test"], body)
    assert not refused, refused
    # Relaying elsewhere is refused.
    try:
        s.sendmail("a@client.test", ["eve@elsewhere.test"], b"Subject: no\r\n\r\nno\r\n")
        raise SystemExit("relayed to elsewhere.test")
    except smtplib.SMTPRecipientsRefused:
        pass

s = socket.create_connection(("127.0.0.1", port), timeout=10)
f = s.makefile("rb")
def reply():
    while (l := f.readline())[3:4] == b"-":
        pass
    return l
assert reply().startswith(b"220")
s.sendall(b"EHLO client.test\r\n")
assert reply().startswith(b"250")
chunks = [b"Subject: bdat\r\n\r\nchunk one\r\n", b"chunk two\r\n.\r\n", b"..last\r\n"]
s.sendall(b"MAIL FROM:<a@client.test>\r\nRCPT TO:<carol@example.test>\r\n"
          b"BDAT %d\r\n%s" % (len(chunks[0]), chunks[0]))
for want in (b"250", b"250", b"250"):
    r = reply()
    assert r.startswith(want), r
s.sendall(b"BDAT %d\r\n%sBDAT %d LAST\r\n%s" % (len(chunks[1]), chunks[1], len(chunks[2]), chunks[2]))
for want in (b"250", b"250"):
    r = reply()
    assert r.startswith(want), r
s.sendall(b"QUIT\r\n")
assert reply().startswith(b"221")
EOF
assert_grep '^(250[- ])?CHUNKING' "$T/ehlo" "EHLO"
assert_grep '^(250[- ])?PIPELINING' "$T/ehlo" "EHLO"

swaks --server "127.0.0.1:$PF_PORT" --from a@client.test --to dave@example.test \
	--header 'Subject: swaks' --body "$(printf 'swaks body\n.dot line\nend')" \
	>"$T/swaks.out" 2>&1 || { cat "$T/swaks.out" >&2; fail "swaks"; }
assert_grep '^ *<- +250.* queued as' "$T/swaks.out" "swaks delivery"

postfix_wait_mail 3
# body_of SUBJECT: the body (after the first empty line) of the message with that subject.
body_of() {
	_f=$(grep -l "^Subject: $1\$" "$PF_NEW"/* | head -n 1)
	[ -n "$_f" ] || { ls -l "$PF_NEW" >&2; fail "no message with Subject: $1"; }
	grep -q "^Delivered-To: " "$_f" || fail "$1: no Delivered-To (not via virtual(8))"
	sed '1,/^$/d' "$_f"
}
body_of smtplib >"$T/got"
printf 'first line\n.a line that starts with a dot\n..two dots\n%s\nlast line\n' \
	"$(printf '%076d' 0 | tr 0 x)" >"$T/want"
cmp "$T/want" "$T/got" || { od -c "$T/got" | head -20 >&2; fail "smtplib body differs"; }
body_of bdat >"$T/got"
printf 'chunk one\nchunk two\n.\n..last\n' >"$T/want"
cmp "$T/want" "$T/got" || { od -c "$T/got" | head -20 >&2; fail "BDAT body differs"; }
assert_grep '^Delivered-To: carol@example\.test' "$(grep -l '^Subject: bdat' "$PF_NEW"/*)"
# swaks adds an empty line after the body.
body_of swaks | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$T/got"
printf 'swaks body\n.dot line\nend\n' >"$T/want"
cmp "$T/want" "$T/got" || { od -c "$T/got" | head -20 >&2; fail "swaks body differs"; }
assert_grep 'status=sent \(delivered to maildir\)' "$PF_LOG" "maillog"

# Stopped, nothing of it is left.
postfix_stop
kill -0 "$PF_PID" 2>/dev/null && fail "master still running"
[ -z "$(_pf_procs)" ] || fail "Postfix processes left: $(_pf_procs)"

# smtp-sink: counts, and with -d dumps what it got.
postfix_sink_start -d
swaks --server "127.0.0.1:$SINK_PORT" --from a@client.test --to b@sink.test \
	--header 'Subject: sink' --body 'sink body' >"$T/sink.out" 2>&1 ||
	{ cat "$T/sink.out" >&2; fail "swaks to smtp-sink"; }
sink_wait_count 1
assert_grep '^sink body$' "$(ls "$SINK_DIR"/msg-* | head -n 1)" "smtp-sink dump"
stop_sink
pass
