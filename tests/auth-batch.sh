#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# AUTH in line mode against aiosmtpd over STARTTLS: LOGIN typed in plain text and encoded
# by smtpcon, PLAIN from two lines, CRAM-MD5 and LOGIN from --user/--password-file or
# SMTPCON_PASSWORD, XOAUTH2 with its error challenge, raw and cancelled exchanges, the
# refusal over plain text; no secret ever in the output.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd
pki

start_smtpd srv --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" \
	--auth alice:s3cret --cram-md5 --xoauth2 alice:ya29.good-token
TLS="--starttls --cafile $PKI/ca.pem"
# The secret in clear, in base64 (LOGIN), and the PLAIN blob.
SECRETS='s3cret|czNjcmV0|AGFsaWNlAHMzY3JldA|ya29\.good-token|good-token'

run() {	# run NAME [smtpcon options] < input: output in $T/NAME.out, status in $st
	_n=$1
	shift
	# shellcheck disable=SC2086
	"$SMTPCON" --batch $TLS "$@" "127.0.0.1:$srv_PORT" >"$T/$_n.out" 2>"$T/$_n.err"
	st=$?
	assert_not_grep "$SECRETS" "$T/$_n.out" "$_n: a secret in the transcript"
	assert_not_grep "$SECRETS" "$T/$_n.err" "$_n: a secret on stderr"
}

# AUTH LOGIN typed: the prompts decoded, the answers encoded, the password hidden.
printf 'EHLO me\nAUTH LOGIN\nalice\ns3cret\nQUIT\n' >"$T/in"
run login <"$T/in"
assert_status 0 "$st" "AUTH LOGIN"
assert_grep '^S: 334 VXNlciBOYW1lAA== +\("User Name\^@"\)' "$T/login.out"
assert_grep '^C: YWxpY2U= +\("alice"\)' "$T/login.out"
assert_grep '^C: \*\*\*\*\*\*\*\* +\(password hidden\)' "$T/login.out"
assert_grep '^S: 235 ' "$T/login.out"

# A wrong password: 535 with its hint, exit status 1.
printf 'EHLO me\nAUTH LOGIN\nalice\nwrong-pass\nQUIT\n' >"$T/in"
run wrong <"$T/in"
assert_status 1 "$st" "wrong password"
assert_grep '^S: 535 5\.7\.8 ' "$T/wrong.out"
assert_grep '^\?  User name or password rejected' "$T/wrong.out"
assert_not_grep 'wrong-pass|d3JvbmctcGFzcw' "$T/wrong.out"

# AUTH PLAIN alone: the next two lines are the user and the password.
printf 'EHLO me\nAUTH PLAIN\nalice\ns3cret\nQUIT\n' >"$T/in"
run plain <"$T/in"
assert_status 0 "$st" "AUTH PLAIN"
assert_grep '^S: 334 +\(empty challenge' "$T/plain.out"
assert_grep '^C: \*\*\*\*\*\*\*\* +\(PLAIN answer for "alice" hidden\)' "$T/plain.out"
assert_grep '^S: 235 ' "$T/plain.out"

# A raw initial response is sent as typed and hidden.
printf 'EHLO me\nAUTH PLAIN AGFsaWNlAHMzY3JldA==\nQUIT\n' >"$T/in"
run plainraw <"$T/in"
assert_status 0 "$st" "AUTH PLAIN raw"
assert_grep '^C: AUTH PLAIN \*\*\*\*\*\*\*\* +\(initial response hidden\)' "$T/plainraw.out"

# Tabs separate words too: such an AUTH line is still recognised and hidden.
printf 'EHLO me\nAUTH\tPLAIN\tAGFsaWNlAHMzY3JldA==\nQUIT\n' >"$T/in"
run plaintab <"$T/in"
assert_grep '^C: AUTH PLAIN \*\*\*\*\*\*\*\*' "$T/plaintab.out"

# Raw answers with a backslash, already base64.
printf 'EHLO me\nAUTH LOGIN\n\\YWxpY2U=\n\\czNjcmV0\nQUIT\n' >"$T/in"
run raw <"$T/in"
assert_status 0 "$st" "raw answers"
assert_grep '^C: \*\*\*\*\*\*\*\* +\(raw answer hidden\)' "$T/raw.out"
assert_grep '^S: 235 ' "$T/raw.out"

# "*" cancels; the dialogue goes on.
printf 'EHLO me\nAUTH LOGIN\n*\nNOOP\nQUIT\n' >"$T/in"
run cancel <"$T/in"
assert_grep '^C: \* +\(cancels the exchange\)' "$T/cancel.out"
assert_grep '^S: 501 ' "$T/cancel.out"
assert_grep '^C: NOOP' "$T/cancel.out"
assert_grep '^S: 250 ' "$T/cancel.out"

# "*" cancels a two-question step on its own line; input ending in the middle of
# AUTH does not send QUIT as the answer.
printf 'EHLO me\nAUTH PLAIN\n*\nNOOP\nQUIT\n' >"$T/in"
run plaincancel <"$T/in"
assert_grep '^C: \* +\(cancels the exchange\)' "$T/plaincancel.out"
assert_grep '^C: NOOP' "$T/plaincancel.out"
printf 'EHLO me\nAUTH LOGIN\nalice\n' >"$T/in"
run authend <"$T/in"
assert_grep 'end of input in the middle of AUTH' "$T/authend.out"
assert_not_grep 'UVVJVA|^C: QUIT' "$T/authend.out"
[ "$st" -ne 0 ] || fail "input ending inside AUTH: exit status 0"

# CRAM-MD5 answered from --user and --password-file.
printf 's3cret\n' >"$T/pw"
chmod 600 "$T/pw"
printf 'EHLO me\nAUTH CRAM-MD5\nQUIT\n' >"$T/in"
run cram --user alice --password-file "$T/pw" <"$T/in"
assert_status 0 "$st" "CRAM-MD5"
assert_grep '^S: 334 [A-Za-z0-9+/=]+ +\("<[0-9]+\.[0-9]+@localhost>"\)' "$T/cram.out"
assert_grep '^C: \*\*\*\*\*\*\*\* +\(CRAM-MD5 answer for "alice" hidden\)' "$T/cram.out"
assert_grep '^S: 235 ' "$T/cram.out"
assert_not_grep 'warning' "$T/cram.err"

# LOGIN answered from SMTPCON_PASSWORD; a readable password file is warned about.
SMTPCON_PASSWORD=s3cret
export SMTPCON_PASSWORD
printf 'EHLO me\nAUTH LOGIN\nQUIT\n' >"$T/in"
run envpw --user alice <"$T/in"
unset SMTPCON_PASSWORD
assert_status 0 "$st" "SMTPCON_PASSWORD"
assert_grep '^S: 235 ' "$T/envpw.out"
chmod 644 "$T/pw"
printf 'QUIT\n' >"$T/in"
run perm --user alice --password-file "$T/pw" <"$T/in"
assert_grep 'can be read by other users' "$T/perm.err"
printf 'QUIT\n' >"$T/in"
run nouser --password-file "$T/pw" <"$T/in"
assert_status 2 "$st" "password without --user"

# XOAUTH2: a good token logs in; a bad one gets the JSON error challenge, decoded, then
# the empty answer the protocol needs, then 535.
printf 'ya29.good-token\n' >"$T/tok"
chmod 600 "$T/tok"
printf 'EHLO me\nAUTH XOAUTH2\nQUIT\n' >"$T/in"
run xoauth --user alice --password-file "$T/tok" <"$T/in"
assert_status 0 "$st" "XOAUTH2"
assert_grep '^C: \*\*\*\*\*\*\*\* +\(XOAUTH2 answer for "alice" hidden\)' "$T/xoauth.out"
assert_grep '^S: 235 ' "$T/xoauth.out"
printf 'EHLO me\nAUTH XOAUTH2\nalice\nexpired-token\nQUIT\n' >"$T/in"
run xoauthbad <"$T/in"
assert_status 1 "$st" "XOAUTH2 bad token"
assert_grep '^S: 334 [A-Za-z0-9+/=]+ +\("\{"status":"401"' "$T/xoauthbad.out"
assert_grep '^C:  +\(the answer the protocol needs after an error challenge\)' "$T/xoauthbad.out"
assert_grep '^S: 535 ' "$T/xoauthbad.out"
assert_not_grep 'expired-token' "$T/xoauthbad.out"

# Over plain text AUTH is refused unless --insecure.
printf 'EHLO me\nAUTH LOGIN\nQUIT\n' |
	"$SMTPCON" --batch "127.0.0.1:$srv_PORT" >"$T/clear.out" 2>&1
assert_grep '^!! AUTH refused: this connection is not encrypted' "$T/clear.out"
assert_not_grep '^C: AUTH' "$T/clear.out"
pass
