#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The bash completion (completion/smtpcon), sourced in bash with bash-completion
# and called as bash calls it (COMP_WORDS split at bash's word breaks, COMP_CWORD,
# then _smtpcon): every long option of smtpcon --help is offered after "--";
# option values (TLS version, --practice= scenarios, files); hosts from the
# /connect lines of the console's history, host:port included; profile names
# from "smtpcon --profile list" (the built-in ones and one of a config file), and
# nothing, silently, where that fails (a stand-in program); smtpcon-practice's
# scenarios.  Skipped where bash or bash-completion is not installed.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"

bc=${BASH_COMPLETION_SCRIPT:-/usr/share/bash-completion/bash_completion}
command -v bash >/dev/null 2>&1 || { echo "SKIP: needs bash"; exit 77; }
[ -r "$bc" ] || { echo "SKIP: needs bash-completion ($bc not found)"; exit 77; }

# The profiles: the built-in ones and one of the config file (XDG_CONFIG_HOME is the
# test's own, from lib.sh).
mkdir -p "$T/bin" "$T/files/sub" "$XDG_CONFIG_HOME/smtpcon"
printf '[profile lab]\nhost = mx.lab.example\nport = 587\nmode = starttls\n' \
	>"$XDG_CONFIG_HOME/smtpcon/config"
# A stand-in smtpcon whose "--profile list" fails: no candidate, no noise.
cat >"$T/bin/smtpcon-fails" <<EOS
#!/bin/sh
case "\$*" in
--help) "$SMTPCON" --help ;;
*) echo "smtpcon: no" >&2; exit 2 ;;
esac
EOS
chmod +x "$T/bin/smtpcon-fails"
: >"$T/files/ca.pem"
: >"$T/files/cert.pem"
: >"$T/files/other.txt"

mkdir -p "$XDG_STATE_HOME/smtpcon"
cat >"$XDG_STATE_HOME/smtpcon/history" <<'EOS'
EHLO me
/connect mx.example.com:587 --starttls
/help save
/connect smtp.office365.com:587
/connect [::1]:2525
MAIL FROM:<a@example.com>
/connect mx.example.com:25
EOS
"$SMTPCON" --help | sed -n 's/^  *\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z0-9][a-z0-9-]*\).*/\2/p' |
	sort -u >"$T/help-long"
[ -s "$T/help-long" ] || fail "no long option in smtpcon --help"

cat >"$T/run.bash" <<'EOS'
set -u
. "$BC"
. "$srcdir/completion/smtpcon"
# comp WORD...: complete the last word, the words split as bash splits them
# (":" and "=" are word breaks); the candidates, sorted, one a line.
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$(printf '%s' "${COMP_WORDS[0]}"; printf ' %s' "${COMP_WORDS[@]:1}")
	COMP_LINE=${COMP_LINE// = /=}
	COMP_LINE=${COMP_LINE// : /:}
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	local f=_smtpcon
	[[ ${COMP_WORDS[0]} == *practice ]] && f=_smtpcon_practice
	$f "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | sort
	return 0
}
cd "$T/files"
echo "== long"; comp "$SMTPCON" --
echo "== sta"; comp "$SMTPCON" --sta
echo "== practice="; comp "$SMTPCON" --practice = ""
echo "== practice=st"; comp "$SMTPCON" --practice = st
echo "== tls-version"; comp "$SMTPCON" --tls-version ""
echo "== cafile"; comp "$SMTPCON" --cafile ""
echo "== save-chain ce"; comp "$SMTPCON" --save-chain ce
echo "== host"; comp "$SMTPCON" ""
echo "== host mx"; comp "$SMTPCON" --starttls mx
echo "== host mx:"; comp "$SMTPCON" mx.example.com : ""
echo "== host mx:5"; comp "$SMTPCON" mx.example.com : 5
echo "== at real"; comp "$SMTPCON" @
echo "== profile"; comp "$SMTPCON" --profile ""
echo "== at o"; comp "$SMTPCON" @o
echo "== at fails"; comp "$T/bin/smtpcon-fails" @
echo "== practice scenario"; comp "$PRACTICE" --scenario g
echo "== practice opts"; comp "$PRACTICE" --li
echo "== end"
EOS
export T srcdir SMTPCON PRACTICE XDG_CONFIG_HOME
BC=$bc bash --norc --noprofile "$T/run.bash" >"$T/out" 2>"$T/err" ||
	{ cat "$T/err" >&2; fail "bash exited $?"; }
[ -s "$T/err" ] && { cat "$T/err" >&2; fail "the completion wrote to standard error"; }
grep -qx '== end' "$T/out" || fail "the completion run stopped early"

# section NAME: the candidates printed under "== NAME".
section() {
	awk -v s="== $1" '$0 == s { on = 1; next } /^== / { on = 0 } on' "$T/out"
}
# expect NAME LINE...: the candidates are exactly these lines.
expect() {
	_n=$1
	shift
	printf '%s\n' "$@" | sed '/^$/d' | sort >"$T/want"
	section "$_n" >"$T/got"
	cmp -s "$T/want" "$T/got" ||
		fail "completing '$_n': got [$(tr '\n' ' ' <"$T/got")], want [$(tr '\n' ' ' <"$T/want")]"
}

# Every long option of --help, and the =VALUE forms.
section long | sed 's/=$//' | sort -u >"$T/got-long"
missing=$(comm -23 "$T/help-long" "$T/got-long")
[ -z "$missing" ] || fail "not offered after --: $missing"
section long | grep -qx -e '--practice=' || fail "--practice= not offered"
expect sta --starttls
expect practice= bad-cert greylist list normal slow strict
expect practice=st strict
expect tls-version 1.2 1.3
expect cafile ca.pem cert.pem other.txt sub
expect "save-chain ce" cert.pem
expect host '[::1]:2525' mx.example.com:25 mx.example.com:587 smtp.office365.com:587
expect "host mx" mx.example.com:25 mx.example.com:587
expect "host mx:" 25 587
expect "host mx:5" 587
expect "at real" @gmail @gmail-465 @icloud @lab @m365 @outlook @yahoo @yahoo-587
expect profile gmail gmail-465 icloud lab list m365 outlook yahoo yahoo-587
expect "at o" @outlook
expect "at fails" ''
expect "practice scenario" greylist
expect "practice opts" --list-scenarios --listen
echo "completion: $(wc -l <"$T/got-long") options and 16 cases as expected"
pass
