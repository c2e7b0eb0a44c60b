#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# A hostile or broken server cannot write to the terminal, crash or hang smtpcon: escape
# sequences, NUL and invalid UTF-8, a 100 kB line, a reply cut by a close, malformed
# replies, and bytes injected after STARTTLS.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"

ESC=$(printf '\033')
BEL=$(printf '\007')

run() {	# run SCENARIO [smtpcon options]: transcript in $T/SCENARIO.out, status in $st
	_sc=$1
	shift
	start_hostile "$_sc" "$_sc"
	eval "_port=\$${_sc}_PORT"
	printf 'EHLO me\nNOOP\nQUIT\n' | "$SMTPCON" --batch --timeout 5 "$@" \
		"127.0.0.1:$_port" >"$T/$_sc.out" 2>&1
	st=$?
	# Nothing the server sent may reach the terminal as a control byte.
	if grep -q "$ESC\|$BEL" "$T/$_sc.out" || [ "$(tr -cd '\000' <"$T/$_sc.out" | wc -c)" -ne 0 ]; then
		fail "$_sc: control bytes reached the output"
	fi
	[ "$st" -lt 128 ] || fail "$_sc: smtpcon died with a signal ($st)"
}

run escape
assert_status 0 "$st" escape
assert_grep '^S: 220 evil ESMTP \^\[\[2J\^\[\]0;pwned\^G hello' "$T/escape.out"
assert_grep '^S: 250 ok \^\[\[31mred\^\[\[0m' "$T/escape.out"

run nul
assert_grep '^S: 220 nul\^@byte and \\xFF\\xFE not utf-8' "$T/nul.out"

run longline
assert_grep '^S: 220 AAAA' "$T/longline.out"
assert_grep '^!  line too long: [0-9]+ more bytes were not kept' "$T/longline.out"
assert_grep '^S: 221' "$T/longline.out" "dialogue goes on after the long line"
len=$(grep '^S: 220 AAA' "$T/longline.out" | head -1 | wc -c)
[ "$len" -lt 3000 ] || fail "long line kept whole ($len bytes)"

run cutoff
assert_status 5 "$st" cutoff
assert_grep '^S: 250-PIPEL +\(incomplete line\)' "$T/cutoff.out"
assert_grep '^!! the server closed the connection in the middle of a reply' "$T/cutoff.out"

run garbage
assert_status 5 "$st" garbage
assert_grep '^S: hello there' "$T/garbage.out"
assert_grep '^!  malformed reply from the server: no three-digit reply code' "$T/garbage.out"

# STARTTLS injection: the extra plain-text bytes are discarded and reported.
start_hostile inj injection
printf 'EHLO me\nSTARTTLS\n' | "$SMTPCON" --batch --timeout 2 \
	"127.0.0.1:$inj_PORT" >"$T/inj.out" 2>&1
st=$?
assert_grep '^!  protocol violation: the server sent [0-9]+ bytes after its 220 to STARTTLS; they were discarded' "$T/inj.out"
assert_grep 'CVE-2011-0411' "$T/inj.out"
assert_not_grep '^S: 250 injected' "$T/inj.out"
[ "$st" -ne 0 ] || fail "injection: exit status 0"

# AUTH that never ends: an overlong prompt (cut, no overflow), the secret sent at most
# twice, then cancelled; an unknown mechanism answered from the script, not from the
# credentials; a 221 without a close does not hang smtpcon.
start_hostile loop authloop
printf 'pw-secret\n' >"$T/pw"
chmod 600 "$T/pw"
printf 'EHLO me\nAUTH LOGIN\nAUTH X-UNKNOWN\n\\Zm9v\nQUIT\n' >"$T/loop.in"
"$SMTPCON" --batch --insecure --user someone --password-file "$T/pw" --timeout 5 \
	"127.0.0.1:$loop_PORT" <"$T/loop.in" >"$T/loop.out" 2>&1
st=$?
[ "$st" -lt 128 ] || fail "authloop: smtpcon died with a signal ($st)"
n=$(grep -cE '^C: \*\*\*\*\*\*\*\* +\(password hidden\)' "$T/loop.out")
assert_eq "$n" 1 "password sent once"
assert_grep 'the server keeps asking: AUTH cancelled' "$T/loop.out"
assert_grep '^S: 501 ' "$T/loop.out"
assert_grep '^C: \*\*\*\*\*\*\*\* +\(raw answer hidden\)' "$T/loop.out"
assert_grep '^S: 235 ' "$T/loop.out"
assert_grep 'said goodbye but kept the connection open: closed it' "$T/loop.out"
assert_not_grep 'pw-secret|cHctc2VjcmV0' "$T/loop.out"

# LOGIN's second question is the password whatever the server calls it: a server
# that asks "Username:" twice still gets it masked, and never shown.
start_hostile lu loginuser
printf 'EHLO me\nAUTH LOGIN\nalice\nPw-S3cret\nQUIT\n' |
	"$SMTPCON" --batch --insecure "127.0.0.1:$lu_PORT" >"$T/lu.out" 2>&1
assert_status 0 $? "LOGIN with two Username: prompts"
assert_grep '^C: YWxpY2U= +\("alice"\)' "$T/lu.out"
assert_grep '^C: \*\*\*\*\*\*\*\* +\(password hidden\)' "$T/lu.out"
assert_grep '^S: 235 ' "$T/lu.out"
assert_not_grep 'Pw-S3cret|UHctUzNjcmV0' "$T/lu.out"

# A certificate is server input too: escape sequences in its names stay visible text.
need_aiosmtpd
need openssl
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$T/evil-key.pem" -out "$T/evil.pem" -days 3 \
	-subj "/CN=evil${ESC}]0;pwned${BEL}${ESC}[2J" \
	-addext "subjectAltName=DNS:x${ESC}[31m.example" >/dev/null 2>&1 ||
	fail "openssl could not make the hostile certificate"
start_smtpd evilcert --implicit-tls "$T/evil.pem" "$T/evil-key.pem"
printf 'QUIT\n' | "$SMTPCON" --batch --tls "127.0.0.1:$evilcert_PORT" >"$T/cert.out" 2>&1
grep -q "$ESC\|$BEL" "$T/cert.out" && fail "certificate names reached the output raw"
assert_grep '^\*   \[0\] CN=evil\^\[\]0\\;pwned\^G\^\[\[2J' "$T/cert.out"
assert_grep 'names   DNS:x\^\[\[31m\.example' "$T/cert.out"
pass
