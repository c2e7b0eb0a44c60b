#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# A server that stops reading in the middle of DATA: with --timeout 3, line mode gives
# up with "the server stopped reading" and exit status 5, in about 3 s, not after the
# 50 MB body or never; no message is stored.
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
_lib_python

TIMEOUT=3
_lib_run rec "$PYTHON" "$TESTS_SRC/recorder.py" --log "$T/rec.jsonl" --maildir "$T/mail" \
	--stop-reading-after-data --hold 30

# A 50 MB body, written into the pipe as smtpcon takes it.
cat >"$T/gen.py" <<'EOF'
import sys
out = sys.stdout.buffer
out.write(b"EHLO me\nMAIL FROM:<a@x.test>\nRCPT TO:<b@x.test>\nDATA\n")
line = b"x" * 98 + b"\n"
block = line * 1000
for _ in range(50 * 1000 * 1000 // len(block)):
    out.write(block)
out.write(b".\nQUIT\n")
EOF

start=$(date +%s)
"$PYTHON" "$T/gen.py" 2>/dev/null |
	"$SMTPCON" --batch --timeout "$TIMEOUT" "127.0.0.1:$rec_PORT" >"$T/out" 2>"$T/err"
st=$?
end=$(date +%s)
elapsed=$((end - start))

assert_grep '^S: 354 ' "$T/out"
assert_grep 'stopped reading' "$T/out" "transcript"
assert_status 5 "$st" "send timeout"
[ "$elapsed" -le $((TIMEOUT + 5)) ] || fail "smtpcon took ${elapsed} s to give up (--timeout $TIMEOUT)"
[ "$elapsed" -ge $((TIMEOUT - 1)) ] || fail "smtpcon gave up after ${elapsed} s, before --timeout $TIMEOUT"
assert_not_grep '"ev": "message"' "$T/rec.jsonl" "a message was stored"
stop_server rec
pass
