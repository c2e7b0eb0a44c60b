#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The manual pages and --help agree: every option --help lists (short and long)
# is in the OPTIONS section of the program's manual page, and every option that
# section lists is in --help; for smtpcon and smtpcon-practice.  The pages are
# also lint-clean (mandoc -T lint at warning level, or groff -ww) where one of
# those is installed.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"

# help_opts PROGRAM: the options --help defines, one a line.  An option line is
# indented and starts with the option ("  -4, --ipv4", "      --tls-version ...");
# options named in the prose around them are not taken.
help_opts() {
	"$1" --help >"$T/help" 2>&1 || fail "$1 --help exits $?"
	sed -n 's/^  *\(-[A-Za-z0-9]\), \(--[a-z0-9][a-z0-9-]*\).*/\1\n\2/p
		s/^  *\(--[a-z0-9][a-z0-9-]*\).*/\1/p' "$T/help" | sort -u
}

# man_opts PAGE: the options its OPTIONS section defines with ".It Fl ...",
# subsections included, up to the next .Sh.
man_opts() {
	sed -n '/^\.Sh OPTIONS/,/^\.Sh /p' "$1" | sed -n '/^\.It Fl /p' |
		awk '{ for (i = 1; i < NF; i++) if ($i == "Fl") print "-" $(i + 1) }' |
		sort -u
}

# check PROGRAM PAGE
check() {
	help_opts "$1" >"$T/h.opts"
	man_opts "$2" >"$T/m.opts"
	[ -s "$T/h.opts" ] || fail "no option found in $1 --help"
	[ -s "$T/m.opts" ] || fail "no option found in the OPTIONS of $2"
	comm -23 "$T/h.opts" "$T/m.opts" >"$T/missing"
	comm -13 "$T/h.opts" "$T/m.opts" >"$T/extra"
	if [ -s "$T/missing" ]; then
		echo "in $(basename "$1") --help, not in $(basename "$2"): $(tr '\n' ' ' <"$T/missing")" >&2
		bad=1
	fi
	if [ -s "$T/extra" ]; then
		echo "in $(basename "$2"), not in $(basename "$1") --help: $(tr '\n' ' ' <"$T/extra")" >&2
		bad=1
	fi
	echo "$(basename "$2"): $(wc -l <"$T/h.opts") options agree with --help"
}

bad=
check "$SMTPCON" "$srcdir/man/smtpcon.1"
check "$PRACTICE" "$srcdir/man/smtpcon-practice.1"
[ -z "$bad" ] || fail "the manual pages and --help disagree"

# The parsers themselves: options that must be found on each side, so that a
# change of layout that empties or shortens both lists cannot pass.
help_opts "$SMTPCON" >"$T/h1"
man_opts "$srcdir/man/smtpcon.1" >"$T/m1"
for o in -4 --ipv6 --starttls --tls-version --password-file --practice --save-chain -V; do
	grep -qx -e "$o" "$T/h1" || fail "help_opts did not find $o in smtpcon --help"
	grep -qx -e "$o" "$T/m1" || fail "man_opts did not find $o in smtpcon.1"
done

for page in "$srcdir/man/smtpcon.1" "$srcdir/man/smtpcon-practice.1"; do
	if command -v mandoc >/dev/null 2>&1; then
		out=$(mandoc -T lint -W warning "$page" 2>&1) ||
			fail "mandoc -T lint $(basename "$page"): $out"
		[ -z "$out" ] || fail "mandoc -T lint $(basename "$page"): $out"
	elif command -v groff >/dev/null 2>&1; then
		out=$(groff -ww -z -mdoc "$page" 2>&1) || fail "groff $(basename "$page"): $out"
		[ -z "$out" ] || fail "groff -ww $(basename "$page"): $out"
	else
		echo "note: neither mandoc nor groff here: $(basename "$page") not linted"
	fi
done
pass
