#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# A refused AUTH wipes the lines held behind it: refused by smtpcon (plain text, or TLS
# with an unverified certificate, no --insecure) or by the server (504, 535), for LOGIN,
# PLAIN and XOAUTH2 with their two answer lines, then a MAIL line.  The server never
# sees the user, the password, the token or their base64 forms, nor the MAIL; the
# output shows none of them; the exit status is not 0 and the discarded lines are said.
# shellcheck disable=SC2154  # NAME_PORT variables are set by _lib_run via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need certtool
_lib_python
pki

USER_=alice PASS_=S3cretPW TOKEN=ya29.SECRETTOKEN
# Every form a secret could take: in clear, and base64 of each, of the PLAIN blob and
# of the XOAUTH2 blob (without padding, so that a prefix match still counts).
SECRETS=$("$PYTHON" - "$USER_" "$PASS_" "$TOKEN" <<'EOF'
import base64, re, sys
u, p, t = (s.encode() for s in sys.argv[1:])
forms = [u, p, t, b"SECRETTOKEN", b"\0" + u + b"\0" + p, b"\0" + u + b"\0" + t,
         b"user=" + u + b"\1auth=Bearer " + t + b"\1\1", b"user=" + u + b"\1auth=Bearer " + p + b"\1\1"]
out = [re.escape(f.decode()) for f in forms[:4]]
out += [base64.b64encode(f).decode().rstrip("=") for f in forms]
print("|".join(out))
EOF
)
# Without the user name (the 535 case shows it, encoded, by design).
PWFORMS=$("$PYTHON" -c 'import base64,sys; p=sys.argv[1].encode(); print("|".join([sys.argv[1], base64.b64encode(p).decode().rstrip("=")]))' "$PASS_")

# rec NAME [recorder.py options]: its log in $T/NAME.jsonl
rec() {
	_rn=$1
	shift
	_lib_run "$_rn" "$PYTHON" "$TESTS_SRC/recorder.py" --log "$T/$_rn.jsonl" "$@"
}
rec plain --auth
rec tls --auth --starttls "$PKI/selfsigned.pem" "$PKI/selfsigned-key.pem"
rec r504 --auth-504
rec r535 --auth

# check_log LOG CONN PATTERN WHAT: no line of connection CONN matches PATTERN; only
# EHLO, STARTTLS, AUTH and QUIT were sent as commands, no AUTH answer was sent.
check_log() {
	"$PYTHON" - "$@" <<'EOF' || fail "$4: recorder log $1 (see above)"
import json, re, sys
log, conn, pat, what = sys.argv[1], int(sys.argv[2]), re.compile(sys.argv[3]), sys.argv[4]
ev = [e for e in map(json.loads, open(log)) if e["conn"] == conn]
bad = []
if not any(e["ev"] == "accept" for e in ev):
    bad.append("no connection %d" % conn)
for e in ev:
    for k in ("line", "data", "text", "initial"):
        if isinstance(e.get(k), str) and pat.search(e[k]):
            bad.append("a secret reached the server: %r" % e)
    if e["ev"] == "auth" and any(pat.search(a) for a in e["answers"]):
        bad.append("a secret reached the server: %r" % e)
    if e["ev"] == "line" and e["mode"] == "cmd" and e["verb"] not in ("EHLO", "STARTTLS", "AUTH", "QUIT"):
        bad.append("sent as a command after the refused AUTH: %r" % e["line"])
    if e["ev"] == "line" and e["mode"] == "auth":
        bad.append("an AUTH answer was sent: %r" % e["line"])
if not any(e["ev"] == "line" and e.get("verb") == "QUIT" for e in ev):
    bad.append("no QUIT")
for b in bad:
    print("FAIL: %s: %s" % (what, b), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

conns_plain=0 conns_tls=0 conns_r504=0
for mech in LOGIN PLAIN XOAUTH2; do
	if [ "$mech" = XOAUTH2 ]; then secret=$TOKEN; else secret=$PASS_; fi
	for ctx in plain tls r504; do
		n=$ctx-$mech
		case $ctx in
		plain)
			printf 'EHLO me\nAUTH %s\n%s\n%s\nMAIL FROM:<a@x>\n' "$mech" "$USER_" "$secret" >"$T/$n.in"
			opts= port=$plain_PORT ;;
		tls)
			printf 'EHLO me\nSTARTTLS\nEHLO me\nAUTH %s\n%s\n%s\nMAIL FROM:<a@x>\n' "$mech" "$USER_" "$secret" >"$T/$n.in"
			opts= port=$tls_PORT ;;
		r504)
			printf 'EHLO me\nAUTH %s\n%s\n%s\nMAIL FROM:<a@x>\n' "$mech" "$USER_" "$secret" >"$T/$n.in"
			opts=--insecure port=$r504_PORT ;;
		esac
		# shellcheck disable=SC2086
		"$SMTPCON" --batch --timeout 10 $opts "127.0.0.1:$port" <"$T/$n.in" >"$T/$n.out" 2>"$T/$n.err"
		st=$?
		eval "conns_$ctx=\$((conns_$ctx + 1)); conn=\$conns_$ctx"
		[ "$st" -ne 0 ] || fail "$n: exit status 0 after a refused AUTH"
		[ "$st" -lt 128 ] || fail "$n: killed by a signal ($st)"
		case $ctx in
		plain)
			assert_status 1 "$st" "$n"
			assert_grep '^!! AUTH refused: this connection is not encrypted' "$T/$n.out" "$n" ;;
		tls)
			# 4 (certificate not verified) or 1 (refusal) are both documented.
			[ "$st" -eq 1 ] || [ "$st" -eq 4 ] || fail "$n: exit status $st, expected 1 or 4"
			assert_grep '^!! AUTH refused: the TLS certificate is not verified' "$T/$n.out" "$n" ;;
		r504)
			assert_status 1 "$st" "$n"
			assert_grep '^S: 504 ' "$T/$n.out" "$n" ;;
		esac
		assert_not_grep "$SECRETS" "$T/$n.out" "$n: a secret in the transcript"
		assert_not_grep "$SECRETS" "$T/$n.err" "$n: a secret on stderr"
		assert_grep '^C: QUIT +\(sent by smtpcon\)' "$T/$n.out" "$n"
		assert_not_grep '^C: MAIL' "$T/$n.out" "$n: MAIL shown as sent"
		check_log "$T/$ctx.jsonl" "$conn" "$SECRETS" "$n"
		# The three lines typed after AUTH (user, secret, MAIL) are said to be discarded:
		# exactly three (smtpcon's own QUIT at end of input was not typed).
		assert_grep '^!  3 lines typed after the refused AUTH were discarded, not sent' "$T/$n.out" "$n"
	done
done

# The server refuses after both answers (535): the password went (the server asked
# for it), but only encoded and never shown; the MAIL line behind it is wiped.
printf 'EHLO me\nAUTH LOGIN\n%s\n%s\nMAIL FROM:<a@x>\n' "$USER_" "$PASS_" >"$T/535.in"
"$SMTPCON" --batch --insecure "127.0.0.1:$r535_PORT" <"$T/535.in" >"$T/535.out" 2>"$T/535.err"
assert_status 1 $? "535 to AUTH LOGIN"
assert_grep '^S: 535 ' "$T/535.out"
assert_grep '^C: \*\*\*\*\*\*\*\* +\(password hidden\)' "$T/535.out"
assert_not_grep "$PWFORMS" "$T/535.out" "535: the password in the transcript"
assert_not_grep "$PWFORMS" "$T/535.err" "535: the password on stderr"
assert_grep '^!  1 line typed after the refused AUTH was discarded, not sent' "$T/535.out" "535"
assert_not_grep '^C: MAIL' "$T/535.out" "535: MAIL shown as sent"
"$PYTHON" - "$T/r535.jsonl" "$PASS_" <<'EOF' || fail "535: recorder log"
import base64, json, sys
ev = [e for e in map(json.loads, open(sys.argv[1])) if e["conn"] == 1]
pw = sys.argv[2]
a = [e for e in ev if e["ev"] == "auth"]
assert len(a) == 1 and a[0]["answers"][1] == base64.b64encode(pw.encode()).decode(), a
assert not any(pw in e.get("line", "") for e in ev), "the password in clear on the wire"
assert [e["verb"] for e in ev if e["ev"] == "line" and e["mode"] == "cmd"] == ["EHLO", "AUTH", "QUIT"], \
    [e["line"] for e in ev if e["ev"] == "line"]
EOF

for s in plain tls r504 r535; do stop_server "$s"; done
pass
