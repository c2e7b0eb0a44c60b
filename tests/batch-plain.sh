#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Line mode, plain SMTP against aiosmtpd: a whole dialogue delivers a message whose body
# arrives byte-for-byte (a line starting with "." included), with documented exit statuses.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd

start_smtpd plain --maildir "$T/mail"

cat >"$T/in" <<'IN'
EHLO client.example
MAIL FROM:<alice@example.com>
RCPT TO:<bob@example.com>
DATA
Subject: smtpcon test

first line
.a line that starts with a dot
..two dots
last line
.
QUIT
IN
"$SMTPCON" --batch "127.0.0.1:$plain_PORT" <"$T/in" >"$T/out" 2>"$T/err"
assert_status 0 $? "plain dialogue"

assert_grep '^\*  connected to 127\.0\.0\.1 \[127\.0\.0\.1\] port '"$plain_PORT" "$T/out"
assert_grep '^S: 220 ' "$T/out" "greeting"
assert_grep '^C: EHLO client\.example$' "$T/out"
assert_grep '^S: 250-' "$T/out" "multi-line EHLO reply"
assert_grep '^S: 354 ' "$T/out"
assert_grep '^C: \.a line that starts with a dot +\(dot-stuffed' "$T/out"
assert_grep '^S: 221 ' "$T/out"

# The server received exactly the body that was typed (after its own un-stuffing).
printf 'Subject: smtpcon test\r\n\r\nfirst line\r\n.a line that starts with a dot\r\n..two dots\r\nlast line\r\n' >"$T/want"
[ -f "$T/mail/001.eml" ] || fail "no message delivered"
cmp "$T/want" "$T/mail/001.eml" || { od -c "$T/mail/001.eml" | head -20; fail "body differs"; }
assert_grep '^MAIL FROM:<alice@example.com>' "$T/mail/001.env"
assert_grep '^RCPT TO:<bob@example.com>' "$T/mail/001.env"

# A large message (4 MB) goes through whole: line mode waits for the socket rather
# than piling the body up in memory.
"$PYTHON" - "$T/big.in" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("EHLO me\nMAIL FROM:<a@example.com>\nRCPT TO:<b@example.com>\nDATA\n")
    for i in range(50000):
        f.write("line %06d %s\n" % (i, "x" * 70))
    f.write(".\nQUIT\n")
PY
"$SMTPCON" --batch "127.0.0.1:$plain_PORT" <"$T/big.in" >"$T/big.out" 2>&1
assert_status 0 $? "large message"
size=$(wc -c <"$T/mail/002.eml")
assert_eq "$size" $((50000 * 84)) "size of the large message"

# A refused command makes the exit status 1; end of input sends QUIT by itself.
printf 'EHLO x\nRCPT TO:<bob@example.com>\n' |
	"$SMTPCON" --batch "127.0.0.1:$plain_PORT" >"$T/out2" 2>&1
assert_status 1 $? "4xx/5xx reply"
assert_grep '^S: 503 ' "$T/out2"
assert_grep 'end of input: sending QUIT' "$T/out2"
assert_grep '^S: 221 ' "$T/out2"

# Standard input that is not a terminal means line mode even without --batch.
printf 'NOOP\n' | "$SMTPCON" "127.0.0.1:$plain_PORT" >"$T/out3" 2>&1
assert_status 0 $? "implicit line mode"
assert_grep '^S: 250 ' "$T/out3"

# Usage errors.
"$SMTPCON" --batch </dev/null >"$T/out4" 2>&1
assert_status 2 $? "no server"
assert_grep 'needs a server' "$T/out4"
"$SMTPCON" --tls-version 1.1 x </dev/null >"$T/out5" 2>&1
assert_status 2 $? "bad --tls-version"
"$SMTPCON" --help >"$T/out6" 2>&1
assert_status 0 $? "--help"
assert_grep '^Usage: smtpcon ' "$T/out6"
assert_grep 'Exit status' "$T/out6"
"$SMTPCON" --version >"$T/out7" 2>&1
assert_grep '^smtpcon [0-9]' "$T/out7"
pass
