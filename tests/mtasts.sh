#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) in the server check, inside a network and
# mount namespace of its own (no query or connection leaves the machine). dnsmasq
# serves the MX, A and TXT records; an HTTPS server (Python's http.server with ssl, a
# certificate from the test PKI made here) serves the policies on 127.0.0.10:443, and
# another, with a certificate for the wrong name, on 127.0.0.11:443.
#
#   enforce.sts.test   MX mx1.mail.sts.test, mx9.other.sts.test; policy enforce,
#                      mx *.mail.sts.test; TLS-RPT to mailto:tlsrpt@enforce.sts.test
#   testing.sts.test   MX mx2.mail.sts.test (its certificate is mx1's: wrong name);
#                      policy testing; no TLS-RPT record
#   notfound.sts.test  TXT record, but the policy is not there (HTTP 404)
#   badcert.sts.test   TXT record, policy host's certificate not valid for it
#   redirect.sts.test  TXT record, the policy URL answers 301 (not followed)
#   nosts.sts.test     no TXT record: no MTA-STS
#   big.sts.test       a policy over 64 KiB; badpolicy.sts.test an HTML page;
#   twice.sts.test     two v=STSv1 records (a sender sees no policy)
#   notls.sts.test     MX mx3.mail.sts.test, no STARTTLS; policy enforce

. "${srcdir:-$(dirname "$0")/..}/tests/netns.sh"
netns_enter dnsmasq certtool

. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd

netns_resolver
S=sts.test
set --
for d in enforce testing notfound badcert redirect big badpolicy twice notls; do
	set -- "$@" --txt-record="_mta-sts.$d.$S,v=STSv1; id=2026$d"
	[ $d = badcert ] || set -- "$@" --host-record="mta-sts.$d.$S,127.0.0.10"
	case $d in enforce|testing|notls) ;; *) set -- "$@" --mx-host="$d.$S,mx1.mail.$S,10" ;; esac
done
set -- "$@" --txt-record="_mta-sts.twice.$S,v=STSv1; id=second"
dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
	--user=root --listen-address=127.0.0.1 --bind-interfaces --port=53 \
	--pid-file= --log-facility=- --local=/$S/ \
	--mx-host=enforce.$S,mx1.mail.$S,10 --mx-host=enforce.$S,mx9.other.$S,20 \
	--mx-host=testing.$S,mx2.mail.$S,10 --mx-host=nosts.$S,mx1.mail.$S,10 \
	--mx-host=notls.$S,mx3.mail.$S,10 --host-record=mx3.mail.$S,127.0.0.5 --host-record=mta-sts.badcert.$S,127.0.0.11 \
	--txt-record="_smtp._tls.enforce.$S,v=TLSRPTv1; rua=mailto:tlsrpt@enforce.$S" \
	--host-record=mx1.mail.$S,127.0.0.2 --host-record=mx9.other.$S,127.0.0.3 \
	--host-record=mx2.mail.$S,127.0.0.4 \
	"$@" >"$T/dnsmasq.log" 2>&1 &
track_pid $!
i=0
until grep -q "started" "$T/dnsmasq.log" 2>/dev/null; do
	[ $i -ge 50 ] && { cat "$T/dnsmasq.log" >&2; fail "dnsmasq did not start"; }
	sleep 0.1
	i=$((i + 1))
done

# Certificates from the test PKI's intermediate: LEAF NAME DNS-NAME...
pki
leaf() {
	_l=$1
	shift
	certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text \
		--outfile "$T/$_l-key.pem" >>"$T/pki.log" 2>&1 || fail "key $_l"
	{
		echo "cn = \"$1\""
		for _d; do echo "dns_name = \"$_d\""; done
		printf '%s\n' tls_www_server signing_key encryption_key 'expiration_days = 30'
	} >"$T/$_l.tmpl"
	certtool --generate-certificate --load-privkey "$T/$_l-key.pem" \
		--load-ca-certificate "$PKI/int.pem" --load-ca-privkey "$PKI/int-key.pem" \
		--template "$T/$_l.tmpl" --no-text --outfile "$T/$_l.pem" \
		>>"$T/pki.log" 2>&1 || { cat "$T/pki.log" >&2; fail "cert $_l"; }
	cat "$T/$_l.pem" "$PKI/int.pem" >"$T/$_l-chain.pem"
}
leaf mx1 mx1.mail.$S
leaf mx9 mx9.other.$S
leaf web mta-sts.enforce.$S mta-sts.testing.$S mta-sts.notfound.$S mta-sts.redirect.$S \
	mta-sts.big.$S mta-sts.badpolicy.$S mta-sts.twice.$S mta-sts.notls.$S
leaf web2 mta-sts.enforce.$S

# shellcheck disable=SC2086
{
start_smtpd mx1 --host 127.0.0.2 --port 25 --hostname mx1.mail.$S \
	--starttls "$T/mx1-chain.pem" "$T/mx1-key.pem"
start_smtpd mx9 --host 127.0.0.3 --port 25 --hostname mx9.other.$S \
	--starttls "$T/mx9-chain.pem" "$T/mx9-key.pem"
# mx2 presents mx1's certificate: not valid for the name mx2.mail.sts.test.
start_smtpd mx2 --host 127.0.0.4 --port 25 --hostname mx2.mail.$S \
	--starttls "$T/mx1-chain.pem" "$T/mx1-key.pem"
start_smtpd mx3 --host 127.0.0.5 --port 25 --hostname mx3.mail.$S
}

# The policies, by the Host the request names; a .redirect file answers 301.
W=$T/www
mkdir -p "$W"
printf 'version: STSv1\r\nmode: enforce\r\nmx: *.mail.%s\r\nmax_age: 604800\r\n' $S \
	>"$W/mta-sts.enforce.$S"
printf 'version: STSv1\nmode: testing\nmx: mx2.mail.%s\nmax_age: 86400\n' $S \
	>"$W/mta-sts.testing.$S"
echo "https://mta-sts.enforce.$S/.well-known/mta-sts.txt" >"$W/mta-sts.redirect.$S.redirect"
{
	printf 'version: STSv1\nmode: enforce\nmax_age: 86400\n'
	i=0
	while [ $i -lt 3000 ]; do
		printf 'mx: mx%d.mail.%s\n' $i $S
		i=$((i + 1))
	done
} >"$W/mta-sts.big.$S"
[ "$(wc -c <"$W/mta-sts.big.$S")" -gt 65536 ] || fail "the big policy is not big"
cp "$W/mta-sts.enforce.$S" "$W/mta-sts.notls.$S"
printf '<html><body>Welcome to nginx!</body></html>\n' >"$W/mta-sts.badpolicy.$S"
cat >"$T/https.py" <<'PY'
import http.server, os, ssl, sys
addr, cert, key, root, portfile = sys.argv[1:5] + [sys.argv[6]]

class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        f = os.path.join(root, os.path.basename(host))
        if self.path != "/.well-known/mta-sts.txt":
            f = ""
        if f and os.path.exists(f + ".redirect"):
            self.send_response(301)
            self.send_header("Location", open(f + ".redirect").read().strip())
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if not f or not os.path.exists(f):
            self.send_error(404)
            return
        body = open(f, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

s = http.server.HTTPServer((addr, 443), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
s.socket = ctx.wrap_socket(s.socket, server_side=True)
with open(portfile + ".tmp", "w") as f:
    f.write("443\n")
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
PY
_lib_python
_lib_run web "$PYTHON" "$T/https.py" 127.0.0.10 "$T/web-chain.pem" "$T/web-key.pem" "$W"
_lib_run web2 "$PYTHON" "$T/https.py" 127.0.0.11 "$T/web2-chain.pem" "$T/web2-key.pem" "$W"

# check DOMAIN: text in $T/DOMAIN.txt, JSON in $T/DOMAIN.json, statuses in $st, $jst.
check() {
	st=0 jst=0
	"$SMTPCON" --check "$1.$S" --ports 25 --cafile "$PKI/ca.pem" --no-dane \
		--timeout 5 --connect-timeout 3 >"$T/$1.txt" 2>"$T/$1.err" || st=$?
	"$SMTPCON" --check "$1.$S" --ports 25 --cafile "$PKI/ca.pem" --no-dane \
		--timeout 5 --connect-timeout 3 --json >"$T/$1.json" 2>"$T/$1.jerr" || jst=$?
}
# json DOMAIN PYTHON-ASSERTIONS: r is the report, sts its mta_sts, rpt its tls_rpt.
json() {
	"$PYTHON" - "$T/$1.json" "$2" <<'PY' || { _lib_show "$T/$1.json"; fail "$1: JSON"; }
import json, sys
r = json.load(open(sys.argv[1]))
sts, rpt, probs = r["mta_sts"], r["tls_rpt"], r["summary"]["problems"]
hosts = {h["name"]: h for h in (sts["hosts"] if sts else [])}
exec(sys.argv[2])
PY
}
# sect DOMAIN: the report's MTA-STS part, up to the summary, in $T/DOMAIN.sts.
sect() { sed -n '/^MTA-STS (RFC 8461)/,/^Summary/p' "$T/$1.txt" >"$T/$1.sts"; }

# --- enforce: mx1 matches *.mail.sts.test and verifies; mx9 is not in the policy. ---
check enforce
assert_status 0 "$st" "check of enforce.$S"
sect enforce
E=$T/enforce.sts
assert_grep "^  TXT _mta-sts\.enforce\.sts\.test: v=STSv1; id=2026enforce \(policy id 2026enforce\)$" "$E"
assert_grep "^  policy https://mta-sts\.enforce\.sts\.test/\.well-known/mta-sts\.txt: mode enforce, max_age 604800 s \(7 days\)$" "$E"
assert_grep '^    mx: \*\.mail\.sts\.test$' "$E"
assert_grep '^  mx1\.mail\.sts\.test: matches mx \*\.mail\.sts\.test$' "$E"
assert_grep '^    a sender enforcing the policy delivers: STARTTLS on port 25 with a certificate valid for mx1\.mail\.sts\.test$' "$E"
assert_grep '^  mx9\.other\.sts\.test: NOT in the policy$' "$E"
assert_grep '^    a sender enforcing the policy refuses: mx9\.other\.sts\.test is not in the policy \(no mx pattern matches it\)$' "$E"
assert_grep '^TLS-RPT \(RFC 8460\): senders report TLS failures to mailto:tlsrpt@enforce\.sts\.test$' "$E"
assert_grep '^  - MTA-STS \(enforce\): a sender will not deliver to mx9\.other\.sts\.test: mx9\.other\.sts\.test is not in the policy' "$T/enforce.txt"
assert_not_grep 'deliver to mx1' "$T/enforce.txt" "mx1 is in the policy"
assert_status 0 "$jst" "--json check of enforce.$S"
json enforce '
assert r["schema"] == 2
assert sts["txt_status"] == "ok" and sts["id"] == "2026enforce", sts
assert sts["record"] == "v=STSv1; id=2026enforce", sts
assert sts["url"] == "https://mta-sts.enforce.sts.test/.well-known/mta-sts.txt", sts
assert sts["fetch_error"] is None and sts["policy_error"] is None, sts
assert sts["policy"] == {"mode": "enforce", "max_age": 604800,
                         "mx": ["*.mail.sts.test"]}, sts["policy"]
m1, m9 = hosts["mx1.mail.sts.test"], hosts["mx9.other.sts.test"]
assert m1["matches"] == "*.mail.sts.test" and m1["sender"] == "deliver", m1
assert m9["matches"] is None and m9["sender"] == "refuse", m9
assert "not in the policy" in m9["reason"], m9
assert rpt == {"txt_status": "ok", "record": "v=TLSRPTv1; rua=mailto:tlsrpt@enforce.sts.test",
               "error": None, "rua": ["mailto:tlsrpt@enforce.sts.test"]}, rpt
assert any(p.startswith("MTA-STS (enforce): a sender will not deliver to mx9.other")
           for p in probs), probs
'

# --- testing: mx2 matches, but its certificate is not for its name. ---
check testing
assert_status 4 "$st" "check of testing.$S (mx2 has a certificate for another name)"
sect testing
E=$T/testing.sts
assert_grep '^  policy https://mta-sts\.testing\.sts\.test/\.well-known/mta-sts\.txt: mode testing, max_age 86400 s \(1 day\)$' "$E"
assert_grep '^  mx2\.mail\.sts\.test: matches mx mx2\.mail\.sts\.test$' "$E"
assert_grep '^    mode testing: a sender delivers anyway and reports the failure \(TLS-RPT\); under enforce it refuses: the certificate on port 25 is not valid for mx2\.mail\.sts\.test' "$E"
assert_grep '^TLS-RPT \(RFC 8460\): no v=TLSRPTv1 TXT record at _smtp\._tls\.testing\.sts\.test: senders report failures nowhere$' "$E"
assert_grep '^  - MTA-STS \(testing\): mx2\.mail\.sts\.test fails the policy \(the certificate on port 25 is not valid for mx2\.mail\.sts\.test .*\): a sender delivers anyway and reports it \(TLS-RPT\)$' "$T/testing.txt"
assert_grep '^  - TLS-RPT: no _smtp\._tls\.testing\.sts\.test record: senders cannot report MTA-STS failures$' "$T/testing.txt"
json testing '
assert sts["policy"]["mode"] == "testing", sts
m2 = hosts["mx2.mail.sts.test"]
assert m2["sender"] == "refuse" and "certificate on port 25 is not valid" in m2["reason"], m2
assert rpt["rua"] == [] and rpt["record"] is None and rpt["txt_status"] in ("none", "nxdomain"), rpt
'

# --- notls: mx3 is in the policy but offers no STARTTLS. ---
check notls
assert_status 4 "$st" "check of notls.$S (no STARTTLS)"
assert_grep '^  mx3\.mail\.sts\.test: matches mx \*\.mail\.sts\.test$' "$T/notls.txt"
assert_grep '^    a sender enforcing the policy refuses: no TLS on port 25 \(STARTTLS not offered\)$' "$T/notls.txt"
assert_grep '^  - MTA-STS \(enforce\): a sender will not deliver to mx3\.mail\.sts\.test: no TLS on port 25 \(STARTTLS not offered\)$' "$T/notls.txt"
json notls '
m3 = hosts["mx3.mail.sts.test"]
assert m3 == {"name": "mx3.mail.sts.test", "matches": "*.mail.sts.test", "sender": "refuse",
              "reason": "refuses: no TLS on port 25 (STARTTLS not offered)"}, m3
'

# --- The policy cannot be had: HTTP 404, a certificate for another name, a redirect. ---
check notfound
assert_status 0 "$st" "check of notfound.$S"
assert_grep '^  policy https://mta-sts\.notfound\.sts\.test/\.well-known/mta-sts\.txt NOT fetched: HTTP 404 from mta-sts\.notfound\.sts\.test: no policy there$' "$T/notfound.txt"
assert_grep '^  - MTA-STS: _mta-sts\.notfound\.sts\.test announces a policy \(id 2026notfound\), but https://mta-sts\.notfound\.sts\.test/\.well-known/mta-sts\.txt could not be fetched: HTTP 404' "$T/notfound.txt"
assert_not_grep 'a sender enforcing' "$T/notfound.txt" "no policy, no verdict"
json notfound '
assert sts["policy"] is None and sts["hosts"] == [], sts
assert sts["fetch_error"] == "HTTP 404 from mta-sts.notfound.sts.test: no policy there", sts
'
check badcert
assert_grep '^  policy https://mta-sts\.badcert\.sts\.test/\.well-known/mta-sts\.txt NOT fetched: the HTTPS certificate of mta-sts\.badcert\.sts\.test is not valid for it or not trusted' "$T/badcert.txt"
json badcert '
assert sts["policy"] is None, sts
assert sts["fetch_error"].startswith("the HTTPS certificate of mta-sts.badcert.sts.test is not valid"), sts
'
check redirect
assert_grep '^  policy https://mta-sts\.redirect\.sts\.test/\.well-known/mta-sts\.txt NOT fetched: HTTP 301: a redirect to https://mta-sts\.enforce\.sts\.test/\.well-known/mta-sts\.txt, not followed' "$T/redirect.txt"
json redirect 'assert sts["policy"] is None and sts["fetch_error"].startswith("HTTP 301"), sts'
# Without --cafile the test CA is not trusted: the fetch trusts what the SMTP side does.
"$SMTPCON" --check enforce.$S --ports 25 --no-dane --timeout 5 --connect-timeout 3 \
	>"$T/nocafile.txt" 2>&1
assert_grep '^  policy https://mta-sts\.enforce\.sts\.test/\.well-known/mta-sts\.txt NOT fetched: the HTTPS certificate of mta-sts\.enforce\.sts\.test is not valid for it or not trusted' "$T/nocafile.txt"

# --- A policy too large, one that is not a policy, two TXT records. ---
check big
assert_grep '^  policy https://mta-sts\.big\.sts\.test/\.well-known/mta-sts\.txt NOT fetched: the policy at mta-sts\.big\.sts\.test is larger than 64 KiB: refused$' "$T/big.txt"
json big 'assert sts["policy"] is None and "larger than 64 KiB" in sts["fetch_error"], sts'
check badpolicy
assert_grep '^  policy https://mta-sts\.badpolicy\.sts\.test/\.well-known/mta-sts\.txt fetched, but NOT valid: line 1: no colon \("key: value" wanted\): senders ignore it$' "$T/badpolicy.txt"
assert_grep '^  - MTA-STS: the policy at https://mta-sts\.badpolicy\.sts\.test/\.well-known/mta-sts\.txt is not valid \(line 1: no colon' "$T/badpolicy.txt"
json badpolicy '
assert sts["policy"] is None and sts["fetch_error"] is None, sts
assert sts["policy_error"] == "line 1: no colon (\"key: value\" wanted)", sts
'
check twice
assert_grep '^  2 records at _mta-sts\.twice\.sts\.test start with v=STSv1: a sender sees no policy' "$T/twice.txt"
assert_not_grep 'policy https' "$T/twice.txt" "two TXT records, no fetch"
json twice 'assert sts["record"] is None and sts["url"] is None and "2 records" in sts["record_error"], sts'

# --- No TXT record: no MTA-STS, and nothing fetched. ---
check nosts
assert_status 0 "$st" "check of nosts.$S"
assert_grep '^  no MTA-STS: no v=STSv1 TXT record at _mta-sts\.nosts\.sts\.test$' "$T/nosts.txt"
assert_not_grep 'policy https' "$T/nosts.txt" "no TXT record, no fetch"
assert_not_grep 'MTA-STS' "$T/nosts.err" "no TXT record"
json nosts '
assert sts["record"] is None and sts["url"] is None and sts["policy"] is None, sts
assert sts["txt_status"] in ("none", "nxdomain"), sts
assert not any("MTA-STS" in p or "TLS-RPT" in p for p in probs), probs
'
# The web server saw no request for it.
assert_not_grep 'nosts' "$T/web.log" "a fetch for a domain without a TXT record"
# An address has no MTA-STS: both null.
"$SMTPCON" --check 127.0.0.2 --ports 25 --cafile "$PKI/ca.pem" --no-dane --json \
	>"$T/addr.json" 2>&1
json addr 'assert sts is None and rpt is None, (sts, rpt)'
pass
