# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The smtpcon developers
# postfix.sh -- a private Postfix, and Postfix's smtp-sink, for tests and benchmarks.
# POSIX sh, sourced after tests/lib.sh:
#
#   . "${srcdir:-$(dirname "$0")/..}/tests/lib.sh"
#   . "$TESTS_SRC/postfix.sh"
#
# postfix_start
#	Starts a private Postfix (its own master(8) in the foreground, not the system's
#	instance, which need not be configured or running) on 127.0.0.1:$PF_PORT.  Needs
#	root and the postfix package: skips the test (exit 77) otherwise.  Everything
#	lives under $PF_DIR = $T/postfix: conf/ (config_directory: main.cf, master.cf),
#	spool/ (queue_directory), lib/ (data_directory), maillog (Postfix's log, via
#	postlogd), mail/.  /etc/postfix is only read (postfix-files and dynamicmaps.cf
#	through meta_directory), never written.  No chroot (the queue is under $T).
#	It accepts mail from 127.0.0.0/8 for any address @$PF_DOMAIN (example.test) and
#	delivers with virtual(8) into one Maildir: each message is a file in $PF_NEW
#	(= $PF_DIR/mail/example.test/new), byte for byte what was received after
#	un-dot-stuffing, LF line ends (Postfix stores lines, not CRLF), with a
#	Delivered-To: and Return-Path: and Postfix's Received: header prepended.
#	Everything else is refused (relay) or bounced into the void (no outbound mail:
#	default_transport is error).  EHLO offers PIPELINING, CHUNKING, 8BITMIME,
#	SIZE, ENHANCEDSTATUSCODES, SMTPUTF8, DSN, VRFY; with PF_CERT and PF_KEY set
#	(PEM files) before the call, STARTTLS too.  Sets PF_PORT, PF_PID (master),
#	PF_DIR, PF_CONF, PF_NEW, PF_LOG, PF_DOMAIN.  Ready (the 220 greeting
#	answered) when it returns, in about a second.
#	Delivery runs as "nobody", so $T is made traversable (chmod 711; not readable).
#	The master also gets -e $PF_LIFETIME (default 600) seconds as a last resort.
# postfix_wait_mail N [SECONDS=10]
#	Waits until $PF_NEW holds N messages (shows the maillog on failure).
# postfix_stop
#	SIGTERM to the master, waits for it, then ends by pid any process still working
#	in our queue directory.  Runs by itself at exit (wrapped around lib.sh's cleanup);
#	the master is also registered with track_pid.
#
# postfix_sink_start [-d] [smtp-sink options]
#	Starts Postfix's smtp-sink (no root needed; as root it runs as nobody) on
#	127.0.0.1:$SINK_PORT, backlog 16, counting (-c) into $SINK_OUT.  With -d (first
#	argument), each message is also dumped into a file under $SINK_DIR (smtp-sink's
#	own format: its headers, then the body, LF line ends).  Other arguments go to
#	smtp-sink (e.g. -p: no PIPELINING).  Sets SINK_PORT, SINK_PID, SINK_OUT,
#	SINK_DIR.  Stop it with stop_sink (or leave it to lib.sh's cleanup).
# sink_count
#	Prints the number of messages smtp-sink has received so far (0 if none).
# sink_wait_count N [SECONDS=10]
#	Waits until smtp-sink has counted N messages.
# shellcheck disable=SC2154  # T, PYTHON, TESTS_SRC come from lib.sh

PF_DOMAIN=example.test

_pf_free_port() {
	_lib_python
	"$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# _pf_wait_greeting PORT SECONDS: a 220 from the port, or status 1.
_pf_wait_greeting() {
	_lib_python
	"$PYTHON" - "$1" "$2" <<'EOF'
import socket, sys, time
port, end = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            if s.recv(512).startswith(b"220"):
                s.sendall(b"QUIT\r\n")
                s.recv(512)
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(1)
EOF
}

# _pf_reachable DIR: nobody can write there (every directory above it traversable),
# or the test is skipped: a TMPDIR like /root/tmp (mode 700) would stop delivery.
_pf_reachable() {
	command -v runuser >/dev/null 2>&1 || return 0
	runuser -u nobody -- test -w "$1" ||
		skip "user nobody cannot write $1: a directory above it is not traversable (TMPDIR?)"
}

postfix_start() {
	[ "$(id -u)" = 0 ] || skip "a private Postfix needs root (its master starts as root)"
	command -v postconf >/dev/null 2>&1 || skip "needs postfix (Debian package postfix)"
	_pf_daemons=$(postconf -dh daemon_directory 2>/dev/null)
	for _d in master smtpd cleanup qmgr virtual trivial-rewrite postlogd; do
		[ -x "$_pf_daemons/$_d" ] || skip "needs postfix: no $_pf_daemons/$_d"
	done
	id postfix >/dev/null 2>&1 || skip "no user postfix (is the postfix package installed?)"
	getent group postdrop >/dev/null 2>&1 || skip "no group postdrop"
	_pf_uid=$(id -u nobody) && _pf_gid=$(id -g nobody) || skip "no user nobody"
	[ -z "${PF_PID:-}" ] || fail "postfix_start: already running"

	PF_DIR=$T/postfix
	PF_CONF=$PF_DIR/conf
	PF_LOG=$PF_DIR/maillog
	PF_NEW=$PF_DIR/mail/$PF_DOMAIN/new
	PF_PORT=$(_pf_free_port) || fail "postfix_start: no free port"
	# virtual(8) writes the Maildir as nobody, through $T: traverse, no listing.
	chmod 711 "$T"
	mkdir -p "$PF_CONF" "$PF_DIR/spool" "$PF_DIR/lib" "$PF_DIR/mail" || fail "mkdir $PF_DIR"
	chmod 755 "$PF_DIR" "$PF_CONF"
	chown "$_pf_uid:$_pf_gid" "$PF_DIR/mail"
	chmod 700 "$PF_DIR/mail"
	_pf_reachable "$PF_DIR/mail"
	# The queue as post-install would make it (see /etc/postfix/postfix-files); done by
	# hand so that no Postfix script touches anything outside $PF_DIR.
	chown root:root "$PF_DIR/spool"
	chmod 755 "$PF_DIR/spool"
	for _d in active bounce corrupt defer deferred flush hold incoming private saved trace; do
		mkdir "$PF_DIR/spool/$_d" && chown postfix "$PF_DIR/spool/$_d" &&
			chmod 700 "$PF_DIR/spool/$_d" || fail "queue directory $_d"
	done
	mkdir "$PF_DIR/spool/maildrop" "$PF_DIR/spool/public" "$PF_DIR/spool/pid" &&
		chown postfix:postdrop "$PF_DIR/spool/maildrop" "$PF_DIR/spool/public" &&
		chmod 730 "$PF_DIR/spool/maildrop" && chmod 710 "$PF_DIR/spool/public" &&
		chmod 755 "$PF_DIR/spool/pid" || fail "queue directories"
	chown postfix "$PF_DIR/lib" && chmod 700 "$PF_DIR/lib" || fail "data directory"

	_pf_tls=
	if [ -n "${PF_CERT:-}" ]; then
		[ -r "$PF_CERT" ] && [ -r "${PF_KEY:-}" ] || fail "postfix_start: PF_CERT/PF_KEY unreadable"
		_pf_tls="smtpd_tls_security_level = may
smtpd_tls_chain_files = $PF_KEY, $PF_CERT
smtpd_tls_loglevel = 1"
	fi
	cat >"$PF_CONF/main.cf" <<EOF || fail "main.cf"
# Private test instance made by tests/postfix.sh: nothing outside $PF_DIR.
compatibility_level = 3.6
queue_directory = $PF_DIR/spool
data_directory = $PF_DIR/lib
meta_directory = $(postconf -dh meta_directory)
daemon_directory = $_pf_daemons
command_directory = $(postconf -dh command_directory)
shlib_directory = $(postconf -dh shlib_directory)
mail_owner = postfix
setgid_group = postdrop
maillog_file = $PF_LOG
maillog_file_prefixes = $PF_DIR
myhostname = postfix.test
mydomain = postfix.test
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_banner = \$myhostname ESMTP Postfix (smtpcon test)
local_recipient_maps =
alias_maps =
alias_database =
biff = no
smtp_dns_support_level = disabled
disable_dns_lookups = yes
default_transport = error:this test instance sends no mail out
relay_transport = error:this test instance sends no mail out
virtual_mailbox_domains = $PF_DOMAIN
virtual_mailbox_base = $PF_DIR/mail
virtual_mailbox_maps = static:$PF_DOMAIN/
virtual_uid_maps = static:$_pf_uid
virtual_gid_maps = static:$_pf_gid
virtual_minimum_uid = 1
virtual_mailbox_limit = 0
message_size_limit = 0
maximal_queue_lifetime = 0
bounce_queue_lifetime = 0
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 1000
smtpd_hard_error_limit = 1000
$_pf_tls
EOF
	# chroot column "n" everywhere: the queue is under $T, not /var/spool/postfix.
	cat >"$PF_CONF/master.cf" <<EOF || fail "master.cf"
127.0.0.1:$PF_PORT inet n - n - - smtpd
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
virtual   unix  - n n - - virtual
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
	# The master waits until main.cf looks older than "just written" (up to 2 s).
	touch -t 200001010000 "$PF_CONF/main.cf" "$PF_CONF/master.cf"

	# Its own process group (setsid: the same pid, exec'd), which is what the master
	# signals on SIGTERM to take its children down with it.
	_pf_setsid=
	command -v setsid >/dev/null 2>&1 && _pf_setsid=setsid
	$_pf_setsid "$_pf_daemons/master" -c "$PF_CONF" -d -e "${PF_LIFETIME:-600}" \
		</dev/null >"$PF_DIR/master.out" 2>&1 &
	PF_PID=$!
	track_pid "$PF_PID"
	# Always stop it before lib.sh removes $T (the trap calls lib.sh's cleanup last).
	trap 'postfix_stop; _lib_cleanup' EXIT
	if ! _pf_wait_greeting "$PF_PORT" 10; then
		cat "$PF_DIR/master.out" "$PF_LOG" >&2 2>/dev/null
		fail "private Postfix did not answer on 127.0.0.1:$PF_PORT"
	fi
}

postfix_wait_mail() {
	_i=0 _max=$((${2:-10} * 10))
	while [ "$(find "$PF_NEW" -type f 2>/dev/null | wc -l)" -lt "$1" ]; do
		if [ $_i -ge $_max ]; then
			_lib_show "$PF_LOG"
			fail "Postfix: fewer than $1 messages in $PF_NEW after ${2:-10} s"
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
}

# The pids of processes whose working directory is in our queue: Postfix daemons
# chdir there, so these are ours and no one else's.
_pf_procs() {
	for _p in /proc/[0-9]*; do
		case $(readlink "$_p/cwd" 2>/dev/null) in
		"$PF_DIR/spool" | "$PF_DIR/spool/"*) echo "${_p#/proc/}" ;;
		esac
	done
}

# _pf_alive PID: running, and not a zombie waiting for us to reap it.
_pf_alive() {
	_st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)
	[ -n "$_st" ] && [ "$_st" != Z ]
}

postfix_stop() {
	[ -n "${PF_PID:-}" ] || return 0
	kill "$PF_PID" 2>/dev/null
	_i=0
	while _pf_alive "$PF_PID" && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -9 "$PF_PID" 2>/dev/null
	wait "$PF_PID" 2>/dev/null
	# Children leave when the master does; give them a moment, then insist.
	_i=0
	while [ -n "$(_pf_procs)" ] && [ $_i -lt 20 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	for _p in $(_pf_procs); do kill -9 "$_p" 2>/dev/null; done
	PF_PID=
}

postfix_sink_start() {
	command -v smtp-sink >/dev/null 2>&1 || skip "needs smtp-sink (Debian package postfix)"
	_sink_dump=
	if [ "${1:-}" = -d ]; then
		_sink_dump=1
		shift
	fi
	SINK_DIR=$T/sink
	SINK_OUT=$SINK_DIR/counts
	mkdir -p "$SINK_DIR" || fail "mkdir $SINK_DIR"
	set -- -c "$@"
	if [ "$(id -u)" = 0 ]; then
		# smtp-sink insists on dropping root; the dumps are then written as nobody.
		chmod 711 "$T"
		chmod 1777 "$SINK_DIR"
		set -- -u nobody "$@"
	fi
	if [ -n "$_sink_dump" ]; then
		[ "$(id -u)" = 0 ] && _pf_reachable "$SINK_DIR"
		set -- -d "$SINK_DIR/msg-%Y%m%d-%H%M%S." "$@"
	fi
	# smtp-sink cannot report a port it picked; retry if another process took ours.
	_n=0
	while :; do
		SINK_PORT=$(_pf_free_port) || fail "postfix_sink_start: no free port"
		smtp-sink "$@" "127.0.0.1:$SINK_PORT" 16 </dev/null >"$SINK_OUT" 2>"$SINK_DIR/err" &
		SINK_PID=$!
		track_pid "$SINK_PID"
		_pf_wait_greeting "$SINK_PORT" 5 && kill -0 "$SINK_PID" 2>/dev/null && break
		kill "$SINK_PID" 2>/dev/null
		_n=$((_n + 1))
		[ $_n -lt 3 ] || { cat "$SINK_DIR/err" >&2; fail "smtp-sink did not start"; }
	done
	# The greeting probe above is a session; counts start after it.
}

stop_sink() {
	kill "$SINK_PID" 2>/dev/null
	wait "$SINK_PID" 2>/dev/null
	:
}

# smtp-sink -c rewrites one line with CR: "sess=N quit=N mesg=N".
sink_count() {
	tr '\r' '\n' <"$SINK_OUT" 2>/dev/null | sed -n 's/.*mesg=\([0-9]*\).*/\1/p' | tail -n 1 |
		grep . || echo 0
}

sink_wait_count() {
	_i=0 _max=$((${2:-10} * 10))
	while [ "$(sink_count)" -lt "$1" ]; do
		[ $_i -ge $_max ] && fail "smtp-sink: fewer than $1 messages after ${2:-10} s"
		sleep 0.1
		_i=$((_i + 1))
	done
}
