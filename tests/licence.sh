#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# Every source file carries "SPDX-License-Identifier: GPL-3.0-or-later" in its
# first lines (after a shebang), so that a new file cannot slip in without it.
# Source files: C (.c .h), shell (.sh), Python (.py), configure.ac, Makefile.am,
# the fuzzers' .options, everything under tools/, bench/ and completion/, .ci/run
# and debian/rules.  Which files: "git ls-files" in a git checkout of the tree;
# otherwise (a dist tarball, as make distcheck runs it, or a package build)
# every such file found under the source tree but those configure makes from a
# FILE.in (config.h).  COPYING must be the GPL version 3.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"

SPDX='SPDX-License-Identifier: GPL-3.0-or-later'
top=$(cd "$srcdir" && pwd -P) || fail "no source tree at $srcdir"

# Is $top the top of a git work tree (not a dist directory inside one)?
gittop=
if command -v git >/dev/null 2>&1; then
	gittop=$(git -C "$top" rev-parse --show-toplevel 2>/dev/null) &&
		gittop=$(cd "$gittop" && pwd -P) || gittop=
fi
if [ -n "$gittop" ] && [ "$gittop" = "$top" ]; then
	how="git ls-files"
	(cd "$top" && git ls-files) >"$T/all" || fail "git ls-files failed"
else
	how="the files of the tree"
	# Build directories inside the tree (make distcheck's _build/sub) are not
	# the tree: left out, found by their config.status.
	(cd "$top" && find . -mindepth 2 -name config.status -type f | sed 's|^\./||; s|/config\.status$||') \
		>"$T/builddirs"
	(cd "$top" && find . -path ./.git -prune -o -type f -print | sed 's|^\./||') |
		awk -v dirs="$T/builddirs" 'BEGIN { while ((getline l <dirs) > 0) d[l "/"] = 1 }
			{ for (p in d) if (index($0, p) == 1) next; print }' >"$T/all"
fi

# The source files among them.
grep -E '(\.(c|h|sh|py|options)$|^configure\.ac$|(^|/)Makefile\.am$|^tools/|^bench/|^completion/|^\.ci/run$|^debian/rules$)' \
	"$T/all" |
	grep -vE '^(tests/fuzz/(corpus|findings)/|bench/README$|tools/README$)' |
	sort >"$T/sel"
# Made by configure from FILE.in (config.h, in a tree built in place): not ours.
while IFS= read -r f; do
	[ -f "$top/$f.in" ] || echo "$f"
done <"$T/sel" >"$T/src"
n=$(wc -l <"$T/src")
# The tree's known files must be among them, or the selection above is broken.
for f in src/smtpcon.c src/session.h tests/lib.sh tests/smtpd.py configure.ac \
	Makefile.am tools/install-deps completion/smtpcon tests/fuzz/replay.c; do
	grep -qx -e "$f" "$T/src" || fail "$f was not taken as a source file ($how)"
done

missing=
while IFS= read -r f; do
	[ -f "$top/$f" ] || continue
	# The first lines: a shebang, then the SPDX line within the next four.
	head -n 5 "$top/$f" | grep -qF -e "$SPDX" || missing="$missing $f"
done <"$T/src"
if [ -n "$missing" ]; then
	for f in $missing; do echo "no SPDX line in the first lines of $f" >&2; done
	fail "$(echo "$missing" | wc -w) of $n source files lack '$SPDX'"
fi

[ -f "$top/COPYING" ] || fail "no COPYING"
if ! grep -q 'GNU GENERAL PUBLIC LICENSE' "$top/COPYING" ||
	! grep -q 'Version 3, 29 June 2007' "$top/COPYING"; then
	fail "COPYING is not the GPL version 3"
fi
echo "licence: $n source files ($how), each with the SPDX line"
pass
