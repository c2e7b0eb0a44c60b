#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# DANE (RFC 7672) for the live connection, inside a network and mount namespace of its own
# (no query can leave the machine): NSD serves a zone signed at test time with
# ldns-signzone, and an unsigned one; smtpcon is given the signed zone's trust anchor
# (--dnssec-anchor) and its resolv.conf points at NSD. One SMTP server (STARTTLS, a
# certificate for every name below, from the test PKI's intermediate) is reached by
# names whose TLSA records say:
#
#   ee.dane.example.net     3 1 1 of its key: validated, match (DANE-EE)
#   ta.dane.example.net     2 0 1 of the intermediate: validated, match (DANE-TA)
#   wrong.dane.example.net  3 1 1 of another key: validated, NO match
#   none.dane.example.net   no TLSA (and DNSSEC proves it)
#   pkix.dane.example.net   1 1 1 only: unusable for SMTP
#   mx.plain.example.org    3 1 1 in an unsigned zone: not validated
#
# and with a wrong anchor the signed zone is bogus. Line mode and the console's TLS pane.

. "${srcdir:-$(dirname "$0")/..}/tests/netns.sh"
netns_enter nsd ldns-keygen ldns-signzone certtool openssl

. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$TESTS_SRC/nsd.sh"
need tmux
need_aiosmtpd
pki

# A certificate for every name, signed by the test PKI's intermediate.
D=$T/dane
mkdir -p "$D"
certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text \
	--outfile "$D/leaf-key.pem" >"$D/pki.log" 2>&1 || fail "key"
cat >"$D/leaf.tmpl" <<'EOF'
cn = "ee.dane.example.net"
dns_name = "ee.dane.example.net"
dns_name = "ta.dane.example.net"
dns_name = "wrong.dane.example.net"
dns_name = "none.dane.example.net"
dns_name = "pkix.dane.example.net"
dns_name = "mx.plain.example.org"
tls_www_server
signing_key
expiration_days = 30
EOF
certtool --generate-certificate --load-privkey "$D/leaf-key.pem" \
	--load-ca-certificate "$PKI/int.pem" --load-ca-privkey "$PKI/int-key.pem" \
	--template "$D/leaf.tmpl" --no-text --outfile "$D/leaf.pem" >>"$D/pki.log" 2>&1 ||
	{ cat "$D/pki.log" >&2; fail "certificate"; }
cat "$D/leaf.pem" "$PKI/int.pem" >"$D/chain.pem"
start_smtpd srv --starttls "$D/chain.pem" "$D/leaf-key.pem"
P=$srv_PORT

# The TLSA data: the key's SHA-256, the intermediate's SHA-256, and a key that is not it.
spki=$(openssl x509 -in "$D/leaf.pem" -noout -pubkey | openssl pkey -pubin -outform DER |
	openssl dgst -sha256 -r | cut -d' ' -f1)
int=$(openssl x509 -in "$PKI/int.pem" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1)
other=$(openssl x509 -in "$PKI/leaf.pem" -noout -pubkey | openssl pkey -pubin -outform DER |
	openssl dgst -sha256 -r | cut -d' ' -f1)
[ ${#spki} -eq 64 ] && [ ${#int} -eq 64 ] && [ ${#other} -eq 64 ] || fail "hashes"

soa='@ IN SOA ns admin 1 3600 600 86400 300'
cat >"$D/dane.zone" <<EOF
\$ORIGIN dane.example.net.
\$TTL 300
$soa
@ IN NS ns
ns IN A 127.0.0.1
ee IN A 127.0.0.1
ta IN A 127.0.0.1
wrong IN A 127.0.0.1
none IN A 127.0.0.1
pkix IN A 127.0.0.1
_$P._tcp.ee IN TLSA 3 1 1 $spki
_$P._tcp.ta IN TLSA 2 0 1 $int
_$P._tcp.wrong IN TLSA 3 1 1 $other
_$P._tcp.pkix IN TLSA 1 1 1 $spki
EOF
cat >"$D/plain.zone" <<EOF
\$ORIGIN plain.example.org.
\$TTL 300
$soa
@ IN NS ns
ns IN A 127.0.0.1
mx IN A 127.0.0.1
_$P._tcp.mx IN TLSA 3 1 1 $spki
EOF
# Signed at test time: a key-signing key (its DS is the anchor) and a zone-signing key;
# another key's DS makes the zone bogus.
nsd_sign_zone "$D" dane.example.net dane.zone
nsd_start "$D" dane.example.net:dane.zone.signed plain.example.org:plain.zone

# run NAME HOST [OPTIONS]: a STARTTLS session in line mode, output in $D/NAME.out.
run() {
	_n=$1 _h=$2
	shift 2
	printf 'QUIT\n' | "$SMTPCON" --batch --starttls --cafile "$PKI/ca.pem" \
		--dnssec-anchor "$D/anchor.ds" "$@" "$_h:$P" >"$D/$_n.out" 2>&1
	grep -q 'certificate verified' "$D/$_n.out" ||
		{ cat "$D/$_n.out" >&2; fail "$_n: no verified TLS session"; }
}
q() { printf '_%s._tcp.%s' "$P" "$1"; }

run ee ee.dane.example.net
assert_grep "^\*  DANE: validated TLSA at $(q ee.dane.example.net), and the chain matches: a DANE sender delivers$" "$D/ee.out"
assert_grep '^\*       TLSA 3 1 1 \(DANE-EE, public key, SHA-256\) matches certificate \[0\]$' "$D/ee.out"

run ta ta.dane.example.net
assert_grep 'DANE: validated TLSA at .*, and the chain matches' "$D/ta.out"
assert_grep 'TLSA 2 0 1 \(DANE-TA, whole certificate, SHA-256\) matches certificate \[1\], the trust anchor$' "$D/ta.out"

run wrong wrong.dane.example.net
assert_grep '^!  DANE: validated TLSA at .*, but NO record matches the chain: a DANE sender will not deliver' "$D/wrong.out"
assert_grep 'TLSA 3 1 1 \(DANE-EE, public key, SHA-256\) matches no certificate of the chain$' "$D/wrong.out"

run none none.dane.example.net
assert_grep "^\*  DANE: no TLSA record at $(q none.dane.example.net) \(DNSSEC proves there is none\)$" "$D/none.out"

run pkix pkix.dane.example.net
assert_grep 'DANE: validated TLSA records at .*, none usable for SMTP' "$D/pkix.out"
assert_grep 'TLSA 1 1 1 \(PKIX-EE, public key, SHA-256\): unusable for SMTP' "$D/pkix.out"

run unsigned mx.plain.example.org
assert_grep "DANE: TLSA records at $(q mx.plain.example.org), NOT DNSSEC-validated: a DANE sender ignores them" "$D/unsigned.out"
assert_grep 'TLSA 3 1 1 \(DANE-EE, public key, SHA-256\) matches certificate \[0\]$' "$D/unsigned.out"

# The anchor of another key: the signed zone fails validation.
printf 'QUIT\n' | "$SMTPCON" --batch --starttls --cafile "$PKI/ca.pem" \
	--dnssec-anchor "$D/wrong-anchor.ds" "ee.dane.example.net:$P" >"$D/bogus.out" 2>&1
assert_grep '^!  DANE: the TLSA answer for .* is BOGUS \(DNSSEC validation failed\)' "$D/bogus.out"

# An address: not looked up, saying why; --no-dane: no word of it.
printf 'QUIT\n' | "$SMTPCON" --batch --starttls --cafile "$PKI/ca.pem" \
	"127.0.0.1:$P" >"$D/addr.out" 2>&1
assert_grep '^\*   DANE: not looked up: TLSA records are found by name, and the target is an address' "$D/addr.out"
# In the TLS block (and pane) only: not a transcript line on every connection by address.
assert_not_grep '^\*  DANE: not looked up' "$D/addr.out" "the transcript"
printf 'QUIT\n' | "$SMTPCON" --batch --starttls --cafile "$PKI/ca.pem" --no-dane \
	"ee.dane.example.net:$P" >"$D/off.out" 2>&1
assert_grep 'certificate verified' "$D/off.out"
assert_not_grep 'DANE' "$D/off.out" "--no-dane"
# A trust anchor that cannot be read is a usage error, before connecting; one that is
# not a trust anchor is said, and the session goes on.
st=0
printf 'QUIT\n' | "$SMTPCON" --batch --starttls --cafile "$PKI/ca.pem" \
	--dnssec-anchor "$D/missing.ds" "ee.dane.example.net:$P" >"$D/noanchor.out" 2>&1 || st=$?
assert_status 2 "$st" "a missing trust anchor"
assert_grep "^smtpcon: --dnssec-anchor $D/missing.ds: No such file or directory$" "$D/noanchor.out"
assert_not_grep 'connect' "$D/noanchor.out" "a missing trust anchor"
echo 'not an anchor' >"$D/junk.ds"
printf 'QUIT\n' | "$SMTPCON" --batch --starttls --cafile "$PKI/ca.pem" \
	--dnssec-anchor "$D/junk.ds" "ee.dane.example.net:$P" >"$D/junk.out" 2>&1
assert_grep "DANE: not looked up: cannot use the trust anchor $D/junk.ds" "$D/junk.out"
assert_grep '^S: 221 ' "$D/junk.out"

# The console's TLS pane.
export SMTPCON_HELPDIR="$srcdir/help"
tmux_start con 200 50 "$SMTPCON" --starttls --cafile "$PKI/ca.pem" \
	--dnssec-anchor "$D/anchor.ds" "ta.dane.example.net:$P"
tmux_wait con '│DANE: validated TLSA at _[0-9]+\._tcp\.ta\.dane\.example\.net,$'
tmux_wait con '│    and the chain matches: a DANE sender delivers$'
tmux_wait con '│    TLSA 2 0 1 \(DANE-TA, whole certificate,$'
pass
