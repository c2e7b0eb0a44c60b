#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Line mode holds each line until the dialogue can take it, input given all at once:
# against aiosmtpd the message arrives byte for byte; against the recorder without
# PIPELINING no command is sent while a reply is owed and the body follows the 354;
# with PIPELINING, MAIL, RCPT and DATA go in one write after EHLO's reply.  The
# --debug trace pairs replies and names states, and holds no line's text.
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd

# Everything at once on stdin; the trace must not show any of the distinctive words.
cat >"$T/in" <<'IN'
EHLO client.pipe-qz
MAIL FROM:<alice@pipe-qz.example>
RCPT TO:<bob@pipe-qz.example>
DATA
Subject: x

.dot line
..two dots
body text qx7
.
QUIT
IN
printf 'Subject: x\r\n\r\n.dot line\r\n..two dots\r\nbody text qx7\r\n' >"$T/want"

# (a) aiosmtpd
start_smtpd smtpd --maildir "$T/smtpd.mail"
"$SMTPCON" --batch "127.0.0.1:$smtpd_PORT" <"$T/in" >"$T/a.out" 2>&1
assert_status 0 $? "(a) aiosmtpd dialogue"
[ -f "$T/smtpd.mail/001.eml" ] || { _lib_show "$T/a.out"; fail "(a) no message stored"; }
cmp "$T/want" "$T/smtpd.mail/001.eml" || { od -c "$T/smtpd.mail/001.eml" >&2; fail "(a) message differs"; }
assert_grep '^S: 221 ' "$T/a.out"

# rec NAME [recorder.py options]: log in $T/NAME.jsonl, messages in $T/NAME.mail
rec() {
	_rn=$1
	shift
	_lib_run "$_rn" "$PYTHON" "$TESTS_SRC/recorder.py" --log "$T/$_rn.jsonl" \
		--maildir "$T/$_rn.mail" "$@"
}

# (b) no PIPELINING, every reply 0.3 s late; with the --debug trace.
rec slow --delay 0.3
"$SMTPCON" --batch --debug "$T/trace" "127.0.0.1:$slow_PORT" <"$T/in" >"$T/b.out" 2>&1
assert_status 0 $? "(b) recorder without PIPELINING"
cmp "$T/want" "$T/slow.mail/msg-1.eml" || { od -c "$T/slow.mail/msg-1.eml" >&2; fail "(b) message differs"; }

# (c) PIPELINING
rec pipe --pipelining
"$SMTPCON" --batch "127.0.0.1:$pipe_PORT" <"$T/in" >"$T/c.out" 2>&1
assert_status 0 $? "(c) recorder with PIPELINING"
cmp "$T/want" "$T/pipe.mail/msg-1.eml" || { od -c "$T/pipe.mail/msg-1.eml" >&2; fail "(c) message differs"; }

"$PYTHON" - "$T/slow.jsonl" "$T/pipe.jsonl" <<'EOF' || fail "recorder logs (see above)"
import json, sys

def load(path):
    with open(path) as f:
        return [e for e in map(json.loads, f) if e["conn"] == 1]

bad = []
def check(cond, what):
    if not cond:
        bad.append(what)

# (b) nothing sent while a reply was owed; the body only after the 354.
ev = load(sys.argv[1])
cmds = [e for e in ev if e["ev"] == "line" and e["mode"] == "cmd"]
check([e["verb"] for e in cmds] == ["EHLO", "MAIL", "RCPT", "DATA", "QUIT"],
      "(b) commands: %r" % [e["line"] for e in cmds])
for e in cmds:
    check(e["pending"] == 0, "(b) %r arrived with %d request(s) unanswered" % (e["line"], e["pending"]))
r354 = [e for e in ev if e["ev"] == "reply" and e["code"] == 354]
check(len(r354) == 1, "(b) one 354 reply: %r" % r354)
data = [e for e in ev if e["ev"] == "line" and e["mode"] == "data"]
check([e["line"] for e in data] ==
      ["Subject: x\r\n", "\r\n", "..dot line\r\n", "...two dots\r\n", "body text qx7\r\n", ".\r\n"],
      "(b) body lines on the wire: %r" % [e["line"] for e in data])
if r354 and data:
    reads = {e["seq"]: e for e in ev if e["ev"] == "read"}
    for e in data:
        rd = reads[e["read"]]
        check(rd["t"] >= r354[0]["t"], "(b) body line %r arrived %.3f s before the 354 was sent"
              % (e["line"], r354[0]["t"] - rd["t"]))
        check(rd["replies_before"] >= r354[0]["seq"],
              "(b) body line %r arrived before the 354 (replies_before %d)" % (e["line"], rd["replies_before"]))
    quit = [e for e in cmds if e["verb"] == "QUIT"]
    end = [e for e in ev if e["ev"] == "reply" and e["text"].startswith("250 2.0.0 ok: queued")]
    if quit and end:
        check(reads[quit[0]["read"]]["t"] >= end[0]["t"], "(b) QUIT before the reply to the final dot")

# (c) EHLO answered before MAIL arrived; MAIL, RCPT and DATA in one read.
ev = load(sys.argv[2])
cmds = {}
for e in ev:
    if e["ev"] == "line" and e["mode"] == "cmd":
        cmds.setdefault(e["verb"], []).append(e)
check(all(len(cmds.get(v, [])) == 1 for v in ("EHLO", "MAIL", "RCPT", "DATA", "QUIT")),
      "(c) commands: %r" % {v: len(x) for v, x in cmds.items()})
if not bad:
    g = [cmds["MAIL"][0], cmds["RCPT"][0], cmds["DATA"][0]]
    check(len({e["read"] for e in g}) == 1, "(c) MAIL, RCPT, DATA in reads %r" % [e["read"] for e in g])
    check([e["pending"] for e in g] == [0, 1, 2], "(c) pending %r" % [e["pending"] for e in g])
    ehlo_reply = [e for e in ev if e["ev"] == "reply" and e["text"].startswith("250-recorder.test")][0]
    rd = [e for e in ev if e["ev"] == "read" and e["seq"] == g[0]["read"]][0]
    check(rd["replies_before"] >= ehlo_reply["seq"] and rd["t"] >= ehlo_reply["t"],
          "(c) MAIL arrived before the EHLO reply was sent")
    check(cmds["EHLO"][0]["read"] < g[0]["read"], "(c) EHLO and MAIL in the same read")
    data = [e for e in ev if e["ev"] == "line" and e["mode"] == "data"]
    check(data and all(e["read"] > g[0]["read"] for e in data), "(c) body lines sent with DATA")
for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF

# The trace: replies paired with commands, the DATA state, and no line's text.
assert_grep 'reply 354 pairs with' "$T/trace" "--debug trace"
assert_grep 'state READY -> DATA' "$T/trace" "--debug trace"
assert_grep 'sent #[0-9]+ MAIL' "$T/trace" "--debug trace"
assert_not_grep 'Subject|dot line|two dots|qx7|pipe-qz' "$T/trace" "--debug trace shows line text"

stop_server slow
stop_server pipe
stop_server smtpd
pass
