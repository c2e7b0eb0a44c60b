#!/bin/sh
# smtpcon-practice against swaks: STARTTLS verified with the practice CA,
# AUTH LOGIN, PLAIN and CRAM-MD5, a wrong password, a relay refusal, and the
# strict, greylist and bad-cert scenarios.

PRACTICE=${PRACTICE:-${top_builddir:-.}/src/smtpcon-practice}

if ! command -v swaks >/dev/null 2>&1; then
	echo "SKIP: swaks is not installed"
	exit 77
fi
if [ ! -x "$PRACTICE" ]; then
	echo "FAIL: $PRACTICE is not built"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/practice-swaks.XXXXXX") || exit 1
HOME=$tmp/home
XDG_DATA_HOME=$tmp/xdg
export HOME XDG_DATA_HOME
data=$XDG_DATA_HOME/smtpcon/practice
pid=

cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

fail() {
	echo "FAIL: $*"
	for f in "$tmp"/out "$tmp"/server.log; do
		if [ -f "$f" ]; then
			echo "--- $f"
			tail -n 40 "$f"
		fi
	done
	exit 1
}

# Start the server with a scenario; wait for its port file, not blindly.
start() {
	rm -f "$tmp/port"
	"$PRACTICE" --scenario "$1" --portfile "$tmp/port" \
	    >"$tmp/server.log" 2>&1 &
	pid=$!
	i=0
	while [ ! -s "$tmp/port" ]; do
		kill -0 "$pid" 2>/dev/null || fail "the server did not start"
		i=$((i + 1))
		[ "$i" -le 200 ] || fail "no port file after 10 s"
		sleep 0.05
	done
	port=$(cat "$tmp/port")
}

stop() {
	kill "$pid"
	wait "$pid"
	st=$?
	pid=
	[ "$st" -eq 0 ] || fail "the server exited with status $st on SIGTERM"
}

# swaks with the common options; its output goes to $tmp/out.
sw() {
	swaks --server 127.0.0.1 --port "$port" --helo client.example \
	    --from sender@example.org --timeout 10 "$@" >"$tmp/out" 2>&1
}

tls="--tls --tls-verify --tls-ca-path"

start normal
[ -f "$data/ca.pem" ] || fail "no CA made under XDG_DATA_HOME"
grep -q "listening on 127.0.0.1:$port" "$tmp/server.log" ||
    fail "no 'listening on' line"
grep -q "$data/ca.pem" "$tmp/server.log" ||
    fail "the startup message does not say where the CA is"

for mech in LOGIN PLAIN CRAM-MD5; do
	sw --to demo@practice.smtpcon.test $tls "$data/ca.pem" \
	    -a "$mech" --auth-user demo --auth-password demo \
	    --body "practice-swaks body via $mech" ||
	    fail "swaks with STARTTLS and AUTH $mech failed"
	grep -q "235 2.7.0" "$tmp/out" || fail "$mech: no 235 2.7.0"
	grep -q "250 2.0.0 Ok: queued as .* (saved in $data/maildir/new/" \
	    "$tmp/out" || fail "$mech: no 'queued as' reply with the path"
	grep -l "practice-swaks body via $mech" "$data"/maildir/new/* \
	    >/dev/null 2>&1 || fail "$mech: the message is not in maildir/new"
done
n=$(ls "$data/envelopes" | wc -l)
[ "$n" -eq 3 ] || fail "expected 3 envelope files, found $n"
grep -q "^RCPT TO:<demo@practice.smtpcon.test>$" "$data"/envelopes/* ||
    fail "the envelope file lacks the RCPT TO line"

if sw --to demo@practice.smtpcon.test $tls "$data/ca.pem" -a LOGIN \
    --auth-user demo --auth-password wrong; then
	fail "swaks succeeded with a wrong password"
fi
grep -q "535 5.7.8" "$tmp/out" || fail "no 535 5.7.8 for a wrong password"
grep -q "535 5.7.8" "$tmp/server.log" || fail "the server log lacks 535 5.7.8"

if sw --to someone@elsewhere.example; then
	fail "a relay without AUTH was accepted"
fi
grep -q "554 5.7.1 <someone@elsewhere.example>: Relay access denied" \
    "$tmp/out" || fail "no 554 5.7.1 for a relay"

sw --to someone@elsewhere.example $tls "$data/ca.pem" -a PLAIN \
    --auth-user student --auth-password practice ||
    fail "an authenticated relay was refused"
stop

start strict
if sw --to demo@practice.smtpcon.test -a PLAIN --auth-user demo \
    --auth-password demo --auth-optional; then
	fail "strict: a session without TLS was accepted"
fi
grep -q "530 5.7.0 Must issue a STARTTLS command first" "$tmp/out" ||
    fail "strict: no 530 5.7.0 without TLS"
grep -q "250-AUTH" "$tmp/out" && fail "strict: AUTH advertised before TLS"
sw --to demo@practice.smtpcon.test $tls "$data/ca.pem" -a PLAIN \
    --auth-user demo --auth-password demo ||
    fail "strict: swaks with STARTTLS and AUTH failed"
stop

start greylist
if sw --to alice@example.com; then
	fail "greylist: the first attempt was accepted"
fi
grep -q "451 4.7.1 <alice@example.com>: Recipient address rejected: Greylisted" \
    "$tmp/out" || fail "greylist: no 451 4.7.1 on the first attempt"
sw --to alice@example.com || fail "greylist: the second attempt failed"
stop

start bad-cert
[ -f "$data/expired-cert.pem" ] || fail "bad-cert: no expired certificate"
if sw --to demo@practice.smtpcon.test $tls "$data/ca.pem"; then
	fail "bad-cert: swaks verified an expired certificate"
fi
if command -v gnutls-cli >/dev/null 2>&1; then
	if timeout 10 gnutls-cli --x509cafile "$data/ca.pem" \
	    --starttls-proto smtp -p "$port" 127.0.0.1 </dev/null \
	    >"$tmp/out" 2>&1; then
		fail "bad-cert: gnutls-cli accepted the certificate"
	fi
	grep -q "expired" "$tmp/out" ||
	    fail "bad-cert: gnutls-cli does not report an expired certificate"
else
	echo "note: gnutls-cli not installed, its bad-cert check is skipped"
fi
stop

echo "PASS: practice-swaks"
exit 0
