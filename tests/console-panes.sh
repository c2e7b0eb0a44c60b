#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# The help viewer and the TLS pane at several sizes: long lines wrap at word boundaries and
# nothing is cut off; the TLS pane is a third of the terminal (34 to 72 columns), wraps
# between names, never inside one, says when there is more below, F2 goes round hidden,
# normal and wide, and it says whether a client certificate was sent.
. "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need tmux
need_aiosmtpd
[ -x "$PRACTICE" ] || fail "no practice server at $PRACTICE"
export SMTPCON_HELPDIR="$srcdir/help"
pki

send() { tmux_type "$1" "$2"; tmux_keys "$1" Enter; }
# The TLS pane's rows (what follows the bar), trailing blanks dropped.
cols() { tmux_screen "$1" | sed -n "s/^.*│//p" | sed "s/ *$//"; }
# Words of stdin, one a line.
words() { tr -s ' \t' '\n\n' | sed '/^$/d'; }

# --- The help viewer wraps ------------------------------------------------------------
tmux_start h 120 30 "$SMTPCON"
tmux_wait h 'not connected'
send h '/help 535 5.7.8'
# The whole advice, wrapped at the screen's width (not at 72 columns) at a word.
tmux_wait h '^ What to try: User name or password rejected\. Check them; many providers want the full address as user name and an app$'
tmux_wait h '^ password when 2-factor login is on\.$'
tmux_keys h q
# 60 columns: every word of the topic, in order, none cut or lost, over the pages.
tmux -L "$TMUX_SOCKET" resize-window -t h -x 60 -y 24
send h '/help rcpt'
tmux_wait h 'RCPT TO: name one recipient'
words <"$srcdir/help/smtp-rcpt.txt" >"$T/want"
: >"$T/seen"
last=
while :; do
	tmux_screen h >"$T/page"
	n=$(sed -n '$s/^ line \([0-9]*\) of.*/\1/p' "$T/page")
	[ "$n" = "$last" ] && break
	# The first page whole, then the row that scrolled in at the bottom.
	if [ -z "$last" ]; then
		sed -n '2,23p' "$T/page" >>"$T/seen"
	else
		sed -n '23p' "$T/page" >>"$T/seen"
	fi
	last=$n
	tmux_keys h Down
	i=0
	while [ $i -lt 100 ] && tmux_screen h | grep -q "^ line $last of"; do
		sleep 0.05
		i=$((i + 1))
	done
done
words <"$T/seen" >"$T/got"
cmp -s "$T/want" "$T/got" || { diff "$T/want" "$T/got" >&2; fail "/help rcpt at 60 columns lost or cut words"; }
# Wrapped rows are counted: more rows than the file has lines.
total=$(sed -n '$s/^ line [0-9]* of \([0-9]*\).*/\1/p' "$T/page")
[ "$total" -gt "$(wc -l <"$srcdir/help/smtp-rcpt.txt")" ] ||
	fail "'line N of M' counts lines, not rows: $total"
tmux_keys h q
tmux_wait h 'not connected'

# --- The TLS pane ------------------------------------------------------------------------
tmux_start p 120 30 "$SMTPCON" --practice
tmux_wait p 'S: 220 practice'
send p 'EHLO me'
tmux_wait p '250 HELP'
send p 'STARTTLS'
tmux_wait p 'sha256'
# A third of 120 columns: the pane starts at column 81, after the bar at 80.
tmux_screen p >"$T/s"
assert_grep '^ transcript {68}│ TLS: verified +F2 wider$' "$T/s" "pane 40 columns at 120"
# The protocol for people, in the pane and on the status line.
assert_grep '│TLS 1\.3  TLS_' "$T/s" "pane protocol"
assert_grep '^ 127\.0\.0\.1:[0-9]+  TLS 1\.3  ready' "$T/s" "status protocol"
# Wrapped between names: after the comma, never "127.0.0.1" / "matches".
cols p >"$T/pane"
assert_grep '^verified: chain trusted,$' "$T/pane" "break after the comma"
assert_grep '^    name 127\.0\.0\.1 matches$' "$T/pane" "name kept whole"
assert_grep '^\[0\] CN=practice\.smtpcon\.test,$' "$T/pane" "subject broken at its comma"
assert_grep '^    O=smtpcon practice$' "$T/pane" "subject's second part whole"
assert_grep '^    issuer  CN=smtpcon practice CA,$' "$T/pane" "issuer broken at its comma"
assert_grep '^ {12}DNS:practice\.smtpcon\.test,$' "$T/pane" "names whole"
# The fingerprint in whole groups: 32 of them over its rows.
sed -n '/^    sha256  /,/^$/p' "$T/pane" | sed '/^$/d' >"$T/fp"
assert_not_grep '[0-9A-F]$|:[0-9A-F]:|^ +[0-9A-F]:' "$(sed '$d' "$T/fp" >"$T/fp1"; echo "$T/fp1")" "fingerprint rows end with a group"
groups=$(sed 's/^    sha256  //' "$T/fp" | tr -d ' \n' | tr ':' '\n' | grep -c '^[0-9A-F][0-9A-F]$')
assert_eq "$groups" 32 "fingerprint groups"
# F2: wide (half of 120), hidden, normal again.
tmux_keys p F2
tmux_wait p '^ transcript {48}│ TLS: verified +F2 hides$'
tmux_wait p '│verified: chain trusted, name 127\.0\.0\.1 matches$'
tmux_keys p F2
tmux_wait_gone p '│'
tmux_keys p F2
tmux_wait p '^ transcript {68}│ TLS: verified +F2 wider$'
# 100 columns: 34 (at least), and too short for it all: it says there is more below.
tmux -L "$TMUX_SOCKET" resize-window -t p -x 100 -y 20
tmux_wait p '^ transcript {54}│ TLS: verified +F2 wider$'
tmux_wait p '│ more below: Shift-Down *$'
i=0
while tmux_screen p | grep -q 'more below: Shift-Down'; do
	[ $i -lt 40 ] || fail "Shift-Down never reaches the end"
	tmux_keys p S-Down
	sleep 0.1
	i=$((i + 1))
done
tmux_wait p '│ TLS: verified, more above'
tmux_wait p '│ +([0-9A-F]{2}:)+[0-9A-F]{2}$'
# 250 columns: at most 72.
tmux -L "$TMUX_SOCKET" resize-window -t p -x 250 -y 30
tmux_wait p '^ transcript +│ TLS: verified +F2 wider$'
tmux_screen p | grep '│ TLS' | grep -Eq '│ TLS: verified {49}F2 wider$' ||
	fail "pane not 72 columns at 250"

# --- A client certificate ------------------------------------------------------------------
# A TLS server that asks for a client certificate (and does not insist on one).
cat >"$T/ccsrv.py" <<'PY'
import os, socket, ssl, sys, threading
cert, key, ca, _, portfile = sys.argv[1:6]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
ctx.load_verify_locations(ca)
ctx.verify_mode = ssl.CERT_OPTIONAL
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(4)
with open(portfile + ".tmp", "w") as f:
    f.write(str(ls.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)

def serve(c):
    try:
        s = ctx.wrap_socket(c, server_side=True)
        s.sendall(b"220 cc ESMTP\r\n")
        f = s.makefile("rb")
        for line in f:
            if line.upper().startswith(b"QUIT"):
                s.sendall(b"221 bye\r\n")
                break
            s.sendall(b"250 ok\r\n")
        s.close()
    except (OSError, ssl.SSLError):
        c.close()

while True:
    threading.Thread(target=serve, args=(ls.accept()[0],), daemon=True).start()
PY
_lib_python
# The client's certificate is signed by the intermediate: the server trusts both.
cat "$PKI/ca.pem" "$PKI/int.pem" >"$T/clientca.pem"
_lib_run cc "$PYTHON" "$T/ccsrv.py" "$PKI/leaf-chain.pem" "$PKI/leaf-key.pem" "$T/clientca.pem"
printf 'QUIT\n' | "$SMTPCON" --batch --tls --cafile "$PKI/ca.pem" --cert "$PKI/client.pem" \
	--key "$PKI/client-key.pem" "127.0.0.1:$cc_PORT" >"$T/cc.out" 2>&1
assert_status 0 $? "with a client certificate"
assert_grep '^\*   client certificate sent: CN=smtpcon test client$' "$T/cc.out" "line mode: sent"
printf 'QUIT\n' | "$SMTPCON" --batch --tls --cafile "$PKI/ca.pem" "127.0.0.1:$cc_PORT" \
	>"$T/nocc.out" 2>&1
assert_grep '^\*   the server asked for a client certificate; none was given' "$T/nocc.out" "line mode: asked"
tmux_start c 120 30 "$SMTPCON" --tls --cafile "$PKI/ca.pem" --cert "$PKI/client.pem" \
	--key "$PKI/client-key.pem" "127.0.0.1:$cc_PORT"
tmux_wait c 'S: 220 cc ESMTP'
tmux_wait c '│client certificate sent:$'
tmux_wait c '│    CN=smtpcon test client$'
tmux_start n 120 30 "$SMTPCON" --tls --cafile "$PKI/ca.pem" "127.0.0.1:$cc_PORT"
tmux_wait n 'S: 220 cc ESMTP'
tmux_wait n '│the server asked for a client$'
tmux_wait n '│    certificate; none was given \(--cert,$'

# --- A self-signed server: said once --------------------------------------------------------
start_smtpd ss --implicit-tls "$PKI/selfsigned.pem" "$PKI/selfsigned-key.pem"
tmux_start s 120 30 "$SMTPCON" --tls --cafile "$PKI/ca.pem" "127.0.0.1:$ss_PORT"
tmux_wait s 'S: 220 localhost'
tmux_wait s '│    issuer  CN=localhost \(self-signed\)$'
tmux_screen s >"$T/ss"
assert_not_grep '\(self-signed\).*\(self-signed\)' "$T/ss" "self-signed said twice"
[ -z "$(tmux_status p)$(tmux_status c)$(tmux_status s)" ] || fail "a console died"
pass
