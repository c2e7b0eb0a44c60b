#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Tests the test fixtures themselves: PKI, smtpd.py, hostile.py.
# If this fails, every other black-box test's result is meaningless.
# shellcheck disable=SC2154  # NAME_PORT variables are set by start_* via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"

need certtool gnutls-cli swaks
need_aiosmtpd

# --- PKI ------------------------------------------------------------------
pki
for f in ca ca-key int int-key leaf leaf-key leaf-chain selfsigned selfsigned-key \
	expired expired-key expired-chain wrongname wrongname-key wrongname-chain \
	client client-key; do
	[ -s "$PKI/$f.pem" ] || fail "pki.sh did not make $f.pem"
done
for f in "$PKI"/*; do
	case $f in *.pem) ;; *) fail "pki.sh left clutter: $f" ;; esac
done

# verify NAME FILE [certtool options]: certtool's verdict in $T/verify-NAME
verify() {
	_v=$T/verify-$1
	_f=$2
	shift 2
	certtool --verify --load-ca-certificate "$PKI/ca.pem" --infile "$PKI/$_f" "$@" \
		>"$_v" 2>&1
}
verify good leaf-chain.pem --verify-hostname localhost ||
	{ cat "$T/verify-good" >&2; fail "leaf-chain does not verify"; }
assert_grep '^Chain verification output: Verified\.' "$T/verify-good"
verify good-ip leaf-chain.pem --verify-hostname 127.0.0.1 || fail "leaf lacks IP 127.0.0.1"
verify good-ip6 leaf-chain.pem --verify-hostname ::1 || fail "leaf lacks IP ::1"

verify expired expired-chain.pem --verify-hostname localhost && fail "expired verifies"
# certtool's final line gives the reason (per-element lines before it are noise).
assert_grep '^Chain verification output: Not verified\..* expired certificate\. *$' \
	"$T/verify-expired" "expired verdict"

verify wrongname wrongname-chain.pem --verify-hostname localhost && fail "wrongname verifies"
assert_grep '^Chain verification output: Not verified\..* name in the certificate does not match the expected\. *$' \
	"$T/verify-wrongname" "wrongname verdict"
# ... and that is its only defect:
verify wrongname-ok wrongname-chain.pem --verify-hostname wrong.example ||
	fail "wrongname-chain does not verify for wrong.example"

verify selfsigned selfsigned.pem --verify-hostname localhost && fail "selfsigned verifies"
assert_grep '^Chain verification output: Not verified\..* issuer is unknown\. *$' \
	"$T/verify-selfsigned" "selfsigned verdict"

cat "$PKI/client.pem" "$PKI/int.pem" >"$T/client-chain.pem"
certtool --verify --load-ca-certificate "$PKI/ca.pem" --infile "$T/client-chain.pem" \
	--verify-purpose 1.3.6.1.5.5.7.3.2 >"$T/verify-client" 2>&1 ||
	{ cat "$T/verify-client" >&2; fail "client cert does not verify for TLS client auth"; }

# --- smtpd.py: plain, maildir, byte-exact body ------------------------------
start_smtpd plain --maildir "$T/mail" --auth alice:s3cret
# Speak SMTP with exact wire bytes (swaks and smtplib both touch the line
# ends at the message's end).  Lines starting with "." are dot-stuffed on the
# wire and must be stored un-stuffed, CRLFs as sent.
"$PYTHON" - "$plain_PORT" >"$T/wire" 2>&1 <<'EOF' || { cat "$T/wire" >&2; fail "raw SMTP delivery"; }
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
f = s.makefile("rb")
def reply(code):
    while (line := f.readline()) and line[3:4] == b"-":
        pass
    assert line.startswith(code), (code, line)
reply(b"220")
for cmd, code in ((b"EHLO t", b"250"), (b"MAIL FROM:<a@test.invalid>", b"250"),
                  (b"RCPT TO:<b@test.invalid>", b"250"), (b"RCPT TO:<c@test.invalid>", b"250"),
                  (b"DATA", b"354")):
    s.sendall(cmd + b"\r\n")
    reply(code)
s.sendall(b"Subject: fixture\r\nX-Test: 1\r\n\r\nfirst line\r\n..leading dot\r\n"
          b"...two dots\r\n.. dot space\r\nlast\r\n.\r\n")
reply(b"250")
s.sendall(b"QUIT\r\n")
reply(b"221")
EOF
wait_for "$T/plain.log" 'accepted 001'
[ -f "$T/mail/001.eml" ] || fail "no 001.eml"
printf 'Subject: fixture\r\nX-Test: 1\r\n\r\nfirst line\r\n.leading dot\r\n..two dots\r\n. dot space\r\nlast\r\n' \
	>"$T/expect.eml"
cmp "$T/expect.eml" "$T/mail/001.eml" ||
	{ od -c "$T/mail/001.eml" >&2; fail "001.eml is not the message byte-for-byte"; }
printf 'MAIL FROM:<a@test.invalid>\nRCPT TO:<b@test.invalid>\nRCPT TO:<c@test.invalid>\n' \
	>"$T/expect.env"
cmp "$T/expect.env" "$T/mail/001.env" || { cat "$T/mail/001.env" >&2; fail "001.env"; }

# AUTH over plain TCP works by default (no --auth-require-tls).
swaks --server "127.0.0.1:$plain_PORT" --from a@x.invalid --to b@x.invalid \
	-a PLAIN -au alice -ap s3cret >"$T/swaks-plainauth" 2>&1 ||
	{ cat "$T/swaks-plainauth" >&2; fail "AUTH PLAIN over plain TCP"; }
assert_grep '^ *<- +250[- ]AUTH .*LOGIN' "$T/swaks-plainauth" "AUTH offered over plain TCP"
wait_for "$T/plain.log" 'accepted 002 .*auth=True'

# --- smtpd.py: STARTTLS, AUTH, --require-starttls, CRAM-MD5 -------------------
start_smtpd tls --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" \
	--require-starttls --auth-require-tls --auth alice:s3cret --cram-md5 \
	--maildir "$T/tlsmail"
tls_swaks() {
	swaks --server "127.0.0.1:$tls_PORT" --from a@x.invalid --to b@x.invalid \
		-tls --tls-verify --tls-ca-path "$PKI/ca.pem" "$@"
}
tls_swaks -a LOGIN -au alice -ap s3cret >"$T/swaks-login" 2>&1 ||
	{ cat "$T/swaks-login" >&2; fail "STARTTLS + AUTH LOGIN"; }
assert_grep '^ *<~ +235 ' "$T/swaks-login" "AUTH LOGIN over STARTTLS"
assert_not_grep '^ *<- +250[- ]AUTH' "$T/swaks-login" "no AUTH before STARTTLS"
tls_swaks -a CRAM-MD5 -au alice -ap s3cret >"$T/swaks-cram" 2>&1 ||
	{ cat "$T/swaks-cram" >&2; fail "STARTTLS + AUTH CRAM-MD5"; }
tls_swaks -a PLAIN -au alice -ap wrong >"$T/swaks-bad" 2>&1 && fail "wrong password accepted"
assert_grep '535 ' "$T/swaks-bad" "wrong password"
swaks --server "127.0.0.1:$tls_PORT" --from a@x.invalid --to b@x.invalid \
	>"$T/swaks-notls" 2>&1 && fail "mail accepted without STARTTLS"
assert_grep '530 ' "$T/swaks-notls" "--require-starttls"
wait_for "$T/tls.log" 'accepted 002 .*auth=True tls=True'
[ ! -e "$T/tlsmail/003.eml" ] || fail "a rejected transaction was stored"

# --- smtpd.py: implicit TLS, TLS 1.3 only ---------------------------------------
start_smtpd smtps --implicit-tls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" \
	--tls13-only --auth alice:s3cret --auth-require-tls
gnutls-cli --x509cafile "$PKI/ca.pem" --port "$smtps_PORT" 127.0.0.1 \
	--priority NORMAL:-VERS-ALL:+VERS-TLS1.2 </dev/null >"$T/tls12" 2>&1 &&
	{ cat "$T/tls12" >&2; fail "TLS 1.2 handshake succeeded on --tls13-only"; }
assert_not_grep 'Handshake was completed' "$T/tls12" "TLS 1.2 client"
gnutls-cli --x509cafile "$PKI/ca.pem" --port "$smtps_PORT" 127.0.0.1 \
	--priority NORMAL:-VERS-ALL:+VERS-TLS1.3 </dev/null >"$T/tls13" 2>&1 ||
	{ cat "$T/tls13" >&2; fail "TLS 1.3 handshake failed"; }
assert_grep 'Handshake was completed' "$T/tls13"
# Over SMTPS, AUTH counts as protected (--auth-require-tls), and mail flows.
"$PYTHON" - "$smtps_PORT" "$PKI/ca.pem" >"$T/smtps" 2>&1 <<'EOF' || { cat "$T/smtps" >&2; fail "SMTPS session"; }
import smtplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
# By address: the certificate names IP 127.0.0.1, and "localhost" may not resolve.
with smtplib.SMTP_SSL("127.0.0.1", int(sys.argv[1]), context=ctx, timeout=5) as s:
    assert s.sock.version() == "TLSv1.3", s.sock.version()
    s.ehlo("t")
    assert "auth" in s.esmtp_features, s.esmtp_features
    s.login("alice", "s3cret")
    s.sendmail("a@x.invalid", ["b@x.invalid"], b"Subject: s\r\n\r\nbody\r\n")
EOF
wait_for "$T/smtps.log" 'accepted 001 .*auth=True tls=True'

# smtpd.py on IPv6 (::1) is checked in tests/ipv6.sh, which is skipped where there
# is no ::1.

# --- hostile.py ------------------------------------------------------------------
# probe PORT SEND EXPECT [open]: connect, send SEND (Python bytes literal
# body), read until EOF or 1 s of silence; the bytes must equal EXPECT.
# "open" means the server must still hold the connection open at the end.
probe() {
	"$PYTHON" - "$@" <<'EOF'
import ast, socket, sys, time
port, send, expect = int(sys.argv[1]), *(ast.literal_eval("b'" + a + "'") for a in sys.argv[2:4])
want_open = sys.argv[4:] == ["open"]
s = socket.create_connection(("127.0.0.1", port), timeout=5)
s.settimeout(1.0)
got, eof = b"", False
if send:
    time.sleep(0.1)  # let the greeting go out on its own first
    s.sendall(send)
while True:
    try:
        d = s.recv(65536)
    except socket.timeout:
        break
    if not d:
        eof = True
        break
    got += d
if got != expect:
    sys.exit(f"got {got[:300]!r}... ({len(got)} bytes)\nwanted {expect[:300]!r} ({len(expect)} bytes)")
if want_open == eof:
    sys.exit("connection " + ("closed" if eof else "still open"))
EOF
}
hprobe() {
	_sc=$1
	shift
	start_hostile "h_$_sc" "$_sc"
	eval "_port=\$h_${_sc}_PORT"
	probe "$_port" "$@" || fail "hostile.py $_sc"
}
hprobe escape 'EHLO t\r\nQUIT\r\n' \
	'220 evil ESMTP \x1b[2J\x1b]0;pwned\x07 hello\r\n250 ok \x1b[31mred\x1b[0m\r\n221 bye\r\n'
hprobe nul 'EHLO t\r\nQUIT\r\n' '220 nul\x00byte and \xff\xfe not utf-8\r\n250 ok\r\n221 bye\r\n'
hprobe longline 'QUIT\r\n' "220 $(printf "%0100000d" 0 | tr 0 A)\\r\\n221 bye\\r\\n"
hprobe cutoff 'EHLO t\r\n' '220 cutoff ready\r\n250-cutoff\r\n250-PIPEL'
hprobe silent 'EHLO t\r\n' '' open
hprobe garbage 'EHLO t\r\nMAIL FROM:<>\r\nRCPT TO:<x@y>\r\nNOOP\r\nQUIT\r\n' \
	'220 ok\r\nhello there\r\n99 short\r\n250x no separator\r\nhello there\r\n221 bye\r\n'
hprobe injection 'EHLO t\r\nSTARTTLS\r\n' \
	'220 inj ESMTP\r\n250-inj\r\n250 STARTTLS\r\n220 go ahead\r\n250 injected\r\n' open
# A TLS ClientHello-like record gets a plain-text complaint.
hprobe plaingreet '\x16\x03\x01\x00\x05hello' '220 plain.example ESMTP\r\n500 5.5.1 what?\r\n' open

# Both servers shut down cleanly on SIGTERM.
kill "$plain_PID" "$h_escape_PID"
_i=0
while kill -0 "$plain_PID" 2>/dev/null || kill -0 "$h_escape_PID" 2>/dev/null; do
	[ $_i -ge 30 ] && fail "servers ignore SIGTERM"
	sleep 0.1
	_i=$((_i + 1))
done
assert_grep 'stopping' "$T/plain.log"
assert_not_grep 'Traceback' "$T/plain.log"
assert_grep 'stopping' "$T/h_escape.log"
assert_not_grep 'Traceback' "$T/h_escape.log"

pass
