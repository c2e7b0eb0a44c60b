#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# /check in the console (tmux), against an address (no DNS needed): the probes run beside
# the session, the report opens in the viewer, the transcript keeps the result and what
# is wrong, and the /connect line for the port to use waits on the command line, for
# Enter. Ctrl-C gives a check up; a second one while the first runs is refused.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
need_aiosmtpd
pki
export SMTPCON_HELPDIR="$srcdir/help"

start_smtpd srv --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem"
# A port that takes connections and never says a word.
start_hostile quiet silent
# A port where nothing listens: one that was free a moment ago.
closed=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }

tmux_start con 120 40 "$SMTPCON" --cafile "$PKI/ca.pem" --timeout 4
tmux_wait con 'not connected'
send con "/check 127.0.0.1 --ports $srv_PORT,$closed"
# The report, in the viewer (on loopback it may be there at once).
tmux_wait con "^ *port $srv_PORT \(plain, STARTTLS if offered\): connected"
tmux_wait con 'certificate verified: chain trusted'
tmux_wait con "port $closed .*refused"
tmux_wait con 'TLS 1\.3: accepted'
tmux_keys con q
# The transcript keeps the result and what is wrong; the /connect line waits.
tmux_wait con "checking 127\.0\.0\.1: ports $srv_PORT,$closed"
tmux_wait con '\*  check of 127\.0\.0\.1 \([0-9.]+ s\): every mail server that answered takes mail over'
tmux_wait con "!    port $closed refused on 127\.0\.0\.1"
tmux_wait con "use 127\.0\.0\.1 port $srv_PORT with STARTTLS"
tmux_wait con "^smtp> /connect 127\.0\.0\.1:$srv_PORT --starttls\$"
tmux_keys con Enter
tmux_wait con 'S: 220 localhost smtpcon-test ESMTP'
tmux_wait con 'TLS 1\.[23] established'
tmux_wait con 'certificate verified'

# A check that waits on a silent port: the session stays usable, a second /check is
# refused, and Ctrl-C gives it up.
send con "/check 127.0.0.1 --ports $quiet_PORT"
tmux_wait con "checking 127\.0\.0\.1: ports $quiet_PORT"
send con 'NOOP'
tmux_wait con 'S: 250 '
send con "/check 127.0.0.1 --ports $srv_PORT"
tmux_wait con 'a check is running: wait for it, or Ctrl-C to give it up'
tmux_keys con C-c
tmux_wait con 'check of 127\.0\.0\.1 cancelled \(Ctrl-C\)'
# The connection is still there.
send con 'NOOP'
i=0
while [ "$(tmux_screen con | grep -c 'S: 250 ')" -lt 2 ]; do
	[ $i -lt 50 ] || fail "the session did not answer after the check was given up"
	sleep 0.1
	i=$((i + 1))
done
send con '/check'
tmux_wait con 'usage: /check TARGET \[--ports LIST\] \[--all-mx\]'
send con '/check 127.0.0.1 --ports 0'
tmux_wait con '/check: '
pass
