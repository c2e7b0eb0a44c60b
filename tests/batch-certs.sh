#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Each bad certificate is reported with its own reason and the certificate that failed;
# AUTH is refused over such a session unless --insecure.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd
pki

check() {	# check NAME CERT KEY PATTERN [smtpcon options]
	_name=$1 _cert=$2 _key=$3 _pat=$4
	shift 4
	start_smtpd "$_name" --implicit-tls "$_cert" "$_key"
	eval "_port=\$${_name}_PORT"
	printf 'EHLO me\nQUIT\n' | "$SMTPCON" --batch --tls "$@" \
		"127.0.0.1:$_port" >"$T/$_name.out" 2>&1
	_st=$?
	assert_status 4 "$_st" "$_name: not verified"
	assert_grep "^!  certificate NOT verified: $_pat" "$T/$_name.out" "$_name"
	assert_grep "^\*   .*<- failed" "$T/$_name.out" "$_name: failing certificate marked"
	assert_grep "will not send AUTH" "$T/$_name.out" "$_name: AUTH warning"
}

check expired "$PKI/expired-chain.pem" "$PKI/expired-key.pem" \
	'certificate \[0\] \(CN=localhost\) expired on 2021-01-01' --cafile "$PKI/ca.pem"
check wrongname "$PKI/wrongname-chain.pem" "$PKI/wrongname-key.pem" \
	'name mismatch: certificate \[0\] \(CN=wrong\.example\) is not valid for 127\.0\.0\.1 \(it names DNS:wrong\.example\)' \
	--cafile "$PKI/ca.pem"
check selfsigned "$PKI/selfsigned.pem" "$PKI/selfsigned-key.pem" \
	'self-signed: certificate \[0\]' --cafile "$PKI/ca.pem"
# The right chain, but a CA nobody here trusts: the top of the chain is named.
check unknown "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" \
	'unknown issuer: certificate \[1\] \(CN=smtpcon Test Intermediate CA\) was issued by CN=smtpcon Test Root CA' \
	--cafile "$PKI/selfsigned.pem"

# AUTH over the unverified session is refused; --insecure lets it through.
start_smtpd authbad --implicit-tls "$PKI/selfsigned.pem" "$PKI/selfsigned-key.pem" \
	--auth alice:s3cret
printf 'EHLO me\nAUTH PLAIN AGFsaWNlAHMzY3JldA==\nQUIT\n' |
	"$SMTPCON" --batch --tls --cafile "$PKI/ca.pem" "127.0.0.1:$authbad_PORT" \
	>"$T/auth.out" 2>&1
assert_status 4 $? "AUTH refused"
assert_grep '^!! AUTH refused: the TLS certificate is not verified' "$T/auth.out"
assert_not_grep '^S: 235' "$T/auth.out"
printf 'EHLO me\nAUTH PLAIN AGFsaWNlAHMzY3JldA==\nQUIT\n' |
	"$SMTPCON" --batch --tls --insecure --cafile "$PKI/ca.pem" \
	"127.0.0.1:$authbad_PORT" >"$T/auth2.out" 2>&1
assert_status 0 $? "--insecure"
assert_grep '^S: 235' "$T/auth2.out"
assert_grep 'insecure: going on' "$T/auth2.out"
# The credentials never appear in the transcript.
assert_not_grep 'AGFsaWNlAHMzY3JldA' "$T/auth2.out"
assert_grep '^C: AUTH PLAIN \*\*\*\*\*\*\*\*' "$T/auth2.out"
pass
