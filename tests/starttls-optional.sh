#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# --starttls=if-offered (Exchange's "UseStartTlsIfSupported"): STARTTLS when EHLO offers
# it, verified as with --starttls; when EHLO offers none, refuses STARTTLS or is refused,
# a loud warning and the person's lines go on in plain text, where plain --starttls
# fails. AUTH still never leaves in clear without consent; the value is checked.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
need_aiosmtpd
pki

start_smtpd tls --starttls "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem"
start_smtpd plain --auth alice:s3cret
cat >"$T/cases" <<'EOF'
case refuse STARTTLS
S: 454 4.7.0 TLS not available due to local problem
case noehlo EHLO
S: 502 5.5.2 Error: command not recognized
EOF
_lib_python
_lib_run scr "$PYTHON" "$TESTS_SRC/scripted.py" --cert "$PKI/leaf-chain.pem" \
	--key "$PKI/leaf-key.pem" "$T/cases"

printf 'EHLO me\nMAIL FROM:<a@example.com>\nQUIT\n' >"$T/in"
# run NAME ARGS...: line mode, output in $T/NAME.out, status in $st.
run() {
	_n=$1
	shift
	st=0
	"$SMTPCON" --batch "$@" <"$T/in" >"$T/$_n.out" 2>&1 || st=$?
}

# Offered: upgraded and verified, then the person's lines, under TLS.
run offered --starttls=if-offered --cafile "$PKI/ca.pem" "127.0.0.1:$tls_PORT"
assert_status 0 "$st" "offered"
assert_grep '^C: STARTTLS    \(sent by smtpcon\)$' "$T/offered.out"
assert_grep 'certificate verified' "$T/offered.out"
assert_not_grep 'NO TLS' "$T/offered.out" "offered"
[ "$(grep -n '^C: MAIL' "$T/offered.out" | cut -d: -f1)" -gt \
	"$(grep -n 'TLS 1\.[23] established' "$T/offered.out" | cut -d: -f1)" ] ||
	fail "MAIL went before TLS"

# Not offered: the warning, then the lines, answered; --starttls alone fails.
run none --starttls=if-offered "127.0.0.1:$plain_PORT"
assert_status 0 "$st" "not offered"
assert_grep '^!  the server does not offer STARTTLS: NO TLS on this connection$' "$T/none.out"
assert_grep '^\?  --starttls=if-offered: going on WITHOUT TLS' "$T/none.out"
assert_grep '^S: 250 .*' "$T/none.out"
assert_grep '^C: MAIL FROM:<a@example\.com>$' "$T/none.out"
assert_grep '^S: 221 ' "$T/none.out"
assert_not_grep '^C: STARTTLS' "$T/none.out" "not offered"
run strict --starttls "127.0.0.1:$plain_PORT"
assert_status 4 "$st" "--starttls without STARTTLS"
assert_not_grep '^C: MAIL' "$T/strict.out" "--starttls"

# Refused (454): plain, and the lines are not dropped as "typed after a refusal"; the
# exit status still says the server refused a command.
run refused --starttls=if-offered --ehlo refuse "127.0.0.1:$scr_PORT"
assert_status 1 "$st" "refused"
assert_grep '^S: 454 4\.7\.0 ' "$T/refused.out"
assert_grep '^!  the server refused STARTTLS: NO TLS on this connection$' "$T/refused.out"
assert_grep '^C: MAIL FROM:<a@example\.com>$' "$T/refused.out"
assert_not_grep 'discarded' "$T/refused.out" "refused"

# EHLO refused: no STARTTLS to be had.
run noehlo --starttls=if-offered --ehlo noehlo "127.0.0.1:$scr_PORT"
assert_grep '^!  EHLO refused, so no STARTTLS: NO TLS on this connection$' "$T/noehlo.out"
assert_grep '^C: MAIL FROM:<a@example\.com>$' "$T/noehlo.out"

# AUTH after the fallback: refused without --insecure, nothing of the secret sent.
printf 's3cret\n' >"$T/pw"
printf 'EHLO me\nAUTH PLAIN\nQUIT\n' >"$T/in"
run auth --starttls=if-offered --user alice --password-file "$T/pw" "127.0.0.1:$plain_PORT"
assert_grep 'NO TLS on this connection' "$T/auth.out"
assert_not_grep '^S: 235' "$T/auth.out" "AUTH over the fallback"
assert_grep ">> b'EHLO me'" "$T/plain.log"
assert_not_grep ">> b'AUTH|AGFsaWNl|czNjcmV0" "$T/plain.log" "the server's log"

# A wrong value is a usage error, before connecting.
run bad --starttls=maybe "127.0.0.1:$plain_PORT"
assert_status 2 "$st" "--starttls=maybe"
assert_grep 'starttls takes =if-offered' "$T/bad.out"

# The console: /connect with the mode, the warning on the screen.
export SMTPCON_HELPDIR="$srcdir/help"
tmux_start con 120 30 "$SMTPCON"
tmux_wait con 'not connected'
tmux_type con "/connect 127.0.0.1:$plain_PORT --starttls=if-offered"
tmux_keys con Enter
tmux_wait con 'the server does not offer STARTTLS: NO TLS on this connection'
tmux_wait con '127\.0\.0\.1:[0-9]+  plain  ready'
pass
