#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The session journal: line mode and the console write the redacted transcript as it
# happens to $XDG_STATE_HOME/smtpcon/journal/ (0700, files 0600); no secret of any AUTH
# mechanism reaches it; SIGKILL leaves the lines so far; SIGHUP and SIGTERM restore the
# terminal, close the journal with a last line and exit non-zero; --no-journal writes
# nothing; old journals are pruned; a symbolic link in the way is refused.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_aiosmtpd
need tmux
pki
export SMTPCON_HELPDIR="$srcdir/help"

start_smtpd srv --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" \
	--auth alice:s3cret --cram-md5 --xoauth2 alice:ya29.good-token
TLS="--starttls --cafile $PKI/ca.pem"
JDIR=$XDG_STATE_HOME/smtpcon/journal

b64() { printf '%b' "$1" | base64 | tr -d '\n' | sed 's/=*$//'; }
# Every secret in clear and in the base64 forms its mechanism sends.
SECRETS="s3cret|$(b64 's3cret')|$(b64 '\0alice\0s3cret')|$(b64 'alice\0alice\0s3cret')"
SECRETS="$SECRETS|ya29\\.good-token|good-token|expired-token"
SECRETS="$SECRETS|$(b64 'user=alice\001auth=Bearer ya29.good-token\001\001')"
SECRETS="$SECRETS|$(b64 'user=alice\001auth=Bearer expired-token\001\001')"

# The one journal in $JDIR (the test empties it before each session).
journal() {
	set -- "$JDIR"/*.log
	[ $# -eq 1 ] && [ -f "$1" ] || fail "expected one journal in $JDIR, found: $*"
	J=$1
}

run() {	# run NAME [smtpcon options] < input: journal in $J, status in $st
	_n=$1
	shift
	rm -f "$JDIR"/*.log
	# shellcheck disable=SC2086
	"$SMTPCON" --batch $TLS "$@" "127.0.0.1:$srv_PORT" >"$T/$_n.out" 2>"$T/$_n.err"
	st=$?
	journal
	cp "$J" "$T/$_n.journal"
	assert_not_grep "$SECRETS" "$J" "$_n: a secret in the journal"
}

# Line mode: the dialogue as the transcript has it, every line with its time (to the ms); the
# directories 0700, the file 0600, named by time and server; standard output unchanged.
printf 'EHLO me\nNOOP\nQUIT\n' >"$T/in"
run plain <"$T/in"
assert_status 0 "$st" "line mode"
assert_eq "$(stat -c %a "$XDG_STATE_HOME/smtpcon")" 700 "mode of smtpcon/"
assert_eq "$(stat -c %a "$JDIR")" 700 "mode of smtpcon/journal/"
assert_eq "$(stat -c %a "$J")" 600 "mode of the journal"
case ${J##*/} in
[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]-[0-9][0-9]-[0-9][0-9]-127.0.0.1-"$srv_PORT".log) ;;
*) fail "journal name ${J##*/}" ;;
esac
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} \*  smtpcon .* journal, started ' "$J"
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} S: 220 ' "$J"
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} C: EHLO me$' "$J"
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} S: 220 Ready to start TLS' "$J"
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} C: NOOP$' "$J"
assert_grep '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} S: 221 ' "$J"
assert_eq "$(tail -n 1 "$J" | cut -c 14-)" "*  ended with exit status 0" "last line"
assert_not_grep 'journal' "$T/plain.out"
# Same lines as standard output, in the same order (the journal has each reply's latency:
# the output, without --timestamps, has not).
sed -E 's/^[0-9:.]* //; s/    \(\+[0-9]+ ms\)$//; s/    \(\+[0-9]+ ms; /    (/' "$J" |
	sed '1d;$d' >"$T/plain.j"
diff "$T/plain.out" "$T/plain.j" >/dev/null || fail "journal and output differ"

# Every AUTH mechanism, typed and from --user/--password-file: hidden in the journal.
printf 's3cret\n' >"$T/pw"
printf 'ya29.good-token\n' >"$T/tok"
chmod 600 "$T/pw" "$T/tok"
printf 'EHLO me\nAUTH LOGIN\nalice\ns3cret\nQUIT\n' >"$T/in"
run login <"$T/in"
assert_status 0 "$st" "LOGIN typed"
assert_grep 'C: \*\*\*\*\*\*\*\* +\(password hidden\)' "$J"
printf 'EHLO me\nAUTH PLAIN\nalice\ns3cret\nQUIT\n' >"$T/in"
run plain2 <"$T/in"
assert_status 0 "$st" "PLAIN typed"
assert_grep 'C: \*\*\*\*\*\*\*\* +\(PLAIN answer for "alice" hidden\)' "$J"
printf 'EHLO me\nAUTH PLAIN %s\nQUIT\n' "$(printf 'alice\0alice\0s3cret' | base64)" >"$T/in"
run plainir <"$T/in"
assert_status 0 "$st" "PLAIN initial response"
assert_grep 'C: AUTH PLAIN \*\*\*\*\*\*\*\*' "$J"
printf 'EHLO me\nAUTH LOGIN\n\\YWxpY2U=\n\\czNjcmV0\nQUIT\n' >"$T/in"
run raw <"$T/in"
assert_status 0 "$st" "LOGIN raw"
for m in PLAIN LOGIN CRAM-MD5; do
	printf 'EHLO me\nAUTH %s\nQUIT\n' "$m" >"$T/in"
	run "file-$m" --user alice --password-file "$T/pw" <"$T/in"
	assert_status 0 "$st" "$m from --password-file"
	assert_grep "^[0-9:.]+ S: 235 " "$J"
	assert_grep 'hidden' "$J"
done
printf 'EHLO me\nAUTH XOAUTH2\nQUIT\n' >"$T/in"
run xoauth --user alice --password-file "$T/tok" <"$T/in"
assert_status 0 "$st" "XOAUTH2 from --password-file"
assert_grep 'XOAUTH2 answer for "alice" hidden' "$J"
printf 'EHLO me\nAUTH XOAUTH2\nalice\nexpired-token\nQUIT\n' >"$T/in"
run xoauthbad <"$T/in"
assert_grep '^[0-9:.]+ S: 535 ' "$J"
# OAUTHBEARER: the test server does not offer it; the token is still never written.
printf 'EHLO me\nAUTH OAUTHBEARER\nQUIT\n' >"$T/in"
run oauthbearer --user alice --password-file "$T/tok" <"$T/in"
assert_grep 'C: AUTH OAUTHBEARER' "$J"
printf 'EHLO me\nAUTH OAUTHBEARER\nalice\nya29.good-token\nQUIT\n' >"$T/in"
run oauthbearer2 <"$T/in"

# The console: says where the journal is, at start and in /save's help.
send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
alt_screen() { tmux -L "$TMUX_SOCKET" display-message -p -t "$1" '#{alternate_on}'; }
pane_pid() { tmux -L "$TMUX_SOCKET" display-message -p -t "$1" '#{pane_pid}'; }
# smtpcon_pid NAME: the console's process, the child of the sh around it.
smtpcon_pid() {
	_pp=$(pane_pid "$1")
	for _f in /proc/[0-9]*/stat; do
		awk -v pp="$_pp" '$4 == pp { print $1 }' "$_f" 2>/dev/null
	done | head -n 1
}
# exit_status NAME: the console's exit status, as the sh around it wrote it down.
# Not tmux's pane_dead_status, which tmux may record late or never, nor the
# zombie's /proc/PID/stat, which shows 0 to any user but root (smtpcon makes
# itself non-dumpable; a package build runs the tests as a user).
exit_status() {
	wait_for "$T/$1.status" '^[0-9]+$' 5
	cat "$T/$1.status"
}
console() {	# console NAME: a console logged in over STARTTLS, its journal in $J
	rm -f "$JDIR"/*.log
	# shellcheck disable=SC2086
	tmux_start "$1" 200 40 sh -c '"$@"; echo $? >"'"$T/$1.status"'"' sh \
		"$SMTPCON" $TLS --user alice --password-file "$T/pw" "127.0.0.1:$srv_PORT"
	tmux_wait "$1" "journal: $JDIR/"
	tmux_wait "$1" 'send EHLO again'
	send "$1" 'EHLO me'
	tmux_wait "$1" '250 HELP'
	send "$1" '/auth PLAIN'
	tmux_wait "$1" 'S: 235 '
	send "$1" 'NOOP'
	tmux_wait "$1" 'S: 250 OK'
	journal
}

# SIGKILL mid-session: the lines so far are in the journal, the secret is not.
console k
send k '/help save'
tmux_wait k 'smtpcon help'
tmux_keys k G
tmux_wait k "This session's journal: $J"
tmux_keys k q
kill -KILL "$(smtpcon_pid k)"
tmux_wait_exit k
assert_grep '^[0-9:.]+ \*  journal: ' "$J"
assert_grep '^[0-9:.]+ C: AUTH PLAIN \*\*\*\*\*\*\*\*' "$J"
assert_grep '^[0-9:.]+ S: 235 ' "$J"
assert_grep '^[0-9:.]+ C: NOOP$' "$J"
assert_grep '^[0-9:.]+ S: 250 OK' "$J"
assert_not_grep 'ended' "$J"
assert_not_grep "$SECRETS" "$J" "console: a secret in the journal"

# SIGHUP and SIGTERM: terminal restored, journal closed with a last line, 128 + signal.
for sig in HUP TERM; do
	console "s$sig"
	pid=$(smtpcon_pid "s$sig")
	[ -n "$pid" ] || fail "no console process in s$sig"
	kill "-$sig" "$pid"
	tmux_wait_exit "s$sig"
	case $sig in HUP) want=129 ;; TERM) want=143 ;; esac
	assert_eq "$(exit_status "s$sig")" "$want" "exit status on SIG$sig"
	assert_eq "$(alt_screen "s$sig")" 0 "alternate screen after SIG$sig"
	assert_eq "$(tail -n 1 "$J" | cut -c 14-)" "*  ended by SIG$sig" "journal's end on SIG$sig"
	assert_grep '^[0-9:.]+ S: 250 OK' "$J"
	assert_not_grep "$SECRETS" "$J" "SIG$sig: a secret in the journal"
done

# Line mode on SIGTERM, SIGHUP and SIGINT: the same, input still open.
mkfifo "$T/fifo"
for sig in TERM HUP INT; do
	rm -f "$JDIR"/*.log
	# shellcheck disable=SC2086
	"$SMTPCON" --batch $TLS "127.0.0.1:$srv_PORT" <"$T/fifo" >"$T/sig.out" 2>"$T/sig.err" &
	pid=$!
	track_pid "$pid"
	exec 3>"$T/fifo"
	printf 'EHLO me\nNOOP\n' >&3
	wait_for "$T/sig.out" '^S: 250 OK'
	journal
	kill "-$sig" "$pid"
	wait "$pid"
	st=$?
	exec 3>&-
	case $sig in HUP) want=129 ;; INT) want=130 ;; TERM) want=143 ;; esac
	assert_status "$want" "$st" "line mode on SIG$sig"
	assert_eq "$(tail -n 1 "$J" | cut -c 14-)" "*  ended by SIG$sig" "line mode SIG$sig"
	assert_grep '^[0-9:.]+ S: 250 OK' "$J"
	assert_grep "ended by SIG$sig" "$T/sig.err"
done

# --no-journal: nothing written, not even the directory.
XDG_STATE_HOME=$T/nostate
mkdir "$XDG_STATE_HOME"
printf 'QUIT\n' | "$SMTPCON" --batch --no-journal "127.0.0.1:$srv_PORT" >"$T/no.out" 2>&1
assert_status 0 "$?" "--no-journal"
[ -z "$(ls -A "$XDG_STATE_HOME")" ] || fail "--no-journal wrote $(ls -A "$XDG_STATE_HOME")"
tmux_start nj 120 30 "$SMTPCON" --no-journal
tmux_wait nj 'no journal \(--no-journal\)'
send nj '/quit'
tmux_wait_exit nj
[ -z "$(ls -A "$XDG_STATE_HOME")" ] || fail "console --no-journal wrote a file"

# Pruning: those older than 30 days, and all but the newest 100, go; other files stay.
XDG_STATE_HOME=$T/state
rm -f "$JDIR"/*.log
now=$(date +%s)
i=1
while [ $i -le 110 ]; do
	f=$JDIR/2026-01-01T00-00-00-fake-$i-25.log
	: >"$f"
	touch -d "@$((now - 86400 - i * 60))" "$f"
	i=$((i + 1))
done
touch -d "@$((now - 40 * 86400))" "$JDIR/2025-01-01T00-00-00-old-25.log"
touch "$JDIR/notes.txt" "$JDIR/mine.log"
touch -d "@$((now - 400 * 86400))" "$JDIR/notes.txt"
printf 'QUIT\n' | "$SMTPCON" --batch "127.0.0.1:$srv_PORT" >/dev/null 2>&1
n=$(ls "$JDIR" | grep -c '^[0-9].*\.log$')
assert_eq "$n" 100 "journals kept"
[ -f "$JDIR/2026-01-01T00-00-00-fake-99-25.log" ] || fail "the 99th newest was pruned"
[ ! -f "$JDIR/2026-01-01T00-00-00-fake-100-25.log" ] || fail "the 101st newest was kept"
[ ! -f "$JDIR/2025-01-01T00-00-00-old-25.log" ] || fail "a journal of 40 days was kept"
[ -f "$JDIR/notes.txt" ] && [ -f "$JDIR/mine.log" ] || fail "pruning removed other files"

# A directory of ours left open to others is closed; a symbolic link is refused.
chmod 755 "$JDIR"
printf 'QUIT\n' | "$SMTPCON" --batch "127.0.0.1:$srv_PORT" >/dev/null 2>&1
assert_eq "$(stat -c %a "$JDIR")" 700 "mode of an open journal directory"
XDG_STATE_HOME=$T/linked
mkdir -p "$XDG_STATE_HOME" "$T/elsewhere"
ln -s "$T/elsewhere" "$XDG_STATE_HOME/smtpcon"
printf 'QUIT\n' | "$SMTPCON" --batch "127.0.0.1:$srv_PORT" >"$T/link.out" 2>"$T/link.err"
assert_status 0 "$?" "session with the journal refused"
assert_grep 'no journal: .*symbolic link' "$T/link.err"
[ -z "$(ls -A "$T/elsewhere")" ] || fail "a journal went through a symbolic link"
pass
