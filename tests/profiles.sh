#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Profiles and the config file (issue 15), in line mode: a profile in a temporary
# XDG_CONFIG_HOME takes smtpcon to a local server (@NAME and --profile NAME), the
# command line overrides it, --profile list shows the user's and the built-in ones, a
# user's profile replaces a built-in one of the same name, every config error is
# "FILE:LINE: problem" with exit 2, a password line is refused without echoing it, and
# password-command gives the AUTH secret, which never shows in the output or the journal.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd
pki

start_smtpd srv --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" --auth alice:s3cret
start_smtpd other
CFG=$XDG_CONFIG_HOME/smtpcon/config
mkdir -p "$XDG_CONFIG_HOME/smtpcon"
SECRETS='s3cret|czNjcmV0|AGFsaWNlAHMzY3JldA|Hunter2x'

# run NAME ARGS... < input: line mode; NAME.out, NAME.err, status in $st; never a secret.
run() {
	_n=$1
	shift
	"$SMTPCON" --batch "$@" >"$T/$_n.out" 2>"$T/$_n.err"
	st=$?
	assert_not_grep "$SECRETS" "$T/$_n.out" "$_n: a secret in the transcript"
	assert_not_grep "$SECRETS" "$T/$_n.err" "$_n: a secret on stderr"
}

cat >"$CFG" <<EOF2
# smtpcon's test profiles

[profile lab]
host = 127.0.0.1
port = $srv_PORT
mode = starttls
cafile = $PKI/ca.pem
user = alice
# the first line of its output is the secret
password-command = printf 's3cret\nnot-this-line\n'
ehlo = lab.client.example
note = the test server, with STARTTLS and AUTH

[profile other]
host = 127.0.0.1
port = $other_PORT
timeout = 5
journal = off

[profile gmail]
host = 127.0.0.1
port = $other_PORT

[profile optional]
host = 127.0.0.1
port = $other_PORT
mode = starttls=if-offered
EOF2

# @NAME: host, port, STARTTLS, CA, EHLO name, user and the secret from password-command.
printf 'EHLO me\nAUTH LOGIN\nQUIT\n' >"$T/in"
run at @lab <"$T/in"
assert_status 0 "$st" "@lab"
assert_grep "^\*  connecting to 127\.0\.0\.1 \[127\.0\.0\.1\] port $srv_PORT\$" "$T/at.out"
assert_grep '^C: EHLO lab\.client\.example +\(sent by smtpcon\)$' "$T/at.out"
assert_grep '^C: STARTTLS +\(sent by smtpcon\)$' "$T/at.out"
assert_grep 'certificate verified' "$T/at.out"
assert_grep '^C: \*\*\*\*\*\*\*\* +\(password hidden\)' "$T/at.out"
assert_grep '^S: 235 ' "$T/at.out"
# And in the journal (profile lab keeps it on).
J=$(ls "$XDG_STATE_HOME"/smtpcon/journal/* 2>/dev/null | head -n 1)
[ -n "$J" ] || fail "@lab: no journal written"
assert_grep 'S: 235 ' "$J"
assert_not_grep "$SECRETS|not-this-line" "$J" "journal: a secret"

# --profile NAME is the same.
run long --profile lab <"$T/in"
assert_status 0 "$st" "--profile lab"
assert_grep '^S: 235 ' "$T/long.out"

# The command line wins: another port (the profile's mode stays), another server.
printf 'QUIT\n' >"$T/quit"
run port @lab -p "$other_PORT" <"$T/quit"
assert_grep "port $other_PORT\$" "$T/port.out"
assert_grep '^!! --starttls: the server does not offer STARTTLS' "$T/port.out"
run host @other 127.0.0.1 "$srv_PORT" <"$T/quit"
assert_status 0 "$st" "@other HOST PORT"
assert_grep "^\*  connecting to 127\.0\.0\.1 \[127\.0\.0\.1\] port $srv_PORT\$" "$T/host.out"
assert_not_grep '^C: STARTTLS' "$T/host.out"
run ehlo @lab --ehlo cli.example --user bob <"$T/quit"
assert_grep '^C: EHLO cli\.example +\(sent by smtpcon\)$' "$T/ehlo.out"
# SMTPCON_PASSWORD or --password-file wins over password-command: the wrong one fails.
printf 'EHLO me\nAUTH LOGIN\nQUIT\n' | SMTPCON_PASSWORD=Hunter2x "$SMTPCON" --batch @lab \
	>"$T/env.out" 2>"$T/env.err"
assert_status 1 $? "SMTPCON_PASSWORD over password-command"
assert_grep '^S: 535 ' "$T/env.out"
assert_not_grep "$SECRETS" "$T/env.out"

# @NAME after the host: the profile's port for the host given.
run after 127.0.0.1 @other <"$T/quit"
assert_status 0 "$st" "HOST @NAME"
assert_grep "port $other_PORT\$" "$T/after.out"

# mode = starttls=if-offered: EHLO and STARTTLS when offered; "other" offers none.
run optional @optional <"$T/quit"
assert_status 0 "$st" "@optional"
assert_grep '^C: EHLO .*\(sent by smtpcon\)$' "$T/optional.out"
assert_grep '^!  the server does not offer STARTTLS: NO TLS on this connection$' "$T/optional.out"

# A config file other users can write must not run a password-command.
chmod 664 "$CFG"
run writable @lab <"$T/in"
assert_status 2 "$st" "group-writable config with password-command"
assert_grep "^smtpcon: $CFG:3: password-command, in a file other users can write \(its command would run as you\): chmod go-w $CFG\$" "$T/writable.err"
[ ! -s "$T/writable.out" ] || fail "writable config: it connected"
chmod 600 "$CFG"

# A user's profile of a built-in name replaces it.
run shadow @gmail <"$T/quit"
assert_status 0 "$st" "@gmail (the user's)"
assert_grep "port $other_PORT\$" "$T/shadow.out"

# --profile list: the user's, then the built-in ones, within 80 columns.
"$SMTPCON" --profile list >"$T/list" 2>&1
assert_status 0 $? "--profile list"
assert_grep "^Profiles in $CFG:\$" "$T/list"
assert_grep "^@lab +127\.0\.0\.1:$srv_PORT +starttls +line 3\$" "$T/list"
assert_grep '^    the test server, with STARTTLS and AUTH$' "$T/list"
assert_grep "^@other +127\.0\.0\.1:$other_PORT +plain +line 14\$" "$T/list"
assert_grep "^@gmail +127\.0\.0\.1:$other_PORT +plain +line 20\$" "$T/list"
assert_grep '^@gmail +smtp\.gmail\.com:587 +starttls +replaced$' "$T/list"
assert_grep '^Built in \(a profile of the same name in the config file wins\):$' "$T/list"
assert_grep '^@m365 +smtp\.office365\.com:587 +starttls +built in$' "$T/list"
assert_grep '^    Microsoft 365: SMTP AUTH must be enabled for the mailbox' "$T/list"
assert_grep 'XOAUTH2 is the way' "$T/list"
assert_grep '^@gmail-465 +smtp\.gmail\.com:465 +tls +built in$' "$T/list"
assert_grep '^@outlook +smtp-mail\.outlook\.com:587 +starttls +built in$' "$T/list"
assert_grep '^@icloud +smtp\.mail\.me\.com:587 +starttls +built in$' "$T/list"
assert_grep '^    iCloud Mail: an app-specific password' "$T/list"
assert_grep '^@yahoo +smtp\.mail\.yahoo\.com:465 +tls +built in$' "$T/list"
assert_grep '^@yahoo-587 +smtp\.mail\.yahoo\.com:587 +starttls +built in$' "$T/list"
awk 'length > 80 { print "over 80: " $0; bad = 1 } END { exit bad }' "$T/list" >&2 ||
	fail "--profile list: a line over 80 columns"

# Unknown profile, two profiles: usage errors.
run unknown @nosuch <"$T/quit"
assert_status 2 "$st" "@nosuch"
assert_grep '^smtpcon: no profile "nosuch" \(smtpcon --profile list shows them\)$' "$T/unknown.err"
run two @lab --profile other <"$T/quit"
assert_status 2 "$st" "two profiles"
assert_grep '^smtpcon: two profiles: --profile other and @lab; give one$' "$T/two.err"

# A bad priority in a profile is found before connecting, and says where it came from.
printf '[profile p]\nhost = 127.0.0.1\nport = %s\npriority = NORMAL:+NOPE\n' \
	"$srv_PORT" >"$CFG"
run prio @p <"$T/quit"
assert_status 2 "$st" "profile priority"
assert_grep '^smtpcon: bad TLS priority string "NORMAL:\+NOPE" near "\+NOPE" \(from the profile\)$' "$T/prio.err"
[ ! -s "$T/prio.out" ] || fail "profile priority: it connected"

# A password-command that fails, or prints nothing.
printf '[profile p]\nhost = 127.0.0.1\nport = %s\nuser = alice\npassword-command = exit 3\n' \
	"$srv_PORT" >"$CFG"
run cmdfail @p <"$T/quit"
assert_status 2 "$st" "password-command failing"
assert_grep '^smtpcon: password-command failed \(exit status 3\): exit 3$' "$T/cmdfail.err"
printf '[profile p]\nhost = 127.0.0.1\nport = %s\nuser = alice\npassword-command = true\n' \
	"$srv_PORT" >"$CFG"
run cmdempty @p <"$T/quit"
assert_status 2 "$st" "password-command empty"
assert_grep '^smtpcon: password-command printed nothing: true$' "$T/cmdempty.err"

# Config errors: FILE:LINE: problem, exit 2, whatever was asked (even no profile).
bad() {	# bad NAME 'CONTENT' 'PATTERN after FILE:'
	printf "$2" >"$CFG"
	run "$1" "127.0.0.1:$other_PORT" <"$T/quit"
	assert_status 2 "$st" "$1"
	assert_grep "^smtpcon: $CFG:$3\$" "$T/$1.err" "$1"
	[ "$(wc -l <"$T/$1.err")" -eq 1 ] || { _lib_show "$T/$1.err"; fail "$1: not one line"; }
	[ ! -s "$T/$1.out" ] || fail "$1: it connected"
	"$SMTPCON" --profile list >/dev/null 2>&1
	assert_status 2 $? "$1: --profile list"
}
bad unknown-key '[profile a]\nhost = h\nhots = x\n' '3: unknown key "hots" \(see the README, "Config file"\)'
bad bad-port '# c\n[profile a]\nport = 99999\n' '3: bad port "99999": a number from 1 to 65535'
bad bad-mode '[profile a]\nmode = ssl\n' '2: bad mode "ssl": plain, starttls, starttls=if-offered or tls'
bad dup '[profile a]\nhost = h\n\n[profile a]\n' '4: profile "a" defined twice \(first at line 1\)'
bad no-equals '[profile a]\nhost h\n' '2: "host h" is not "key = value" nor \[profile NAME\]'
bad outside 'host = h\n' '1: "host" before any \[profile NAME\] section'
bad password '[profile a]\nuser = alice\npassword = Hunter2x\n' '3: a password never sits in the config file \(anyone who can read the file or its backups has it\): use password-file or password-command'
bad header '[server a]\n' '1: bad section header: write \[profile NAME\]'

# No config file: fine, and the list says there is none.
rm -f "$CFG"
run nofile "127.0.0.1:$other_PORT" <"$T/quit"
assert_status 0 "$st" "no config file"
"$SMTPCON" --profile list >"$T/list" 2>&1
assert_status 0 $? "--profile list without a file"
assert_grep '^    none \(the README, "Config file", says how to write one\)$' "$T/list"
pass
