#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Connecting by name: "localhost:PORT" goes through the resolver, the transcript
# names both the host and the address, and the certificate is checked against the
# name typed, not the address.  Every other test connects by address, so this is
# the only one that needs "localhost" to resolve; a minimal system may have no
# localhost line in /etc/hosts, and then this test is skipped, saying so.
# shellcheck disable=SC2154  # NAME_PORT variables are set by start_* via eval
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need getent
need_aiosmtpd
pki

# The loopback address the name resolves to (through getaddrinfo, as smtpcon does).
addr=$(getent ahostsv4 localhost 2>/dev/null | awk '$1 ~ /^127\./ { print $1; exit }')
[ -n "$addr" ] ||
	skip "the name localhost does not resolve to a 127.x address here (no localhost line in /etc/hosts?)"

start_smtpd st --host "$addr" --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem"
printf 'EHLO me\nQUIT\n' |
	"$SMTPCON" --batch -4 --starttls --cafile "$PKI/ca.pem" "localhost:$st_PORT" \
	>"$T/out" 2>&1
assert_status 0 $? "localhost by name"
assert_grep "^\*  connected to localhost \[$addr\] port $st_PORT" "$T/out"
assert_grep 'name localhost matches' "$T/out"
pass
