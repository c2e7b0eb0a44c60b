#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Each certificate verdict comes with its own next step and the side that takes it, from
# real handshakes: a missing intermediate is the server's to fix (never --cafile), an
# untrusted CA is --cafile's, an expired certificate is renewed, a wrong name lists the
# names the certificate covers, a revoked one (a stapled OCSP response says so) is
# replaced. No TLS version in common names the option that pinned ours: --tls-version or
# --priority. A must-staple certificate (RFC 7633) is said to require its staple.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd
pki

# run NAME CERT KEY [smtpcon options]: implicit TLS to a server presenting CERT; the
# output in $T/NAME.out, the status in $st.
run() {
	_name=$1 _cert=$2 _key=$3
	shift 3
	start_smtpd "$_name" --implicit-tls "$_cert" "$_key"
	eval "_port=\$${_name}_PORT"
	printf 'EHLO me\nQUIT\n' | "$SMTPCON" --batch --tls "$@" \
		"127.0.0.1:$_port" >"$T/$_name.out" 2>&1
	st=$?
}
# The advice line (a hint, "?  ") of a verdict, on its own for the assertions.
advice() {
	grep -E '^\?  ' "$T/$1.out" >"$T/$1.advice"
}

# The server sends its certificate alone; its issuer, an intermediate, is not in the
# trust store: an incomplete chain, the server's to fix.
run inc "$PKI/leaf.pem" "$PKI/leaf-key.pem" --cafile "$PKI/ca.pem"
assert_status 4 "$st" "incomplete chain: not verified"
advice inc
assert_grep '^!  certificate NOT verified: the server sent an incomplete chain: its certificate is issued by CN=smtpcon Test Intermediate CA, and the server did not send that intermediate certificate$' "$T/inc.out"
assert_grep "^\?  on the server's side: the server's administrator installs the full chain \(certificate \+ intermediates\)" "$T/inc.out"
assert_grep '^\*   \[0\] CN=localhost  <- failed' "$T/inc.out" "incomplete chain: the leaf marked"
assert_not_grep 'cafile|unknown issuer|self-signed|on your side' "$T/inc.out"
assert_grep 'will not send AUTH' "$T/inc.advice"
case $(head -1 "$T/inc.advice") in
*--insecure*) fail "incomplete chain: --insecure is the first advice" ;;
esac

# The same certificate with its intermediate: verified.
run full "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" --cafile "$PKI/ca.pem"
assert_status 0 "$st" "full chain"
assert_grep '^\*  certificate verified: chain trusted, name 127\.0\.0\.1 matches' "$T/full.out"
assert_not_grep 'NOT verified|incomplete|what to do' "$T/full.out"

# A chain up to a CA this client does not trust: --cafile on the client's side, or a
# public CA on the server's. Ending at the intermediate (its root not sent) ...
run untrusted "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" --cafile "$PKI/selfsigned.pem"
assert_status 4 "$st" "untrusted CA"
assert_grep '^!  certificate NOT verified: unknown issuer: certificate \[1\] \(CN=smtpcon Test Intermediate CA\) was issued by CN=smtpcon Test Root CA' "$T/untrusted.out"
assert_grep "^\?  on your side, if CN=smtpcon Test Root CA is a private CA you trust: add its certificate to the file given to --cafile; or on the server's side, .*a certificate from a public CA" "$T/untrusted.out"
assert_not_grep 'incomplete chain|installs the full chain|self-signed' "$T/untrusted.out"
# ... or at the root itself, sent by the server.
run root "$PKI/leaf-root-chain.pem" "$PKI/leaf-key.pem" --cafile "$PKI/selfsigned.pem"
assert_status 4 "$st" "untrusted root sent"
assert_grep '^!  certificate NOT verified: unknown issuer: the chain ends at certificate \[2\] \(CN=smtpcon Test Root CA\), a root CA that is not trusted here' "$T/root.out"
assert_grep '^\*   \[2\] CN=smtpcon Test Root CA.*  <- failed' "$T/root.out"
assert_grep '^\?  on your side, .*--cafile' "$T/root.out"
assert_not_grep 'incomplete chain|self-signed:' "$T/root.out"

# Expired: renew, on the server's side; nothing for the client to add.
run expired "$PKI/expired-chain.pem" "$PKI/expired-key.pem" --cafile "$PKI/ca.pem"
assert_status 4 "$st" "expired"
assert_grep '^!  certificate NOT verified: certificate \[0\] \(CN=localhost\) expired on 2021-01-01' "$T/expired.out"
assert_grep "^\?  on the server's side: renew the server's certificate$" "$T/expired.out"
assert_not_grep 'cafile|on your side|clock' "$T/expired.out"

# Not yet valid: the clocks first, then renewal.
run future "$PKI/future-chain.pem" "$PKI/future-key.pem" --cafile "$PKI/ca.pem"
assert_status 4 "$st" "not yet valid"
assert_grep '^!  certificate NOT verified: certificate \[0\] \(CN=localhost\) is not valid before 2040-01-01' "$T/future.out"
assert_grep "^\?  check the clock on both sides .*on the server's side: renew the server's certificate" "$T/future.out"
assert_not_grep 'cafile' "$T/future.out"

# A wrong name: the names the certificate covers, --sni, or a reissue.
run wrongname "$PKI/wrongname-chain.pem" "$PKI/wrongname-key.pem" --cafile "$PKI/ca.pem"
assert_status 4 "$st" "wrong name"
assert_grep "^\?  on your side: connect by a name the certificate covers \(it names: wrong\.example\), or use --sni NAME; or on the server's side: reissue it to cover 127\.0\.0\.1" "$T/wrongname.out"
assert_not_grep 'cafile|renew' "$T/wrongname.out"
# Ten names: the first eight, then a count.
run many "$PKI/many-chain.pem" "$PKI/many-key.pem" --cafile "$PKI/ca.pem"
assert_grep '\(it names: mx1\.example\.org, mx2\.example\.org, mx3\.example\.org, mx4\.example\.org, mx5\.example\.org, mx6\.example\.org, mx7\.example\.org, mx8\.example\.org and 2 more\)' "$T/many.out"
assert_not_grep 'it names: [^)]*mx9\.example\.org' "$T/many.out"
# The advice works: --sni with a name it covers verifies.
printf 'EHLO me\nQUIT\n' | "$SMTPCON" --batch --tls --cafile "$PKI/ca.pem" \
	--sni mx9.example.org "127.0.0.1:$many_PORT" >"$T/many-sni.out" 2>&1
assert_status 0 $? "--sni with a covered name"
assert_grep 'certificate verified: chain trusted, name mx9\.example\.org matches' "$T/many-sni.out"

# Self-signed: trust that very certificate with --cafile, or replace it.
run selfsigned "$PKI/selfsigned.pem" "$PKI/selfsigned-key.pem" --cafile "$PKI/ca.pem"
assert_status 4 "$st" "self-signed"
assert_grep '^!  certificate NOT verified: self-signed: certificate \[0\] \(CN=localhost\) signed itself' "$T/selfsigned.out"
assert_grep "^\?  on your side, if you trust this very certificate: save it .* --cafile FILE; or on the server's side: replace it" "$T/selfsigned.out"
assert_not_grep 'incomplete chain|unknown issuer|installs the full chain' "$T/selfsigned.out"
# And so it is trusted.
printf 'EHLO me\nQUIT\n' | "$SMTPCON" --batch --tls --cafile "$PKI/selfsigned.pem" \
	"127.0.0.1:$selfsigned_PORT" >"$T/selfsigned2.out" 2>&1
assert_status 0 $? "self-signed given with --cafile"
assert_grep '^\*  certificate verified' "$T/selfsigned2.out"

# No TLS version in common, against openssl s_server answering with a protocol_version
# alert (-www: it never reads its standard input, whose end would stop it). The option
# that narrowed our versions is named; never DTLS.
need openssl
s_server() {	# s_server NAME [options]  -> $NAME_PORT
	_sn=$1
	shift
	openssl s_server -www -accept 127.0.0.1:0 -cert "$PKI/leaf.pem" \
		-key "$PKI/leaf-key.pem" -cert_chain "$PKI/int.pem" "$@" \
		</dev/null >"$T/$_sn.log" 2>&1 &
	track_pid $!
	wait_for "$T/$_sn.log" '^ACCEPT '
	eval "${_sn}_PORT=\$(sed -n 's/^ACCEPT .*:\([0-9]*\)\$/\1/p' \"\$T/\$_sn.log\")"
}
s_server s13 -tls1_3
s_server s12 -no_tls1_3
printf 'QUIT\n' | "$SMTPCON" --batch --tls --tls-version 1.2 --cafile "$PKI/ca.pem" \
	"127.0.0.1:$s13_PORT" >"$T/pin.out" 2>&1
assert_status 4 $? "--tls-version 1.2 against TLS 1.3 only"
assert_grep '^\?  no TLS version in common: we offered TLS 1\.2 only, pinned by --tls-version 1\.2, .*drop the pin, or try --tls-version 1\.3' "$T/pin.out"
assert_not_grep 'DTLS|--priority' "$T/pin.out"
printf 'QUIT\n' | "$SMTPCON" --batch --tls --tls-version 1.3 --cafile "$PKI/ca.pem" \
	"127.0.0.1:$s12_PORT" >"$T/pin13.out" 2>&1
assert_status 4 $? "--tls-version 1.3 against TLS 1.2 at most"
assert_grep '^\?  no TLS version in common: we offered TLS 1\.3 only, pinned by --tls-version 1\.3, .*drop the pin, or try --tls-version 1\.2' "$T/pin13.out"
printf 'QUIT\n' | "$SMTPCON" --batch --tls --priority 'NORMAL:-VERS-TLS1.3' \
	--cafile "$PKI/ca.pem" "127.0.0.1:$s13_PORT" >"$T/prio.out" 2>&1
assert_status 4 $? "--priority without TLS 1.3 against TLS 1.3 only"
assert_grep '^\?  no TLS version in common: your --priority string allows only TLS 1\.2, TLS 1\.1, TLS 1\.0, and the server speaks none of them' "$T/prio.out"
assert_not_grep 'DTLS|drop the pin|--tls-version' "$T/prio.out"

# Revoked: the server staples an OCSP response, signed by the intermediate, that says
# its certificate is revoked. The server's administrator replaces it; --cafile is no fix.
serial=$(openssl x509 -in "$PKI/leaf.pem" -noout -serial | cut -d= -f2)
printf 'R\t491231235959Z\t250101000000Z\t%s\tunknown\t/CN=localhost\n' "$serial" \
	>"$T/ocsp-index.txt"
openssl ocsp -index "$T/ocsp-index.txt" -rsigner "$PKI/int.pem" -rkey "$PKI/int-key.pem" \
	-CA "$PKI/int.pem" -issuer "$PKI/int.pem" -cert "$PKI/leaf.pem" \
	-respout "$T/revoked.der" -ndays 30 >"$T/ocsp.log" 2>&1 || { cat "$T/ocsp.log"; fail "openssl ocsp"; }
s_server revoked -status_file "$T/revoked.der"
printf 'QUIT\n' | "$SMTPCON" --batch --tls --timeout 1 --cafile "$PKI/ca.pem" \
	"127.0.0.1:$revoked_PORT" >"$T/revoked.out" 2>&1
assert_grep '^!  certificate NOT verified: a certificate in the chain has been revoked' "$T/revoked.out"
assert_grep "^\?  on the server's side: the server's administrator must replace the certificate" "$T/revoked.out"
assert_not_grep '^\? .*--cafile|incomplete chain' "$T/revoked.out"

# Must-staple (RFC 7633): a certificate with the TLS feature status_request. Without a
# stapled response the TLS block says the certificate requires one; with a good one, it
# says so beside "valid". A certificate without the feature says neither.
certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text \
	--outfile "$T/ms-key.pem" >"$T/ms.log" 2>&1 || fail "must-staple key"
printf '%s\n' 'cn = "localhost"' 'dns_name = "localhost"' 'ip_address = "127.0.0.1"' \
	'tls_www_server' 'signing_key' 'expiration_days = 30' 'tls_feature = 5' >"$T/ms.tmpl"
certtool --generate-certificate --load-privkey "$T/ms-key.pem" \
	--load-ca-certificate "$PKI/int.pem" --load-ca-privkey "$PKI/int-key.pem" \
	--template "$T/ms.tmpl" --no-text --outfile "$T/ms.pem" >>"$T/ms.log" 2>&1 ||
	{ cat "$T/ms.log"; fail "must-staple certificate"; }
ms_server() {	# ms_server NAME [options]  -> $NAME_PORT
	openssl s_server -www -accept 127.0.0.1:0 -cert "$T/ms.pem" -key "$T/ms-key.pem" \
		-cert_chain "$PKI/int.pem" "$@" </dev/null >"$T/$_sn.log" 2>&1 &
	track_pid $!
	wait_for "$T/$_sn.log" '^ACCEPT '
	eval "${_sn}_PORT=\$(sed -n 's/^ACCEPT .*:\([0-9]*\)\$/\1/p' \"\$T/\$_sn.log\")"
}
_sn=msbare ms_server
printf 'QUIT\n' | "$SMTPCON" --batch --tls --timeout 1 --cafile "$PKI/ca.pem" \
	"127.0.0.1:$msbare_PORT" >"$T/msbare.out" 2>&1
assert_grep '^\*   no OCSP response stapled, yet the certificate requires one \(must-staple, RFC 7633\)' "$T/msbare.out"
serial=$(openssl x509 -in "$T/ms.pem" -noout -serial | cut -d= -f2)
printf 'V\t491231235959Z\t\t%s\tunknown\t/CN=localhost\n' "$serial" >"$T/ms-index.txt"
openssl ocsp -index "$T/ms-index.txt" -rsigner "$PKI/int.pem" -rkey "$PKI/int-key.pem" \
	-CA "$PKI/int.pem" -issuer "$PKI/int.pem" -cert "$T/ms.pem" \
	-respout "$T/good.der" -ndays 30 >>"$T/ocsp.log" 2>&1 || { cat "$T/ocsp.log"; fail "openssl ocsp good"; }
_sn=msgood ms_server -status_file "$T/good.der"
printf 'QUIT\n' | "$SMTPCON" --batch --tls --timeout 1 --cafile "$PKI/ca.pem" \
	"127.0.0.1:$msgood_PORT" >"$T/msgood.out" 2>&1
assert_grep '^\*   OCSP response stapled and valid; the certificate requires it \(must-staple\)$' "$T/msgood.out"
assert_grep '^\*  certificate verified' "$T/msgood.out"
assert_not_grep 'must-staple' "$T/revoked.out" "a certificate without the feature"
pass
