#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The console at the four sizes a new user tries (40x10, 80x24, 120x35, 200x60), against
# the practice server, as a person sees it: the help viewer loses no word and cuts none,
# over its pages; the status line shows whole fields only ("TLS 1.3  r" says nothing)
# and says "TLS 1.3" with its space; the TLS pane is a third of a wide terminal (34 to
# 72 columns) and no word is doubled in it; a password shows as one "[hidden]"; the quit
# question takes one key.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
[ -x "$PRACTICE" ] || fail "no practice server at $PRACTICE"
export SMTPCON_HELPDIR="$srcdir/help"

send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
words() { tr -s ' \t' '\n\n' | sed '/^$/d'; }
# status NAME ROWS: the status line (the row above the command line).
status() { tmux_screen "$1" | sed -n "$(($2 - 1))p" | sed 's/ *$//'; }
# wait_status NAME ROWS PATTERN WHAT: until the status line matches (10 s).
wait_status() {
	_i=0
	until status "$1" "$2" | grep -Eq -- "$3"; do
		[ $_i -lt 100 ] || { tmux_screen "$1" >&2; fail "$size: $4"; }
		sleep 0.1
		_i=$((_i + 1))
	done
}

# viewer NAME ROWS OUT: every row of the help viewer's text, over all its pages, in OUT
# (the first page whole, then each row that Down scrolls in at the bottom).
viewer() {
	_last=
	: >"$3"
	while :; do
		tmux_screen "$1" >"$T/page"
		_n=$(sed -n '$s/^ line \([0-9]*\) of.*/\1/p' "$T/page")
		[ -n "$_n" ] || { _lib_show "$T/page"; fail "$1: no help viewer"; }
		[ "$_n" = "$_last" ] && break
		if [ -z "$_last" ]; then
			sed -n "2,$(($2 - 1))p" "$T/page" >>"$3"
		else
			sed -n "$(($2 - 1))p" "$T/page" >>"$3"
		fi
		_last=$_n
		tmux_keys "$1" Down
		_i=0
		while [ $_i -lt 100 ] && tmux_screen "$1" | grep -q "^ line $_last of"; do
			sleep 0.05
			_i=$((_i + 1))
		done
	done
	tmux_keys "$1" q
}

# The advice /help 535 5.7.8 gives.
advice='What to try: User name or password rejected. Check them; many providers want the full address as user name and an app password when 2-factor login is on.'

for size in 40x10 80x24 120x35 200x60; do
	c=${size%x*} r=${size#*x} s=s$c
	echo "--- $size"
	tmux_start "$s" "$c" "$r" "$SMTPCON" --practice

	# The status line before anything: the place and the state, whole.
	wait_status "$s" "$r" '^ 127\.0\.0\.1:[0-9]+  plain  ready' "never ready"

	# The help viewer: every word of a topic, none cut or lost, over the pages.
	send "$s" '/help rcpt'
	tmux_wait "$s" '^ line 1 of'
	viewer "$s" "$r" "$T/rcpt.$c"
	words <"$srcdir/help/smtp-rcpt.txt" >"$T/want"
	words <"$T/rcpt.$c" >"$T/got"
	cmp -s "$T/want" "$T/got" ||
		{ diff "$T/want" "$T/got" >&2; fail "$size: /help rcpt lost or cut words"; }
	# The advice for a reply: its "What to try" whole.
	send "$s" '/help 535 5.7.8'
	tmux_wait "$s" '^ line 1 of'
	viewer "$s" "$r" "$T/535.$c"
	tr -s ' \n' '  ' <"$T/535.$c" | grep -qF "$advice" ||
		{ cat "$T/535.$c" >&2; fail "$size: /help 535 5.7.8 lost its What to try"; }

	# TLS, and EHLO again.
	send "$s" 'EHLO me'
	tmux_wait "$s" '250 HELP'
	send "$s" 'STARTTLS'
	wait_status "$s" "$r" 'TLS 1\.3' "no TLS"
	send "$s" 'EHLO me'
	tmux_wait "$s" 'after TLS: -STARTTLS'

	# AUTH: the password is one marker, whatever its length.
	send "$s" 'AUTH LOGIN'
	tmux_wait "$s" '^Username: ?$'
	send "$s" 'demo'
	tmux_wait "$s" '^Password: ?$'
	tmux_type "$s" 'demo'
	tmux_wait "$s" '^Password: \[hidden\]$'
	tmux_screen "$s" | grep -q '^Password: .*\*' && fail "$size: the password shows stars"
	tmux_keys "$s" Enter
	tmux_wait "$s" 'S: 235 '
	wait_status "$s" "$r" 'ready' "not ready after AUTH"
	tmux_screen "$s" >"$T/screen.$c"

	# Whole fields: each one there or left out, never cut; the widest has them all.
	st=$(status "$s" "$r")
	printf '%s\n' "$st" | grep -Eq '^ 127\.0\.0\.1:[0-9]+  TLS 1\.3(  authenticated as demo)?  ready(  last reply [0-9]+ ms)?$' ||
		fail "$size: status line cut or wrong: '$st'"
	[ "$c" -lt 80 ] || printf '%s\n' "$st" | grep -q 'authenticated as demo  ready  last reply' ||
		fail "$size: room for every field, yet '$st'"
	assert_not_grep 'TLS1\.' "$T/screen.$c" "$size: TLS without its space"

	# The TLS pane: a third of a wide terminal, 34 to 72 columns; below when narrow.
	if [ "$c" -ge 100 ]; then
		pw=$((c / 3))
		[ $pw -ge 34 ] || pw=34
		[ $pw -le 72 ] || pw=72
		bar=$(sed -n '1s/│.*//p' "$T/screen.$c" | awk '{ print length($0) }')
		assert_eq "$((c - bar - 1))" "$pw" "$size: TLS pane width"
		sed -n 's/^[^│]*│//p' "$T/screen.$c" >"$T/pane.$c"
	else
		assert_grep '^ TLS: verified +F2 wider$' "$T/screen.$c" "$size: pane below"
		sed -n '/^ TLS: verified/,$p' "$T/screen.$c" | sed '$d' | sed '$d' >"$T/pane.$c"
	fi
	assert_grep 'TLS 1\.3  TLS_' "$T/pane.$c" "$size: the pane's protocol"
	# No word said twice in a row (as "(self-signed) (self-signed)" once was).
	assert_not_grep '(^| )([^ ]+) \2( |$)' "$T/pane.$c" "$size: a doubled word in the TLS pane"

	# Ctrl-C twice asks; y alone (no Enter) leaves.
	tmux_keys "$s" C-c
	tmux_wait "$s" 'Ctrl-C again to quit'
	tmux_keys "$s" C-c
	tmux_wait "$s" 'Quit smtpcon\? \[y/N\]'
	tmux_type "$s" 'y'
	tmux_wait_exit "$s"
done
pass
