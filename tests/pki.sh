#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# pki.sh OUTDIR -- make a throwaway test PKI with certtool (GnuTLS).
#
#   ca.pem / ca-key.pem                  root "smtpcon Test Root CA"
#   int.pem / int-key.pem                "smtpcon Test Intermediate CA", signed by root
#   leaf.pem / leaf-key.pem              localhost, 127.0.0.1, ::1 (signed by int)
#   leaf-chain.pem                       leaf + int: what a server presents
#   selfsigned.pem / -key.pem            self-signed localhost leaf
#   expired.pem / -key.pem / -chain.pem  localhost leaf valid 2020-01-01..2021-01-01
#   wrongname.pem / -key.pem / -chain.pem  leaf for wrong.example only
#   many.pem / -key.pem / -chain.pem     leaf for mx1..mx10.example.org (not localhost)
#   future.pem / -key.pem / -chain.pem   localhost leaf valid from 2040-01-01
#   leaf-root-chain.pem                  leaf + int + root: a chain up to its root
#   client.pem / client-key.pem          TLS client certificate (signed by int)
#
# ECDSA P-256 keys: generation is near-instant, unlike RSA.
# Silent on success; on failure prints certtool's output and exits non-zero.
set -eu

[ $# -eq 1 ] || { echo "usage: pki.sh OUTDIR" >&2; exit 2; }
out=$1
mkdir -p "$out"
cd "$out"
log=pki.log
: >"$log"

die() {
	cat "$log" >&2
	echo "pki.sh: $*" >&2
	exit 1
}

key() {
	certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 \
		--no-text --outfile "$1-key.pem" >>"$log" 2>&1 || die "key $1"
}

# tmpl NAME LINES...: write a certtool template file NAME.tmpl
tmpl() {
	_t=$1.tmpl
	shift
	printf '%s\n' "$@" >"$_t"
}

# sign NAME ISSUER: certificate NAME.pem from NAME.tmpl, signed by ISSUER
sign() {
	certtool --generate-certificate --load-privkey "$1-key.pem" \
		--load-ca-certificate "$2.pem" --load-ca-privkey "$2-key.pem" \
		--template "$1.tmpl" --no-text --outfile "$1.pem" >>"$log" 2>&1 ||
		die "sign $1"
}

# The CAs start in the past so that the expired leaf lies inside the issuer's
# validity: its only defect is then its own expiry.
ca_dates='activation_date = "2019-01-01 00:00:00 UTC"'
ca_end='expiration_date = "2049-12-31 23:59:59 UTC"'
server_names='dns_name = "localhost"
ip_address = "127.0.0.1"
ip_address = "::1"'

key ca
tmpl ca 'cn = "smtpcon Test Root CA"' 'organization = "smtpcon tests"' \
	ca cert_signing_key crl_signing_key "$ca_dates" "$ca_end"
certtool --generate-self-signed --load-privkey ca-key.pem --template ca.tmpl \
	--no-text --outfile ca.pem >>"$log" 2>&1 || die "self-sign ca"

key int
tmpl int 'cn = "smtpcon Test Intermediate CA"' 'organization = "smtpcon tests"' \
	ca 'path_len = 0' cert_signing_key crl_signing_key "$ca_dates" "$ca_end"
sign int ca

key leaf
tmpl leaf 'cn = "localhost"' "$server_names" tls_www_server signing_key \
	encryption_key 'expiration_days = 3650'
sign leaf int

key selfsigned
tmpl selfsigned 'cn = "localhost"' "$server_names" tls_www_server signing_key \
	encryption_key 'expiration_days = 3650'
certtool --generate-self-signed --load-privkey selfsigned-key.pem \
	--template selfsigned.tmpl --no-text --outfile selfsigned.pem \
	>>"$log" 2>&1 || die "self-sign selfsigned"

key expired
tmpl expired 'cn = "localhost"' "$server_names" tls_www_server signing_key \
	encryption_key 'activation_date = "2020-01-01 00:00:00 UTC"' \
	'expiration_date = "2021-01-01 00:00:00 UTC"'
sign expired int

key wrongname
tmpl wrongname 'cn = "wrong.example"' 'dns_name = "wrong.example"' \
	tls_www_server signing_key encryption_key 'expiration_days = 3650'
sign wrongname int

key many
tmpl many 'cn = "mx1.example.org"' 'dns_name = "mx1.example.org"' \
	'dns_name = "mx2.example.org"' 'dns_name = "mx3.example.org"' \
	'dns_name = "mx4.example.org"' 'dns_name = "mx5.example.org"' \
	'dns_name = "mx6.example.org"' 'dns_name = "mx7.example.org"' \
	'dns_name = "mx8.example.org"' 'dns_name = "mx9.example.org"' \
	'dns_name = "mx10.example.org"' tls_www_server signing_key encryption_key \
	'expiration_days = 3650'
sign many int

key future
tmpl future 'cn = "localhost"' "$server_names" tls_www_server signing_key \
	encryption_key 'activation_date = "2040-01-01 00:00:00 UTC"' \
	'expiration_date = "2041-01-01 00:00:00 UTC"'
sign future int

key client
tmpl client 'cn = "smtpcon test client"' 'email = "client@localhost"' \
	tls_www_client signing_key 'expiration_days = 3650'
sign client int

for c in leaf expired wrongname many future; do
	cat "$c.pem" int.pem >"$c-chain.pem"
done
cat leaf.pem int.pem ca.pem >leaf-root-chain.pem
rm -f ./*.tmpl "$log"
