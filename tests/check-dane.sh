#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# DANE in the server check (smtpcon --check), inside a network and mount namespace of
# its own: NSD serves dane.example.net, signed at test time with ldns-signzone, with two
# MX hosts whose TLSA records at _25._tcp say:
#
#   good.dane.example.net (127.0.0.2)  3 1 1 of its key: validated, match
#   bad.dane.example.net  (127.0.0.3)  3 1 1 of another key: validated, NO match
#
# Both servers present the same verified chain (the test PKI), so only DANE tells them
# apart: the report, the JSON and the summary must say a DANE sender will not deliver
# to bad. With another key's DS as the anchor, both answers are BOGUS. With --no-dane,
# not a word of it.
#
# The same signed zone publishes an MTA-STS policy (_mta-sts TXT, mta-sts A 127.0.0.10,
# served by tests/policyd.py; mode enforce, mx good.dane.example.net only) and a
# TLS-RPT record: the check and a session by domain (--mx) give DANE and MTA-STS side
# by side, each with its own verdict on the same connection.

. "${srcdir:-$(dirname "$0")/..}/tests/netns.sh"
netns_enter nsd ldns-keygen ldns-signzone certtool openssl

. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$TESTS_SRC/nsd.sh"
need_aiosmtpd
pki

D=$T/cdane
mkdir -p "$D"
certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text \
	--outfile "$D/leaf-key.pem" >"$D/pki.log" 2>&1 || fail "key"
printf '%s\n' 'cn = "good.dane.example.net"' 'dns_name = "good.dane.example.net"' \
	'dns_name = "bad.dane.example.net"' tls_www_server signing_key \
	'expiration_days = 30' >"$D/leaf.tmpl"
certtool --generate-certificate --load-privkey "$D/leaf-key.pem" \
	--load-ca-certificate "$PKI/int.pem" --load-ca-privkey "$PKI/int-key.pem" \
	--template "$D/leaf.tmpl" --no-text --outfile "$D/leaf.pem" >>"$D/pki.log" 2>&1 ||
	{ cat "$D/pki.log" >&2; fail "certificate"; }
cat "$D/leaf.pem" "$PKI/int.pem" >"$D/chain.pem"
certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text \
	--outfile "$D/web-key.pem" >>"$D/pki.log" 2>&1 || fail "web key"
printf '%s\n' 'cn = "mta-sts.dane.example.net"' 'dns_name = "mta-sts.dane.example.net"' \
	tls_www_server signing_key 'expiration_days = 30' >"$D/web.tmpl"
certtool --generate-certificate --load-privkey "$D/web-key.pem" \
	--load-ca-certificate "$PKI/int.pem" --load-ca-privkey "$PKI/int-key.pem" \
	--template "$D/web.tmpl" --no-text --outfile "$D/web.pem" >>"$D/pki.log" 2>&1 ||
	{ cat "$D/pki.log" >&2; fail "web certificate"; }
cat "$D/web.pem" "$PKI/int.pem" >"$D/web-chain.pem"

spki=$(openssl x509 -in "$D/leaf.pem" -noout -pubkey | openssl pkey -pubin -outform DER |
	openssl dgst -sha256 -r | cut -d' ' -f1)
other=$(openssl x509 -in "$PKI/leaf.pem" -noout -pubkey | openssl pkey -pubin -outform DER |
	openssl dgst -sha256 -r | cut -d' ' -f1)
[ ${#spki} -eq 64 ] && [ ${#other} -eq 64 ] || fail "hashes"

cat >"$D/dane.zone" <<EOF
\$ORIGIN dane.example.net.
\$TTL 300
@ IN SOA ns admin 1 3600 600 86400 300
@ IN NS ns
@ IN MX 10 good
@ IN MX 20 bad
ns IN A 127.0.0.1
good IN A 127.0.0.2
bad IN A 127.0.0.3
_25._tcp.good IN TLSA 3 1 1 $spki
_25._tcp.bad IN TLSA 3 1 1 $other
_mta-sts IN TXT "v=STSv1; id=dane1"
mta-sts IN A 127.0.0.10
_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@dane.example.net"
EOF
# An unsigned domain whose MX is good: a DANE sender does not use good's validated
# TLSA records when it comes through unvalidated MX records (RFC 7672 2.2.1).
cat >"$D/plain.zone" <<EOF
\$ORIGIN plain.example.org.
\$TTL 300
@ IN SOA ns.dane.example.net. admin 1 3600 600 86400 300
@ IN NS ns.dane.example.net.
@ IN MX 10 good.dane.example.net.
EOF
nsd_sign_zone "$D" dane.example.net dane.zone
nsd_start "$D" dane.example.net:dane.zone.signed plain.example.org:plain.zone

# shellcheck disable=SC2086
{
start_smtpd good --host 127.0.0.2 --port 25 --hostname good.dane.example.net \
	--starttls "$D/chain.pem" "$D/leaf-key.pem"
start_smtpd bad --host 127.0.0.3 --port 25 --hostname bad.dane.example.net \
	--starttls "$D/chain.pem" "$D/leaf-key.pem"
}
mkdir -p "$D/www"
printf 'version: STSv1\nmode: enforce\nmx: good.dane.example.net\nmax_age: 86400\n' \
	>"$D/www/mta-sts.dane.example.net"
start_policyd web 127.0.0.10 "$D/web-chain.pem" "$D/web-key.pem" "$D/www"

O=$D/out.txt
st=0
"$SMTPCON" --check dane.example.net --ports 25 --cafile "$PKI/ca.pem" \
	--dnssec-anchor "$D/anchor.ds" --timeout 5 >"$O" 2>"$D/err.txt" || st=$?
assert_status 0 "$st" "check of dane.example.net (both verified by PKIX)"
# The report, under each host's port 25.
sed -n '/^good\.dane\.example\.net/,/^bad\.dane/p' "$O" >"$D/good.txt"
sed -n '/^bad\.dane\.example\.net/,/^Summary/p' "$O" >"$D/bad.txt"
assert_grep '^      DANE: validated TLSA at _25\._tcp\.good\.dane\.example\.net, and the chain matches: a DANE sender delivers$' "$D/good.txt"
assert_grep '^        TLSA 3 1 1 \(DANE-EE, public key, SHA-256\) matches certificate \[0\]$' "$D/good.txt"
assert_grep '^      DANE: validated TLSA at _25\._tcp\.bad\.dane\.example\.net, but NO record matches the chain' "$D/bad.txt"
assert_grep '^        TLSA 3 1 1 \(DANE-EE, public key, SHA-256\) matches no certificate of the chain$' "$D/bad.txt"
# The summary: bad is a problem, good is not.
sed -n '/^Summary/,$p' "$O" >"$D/summary.txt"
assert_grep '^  - a DANE sender will not deliver to bad\.dane\.example\.net: port 25 \[127\.0\.0\.3\] presents a chain that no validated TLSA record matches$' "$D/summary.txt"
assert_not_grep 'DANE sender will not deliver to good' "$D/summary.txt" "good matches its TLSA"
# MTA-STS from the signed zone: good is in the policy, bad is not (DANE and MTA-STS
# agree on bad for different reasons).
sed -n '/^MTA-STS (RFC 8461)/,/^Summary/p' "$O" >"$D/sts.txt"
assert_grep '^  TXT _mta-sts\.dane\.example\.net: v=STSv1; id=dane1 \(policy id dane1\)$' "$D/sts.txt"
assert_grep '^  policy https://mta-sts\.dane\.example\.net/\.well-known/mta-sts\.txt: mode enforce, max_age 86400 s \(1 day\)$' "$D/sts.txt"
assert_grep '^    a sender enforcing the policy delivers: STARTTLS on port 25 with a certificate valid for good\.dane\.example\.net$' "$D/sts.txt"
assert_grep '^    a sender enforcing the policy refuses: bad\.dane\.example\.net is not in the policy' "$D/sts.txt"
assert_grep '^TLS-RPT \(RFC 8460\): senders report TLS failures to mailto:tlsrpt@dane\.example\.net$' "$D/sts.txt"

# A session by domain: the most preferred MX, DANE and MTA-STS both judge it.
sess() {
	_n=$1
	shift
	printf 'QUIT\r\n' | "$SMTPCON" --batch --cafile "$PKI/ca.pem" \
		--dnssec-anchor "$D/anchor.ds" --timeout 5 --starttls --mx dane.example.net \
		"$@" >"$D/$_n.out" 2>&1 || { _lib_show "$D/$_n.out"; fail "$_n: exit $?"; }
}
sess good
assert_grep '^\*  connecting to good\.dane\.example\.net, its most preferred MX$' "$D/good.out"
assert_grep '^\*  DANE: validated TLSA at _25\._tcp\.good\.dane\.example\.net, and the chain matches: a DANE sender delivers$' "$D/good.out"
assert_grep '^\*  MTA-STS for dane\.example\.net: policy id dane1, mode enforce, max_age 86400 s \(1 day\), mx good\.dane\.example\.net$' "$D/good.out"
assert_grep '^\*  MTA-STS \(enforce\): a sender enforcing the policy delivers: STARTTLS on port 25 with a certificate valid for good\.dane\.example\.net$' "$D/good.out"
assert_grep '^\*  TLS-RPT for dane\.example\.net: failures are reported to mailto:tlsrpt@dane\.example\.net$' "$D/good.out"
sess bad bad.dane.example.net
assert_grep '^\*  MX of dane\.example\.net: 10 good\.dane\.example\.net, 20 bad\.dane\.example\.net$' "$D/bad.out"
assert_grep '^!  DANE: validated TLSA at _25\._tcp\.bad\.dane\.example\.net, but NO record matches the chain' "$D/bad.out"
assert_grep '^!  MTA-STS \(enforce\): a sender enforcing the policy refuses: bad\.dane\.example\.net is not in the policy \(no mx pattern matches it\)$' "$D/bad.out"

# Through the unsigned domain's MX records, good's validated TLSA records do not count:
# the session and the check say so, and keep what the records would say.
printf 'QUIT\r\n' | "$SMTPCON" --batch --cafile "$PKI/ca.pem" --dnssec-anchor "$D/anchor.ds" \
	--timeout 5 --starttls --mx plain.example.org >"$D/viaplain.out" 2>&1 ||
	{ _lib_show "$D/viaplain.out"; fail "--mx plain.example.org: exit $?"; }
assert_grep '^\*  DANE: not used: the MX records of plain\.example\.org are NOT DNSSEC-validated, and a DANE sender uses TLSA records only for MX hosts that validated MX records name \(RFC 7672 §2\.2\.1\)$' "$D/viaplain.out"
assert_grep '^\*       validated TLSA at _25\._tcp\.good\.dane\.example\.net, and the chain matches: a DANE sender delivers$' "$D/viaplain.out"
"$SMTPCON" --check plain.example.org --ports 25 --cafile "$PKI/ca.pem" \
	--dnssec-anchor "$D/anchor.ds" --timeout 5 >"$D/plain.txt" 2>&1
assert_grep '^      DANE: not used: the MX records of plain\.example\.org are NOT DNSSEC-validated' "$D/plain.txt"
assert_grep '^        validated TLSA at _25\._tcp\.good\.dane\.example\.net, and the chain matches' "$D/plain.txt"
assert_not_grep 'DANE sender will not deliver' "$D/plain.txt" "records that do not count"
# Reached by its own name, good's records count (the check of dane.example.net above,
# and a session to the host itself).
printf 'QUIT\r\n' | "$SMTPCON" --batch --cafile "$PKI/ca.pem" --dnssec-anchor "$D/anchor.ds" \
	--timeout 5 --starttls good.dane.example.net >"$D/direct.out" 2>&1 ||
	{ _lib_show "$D/direct.out"; fail "good.dane.example.net: exit $?"; }
assert_grep '^\*  DANE: validated TLSA at _25\._tcp\.good\.dane\.example\.net, and the chain matches: a DANE sender delivers$' "$D/direct.out"

# The JSON: the same, per port.
"$SMTPCON" --check dane.example.net --ports 25 --cafile "$PKI/ca.pem" \
	--dnssec-anchor "$D/anchor.ds" --timeout 5 --json >"$D/out.json" 2>"$D/err.txt" ||
	fail "--json exit status $?"
"${PYTHON:-python3}" - "$D/out.json" <<'PY' || fail "JSON assertions"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["schema"] == 2, r["schema"]
dane = {h["name"]: h["addresses"][0]["ports"][0]["tls"]["dane"] for h in r["hosts"]}
g, b = dane["good.dane.example.net"], dane["bad.dane.example.net"]
assert g["state"] == "match", g
assert b["state"] == "no-match", b
assert "a DANE sender delivers" in g["verdict"], g
assert b["records"] == ["TLSA 3 1 1 (DANE-EE, public key, SHA-256) matches no "
                        "certificate of the chain"], b
p = r["summary"]["problems"]
assert any(x.startswith("a DANE sender will not deliver to bad.dane.example.net")
           for x in p), p
assert not any("deliver to good" in x for x in p), p
PY

# The anchor of another key: every answer is BOGUS, a problem for each host.
"$SMTPCON" --check dane.example.net --ports 25 --cafile "$PKI/ca.pem" \
	--dnssec-anchor "$D/wrong-anchor.ds" --timeout 5 >"$D/bogus.txt" 2>&1
assert_grep '^      DANE: the TLSA answer for _25\._tcp\.good\.dane\.example\.net is BOGUS \(DNSSEC validation failed\)' "$D/bogus.txt"
assert_grep '^  - a DANE sender will not deliver to good\.dane\.example\.net: the TLSA answer for port 25 is BOGUS \(DNSSEC validation failed\)$' "$D/bogus.txt"
assert_grep '^  - a DANE sender will not deliver to bad\.dane\.example\.net: the TLSA answer for port 25 is BOGUS' "$D/bogus.txt"

# --no-dane: no lookup, no word, and the JSON says null.
"$SMTPCON" --check dane.example.net --ports 25 --cafile "$PKI/ca.pem" --no-dane \
	--timeout 5 >"$D/off.txt" 2>&1
assert_not_grep 'DANE' "$D/off.txt" "--no-dane"
"$SMTPCON" --check dane.example.net --ports 25 --cafile "$PKI/ca.pem" --no-dane \
	--timeout 5 --json >"$D/off.json" 2>&1
"${PYTHON:-python3}" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert all(h["addresses"][0]["ports"][0]["tls"]["dane"] is None for h in r["hosts"]), r
' "$D/off.json" || fail "--no-dane: dane is not null in the JSON"
pass
