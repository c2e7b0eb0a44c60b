/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Unit tests of the session's query API (session-query.c): a session driven against a
 * scripted server on loopback, this process playing both ends, and what the front ends
 * may ask of it at each step: the state, the capabilities, TLS, the verb awaited, and
 * whether a typed line goes now. Consent to a risky AUTH is an argument of the call.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"
#include "unit.h"

#define SPIN_MAX	300	/* passes of 10 ms before a step is given up */

static char	srvbuf[8192];	/* what the server side has read and not yet taken */
static size_t	srvlen;

/* One pass of a front end's loop, waiting at most 10 ms. */
static void
spin(struct session *s)
{
	struct pollfd	pfd[SESSION_NPOLL];
	int		n, t;

	n = session_pollfds(s, pfd);
	t = session_timeout(s);
	if (t < 0 || t > 10)
		t = 10;
	if (poll(pfd, n, t) <= 0)
		n = 0;
	session_io(s, pfd, n);
}

#define SPIN_UNTIL(s, cond) do {					\
	int spin_i;							\
	for (spin_i = 0; spin_i < SPIN_MAX && !(cond); spin_i++)	\
		spin(s);						\
	CHECK(cond);							\
} while (0)

/* The server reads until it has nlines lines; they are returned joined, as sent. */
static char *
server_read(struct session *s, int fd, int nlines)
{
	char	*p, *out;
	size_t	 n = 0;
	ssize_t	 r;
	int	 i, seen;

	for (i = 0; i < SPIN_MAX; i++) {
		seen = 0;
		for (p = srvbuf; (p = memchr(p, '\n', srvlen - (p - srvbuf))) != NULL;
		    p++) {
			if (++seen == nlines) {
				n = p + 1 - srvbuf;
				break;
			}
		}
		if (n > 0)
			break;
		spin(s);
		r = read(fd, srvbuf + srvlen, sizeof srvbuf - srvlen);
		if (r > 0)
			srvlen += r;
	}
	out = strndup(srvbuf, n);
	memmove(srvbuf, srvbuf + n, srvlen - n);
	srvlen -= n;
	return (out);
}

static void
server_write(int fd, const char *text)
{
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
}

static void
submit(struct session *s, const char *line, int flags)
{
	char	*err = NULL;

	CHECK(session_submit(s, line, strlen(line), flags, &err) == 0);
	free(err);
}

static int
listener(char *port, size_t len)
{
	struct sockaddr_in	sin;
	socklen_t		slen = sizeof sin;
	int			fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(fd, 1) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &slen) == -1) {
		perror("listener");
		exit(1);
	}
	snprintf(port, len, "%u", ntohs(sin.sin_port));
	return (fd);
}

static void
test_queries(void)
{
	struct session_opts	 o;
	struct transcript	 tr;
	struct session		*s;
	char			 port[16], *got, *err = NULL;
	int			 lfd, fd;

	memset(&o, 0, sizeof o);
	o.family = AF_INET;
	o.connect_timeout = 5;
	o.reply_timeout = 5;
	o.ehlo = "EHLO unit.test";
	transcript_init(&tr);
	s = session_new(&o, &tr, &(struct session_cb){ NULL, NULL, NULL, NULL }, NULL);
	lfd = listener(port, sizeof port);

	/* Before any connection nothing is known. */
	CHECK(!session_connected(s));
	CHECK(session_state(s) == SMTP_CLOSED);
	CHECK_STR(session_state_name(s), "not connected");
	CHECK_STR(session_cap(s, "AUTH"), NULL);
	CHECK_STR(session_cap_line(s, 0), NULL);
	CHECK(!session_tls_up(s));
	CHECK_STR(session_pending_verb(s), NULL);
	CHECK(!session_waiting(s));

	CHECK(session_open(s, "127.0.0.1", port, SESSION_PLAIN) == 0);
	CHECK(session_connected(s));
	fd = accept(lfd, NULL, NULL);
	CHECK(fd != -1);
	fcntl(fd, F_SETFL, O_NONBLOCK);

	/* Connected, the greeting awaited. */
	SPIN_UNTIL(s, session_state(s) == SMTP_GREETING);
	CHECK(session_waiting(s));
	CHECK(!session_idle(s));
	CHECK_STR(session_pending_verb(s), NULL);
	server_write(fd, "220 unit.test ESMTP\r\n");
	SPIN_UNTIL(s, session_state(s) == SMTP_READY);
	CHECK_STR(session_state_name(s), "ready");
	CHECK(!session_waiting(s));
	CHECK(session_idle(s));
	CHECK(session_next_kind(s) == SMTP_LINE_COMMAND);
	CHECK(!session_tls_up(s));

	/* EHLO: awaited, then what it advertised. */
	submit(s, "EHLO me.test", 0);
	got = server_read(s, fd, 1);
	CHECK_STR(got, "EHLO me.test\r\n");
	free(got);
	CHECK(session_waiting(s));
	CHECK(!session_idle(s));
	CHECK_STR(session_pending_verb(s), "EHLO");
	server_write(fd, "250-unit.test\r\n250-SIZE 1000\r\n250-AUTH PLAIN LOGIN\r\n"
	    "250 PIPELINING\r\n");
	SPIN_UNTIL(s, !session_waiting(s));
	CHECK_STR(session_pending_verb(s), NULL);
	CHECK_STR(session_cap(s, "AUTH"), "PLAIN LOGIN");
	CHECK_STR(session_cap(s, "auth"), "PLAIN LOGIN");
	CHECK_STR(session_cap(s, "SIZE"), "1000");
	CHECK_STR(session_cap(s, "PIPELINING"), "");
	CHECK_STR(session_cap(s, "STARTTLS"), NULL);
	CHECK_STR(session_cap(s, "SIZ"), NULL);
	CHECK_STR(session_cap_line(s, 0), "SIZE 1000");
	CHECK_STR(session_cap_line(s, 2), "PIPELINING");
	CHECK_STR(session_cap_line(s, 3), NULL);

	/* Pipelined: three commands go at once, DATA's reply is awaited before the body. */
	submit(s, "MAIL FROM:<a@unit.test>", 0);
	submit(s, "RCPT TO:<b@unit.test>", 0);
	submit(s, "DATA", 0);
	submit(s, "Subject: hi", 0);
	got = server_read(s, fd, 3);
	CHECK_STR(got, "MAIL FROM:<a@unit.test>\r\nRCPT TO:<b@unit.test>\r\nDATA\r\n");
	free(got);
	CHECK_STR(session_pending_verb(s), "MAIL");
	CHECK(session_held(s) == 1);
	CHECK(session_next_kind(s) == SMTP_LINE_BODY);
	server_write(fd, "250 ok\r\n250 ok\r\n354 go\r\n");
	SPIN_UNTIL(s, session_state(s) == SMTP_DATA && session_held(s) == 0);
	CHECK_STR(session_state_name(s), "in DATA: end with a line holding only .");
	CHECK(session_next_kind(s) == SMTP_LINE_BODY);
	submit(s, ".hidden", 0);
	submit(s, ".", 0);
	got = server_read(s, fd, 3);
	CHECK_STR(got, "Subject: hi\r\n..hidden\r\n.\r\n");
	free(got);
	CHECK_STR(session_pending_verb(s), ".");
	server_write(fd, "250 queued\r\n");
	SPIN_UNTIL(s, session_state(s) == SMTP_READY && !session_waiting(s));

	/* AUTH over plain text: refused without consent, sent with it. */
	CHECK(session_auth_risk(s) != NULL);
	CHECK(session_auth_start(s, "PLAIN", "alice", "secret", 0, &err) == -1);
	CHECK(err != NULL && strstr(err, "AUTH refused") != NULL);
	free(err);
	err = NULL;
	CHECK(!session_waiting(s));
	CHECK(session_auth_start(s, "PLAIN", "alice", "secret", 1, &err) == 0);
	got = server_read(s, fd, 1);
	CHECK_STR(got, "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
	free(got);
	CHECK_STR(session_pending_verb(s), "AUTH");
	server_write(fd, "235 2.7.0 ok\r\n");
	SPIN_UNTIL(s, !session_waiting(s));
	CHECK_STR(session_authed_as(s), "alice");
	/* The consent was for that call only. */
	CHECK(session_auth_start(s, "PLAIN", "alice", "secret", 0, &err) == -1);
	free(err);
	err = NULL;

	/* QUIT: answered, then the server closes; nothing is known any more. */
	CHECK(session_quit(s) == 0);
	got = server_read(s, fd, 1);
	CHECK_STR(got, "QUIT\r\n");
	free(got);
	CHECK_STR(session_pending_verb(s), "QUIT");
	server_write(fd, "221 bye\r\n");
	close(fd);
	SPIN_UNTIL(s, !session_connected(s));
	CHECK(session_state(s) == SMTP_CLOSED);
	CHECK_STR(session_cap(s, "AUTH"), NULL);
	CHECK(!session_waiting(s));
	CHECK(session_failure(s) == SESSION_OK);

	close(lfd);
	session_free(s);
	transcript_clear(&tr);
}

int
main(void)
{
	test_queries();
	return (unit_done());
}
