#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The options people already type (issue 15): -p/--port, the telnet form HOST PORT,
# --tls-on-connect, swaks's -tls and --starttls on port 465; bad values (port,
# --priority, --practice=) are usage errors, exit 2, before anything connects (a
# listener records every connection); --version and --help in GNU style, every line
# within 80 columns, for both programs.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd
start_smtpd srv

# A listener that only records connections: what must not connect aims at it.
cat >"$T/rec.py" <<'PY'
import socket, sys
args = sys.argv[1:]
portfile = args[args.index("--portfile") + 1]
log = args[0]
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(portfile + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(portfile + ".tmp", portfile)
while True:
    c, _ = s.accept()
    with open(log, "a") as f:
        f.write("connection\n")
    c.close()
PY
_lib_run rec "$PYTHON" "$T/rec.py" "$T/rec.connections"
: >"$T/rec.connections"
no_connection() {
	[ ! -s "$T/rec.connections" ] || fail "$1: it connected"
}

# run NAME ARGS...: line mode, QUIT as input; stdout in NAME.out, stderr in NAME.err.
run() {
	_n=$1
	shift
	printf 'QUIT\n' | "$SMTPCON" --batch --no-journal "$@" >"$T/$_n.out" 2>"$T/$_n.err"
	st=$?
}
# usage NAME PATTERN ARGS...: exit 2, one line on stderr matching PATTERN, no connection.
usage() {
	_n=$1 _p=$2
	shift 2
	run "$_n" "$@"
	assert_status 2 "$st" "$_n: exit status"
	assert_grep "$_p" "$T/$_n.err" "$_n"
	[ "$(grep -vc '^Try ' "$T/$_n.err")" -eq 1 ] || { _lib_show "$T/$_n.err"; fail "$_n: not one line"; }
	[ ! -s "$T/$_n.out" ] || { _lib_show "$T/$_n.out"; fail "$_n: a transcript"; }
	no_connection "$_n"
}

# -p, --port and the telnet form reach the server.
for form in "-p $srv_PORT 127.0.0.1" "--port=$srv_PORT 127.0.0.1" "127.0.0.1 $srv_PORT" \
    "-p $srv_PORT 127.0.0.1:$srv_PORT" "127.0.0.1 $srv_PORT -p $srv_PORT"; do
	# shellcheck disable=SC2086
	run port $form
	assert_status 0 "$st" "$form"
	assert_grep "^\*  connecting to 127\.0\.0\.1 \[127\.0\.0\.1\] port $srv_PORT\$" "$T/port.out" "$form"
	assert_grep '^S: 220 ' "$T/port.out" "$form"
	assert_grep '^S: 221 ' "$T/port.out" "$form"
done

# Two ports that disagree; a port and no server; three positional arguments.
R=$rec_PORT
usage conflict1 "^smtpcon: two ports: \"127\.0\.0\.1:$R\" names port $R, and then port 587 is given; give one\$" "127.0.0.1:$R" 587
usage conflict2 "^smtpcon: two ports: -p 25, and port $R after the host; give one\$" -p 25 "127.0.0.1:$R"
usage conflict3 "^smtpcon: two ports: -p 25, and port $R after the host; give one\$" -p 25 127.0.0.1 "$R"
usage noserver '^smtpcon: a port \(25\) but no server to connect to$' -p 25
usage three '^smtpcon: one server at a time \(got "127\.0\.0\.1", "25" and "26"\)$' 127.0.0.1 25 26

# Bad ports.
usage port0 '^smtpcon: bad port "0": a number from 1 to 65535 or a service name$' 127.0.0.1 0
usage portbig '^smtpcon: bad port "70000": a number from 1 to 65535 or a service name$' -p 70000 127.0.0.1
usage portname '^smtpcon: bad port "nosuchservice": a number from 1 to 65535 or a service name$' 127.0.0.1:nosuchservice
# A service name is a port.
run service 127.0.0.1 smtp --connect-timeout 1
[ "$st" -ne 2 ] || { _lib_show "$T/service.err"; fail "port smtp refused as a usage error"; }

# A bad GnuTLS priority string, alone or with a pinned version: GnuTLS says where.
usage prio '^smtpcon: bad TLS priority string "NORMAL:\+BOGUS" near "\+BOGUS"$' --priority NORMAL:+BOGUS "127.0.0.1:$R"
usage prio2 '^smtpcon: bad TLS priority string "NOPE:-VERS-ALL:\+VERS-TLS1\.3" near' --priority NOPE --tls-version 1.3 "127.0.0.1:$R"
# A good one goes on (and connects).
run prio-ok --priority 'NORMAL:-VERS-TLS1.0' "127.0.0.1:$srv_PORT"
assert_status 0 "$st" "good --priority"

# A practice scenario the practice server doesn't have: named, nothing started.
usage practice '^smtpcon: --practice=nosuch: unknown practice scenario "nosuch" \(there are: normal, strict, .*\); --practice=list describes them$' --practice=nosuch

# --tls-on-connect is --tls: the same handshake attempt against a plain-text server.
run tls --tls "127.0.0.1:$srv_PORT"
st_tls=$st
run tlsc --tls-on-connect "127.0.0.1:$srv_PORT"
assert_status "$st_tls" "$st" "--tls-on-connect vs --tls"
[ "$st" -eq 4 ] || [ "$st" -eq 5 ] || fail "--tls-on-connect to a plain server: status $st"
sed 's/[0-9][0-9]* ms/N ms/g' "$T/tls.out" >"$T/tls.a"
sed 's/[0-9][0-9]* ms/N ms/g' "$T/tlsc.out" >"$T/tlsc.a"
cmp -s "$T/tls.a" "$T/tlsc.a" || { _lib_show "$T/tls.out"; _lib_show "$T/tlsc.out"; fail "--tls-on-connect differs from --tls"; }
assert_grep 'TLS' "$T/tlsc.out"
# swaks's -tlsc is --tls-on-connect.
run tlsc2 -tlsc "127.0.0.1:$srv_PORT"
assert_status "$st_tls" "$st" "-tlsc"

# STARTTLS to the implicit-TLS port: say what to type instead.
usage swaks465 "^smtpcon: port 465 expects implicit TLS, not -tls \(swaks's STARTTLS\): type --tls-on-connect \(swaks's -tlsc\)\$" -tls 127.0.0.1:465
usage starttls465 '^smtpcon: port 465 expects implicit TLS, not --starttls: type --tls$' --starttls -p 465 127.0.0.1
usage starttls465b '^smtpcon: port 465 expects implicit TLS, not --starttls: type --tls$' --starttls 127.0.0.1 465
# -tls elsewhere is swaks's STARTTLS, as --starttls: this server offers none.
run swakstls -tls "127.0.0.1:$srv_PORT"
assert_grep '^!! --starttls: the server does not offer STARTTLS in its EHLO reply$' "$T/swakstls.out" "-tls is --starttls"

# Nothing above reached the recorder.
no_connection "all usage errors"

# --version: GNU style, from config.h.
"$SMTPCON" --version >"$T/version" 2>&1
assert_status 0 $? "--version"
cat >"$T/version.want" <<'V'
smtpcon 0.1.0
Copyright (C) 2026 The smtpcon developers
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.
V
diff -u "$T/version.want" "$T/version" >&2 || fail "smtpcon --version"
"$PRACTICE" --version >"$T/pversion" 2>&1
assert_status 0 $? "smtpcon-practice --version"
sed '1s/.*/smtpcon-practice (smtpcon) 0.1.0/' "$T/version.want" >"$T/pversion.want"
diff -u "$T/pversion.want" "$T/pversion" >&2 || fail "smtpcon-practice --version"

# --help: the new options, the GNU closing lines, nothing past 80 columns.
"$SMTPCON" --help >"$T/help" 2>&1
assert_status 0 $? "--help"
assert_grep '^  -p, --port PORT  +connect to PORT' "$T/help"
assert_grep '^      --tls-on-connect  +the same as --tls' "$T/help"
assert_grep '^      --profile NAME  +apply profile NAME' "$T/help"
assert_grep '^Usage: smtpcon \[OPTION\]\.\.\. \[@PROFILE\] \[HOST\[:PORT\] \| HOST PORT\]$' "$T/help"
[ "$(tail -n 2 "$T/help")" = "Report bugs to: <bugs@smtpcon.example.org>
smtpcon home page: <https://smtpcon.example.org/>" ] || { _lib_show "$T/help"; fail "--help: the last two lines"; }
"$PRACTICE" --help >"$T/phelp" 2>&1
assert_status 0 $? "smtpcon-practice --help"
[ "$(tail -n 2 "$T/phelp")" = "Report bugs to: <bugs@smtpcon.example.org>
smtpcon home page: <https://smtpcon.example.org/>" ] || { _lib_show "$T/phelp"; fail "smtpcon-practice --help: the last two lines"; }
for f in help phelp version pversion; do
	awk -v f="$f" 'length > 80 { print f ": " length " columns: " $0; bad = 1 } END { exit bad }' "$T/$f" >&2 ||
		fail "$f: a line over 80 columns"
done
pass
