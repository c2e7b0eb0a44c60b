# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Sourced first (before tests/lib.sh) by the tests that run in a network and mount
# namespace of their own, so that their DNS servers, resolv.conf and servers on
# 127.0.0.x can exist and no query or connection can leave the machine.

# netns_enter COMMAND...: outside, as root, run this test again inside a new network
# and mount namespace (after checking the COMMANDs are there); skip (exit 77), saying
# why, where that cannot be. Inside, bring the loopback up and return. The test takes
# no arguments.
netns_enter() {
	PATH=$PATH:/usr/sbin:/sbin
	if [ -n "${SMTPCON_NETNS:-}" ]; then
		ip link set lo up || { echo "FAIL: ip link set lo up" >&2; exit 1; }
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: needs root to make a private network namespace" >&2
		exit 77
	fi
	for _c in unshare ip "$@"; do
		command -v "$_c" >/dev/null 2>&1 || { echo "SKIP: needs $_c" >&2; exit 77; }
	done
	if ! unshare -n -m true 2>/dev/null; then
		echo "SKIP: network namespaces are not available here (unshare -n -m)" >&2
		exit 77
	fi
	SMTPCON_NETNS=1 exec unshare -n -m sh "$0"
}

# netns_resolver: inside, after tests/lib.sh: the resolver is 127.0.0.1 alone (a
# resolv.conf of the test's, and an empty /etc/hosts, bind-mounted in this mount
# namespace only).
netns_resolver() {
	echo "nameserver 127.0.0.1" >"$T/resolv.conf"
	mount --bind "$T/resolv.conf" /etc/resolv.conf || fail "cannot bind-mount resolv.conf"
	: >"$T/hosts"
	mount --bind "$T/hosts" /etc/hosts || fail "cannot bind-mount /etc/hosts"
}

# netns_dnsmasq OPTION...: inside, after netns_resolver: dnsmasq on 127.0.0.1:53
# answering from the records the options give alone (nothing forwarded, no hosts
# file), stopped on exit; returns once it serves. Its log is $T/dnsmasq.log.
netns_dnsmasq() {
	dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
		--user=root --listen-address=127.0.0.1 --bind-interfaces --port=53 \
		--pid-file= --log-facility=- "$@" >"$T/dnsmasq.log" 2>&1 &
	track_pid $!
	_i=0
	until grep -q "started" "$T/dnsmasq.log" 2>/dev/null; do
		[ $_i -ge 50 ] && { cat "$T/dnsmasq.log" >&2; fail "dnsmasq did not start"; }
		sleep 0.1
		_i=$((_i + 1))
	done
}
