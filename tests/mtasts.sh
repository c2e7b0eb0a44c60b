#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) in the server check, inside a network and
# mount namespace of its own (no query or connection leaves the machine). The domains,
# the policies and the servers are tests/sts-env.sh's (shared with
# tests/mtasts-session.sh); the web server's log is $T/web.log.

. "${srcdir:-$(dirname "$0")/..}/tests/netns.sh"
netns_enter dnsmasq certtool

. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$TESTS_SRC/sts-env.sh"

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
