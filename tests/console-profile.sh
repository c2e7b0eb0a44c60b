#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# /connect @NAME in the console (issue 15): Tab completes the profile's name, the
# profile's server, mode and TLS settings (its CA) apply, --starttls typed after it
# wins over its mode, an option given at start-up (--cafile) applies where the profile
# says nothing, and an unknown name is said in the transcript.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
need_aiosmtpd
pki
export SMTPCON_HELPDIR="$srcdir/help"

start_smtpd srv --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem"
mkdir -p "$XDG_CONFIG_HOME/smtpcon"
cat >"$XDG_CONFIG_HOME/smtpcon/config" <<EOF2
[profile tlslab]
host = 127.0.0.1
port = $srv_PORT
mode = starttls
cafile = $PKI/ca.pem
note = the test server

[profile plainlab]
host = 127.0.0.1
port = $srv_PORT
EOF2

send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }

tmux_start c 130 40 "$SMTPCON" --no-journal --cafile "$PKI/ca.pem"
tmux_wait c 'connect with /connect host\[:port\]'
# Tab completes the name from the config file.
tmux_type c '/connect @tls'
tmux_keys c Tab
tmux_wait c 'smtp> /connect @tlslab'
tmux_keys c Enter
tmux_wait c "profile tlslab: 127\.0\.0\.1:$srv_PORT, STARTTLS; the test server"
tmux_wait c 'S: 220 '
# The profile's CA verified the certificate: its TLS settings reached the session.
tmux_wait c 'certificate verified'
send c 'QUIT'
tmux_wait c 'S: 221 '

# The mode typed wins over the profile's; --cafile from the command line still counts.
send c '/clear'
tmux_wait_gone c 'certificate verified'
send c '/connect @plainlab --starttls'
tmux_wait c "profile plainlab: 127\.0\.0\.1:$srv_PORT, STARTTLS"
tmux_wait c 'C: STARTTLS'
tmux_wait c 'certificate verified'
send c 'QUIT'

# An unknown profile: said, nothing opened.
send c '/connect @nosuch'
tmux_wait c 'no profile "nosuch" \(smtpcon --profile list shows them\)'
# A built-in one is offered too.
tmux_type c '/connect @m36'
tmux_keys c Tab
tmux_wait c 'smtp> /connect @m365'
tmux_keys c C-c
send c '/quit'
tmux_wait_exit c
pass
