#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# MTA-STS (RFC 8461) for a live session connected by domain: --mx DOMAIN [HOST] in line
# mode and /connect --mx in the console (tmux). smtpcon looks up the domain's MX records,
# connects to the most preferred one (or to HOST), and fetches the domain's policy in the
# background: the policy, the TLS-RPT record and what a sender enforcing the policy would
# do with this host are transcript lines ("*  " said, "!  " a warning), and a section of
# the console's TLS pane. The policy of slow.sts.test is answered 3 s late: the session
# does not wait for it, line mode does before it exits. The domains and servers are
# tests/sts-env.sh's (shared with tests/mtasts.sh), in a network and mount namespace of
# this test's own.

. "${srcdir:-$(dirname "$0")/..}/tests/netns.sh"
netns_enter dnsmasq certtool tmux

. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$TESTS_SRC/sts-env.sh"
export SMTPCON_HELPDIR="$srcdir/help"

# run NAME SCRIPT [OPTIONS]: a line-mode session reading SCRIPT (a printf format);
# stdout in $T/NAME.out, stderr in $T/NAME.err, exit status in $st.
run() {
	_n=$1 _script=$2
	shift 2
	st=0
	# shellcheck disable=SC2059
	printf "$_script" | "$SMTPCON" --batch --cafile "$PKI/ca.pem" --no-dane --timeout 5 \
		--connect-timeout 3 "$@" >"$T/$_n.out" 2>"$T/$_n.err" || st=$?
}
# said NAME REGEX: a whole line of NAME's output said ("*  "); warned: a warning ("!  ");
# told: either of the two.
said() { assert_grep "^\*  $2\$" "$T/$1.out" "$1"; }
warned() { assert_grep "^!  $2\$" "$T/$1.out" "$1"; }
told() { assert_grep "^[*!]  $2\$" "$T/$1.out" "$1"; }
# line_of NAME REGEX: the number of the first line of NAME's output that matches.
line_of() {
	_ln=$(grep -n -E -- "$2" "$T/$1.out" | head -n 1 | cut -d: -f1)
	[ -n "$_ln" ] || { _lib_show "$T/$1.out"; fail "$1: no match for /$2/"; }
	echo "$_ln"
}
# before NAME A B: A's line number is smaller than B's.
before() {
	[ "$2" -lt "$3" ] || { _lib_show "$T/$1.out"; fail "$1: ${4:-lines out of order} ($2, $3)"; }
}

# --- 1. The most preferred MX, in the policy, STARTTLS with a valid certificate. ---
run enforce 'QUIT\r\n' --mx enforce.$S --starttls
assert_status 0 "$st" "--mx enforce.sts.test"
said enforce 'MX of enforce\.sts\.test: 10 mx1\.mail\.sts\.test, 20 mx9\.other\.sts\.test'
said enforce 'connecting to mx1\.mail\.sts\.test, its most preferred MX'
assert_grep '^S: 220 mx1\.mail\.sts\.test ' "$T/enforce.out"
said enforce 'MTA-STS for enforce\.sts\.test: policy id 2026enforce, mode enforce, max_age 604800 s \(7 days\), mx \*\.mail\.sts\.test'
said enforce 'TLS-RPT for enforce\.sts\.test: failures are reported to mailto:tlsrpt@enforce\.sts\.test'
said enforce 'MTA-STS \(enforce\): mx1\.mail\.sts\.test matches mx \*\.mail\.sts\.test'
said enforce 'MTA-STS \(enforce\): a sender enforcing the policy delivers: STARTTLS on port 25 with a certificate valid for mx1\.mail\.sts\.test'
assert_not_grep 'refuses' "$T/enforce.out" "mx1 is in the policy, with TLS"

# --- 2. A host named: an MX of the domain, but not in its policy. ---
run mx9 'QUIT\r\n' --mx enforce.$S mx9.other.$S --starttls
assert_status 0 "$st" "--mx enforce.sts.test mx9.other.sts.test"
assert_grep '^S: 220 mx9\.other\.sts\.test ' "$T/mx9.out"
told mx9 'mx9\.other\.sts\.test is MX 20 of enforce\.sts\.test'
warned mx9 'MTA-STS \(enforce\): mx9\.other\.sts\.test is NOT in the policy'
told mx9 'MTA-STS \(enforce\): a sender enforcing the policy refuses: mx9\.other\.sts\.test is not in the policy \(no mx pattern matches it\)'

# --- 3. A host that is no MX of the domain, and offers no STARTTLS. ---
run mx3 'QUIT\r\n' --mx enforce.$S mx3.mail.$S --starttls=if-offered
assert_grep '^S: 220 mx3\.mail\.sts\.test ' "$T/mx3.out"
warned mx3 'mx3\.mail\.sts\.test is NOT an MX of enforce\.sts\.test: senders never deliver there'
told mx3 'MTA-STS \(enforce\): a sender enforcing the policy refuses: no TLS on port 25 \(STARTTLS not offered\)'

# --- 4. testing mode: mx2's certificate is for another name; no TLS-RPT record. ---
run testing 'QUIT\r\n' --mx testing.$S --starttls
assert_grep '^S: 220 mx2\.mail\.sts\.test ' "$T/testing.out"
assert_grep '^[*!]  MTA-STS \(testing\): a sender delivers anyway and reports the failure \(TLS-RPT\); under enforce it refuses: the certificate on port 25 is not valid for mx2\.mail\.sts\.test \(' "$T/testing.out"
told testing 'TLS-RPT for testing\.sts\.test: no v=TLSRPTv1 TXT record at _smtp\._tls\.testing\.sts\.test: senders report failures nowhere'

# --- 5. A policy announced that cannot be had (HTTP 404): no verdict. ---
run notfound 'QUIT\r\n' --mx notfound.$S --starttls
told notfound 'MTA-STS for notfound\.sts\.test: policy id 2026notfound announced, but NOT fetched: HTTP 404 from mta-sts\.notfound\.sts\.test: no policy there; a sender with no cached policy delivers as if there were none'
assert_not_grep 'a sender enforcing' "$T/notfound.out" "no policy, no verdict"

# --- 6. No TXT record: no policy, and nothing fetched. ---
run nosts 'QUIT\r\n' --mx nosts.$S --starttls
told nosts 'MTA-STS for nosts\.sts\.test: no policy \(no v=STSv1 TXT record at _mta-sts\.nosts\.sts\.test\)'
# The log names the hosts asked for (enforce's was), and nosts is not one of them.
assert_grep 'host mta-sts\.enforce\.sts\.test ' "$T/web.log" "the web server's log"
assert_not_grep 'nosts' "$T/web.log" "a fetch for a domain without a TXT record"

# --- 8. Another port than 25: no verdict (senders deliver on port 25). ---
# shellcheck disable=SC2086
start_smtpd mx1p --host 127.0.0.2 --port 2525 --hostname mx1.mail.$S \
	--starttls "$T/mx1-chain.pem" "$T/mx1-key.pem"
run p2525 'QUIT\r\n' --mx enforce.$S -p 2525 --starttls
assert_grep '^\*  connected to .* port 2525$' "$T/p2525.out"
told p2525 'MTA-STS \(enforce\): not judged on port 2525: senders deliver on port 25'

# --- 8b. --sni another name: the certificate is checked for it, not for the MX host. ---
run sni 'QUIT\r\n' --mx enforce.$S --starttls --sni other.example
told sni 'MTA-STS \(enforce\): not judged: --sni other\.example has the certificate checked for other\.example, not for mx1\.mail\.sts\.test'
assert_not_grep 'a sender enforcing the policy (delivers|refuses)' "$T/sni.out" "--sni another name"

# --- 9. A policy answered 3 s late: the session goes on; line mode waits for it. ---
run slow 'QUIT\r\n' --mx slow.$S --starttls
assert_status 0 "$st" "--mx slow.sts.test"
greet=$(line_of slow '^S: 220 ')
policy=$(line_of slow '^[*!]  MTA-STS for slow\.sts\.test: policy id 2026slow')
ok=$(line_of slow '^\*  MTA-STS \(enforce\): a sender enforcing the policy delivers: STARTTLS on port 25 with a certificate valid for mx1\.mail\.sts\.test$')
bye=$(line_of slow '^S: 221 ')
before slow "$greet" "$policy" "the greeting comes before the slow policy"
before slow "$bye" "$policy" "the session ended before the slow policy came"
before slow "$policy" "$ok" "the verdict comes after the policy"

# --- 10. MX errors: a null MX, a name that does not exist, no MX but an address. ---
# (dnsmasq 2.90 serves the null MX "0 ." that --mx-host=nullmx.sts.test,.,0 asks for.)
run nullmx 'QUIT\r\n' --mx nullmx.$S
assert_status 3 "$st" "--mx nullmx.sts.test"
assert_grep 'nullmx\.sts\.test takes no mail: its MX is "\." \(null MX, RFC 7505\)' "$T/nullmx.out"
assert_not_grep '^S: ' "$T/nullmx.out" "a null MX: no connection"
run nope 'QUIT\r\n' --mx nope.$S
assert_status 3 "$st" "--mx nope.sts.test"
assert_grep 'name not found: nope\.sts\.test' "$T/nope.out"
run plain 'QUIT\r\n' --mx plain.$S
assert_status 0 "$st" "--mx plain.sts.test"
told plain 'plain\.sts\.test has no MX record: mail goes to plain\.sts\.test itself \(RFC 5321 5\.1\)'
assert_grep '^S: 220 mx1\.mail\.sts\.test ' "$T/plain.out"
assert_grep '^S: 221 ' "$T/plain.out"

# --- The console: the transcript and the TLS pane's section; /connect --mx. ---
# Transcript lines start at the left edge; the TLS pane is on the right, after "│".
send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
tmux_start con 150 45 "$SMTPCON" --cafile "$PKI/ca.pem" --no-dane --timeout 5 \
	--connect-timeout 3 --mx enforce.$S
# Plain text first: the policy is known before TLS, and the verdict waits for it.
tmux_wait con '^\*  MTA-STS \(enforce\): a sender enforcing the policy delivers only after STARTTLS'
tmux_screen con >"$T/plain.screen"
assert_not_grep 'delivers: STARTTLS' "$T/plain.screen" "a verdict before TLS"
send con 'EHLO client.example'
send con 'STARTTLS'
tmux_wait con '^\*  MTA-STS \(enforce\): a sender enforcing the policy delivers: STARTTLS on port 25'
# The pane's MTA-STS section, headed by the domain (its other lines wrap at its width).
tmux_wait con '│MTA-STS for enforce\.sts\.test$'
tmux_wait con '│MTA-STS \(enforce\): a sender enforcing the policy$'
send con "/connect --mx enforce.$S mx9.other.$S --starttls"
tmux_wait con '^!  MTA-STS \(enforce\): mx9\.other\.sts\.test is NOT in the policy'
# The slow policy: NOOP, typed at once, is answered while the policy is on its way.
send con "/connect --mx slow.$S --starttls"
send con 'NOOP'
tmux_wait con '^S: 250 OK'
tmux_screen con >"$T/noop.screen"
assert_not_grep 'MTA-STS for slow\.sts\.test: policy id' "$T/noop.screen" \
	"the console waited for the slow policy"
tmux_wait con '^[*!]  MTA-STS for slow\.sts\.test: policy id'
# A script of the session connects by domain again.
send con "/save --script $T/slow.script"
tmux_wait con 'script of this connection saved to'
assert_grep "^# smtpcon --batch --starttls .*--mx slow\.sts\.test mx1\.mail\.sts\.test:25\$" "$T/slow.script"
send con '/quit'
tmux_wait_exit con
pass
