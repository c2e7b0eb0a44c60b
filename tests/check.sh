#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# smtpcon --check against a private DNS server and real SMTP servers, inside a
# network and mount namespace of its own: no query or connection can leave the
# machine.  dnsmasq serves a domain with two MX hosts (mx1 127.0.0.2, mx2
# 127.0.0.3), a name with no MX, a null MX and the PTR names; a resolv.conf
# pointing at it is bind-mounted over /etc/resolv.conf.
#
#   mx1:25   STARTTLS, SMTPUTF8, cert for mx1   mx2:25   STARTTLS, expired certificate
#   mx1:465  implicit TLS, TLS 1.3 only         mx2:465  closed (refused)
#   mx1:587  STARTTLS required, AUTH after TLS  mx2:587  accepts, never says a word
#   mx1:2525 STARTTLS, TLS 1.2 only, AUTH       mx2:2525 never answers (SYNs dropped)
#            offered before TLS
#   nomx (127.0.0.4): no MX, plain, no STARTTLS; evil (127.0.0.6): hostile greeting

. "${srcdir:-$(dirname "$0")/..}/tests/netns.sh"
netns_enter dnsmasq certtool

. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd

ip addr add ::2/128 dev lo 2>/dev/null

# The DNS: everything under test.example is answered here, nothing forwarded.
netns_resolver
netns_dnsmasq --local=/test.example/ \
	--mx-host=test.example,mx1.test.example,10 \
	--mx-host=test.example,mx2.test.example,20 \
	--mx-host=nullmx.test.example,.,0 \
	--host-record=mx1.test.example,127.0.0.2,::2 \
	--host-record=mx2.test.example,127.0.0.3 \
	--host-record=nomx.test.example,127.0.0.4 \
	--host-record=nullmx.test.example,127.0.0.5 \
	--host-record=evil.test.example,127.0.0.6 \
	--local=/smtpcon.test/ --host-record=practice.smtpcon.test,127.0.0.7

# Certificates: the test CA's intermediate signs one for mx1, an expired one for mx2.
pki
leaf() {
	certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --no-text \
		--outfile "$T/$1-key.pem" >>"$T/pki.log" 2>&1 || fail "key $1"
	printf '%s\n' "cn = \"$2\"" "dns_name = \"$2\"" tls_www_server signing_key \
		encryption_key "$3" "$4" >"$T/$1.tmpl"
	certtool --generate-certificate --load-privkey "$T/$1-key.pem" \
		--load-ca-certificate "$PKI/int.pem" --load-ca-privkey "$PKI/int-key.pem" \
		--template "$T/$1.tmpl" --no-text --outfile "$T/$1.pem" \
		>>"$T/pki.log" 2>&1 || { cat "$T/pki.log" >&2; fail "cert $1"; }
	cat "$T/$1.pem" "$PKI/int.pem" >"$T/$1-chain.pem"
}
leaf mx1 mx1.test.example 'expiration_days = 3650' ''
leaf mx2 mx2.test.example 'activation_date = "2020-01-01 00:00:00 UTC"' \
	'expiration_date = "2021-01-01 00:00:00 UTC"'
MX1="$T/mx1-chain.pem $T/mx1-key.pem"
MX2="$T/mx2-chain.pem $T/mx2-key.pem"

# shellcheck disable=SC2086
{
start_smtpd m1p25 --host 127.0.0.2 --port 25 --hostname mx1.test.example --starttls $MX1 \
	--smtputf8
start_smtpd m1p465 --host 127.0.0.2 --port 465 --hostname mx1.test.example \
	--implicit-tls $MX1 --tls13-only
start_smtpd m1p587 --host 127.0.0.2 --port 587 --hostname mx1.test.example \
	--starttls $MX1 --require-starttls --auth user:pass --auth-require-tls
start_smtpd m1p2525 --host 127.0.0.2 --port 2525 --hostname mx1.test.example \
	--starttls $MX1 --tls12-only --auth user:pass
start_smtpd m2p25 --host 127.0.0.3 --port 25 --starttls $MX2
start_smtpd nomx --host 127.0.0.4 --port 25 --hostname nomx.test.example
start_hostile evil escape --host 127.0.0.6 --port 25
start_practice pr --listen 127.0.0.7 --port 25 --tls-required --quiet
}

# mx2:587 accepts but never speaks; mx2:2525 has a full accept
# queue, so the kernel drops the SYNs: a connection that times out.
cat >"$T/quiet.py" <<'PY'
import os, socket, sys, time
kind, host, port, portfile = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[5]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(0 if kind == "blackhole" else 16)
held = []
if kind == "blackhole":
    for _ in range(3):
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect((host, port))
        except BlockingIOError:
            pass
        held.append(c)
        time.sleep(0.2)
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % port)
os.rename(portfile + ".tmp", portfile)
while kind == "silent":
    held.append(s.accept()[0])  # and never a word
time.sleep(3600)
PY
_lib_run m2p587 "${PYTHON:-python3}" "$T/quiet.py" silent 127.0.0.3 587
_lib_run m2p2525 "${PYTHON:-python3}" "$T/quiet.py" blackhole 127.0.0.3 2525

# --- The domain: two MX hosts, four ports, one silent and one dropping SYNs. ---
CT=3
start=$(date +%s%N)
"$SMTPCON" --check test.example --ports 25,465,587,2525 --cafile "$PKI/ca.pem" \
	--connect-timeout $CT --timeout $CT >"$T/out.txt" 2>"$T/err.txt"
st=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
assert_status 4 $st "check of test.example (mx2 has an expired certificate)"
[ $elapsed -le $(( (CT + 5) * 1000 )) ] ||
	fail "the check took $elapsed ms: more than the connect timeout ($CT s) + 5 s"
# Two probes wait their whole timeout (mx2:587, mx2:2525): at the same time, not
# one after the other.
[ $elapsed -lt $(( 2 * CT * 1000 - 500 )) ] ||
	fail "the check took $elapsed ms: its two slow probes did not run in parallel"
echo "check of 2 MX x 4 ports took $elapsed ms" >&2
O=$T/out.txt
# DANE under the root's anchor, through a resolver (dnsmasq) that passes no DNSSEC:
# not judged, saying why; never a BOGUS alarm against the domain.
if [ -r /usr/share/dns/root.key ]; then
	assert_grep 'DANE: not judged: the DNS resolver here passes no DNSSEC' "$O"
	assert_not_grep 'BOGUS|will not deliver' "$O" "DANE without DNSSEC on the path"
fi
assert_grep '^ +10 mx1\.test\.example$' "$O"
assert_grep '^ +20 mx2\.test\.example$' "$O"
assert_grep '^mx1\.test\.example \(MX 10\)' "$O"
assert_grep '^  127\.0\.0\.2  PTR mx1\.test\.example$' "$O"
assert_grep '^  ::2  PTR mx1\.test\.example$' "$O"
assert_grep 'port 25 \(plain, STARTTLS if offered\): connected' "$O"
assert_grep 'greeting after [0-9]+ ms: 220 mx1\.test\.example smtpcon-test ESMTP' "$O"
assert_grep 'PTR matches the greeting' "$O"
assert_grep 'PTR differs from the greeting' "$O"
assert_grep 'STARTTLS: offered' "$O"
assert_grep 'certificate verified: chain trusted, name mx1\.test\.example matches' "$O"
assert_grep 'covers mx1\.test\.example: yes' "$O"
assert_grep 'AUTH only after STARTTLS' "$O"
assert_grep 'EHLO after TLS: SIZE [0-9]+, 8BITMIME, AUTH LOGIN PLAIN$' "$O"
assert_grep 'port 465 on|port 465 refused on mx2\.test\.example \[127\.0\.0\.3\]' "$O"
assert_grep 'port 2525 unreachable from here on mx2\.test\.example \[127\.0\.0\.3\] \(timed out\)' "$O"
assert_grep "mx2\\.test\\.example \\[127\\.0\\.0\\.3\\] port 587: no greeting within $CT s" "$O"
assert_grep 'mx2\.test\.example \[127\.0\.0\.3\] port 25: certificate NOT verified: .*expired on 2021-01-01, [0-9]+ days ago$' "$O"
assert_grep 'certificate verified: .*; 36[45][0-9] days left$' "$O"
assert_grep '^  Use mx1\.test\.example port 25 with STARTTLS \(certificate verified\)\.$' "$O"
assert_grep "^  To open a session: smtpcon --starttls --cafile $PKI/ca.pem mx1\\.test\\.example:25\$" "$O"
assert_grep '^  - mx2\.test\.example answers, but on no port checked with TLS and a verified certificate$' "$O"
assert_not_grep 'mx1\.test\.example answers, but' "$O"
assert_grep '^Result: a mail server answered without TLS and a verified certificate\.$' "$O"
assert_not_grep 'STARTTLS: offered, required' "$O"
# The TLS versions of 465 (1.3 only) and 2525 (1.2 only), in the port's block.
# block ADDR PORT: the lines of that port under that address.
block() {
	awk -v a="  $1  " -v p="    port $2 " '
		substr($0, 1, 2) == "  " && substr($0, 3, 1) != " " {
			in_a = index($0, a) == 1 }
		/^[^ ]/ { in_a = 0 }
		/^    port / { in_p = index($0, p) == 1 }
		in_a && in_p' "$O"
}
block 127.0.0.2 465 >"$T/m1p465.txt"
assert_grep 'TLS 1\.3: accepted \(TLS_AES' "$T/m1p465.txt"
assert_grep 'TLS 1\.2: refused' "$T/m1p465.txt"
block 127.0.0.2 25 >"$T/m1p25.txt"
assert_grep 'EHLO before TLS: SIZE [0-9]+, STARTTLS, SMTPUTF8, 8BITMIME, AUTH none$' "$T/m1p25.txt"
block 127.0.0.2 2525 >"$T/m1p2525.txt"
assert_grep 'EHLO before TLS: .*AUTH LOGIN PLAIN$' "$T/m1p2525.txt"
assert_grep 'mx1\.test\.example \[127\.0\.0\.2\] port 2525 offers AUTH before TLS' "$O"
assert_not_grep 'port (25|465|587) offers AUTH before TLS' "$O"
assert_grep 'TLS 1\.2: accepted \(TLS_' "$T/m1p2525.txt"
assert_grep 'TLS 1\.3: refused' "$T/m1p2525.txt"

# The same facts in the JSON.
"$SMTPCON" --check test.example --ports 25,465,587,2525 --cafile "$PKI/ca.pem" \
	--connect-timeout $CT --timeout $CT --json >"$T/out.json" 2>"$T/err.txt"
assert_status 4 $? "check --json of test.example"
cat >"$T/facts.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def port(host, addr, n):
    h = [x for x in d["hosts"] if x["name"] == host][0]
    a = [x for x in h["addresses"] if x["address"] == addr][0]
    return a, [p for p in a["ports"] if p["port"] == n][0]
def eq(what, got, want):
    if got != want:
        sys.exit("JSON %s: expected %r, got %r" % (what, want, got))
eq("schema", d["schema"], 2)
eq("kind", d["kind"], "domain")
eq("ports", d["ports"], [25, 465, 587, 2525])
eq("mx", [(r["preference"], r["host"], r["checked"]) for r in d["mx"]["records"]],
   [(10, "mx1.test.example", True), (20, "mx2.test.example", True)])
eq("mx status", d["mx"]["status"], "ok")
a, p = port("mx1.test.example", "127.0.0.2", 25)
eq("mx1 ptr", a["ptr"], "mx1.test.example")
eq("mx1:25 connect", p["connect"], "ok")
eq("mx1:25 greeting", p["greeting_code"], 220)
eq("mx1:25 greeting name", p["greeting_name"], "mx1.test.example")
eq("mx1:25 ptr match", p["ptr_matches_greeting"], True)
eq("mx1:25 mode", p["mode"], "STARTTLS")
eq("mx1:25 starttls", p["starttls_offered"], True)
eq("mx1:25 starttls required", p["starttls_required"], None)
eq("mx1:25 verified", p["tls"]["verified"], True)
eq("mx1:25 covers", p["tls"]["covers_name"], True)
eq("mx1:25 name", p["tls"]["name"], "mx1.test.example")
if not 3640 <= p["tls"]["days_left"] <= 3650:
    sys.exit("mx1:25 days_left %r" % p["tls"]["days_left"])
eq("mx1:25 8bitmime", p["ehlo"]["8bitmime"], True)
eq("mx1:25 pipelining", p["ehlo"]["pipelining"], False)
eq("mx1:25 smtputf8", (p["ehlo"]["smtputf8"], p["ehlo_tls"]["smtputf8"]), (True, True))
eq("mx1:25 dsn", p["ehlo"]["dsn"], False)
eq("mx1:25 auth", p["ehlo"]["auth"], [])
a, p = port("mx1.test.example", "127.0.0.2", 465)
eq("mx1:465 mode", p["mode"], "implicit TLS")
eq("mx1:465 protocol", p["tls"]["protocol"], "TLS 1.3")
eq("mx1:465 ehlo", p["ehlo"], None)
eq("mx1:465 versions", {k: v["result"] for k, v in p["tls_versions"].items()
                        if k in ("1.2", "1.3")}, {"1.2": "refused", "1.3": "accepted"})
if not p["tls_versions"]["1.3"]["cipher"].startswith("TLS_AES"):
    sys.exit("mx1:465 TLS 1.3 cipher %r" % p["tls_versions"]["1.3"]["cipher"])
a, p = port("mx1.test.example", "127.0.0.2", 587)
eq("mx1:587 auth before", p["ehlo"]["auth"], [])
eq("mx1:587 auth after", sorted(p["ehlo_tls"]["auth"]), ["LOGIN", "PLAIN"])
a, p = port("mx1.test.example", "127.0.0.2", 2525)
eq("mx1:2525 versions", {k: v["result"] for k, v in p["tls_versions"].items()
                         if k in ("1.2", "1.3")}, {"1.2": "accepted", "1.3": "refused"})
eq("mx1:2525 protocol", p["tls"]["protocol"], "TLS 1.2")
eq("mx1:2525 auth before TLS", sorted(p["ehlo"]["auth"]), ["LOGIN", "PLAIN"])
a, p = port("mx1.test.example", "::2", 25)
eq("mx1 v6 family", a["family"], 6)
a, p = port("mx2.test.example", "127.0.0.3", 25)
eq("mx2:25 verified", p["tls"]["verified"], False)
eq("mx2:25 expired", "expired" in p["tls"]["problems"], True)
if p["tls"]["days_left"] >= 0:
    sys.exit("mx2:25 days_left %r" % p["tls"]["days_left"])
eq("mx2 ptr match", p["ptr_matches_greeting"], False)
eq("mx2:465", port("mx2.test.example", "127.0.0.3", 465)[1]["connect"], "refused")
p = port("mx2.test.example", "127.0.0.3", 587)[1]
eq("mx2:587 connect", p["connect"], "ok")
eq("mx2:587 greeting", p["greeting"], None)
eq("mx2:587 error", p["error"], "no greeting within 3 s")
p = port("mx2.test.example", "127.0.0.3", 2525)[1]
eq("mx2:2525 connect", p["connect"], "timeout")
s = d["summary"]
eq("result", s["result"], "no-verified-tls")
eq("exit", s["exit_status"], 4)
eq("use", s["use"], {"host": "mx1.test.example", "address": "127.0.0.2", "port": 25,
                     "mode": "STARTTLS", "verified": True})
eq("command", s["command"], "smtpcon --starttls --cafile %s mx1.test.example:25" % sys.argv[2])
if not any("port 2525 unreachable from here on mx2" in x for x in s["problems"]):
    sys.exit("no problem line for mx2:2525: %r" % s["problems"])
PY
/usr/bin/python3 "$T/facts.py" "$T/out.json" "$PKI/ca.pem" || { _lib_show "$T/out.json"; fail "JSON facts"; }

# --- No MX: the name's own address (RFC 5321 5.1); plain text only. ---
"$SMTPCON" --check nomx.test.example --ports 25 --connect-timeout $CT --timeout $CT \
	>"$T/nomx.txt" 2>&1
assert_status 4 $? "check of nomx (no STARTTLS)"
assert_grep 'nomx\.test\.example has no MX record: mail goes to its own address' "$T/nomx.txt"
assert_grep 'port 25 offers no STARTTLS: mail would go in plain text' "$T/nomx.txt"
assert_grep 'PTR matches the greeting' "$T/nomx.txt"
assert_grep '^  To open a session: smtpcon nomx\.test\.example:25$' "$T/nomx.txt"
"$SMTPCON" --check nomx.test.example --ports 25 --json >"$T/nomx.json" 2>&1
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["kind"] == "host", d["kind"]
assert d["mx"]["status"] == "none", d["mx"]
p = d["hosts"][0]["addresses"][0]["ports"][0]
assert p["mode"] == "plain" and p["starttls_offered"] is False and p["tls"] is None, p
assert p["tls_versions"] is None, p
' "$T/nomx.json" || { _lib_show "$T/nomx.json"; fail "nomx JSON"; }

# --- A host name, -4: verified TLS everywhere that answers, exit 0. ---
"$SMTPCON" -4 --check mx1.test.example --ports 25,465 --cafile "$PKI/ca.pem" \
	>"$T/mx1.txt" 2>&1
assert_status 0 $? "check of mx1 alone"
assert_not_grep '::2' "$T/mx1.txt"
assert_grep "To open a session: smtpcon -4 --starttls --cafile $PKI/ca.pem mx1\\.test\\.example:25\$" "$T/mx1.txt"
assert_grep '^Result: every mail server that answered takes mail over TLS with a verified certificate\.$' "$T/mx1.txt"

# --- The practice server, STARTTLS required: PIPELINING, CHUNKING, AUTH after TLS. ---
"$SMTPCON" --check practice.smtpcon.test --ports 25 --cafile "$T/pr.data/ca.pem" \
	>"$T/pr.txt" 2>&1
assert_status 0 $? "check of the practice server"
assert_grep 'EHLO before TLS: SIZE 10485760, STARTTLS, PIPELINING, CHUNKING, 8BITMIME, AUTH none$' "$T/pr.txt"
assert_grep 'EHLO after TLS: SIZE 10485760, PIPELINING, CHUNKING, 8BITMIME, AUTH PLAIN LOGIN CRAM-MD5$' "$T/pr.txt"
assert_grep 'AUTH only after STARTTLS' "$T/pr.txt"
# Required or not cannot be told from EHLO alone (MAIL or AUTH would tell, and the
# check never sends them): it is not claimed.
assert_not_grep 'required' "$T/pr.txt"
"$SMTPCON" --check practice.smtpcon.test --ports 25 --cafile "$T/pr.data/ca.pem" \
	--json >"$T/pr.json" 2>&1
/usr/bin/python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["hosts"][0]["addresses"][0]["ports"][0]
e, t = p["ehlo"], p["ehlo_tls"]
assert e["pipelining"] and e["chunking"] and e["size_max"] == 10485760, e
assert e["auth"] == [] and t["auth"] == ["PLAIN", "LOGIN", "CRAM-MD5"], (e, t)
assert p["starttls_required"] is None and p["tls"]["verified"] is True, p
' "$T/pr.json" || { _lib_show "$T/pr.json"; fail "practice JSON"; }

# --- An address: the certificate does not cover it. ---
"$SMTPCON" --check 127.0.0.2 --ports 25 --cafile "$PKI/ca.pem" --json >"$T/addr.json" 2>&1
assert_status 4 $? "check of 127.0.0.2"
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["kind"] == "address", d["kind"]
t = d["hosts"][0]["addresses"][0]["ports"][0]["tls"]
assert t["covers_name"] is False and "wrong-name" in t["problems"], t
assert d["hosts"][0]["addresses"][0]["ptr"] == "mx1.test.example"
' "$T/addr.json" || { _lib_show "$T/addr.json"; fail "address JSON"; }

# --- Null MX, no such domain. ---
"$SMTPCON" --check nullmx.test.example >"$T/null.txt" 2>&1
assert_status 7 $? "check of a null MX"
assert_grep 'nullmx\.test\.example has a null MX \(RFC 7505\): it takes no mail' "$T/null.txt"
assert_not_grep 'port 25' "$T/null.txt"
"$SMTPCON" --check nullmx.test.example --json >"$T/null.json" 2>&1
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mx"]["status"] == "null" and d["hosts"] == [], d
assert d["summary"]["result"] == "no-mail" and d["summary"]["exit_status"] == 7
' "$T/null.json" || { _lib_show "$T/null.json"; fail "null MX JSON"; }
"$SMTPCON" --check nx.test.example >"$T/nx.txt" 2>&1
assert_status 3 $? "check of a domain that does not exist"
assert_grep 'nx\.test\.example: no such domain \(NXDOMAIN\)' "$T/nx.txt"

# --- A hostile greeting: escapes stay out of the text, the JSON still parses. ---
"$SMTPCON" --check evil.test.example --ports 25 >"$T/evil.txt" 2>&1
assert_not_grep "$(printf '\033')" "$T/evil.txt"
assert_grep 'greeting after [0-9]+ ms: 220 evil ESMTP \^\[\[2J' "$T/evil.txt"
"$SMTPCON" --check evil.test.example --ports 25 --json >"$T/evil.json" 2>&1
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
g = d["hosts"][0]["addresses"][0]["ports"][0]["greeting"]
assert g.startswith("220 evil ESMTP ^[[2J"), g
assert "\x1b" not in open(sys.argv[1]).read()
' "$T/evil.json" || { _lib_show "$T/evil.json"; fail "hostile JSON"; }

# --- Usage errors. ---
"$SMTPCON" --check test.example --ports 25,x >/dev/null 2>"$T/usage.txt"
assert_status 2 $? "--ports 25,x"
assert_grep 'ports wants port numbers' "$T/usage.txt"
"$SMTPCON" --ports 25 localhost >/dev/null 2>"$T/usage.txt"
assert_status 2 $? "--ports without --check"

pass
