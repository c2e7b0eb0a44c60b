# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Sourced by tests that need DNSSEC (tests/dane.sh, tests/check-dane.sh), after
# tests/lib.sh and inside their own network and mount namespace: a zone signed at
# test time with ldns-signzone, and NSD serving zones on 127.0.0.1:53 as the only
# resolver (netns_resolver, tests/netns.sh).

# nsd_sign_zone DIR ORIGIN FILE: sign DIR/FILE for ORIGIN with a new key-signing and
# zone-signing key into DIR/FILE.signed; the key-signing key's DS (the trust anchor to
# give --dnssec-anchor) in DIR/anchor.ds, another key's DS (an anchor that makes the
# zone bogus) in DIR/wrong-anchor.ds.
nsd_sign_zone() {
	(
		cd "$1" || exit 1
		ksk=$(ldns-keygen -a ECDSAP256SHA256 -k "$2") &&
		zsk=$(ldns-keygen -a ECDSAP256SHA256 "$2") &&
		ldns-signzone "$3" "$ksk" "$zsk" &&
		cp "$ksk.ds" anchor.ds &&
		bad=$(ldns-keygen -a ECDSAP256SHA256 -k "$2") &&
		cp "$bad.ds" wrong-anchor.ds
	) >>"$1/sign.log" 2>&1 || { cat "$1/sign.log" >&2; fail "signing the zone $2"; }
}

# nsd_start DIR NAME:FILE...: NSD serving each zone NAME from DIR/FILE, its files in
# DIR; the resolver pointed at it; returns once every zone is read.
nsd_start() {
	_nd=$1
	shift
	cat >"$_nd/nsd.conf" <<EOF
server:
  ip-address: 127.0.0.1
  port: 53
  username: ""
  chroot: ""
  zonesdir: "$_nd"
  database: ""
  pidfile: "$_nd/nsd.pid"
  logfile: "$_nd/nsd.log"
  xfrdfile: "$_nd/xfrd.state"
  zonelistfile: "$_nd/zone.list"
  verbosity: 1
remote-control:
  control-enable: no
EOF
	for _z; do
		printf 'zone:\n  name: %s\n  zonefile: %s/%s\n' "${_z%%:*}" "$_nd" \
			"${_z#*:}" >>"$_nd/nsd.conf"
	done
	nsd -d -c "$_nd/nsd.conf" >>"$_nd/nsd.out" 2>&1 &
	track_pid $!
	netns_resolver
	_i=0
	for _z; do
		until grep -q "zone ${_z%%:*} read with success" "$_nd/nsd.log" 2>/dev/null; do
			[ $_i -lt 50 ] || { cat "$_nd/nsd.log" "$_nd/nsd.out" >&2; fail "nsd did not start"; }
			sleep 0.1
			_i=$((_i + 1))
		done
	done
}
