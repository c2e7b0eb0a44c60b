#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Line mode and the console agree (issue 13). Line mode runs /save, /chain and /quit
# itself and sends none of them (a "/" line inside DATA, a BDAT chunk or an AUTH
# exchange still goes as typed), skips the "#" header, and writes --save and
# --save-chain. The console's /save and --save hold the TLS details line mode prints.
# /save --script writes a console session as a line-mode script: replayed against a
# fresh server it sends what the console sent, and it holds no secret.
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need certtool
need tmux
need_aiosmtpd
pki
export SMTPCON_HELPDIR="$srcdir/help"
SECRETS='s3cret|czNjcmV0|AGFsaWNlAHMzY3JldA|slash-pw|L3NsYXNoLXB3'

rec() {
	_rn=$1
	shift
	_lib_run "$_rn" "$PYTHON" "$TESTS_SRC/recorder.py" --log "$T/$_rn.jsonl" \
		--maildir "$T/$_rn.mail" "$@"
}

# --- line mode: "/" lines, the header, --save and --save-chain --------------------
start_smtpd srv --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" \
	--auth 'alice:/slash-pw' --maildir "$T/srv.mail"
cat >"$T/in1" <<EOF2
# a header comment: not sent
# smtpcon --batch ...
EHLO me
AUTH LOGIN
alice
/slash-pw
MAIL FROM:<alice@example.com>
RCPT TO:<bob@example.com>
DATA
Subject: lineout

/save $T/not-a-file
#not a comment
.
/save $T/mid.txt
/chain $T/mid.pem
/connect elsewhere
NOOP
EOF2
"$SMTPCON" --batch --starttls --cafile "$PKI/ca.pem" --save "$T/all.txt" \
	--save-chain "$T/all.pem" "127.0.0.1:$srv_PORT" <"$T/in1" >"$T/out1" 2>"$T/err1"
st=$?
cat "$T/err1" >>"$T/out1"
assert_status 6 "$st" "a console command line mode does not have"
assert_grep '^S: 235 ' "$T/out1" "an AUTH answer starting with / is an answer"
assert_not_grep '^C: # |^C: /(chain|connect)|^C: /save .*mid|header comment' "$T/out1"
assert_grep '^C: /save .*not-a-file' "$T/out1" "a body line starting with /"
assert_grep '^C: #not a comment' "$T/out1" "a # body line"
assert_grep '^!! line mode takes /save FILE, /chain FILE and /quit: "/connect"' "$T/out1"
assert_grep '^\*  transcript saved to .*mid.txt' "$T/out1"
assert_grep '^\*  certificate chain \(2 certificates\) saved to' "$T/out1"
assert_grep '^S: 250 ' "$T/out1"
[ ! -e "$T/not-a-file" ] || fail "a body line was run as /save"
printf 'Subject: lineout\r\n\r\n/save %s/not-a-file\r\n#not a comment\r\n' "$T" >"$T/want1"
cmp "$T/want1" "$T/srv.mail/001.eml" || fail "the body differs"
# /save mid-session: up to that point, with the TLS details; --save: all of it.
assert_grep '^[0-9:]{8}\.[0-9]{3} S: 250 2\.0\.0 ' "$T/mid.txt"
assert_grep '^[0-9:]{8}\.[0-9]{3} \*  +TLS 1\.[23]' "$T/mid.txt" "TLS details in /save"
assert_grep '^[0-9:]{8}\.[0-9]{3} \*  +\[0\]' "$T/mid.txt" "the certificate in /save"
assert_not_grep 'NOOP' "$T/mid.txt"
assert_grep 'C: NOOP' "$T/all.txt"
assert_grep 'S: 221 ' "$T/all.txt"
assert_not_grep "$SECRETS" "$T/all.txt" "--save"
cmp "$T/mid.pem" "$T/all.pem" || fail "/chain and --save-chain differ"
[ "$(grep -c 'BEGIN CERTIFICATE' "$T/all.pem")" = 2 ] || fail "--save-chain: not 2 certificates"

# /quit ends the input there; a failed --save says so and makes the status 6.
printf 'NOOP\n/quit\nRSET\n' | "$SMTPCON" --batch --save "$T/no/such/dir/x" \
	"127.0.0.1:$srv_PORT" >"$T/out2" 2>&1
assert_status 6 $? "--save that cannot be written"
assert_grep 'smtpcon: --save: cannot write' "$T/out2"
assert_not_grep 'RSET' "$T/out2" "after /quit"
assert_grep 'C: QUIT' "$T/out2"
printf 'NOOP\n' | "$SMTPCON" --batch --save-chain "$T/none.pem" \
	"127.0.0.1:$srv_PORT" >"$T/out3" 2>&1
assert_status 6 $? "--save-chain without TLS"
assert_grep 'smtpcon: --save-chain: no certificate chain' "$T/out3"

# A BDAT chunk line starting with / goes as typed.
rec bd --chunking
printf 'EHLO me\nMAIL FROM:<a@example.com>\nRCPT TO:<b@example.com>\nBDAT\n/chain x\n.\n' |
	"$SMTPCON" --batch "127.0.0.1:$bd_PORT" >"$T/out4" 2>&1
assert_status 0 $? "BDAT with a / line"
printf '/chain x\r\n' | cmp - "$T/bd.mail/msg-1.eml" || fail "BDAT chunk line"

# --- the console: /save and --save with TLS details; /save --script replayed -------
rec r1 --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" --pipelining --chunking
tmux_start con 120 40 "$SMTPCON" --starttls --cafile "$PKI/ca.pem" \
	--save "$T/con-all.txt" --save-chain "$T/con.pem" "127.0.0.1:$r1_PORT"
tmux_wait con 'TLS: verified'
for l in 'EHLO me' 'MAIL FROM:<a@example.com>' 'RCPT TO:<b@example.com>' 'DATA'; do
	tmux_type con "$l"
	tmux_keys con Enter
done
tmux_wait con 'S: 354 '
for l in 'Subject: script' '' '.leading dot' '/not a command' '#hash' '.'; do
	tmux_type con "$l"
	tmux_keys con Enter
done
tmux_wait con 'S: 250 2\.0\.0 ok'
for l in 'MAIL FROM:<a@example.com>' 'RCPT TO:<c@example.com>' 'BDAT' 'chunk line' \
	'/chunk' '.'; do
	tmux_type con "$l"
	tmux_keys con Enter
done
tmux_wait con 'queued as 2'
for l in 'MAIL FROM:<a@example.com>' 'RCPT TO:<d@example.com>' 'BDAT 9 LAST' 'typed 7'; do
	tmux_type con "$l"
	tmux_keys con Enter
done
tmux_wait con 'queued as 3'
tmux_type con 'NOOP'
tmux_keys con Enter
tmux_wait con 'C: NOOP'
tmux_type con "/save $T/con.txt"
tmux_keys con Enter
tmux_wait con 'transcript saved'
tmux_type con "/save --script $T/script"
tmux_keys con Enter
tmux_wait con 'script of this connection saved'
tmux_type con '/quit'
tmux_keys con Enter
tmux_wait_exit con

for f in "$T/con.txt" "$T/con-all.txt"; do
	assert_grep '^[0-9:]{8}\.[0-9]{3} \*  +TLS 1\.[23]' "$f" "TLS details in the console's save"
	assert_grep '^[0-9:]{8}\.[0-9]{3} \*  +\[0\]' "$f" "the certificate in the console's save"
done
assert_grep 'C: QUIT' "$T/con-all.txt"
[ "$(grep -c 'BEGIN CERTIFICATE' "$T/con.pem")" = 2 ] || fail "console --save-chain"
# The TLS block comes where TLS came up: before the EHLO typed after it.
awk '/\[0\]/ { c = NR } /C: EHLO me/ { e = NR } END { exit !(c && e && c < e) }' \
	"$T/con.txt" || { _lib_show "$T/con.txt"; fail "the TLS block is not where TLS came up"; }

# The script: the header's command, then what was typed.
assert_grep "^# smtpcon --batch --starttls --ehlo [^ ]+ --cafile [^ ]+ 127\\.0\\.0\\.1:$r1_PORT\$" "$T/script"
awk 'h || !/^#/ { h = 1; print }' "$T/script" >"$T/script.body"
printf '%s\n' 'EHLO me' 'MAIL FROM:<a@example.com>' 'RCPT TO:<b@example.com>' DATA \
	'Subject: script' '' '.leading dot' '/not a command' '#hash' . \
	'MAIL FROM:<a@example.com>' 'RCPT TO:<c@example.com>' BDAT 'chunk line' /chunk . \
	'MAIL FROM:<a@example.com>' 'RCPT TO:<d@example.com>' 'BDAT 9 LAST' 'typed 7' \
	NOOP >"$T/script.want"
diff "$T/script.want" "$T/script.body" >&2 || fail "the script's lines"

# Replayed with the header's command against a fresh server: the same lines sent.
rec r2 --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" --pipelining --chunking
# shellcheck disable=SC2046  # the header's words, as a person would paste them
set -- $(sed -n '1s/^# smtpcon //p' "$T/script")
cmdline=
for a; do
	case $a in 127.0.0.1:*) a=127.0.0.1:$r2_PORT ;; esac
	cmdline="$cmdline $a"
done
# shellcheck disable=SC2086
"$SMTPCON" $cmdline <"$T/script" >"$T/replay.out" 2>&1
assert_status 0 $? "the replay"
"$PYTHON" - "$T/r1.jsonl" "$T/r2.jsonl" <<'PY' || fail "the replay sent other lines"
import json, sys
def sent(path):
    out = []
    for l in open(path):
        e = json.loads(l)
        if e["ev"] == "line":
            out.append((e["mode"], e["line"]))
        elif e["ev"] in ("bdat", "message"):
            out.append((e["ev"], e.get("size"), e.get("last"), e.get("sha256")))
    return out
a, b = sent(sys.argv[1]), sent(sys.argv[2])
if a != b:
    for x, y in zip(a + [None] * len(b), b + [None] * len(a)):
        print("%s %r %r" % ("  " if x == y else "!!", x, y), file=sys.stderr)
    sys.exit(1)
assert len(a) > 20, a
PY

# --- AUTH in the console: the script has no secret, and replays with --password-file
tmux_start au 120 40 "$SMTPCON" --starttls --cafile "$PKI/ca.pem" "127.0.0.1:$srv_PORT"
tmux_wait au 'TLS: verified'
tmux_type au 'EHLO me'
tmux_keys au Enter
tmux_wait au '250 HELP'
tmux_type au 'AUTH PLAIN'
tmux_keys au Enter
tmux_wait au '^Username: ?$'
tmux_type au 'alice'
tmux_keys au Enter
tmux_wait au '^Password: ?$'
tmux_type au '/slash-pw'
tmux_keys au Enter
tmux_wait au 'S: 235 '
for l in 'MAIL FROM:<alice@example.com>' 'RCPT TO:<bob@example.com>' DATA 'Subject: auth' \
	'' body .; do
	tmux_type au "$l"
	tmux_keys au Enter
done
tmux_wait au 'S: 250 2\.0\.0 '
tmux_type au "/save --script $T/auth-script"
tmux_keys au Enter
tmux_wait au 'script of this connection saved'
tmux_type au '/quit'
tmux_keys au Enter
tmux_wait_exit au
assert_not_grep "$SECRETS" "$T/auth-script" "the script"
assert_grep '^AUTH PLAIN$' "$T/auth-script"
assert_grep "^# smtpcon --batch .*--user alice --password-file FILE 127\\.0\\.0\\.1:$srv_PORT\$" "$T/auth-script"
assert_grep '^# Not written: AUTH answers' "$T/auth-script"
[ "$(stat -c %a "$T/auth-script")" = 600 ] || fail "the script is not 0600"
printf '/slash-pw\n' >"$T/pw"
chmod 600 "$T/pw"
"$SMTPCON" --batch --starttls --cafile "$PKI/ca.pem" --user alice --password-file "$T/pw" \
	"127.0.0.1:$srv_PORT" <"$T/auth-script" >"$T/auth.out" 2>&1
assert_status 0 $? "the AUTH script replayed"
assert_grep '^S: 235 ' "$T/auth.out"
n=$(grep -Ec "AUTH PLAIN user=b?'alice' ok" "$T/srv.log")
[ "$n" -eq 2 ] || { _lib_show "$T/srv.log"; fail "AUTH PLAIN ok only $n times"; }
last=$(ls "$T/srv.mail"/*.eml | tail -1)
prev=$(ls "$T/srv.mail"/*.eml | tail -2 | head -1)
cmp "$prev" "$last" || fail "the replayed message differs"
pass
