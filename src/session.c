/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The protocol engine: connection, TLS, replies, and the person's lines on one poll loop. */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "explain.h"
#include "explain-hint.h"
#include "sasl.h"
#include "session-int.h"
#include "trace.h"
#include "vis.h"
#include "xmalloc.h"

static void	session_teardown(struct session *);

void
session_changed(struct session *s)
{
	if (s->cb.changed != NULL)
		s->cb.changed(s->arg);
}

static void
session_now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

long
session_ms_since(const struct timespec *t)
{
	struct timespec	now;

	session_now(&now);
	return ((now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000);
}

void
session_set_deadline(struct session *s, enum session_deadline dl, int seconds)
{
	s->dl = dl;
	session_now(&s->deadline);
	s->deadline.tv_sec += seconds;
}

void
session_set_opts(struct session *s, const struct session_opts *opts)
{
	s->opts = *opts;
	if (s->opts.connect_timeout <= 0)
		s->opts.connect_timeout = 10;
	if (s->opts.reply_timeout <= 0)
		s->opts.reply_timeout = 30;
}

struct session *
session_new(const struct session_opts *opts, struct transcript *tr,
    const struct session_cb *cb, void *arg)
{
	struct session	*s;

	s = xcalloc(1, sizeof *s);
	session_set_opts(s, opts);
	s->tr = tr;
	if (cb != NULL)
		s->cb = *cb;
	s->arg = arg;
	s->fd = -1;
	s->latency = -1;
	smtp_init(&s->smtp);
	reply_parser_init(&s->parser);
	wire_init(&s->wire, -1, NULL);
	held_init(&s->held);
	auth_init(&s->auth);
	return (s);
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	session_teardown(s);
	session_sts_reset(s, NULL);
	auth_clear(&s->auth);
	tls_info_free(s->info);
	free(s->host);
	free(s->port);
	free(s);
}

void
session_chunk_clear(struct session *s)
{
	xfree_secret(s->chunk, s->chunkcap);
	s->chunk = NULL;
	s->chunklen = s->chunkcap = s->bdat_want = 0;
	s->bdat_manual = s->bdat_last = 0;
}

/* Close the socket and forget the connection state; the transcript keeps the story. */
static void
session_teardown(struct session *s)
{
	tls_close(s->tls);
	s->tls = NULL;
	tls_dane_free(s->dane);
	s->dane = NULL;
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	if (s->res != NULL)
		freeaddrinfo(s->res);
	s->res = s->ai = NULL;
	reply_parser_clear(&s->parser);
	smtp_reset(&s->smtp, SMTP_CLOSED);
	auth_end(&s->auth);
	s->auth_cancelled = 0;
	free(s->authed_as);
	s->authed_as = NULL;
	wire_clear(&s->wire);
	if (held_count(&s->held) > 0)
		trace_log("connection over: %zu held lines dropped", held_count(&s->held));
	held_clear(&s->held);
	session_chunk_clear(s);
	s->dl = DL_NONE;
	s->auto_step = 0;
	s->nreplies = 0;
	s->quitting = s->quit_queued = s->input_end = s->stopped = 0;
	s->io = IO_NONE;
}

void
session_end(struct session *s)
{
	session_teardown(s);
	session_changed(s);
	if (s->cb.closed != NULL)
		s->cb.closed(s->arg);
}

void
session_fail(struct session *s, enum session_fail f, const char *why, const char *hint)
{
	if (s->fail == SESSION_OK)
		s->fail = f;
	trace_log("failure %d: %s", (int)f, why);
	transcript_add(s->tr, TR_ERROR, why, NULL);
	if (hint != NULL)
		transcript_add(s->tr, TR_HINT, hint, NULL);
	session_end(s);
}

void
session_close(struct session *s, const char *why)
{
	if (s->io == IO_NONE)
		return;
	transcript_addf(s->tr, TR_LOCAL, "disconnected%s%s", why ? ": " : "",
	    why ? why : "");
	session_end(s);
}

void
session_cancel(struct session *s, const char *why)
{
	if (s->io == IO_NONE)
		return;
	trace_log("cancelled: %s", why);
	transcript_add(s->tr, TR_LOCAL, why, NULL);
	session_end(s);
}

/* Try the next address of the host, or fail with the reason of the last attempt. */
static void
session_connect_next(struct session *s, int err)
{
	char	*why = NULL, *hint = NULL;

	for (;;) {
		if (err != 0) {
			conn_explain(err, s->host, s->addr, s->port, &why, &hint);
			if (s->ai->ai_next == NULL) {
				session_fail(s, SESSION_F_CONNECT, why, hint);
				free(why);
				free(hint);
				return;
			}
			transcript_add(s->tr, TR_WARN, why, NULL);
			free(why);
			free(hint);
			s->ai = s->ai->ai_next;
		}
		conn_numeric(s->ai->ai_addr, s->ai->ai_addrlen, s->addr, sizeof s->addr);
		transcript_addf(s->tr, TR_LOCAL, "connecting to %s [%s] port %s%s",
		    s->host, s->addr, s->port, s->mode == SESSION_TLS ?
		    " (implicit TLS)" : "");
		if ((s->fd = conn_start(s->ai)) != -1)
			break;
		err = errno;
	}
	s->io = IO_CONNECTING;
	smtp_set_state(&s->smtp, SMTP_CONNECTING, "connect started");
	session_set_deadline(s, DL_CONNECT, s->opts.connect_timeout);
	session_changed(s);
}

void
session_forget(struct session *s)
{
	if (s->io != IO_NONE)
		session_close(s, "opening a new connection");
	tls_info_free(s->info);
	s->info = NULL;
	s->fail = SESSION_OK;
	s->latency = -1;
	s->addr[0] = '\0';
}

int
session_open(struct session *s, const char *host, const char *port,
    enum session_mode mode)
{
	session_sts_reset(s, NULL);
	return (session_dial(s, host, port, mode));
}

int
session_dial(struct session *s, const char *host, const char *port,
    enum session_mode mode)
{
	char	*why = NULL, *hint = NULL;

	session_forget(s);
	free(s->host);
	free(s->port);
	s->host = xstrdup(host);
	if (port == NULL)
		port = mode == SESSION_TLS ? "465" : "25";
	s->port = xstrdup(port);
	if (strcmp(port, "465") == 0 && mode == SESSION_PLAIN)
		mode = SESSION_TLS;
	s->mode = mode;
	tls_dane_free(s->dane);
	s->dane = s->opts.tls.dane ? tls_dane_start(&s->opts.tls, host, port) : NULL;

	if (conn_resolve(host, port, s->opts.family, &s->res, &why, &hint) != 0) {
		if (s->fail == SESSION_OK)
			s->fail = SESSION_F_CONNECT;
		transcript_add(s->tr, TR_ERROR, why, NULL);
		if (hint != NULL)
			transcript_add(s->tr, TR_HINT, hint, NULL);
		free(why);
		free(hint);
		session_changed(s);
		if (s->cb.closed != NULL)
			s->cb.closed(s->arg);
		return (-1);
	}
	s->ai = s->res;
	session_connect_next(s, 0);
	return (s->io == IO_NONE ? -1 : 0);
}

/* Write what the socket takes now; a failure ends the session. */
static void
session_flush(struct session *s)
{
	char	*err = NULL;

	if (s->io != IO_OPEN || wire_queued(&s->wire) == 0)
		return;
	if (wire_flush(&s->wire, &err) != 0) {
		session_fail(s, SESSION_F_CLOSED, err, !s->wire.peer_gone ? NULL :
		    session_gone_hint(s) != NULL ? session_gone_hint(s) :
		    "the server closed the connection");
		free(err);
	}
}

void
session_put(struct session *s, const char *wire, size_t wirelen, const char *shown,
    const char *note, enum smtp_cmd cmd, const char *verb, int last)
{
	char	*vis;

	/* A script's line may hold control bytes too: the transcript shows them. */
	vis = vis_bytes(shown, strlen(shown));
	transcript_add(s->tr, TR_CLIENT, vis, note);
	free(vis);
	smtp_sent(&s->smtp, cmd, verb, last);
	if (s->dl != DL_REPLY)
		session_set_deadline(s, DL_REPLY, cmd == SMTP_CMD_QUIT &&
		    s->opts.reply_timeout > SESSION_QUIT_WAIT ? SESSION_QUIT_WAIT :
		    s->opts.reply_timeout);
	/* AUTH and its answers may carry a secret: those bytes are wiped once sent. */
	if (cmd == SMTP_CMD_AUTH || cmd == SMTP_CMD_ANSWER)
		wire_mark_secret(&s->wire);
	wire_put_line(&s->wire, wire, wirelen);
	session_changed(s);
}

/* Send a line of the engine's own (the automatic EHLO, STARTTLS and QUIT). */
void
session_send_auto(struct session *s, const char *line)
{
	char	verb[SMTP_VERB_MAX];

	smtp_verb(line, verb, sizeof verb);
	session_put(s, line, strlen(line), line, "sent by smtpcon",
	    smtp_classify(verb), verb, 0);
}

void
session_refused(struct session *s, const char *what)
{
	size_t	n = held_count(&s->held);

	s->refusals++;
	s->quit_queued = 0;
	held_clear(&s->held);
	session_chunk_clear(s);
	trace_log("refused: %s; %zu held lines dropped", what, n);
	if (n > 0)
		transcript_addf(s->tr, TR_WARN, "%zu line%s typed after %s %s "
		    "discarded, not sent", n, n == 1 ? "" : "s", what, n == 1 ? "was" :
		    "were");
	if (s->opts.stop_on_refusal && !s->stopped) {
		s->stopped = 1;
		transcript_addf(s->tr, TR_WARN, "the rest of the input is not sent: "
		    "it depended on %s", what);
		if (s->io == IO_OPEN && s->smtp.state != SMTP_QUIT) {
			held_push(&s->held, "QUIT", 4, HELD_AUTO);
			s->quit_queued = s->quitting = 1;
		}
	}
}

/* A line the person gave cannot go as given: say why; in DATA the message is lost. */
void
session_input_error(struct session *s, const char *why, int abandon)
{
	if (abandon) {
		/* Only a close ends DATA without the final "." that would deliver it. */
		char	*msg = xasprintf("%s: the message is abandoned (the final "
		    "\".\" is not sent; the connection is closed)", why);

		held_clear(&s->held);
		/* The lines shown as sent go, if the socket takes them now. */
		session_flush(s);
		if (s->io == IO_OPEN && wire_queued(&s->wire) > 0)
			transcript_addf(s->tr, TR_WARN, "%zu bytes of the lines above "
			    "were not sent: the connection is closed first",
			    wire_queued(&s->wire));
		session_fail(s, SESSION_F_INPUT, msg, NULL);
		free(msg);
		return;
	}
	transcript_addf(s->tr, TR_ERROR, "%s: not sent", why);
	/* Recorded for the exit status; the session goes on (to QUIT in line mode). */
	if (s->fail == SESSION_OK)
		s->fail = SESSION_F_INPUT;
	held_drop(&s->held);	/* that line */
	session_refused(s, "a line that could not be sent");
}

void
session_start_tls(struct session *s)
{
	char	*err = NULL;

	s->tls = tls_start(&s->opts.tls, s->host, s->fd, &err);
	if (s->tls == NULL) {
		session_fail(s, SESSION_F_TLS, err, NULL);
		free(err);
		return;
	}
	s->io = IO_HANDSHAKE;
	s->tls_dir = TLS_WANT_WRITE;
	smtp_set_state(&s->smtp, SMTP_HANDSHAKE, "TLS handshake started");
	session_set_deadline(s, DL_HANDSHAKE, s->opts.reply_timeout);
	transcript_add(s->tr, TR_LOCAL, "TLS handshake...", NULL);
	session_changed(s);
}

static void
session_tls_done(struct session *s)
{
	struct tls_info	*in;
	int		 implicit = s->mode == SESSION_TLS && !s->smtp.tls &&
			    s->auto_step == 0 && !s->smtp.ehlo && s->smtp.next_id == 0;

	tls_info_free(s->info);
	in = s->info = tls_take_info(s->tls);
	tls_dane_finish(s->dane, in, SESSION_DANE_WAIT_MS);
	s->io = IO_OPEN;
	wire_clear(&s->wire);
	wire_init(&s->wire, s->fd, s->tls);
	transcript_addf(s->tr, TR_LOCAL, "%s established: %s, key exchange %s%s",
	    in->protocol, in->cipher, in->kx, in->resumed ? ", resumed" : "");
	if (in->verified)
		transcript_addf(s->tr, TR_LOCAL, "certificate %s", in->verdict);
	else {
		transcript_addf(s->tr, TR_WARN, "certificate %s", in->verdict);
		if (in->advice != NULL)
			transcript_add(s->tr, TR_HINT, in->advice, NULL);
		transcript_add(s->tr, TR_HINT, explain_hint(s->opts.insecure ?
		    EXPLAIN_HINT_INSECURE_ON : EXPLAIN_HINT_INTERCEPTABLE), NULL);
	}
	/* Not looked up (an address): the TLS pane says so; the transcript needs not. */
	if (in->dane != NULL && in->dane_state != TLS_DANE_SKIPPED)
		transcript_add(s->tr, in->dane_state == TLS_DANE_BOGUS ||
		    in->dane_state == TLS_DANE_NO_MATCH ? TR_WARN : TR_LOCAL, in->dane,
		    NULL);
	session_sts_tls(s, in->verified ? STS_TLS_VERIFIED : STS_TLS_BADCERT,
	    in->verdict);
	smtp_tls_up(&s->smtp, implicit);
	if (implicit)
		session_set_deadline(s, DL_REPLY, s->opts.reply_timeout);
	else {
		s->dl = DL_NONE;
		transcript_add(s->tr, TR_HINT, "send EHLO again: the server forgets "
		    "what it advertised before TLS", NULL);
	}
	s->auto_step = 0;
	if (s->cb.tls_up != NULL)
		s->cb.tls_up(s->arg, in);
	session_changed(s);
	session_pump(s);
}

static void
session_handshake(struct session *s)
{
	char	*err = NULL, *hint = NULL;
	int	 ret;

	ret = tls_handshake(s->tls, &err, &hint);
	if (ret == TLS_OK) {
		session_tls_done(s);
		return;
	}
	if (ret == TLS_WANT_READ || ret == TLS_WANT_WRITE) {
		s->tls_dir = ret;
		return;
	}
	/* After STARTTLS's 220 (not implicit TLS), plain text in place of the
	 * handshake is injection or a broken server, however the bytes arrived. */
	if (s->smtp.next_id > 0 && tls_plain_answer(s->tls)) {
		s->violations++;
		transcript_add(s->tr, TR_WARN, err, NULL);
		free(hint);
		hint = xstrdup("a server must wait for the TLS handshake after its 220 "
		    "to STARTTLS; plain text there is how STARTTLS command injection "
		    "works (CVE-2011-0411): report it to the server's admin");
		session_fail(s, SESSION_F_PROTOCOL, "protocol violation: after its 220 "
		    "to STARTTLS the server sent plain text, not the TLS handshake",
		    hint);
		free(err);
		free(hint);
		return;
	}
	session_fail(s, SESSION_F_TLS, err, hint);
	free(err);
	free(hint);
}

static void
session_deadline(struct session *s)
{
	char		*why;
	const char	*verb;
	int		 partial;

	switch (s->dl) {
	case DL_NONE:
		return;
	case DL_CONNECT:
		close(s->fd);
		s->fd = -1;
		session_connect_next(s, ETIMEDOUT);
		return;
	case DL_HANDSHAKE:
		why = xasprintf("TLS handshake timed out: no answer in %d s",
		    s->opts.reply_timeout);
		session_fail(s, SESSION_F_TLS, why, s->mode == SESSION_TLS ?
		    explain_hint(EXPLAIN_HINT_HANDSHAKE_SILENT) : NULL);
		free(why);
		return;
	case DL_CLOSE:
		transcript_add(s->tr, TR_LOCAL, "the server said goodbye but kept the "
		    "connection open: closed it", NULL);
		session_end(s);
		return;
	case DL_REPLY:
		break;
	}
	verb = smtp_pending_verb(&s->smtp);
	partial = session_show_partial(s);
	if (s->smtp.state == SMTP_GREETING) {
		why = xasprintf("no greeting from the server within %d s%s",
		    s->opts.reply_timeout, partial ? " (it did not end its line)" : "");
		session_fail(s, SESSION_F_PROTOCOL, why, partial ? "the server sent "
		    "text but never a whole greeting: it is broken or hostile, or "
		    "very slow" : s->mode == SESSION_TLS ?
		    "the server accepted TLS but says nothing: it may be overloaded" :
		    explain_hint(EXPLAIN_HINT_NO_GREETING));
	} else if (verb != NULL && strcmp(verb, "QUIT") == 0) {
		/* Leaving is what was asked: a silent server does not make it fail. */
		transcript_add(s->tr, TR_LOCAL, "no answer to QUIT: closed the "
		    "connection", NULL);
		session_end(s);
		return;
	} else {
		why = xasprintf("no reply to %s within %d s%s", verb && *verb ? verb :
		    "the last command", s->opts.reply_timeout, partial ?
		    " (a reply began but did not end)" : "");
		session_fail(s, SESSION_F_PROTOCOL, why,
		    explain_hint(EXPLAIN_HINT_REPLY_TIMEOUT));
	}
	free(why);
}

/* Bytes have waited for the server to read them for the whole reply timeout. */
static int
session_send_stalled(struct session *s)
{
	char	*why;

	if (s->io != IO_OPEN ||
	    wire_stalled_ms(&s->wire) < (long)s->opts.reply_timeout * 1000)
		return (0);
	why = xasprintf("the server stopped reading: %zu bytes not taken in %d s",
	    wire_queued(&s->wire), s->opts.reply_timeout);
	/* Reset, not close: the kernel would go on trying to send what it holds. */
	setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &(struct linger){ 1, 0 },
	    sizeof(struct linger));
	session_fail(s, SESSION_F_PROTOCOL, why,
	    explain_hint(EXPLAIN_HINT_SEND_STALLED));
	free(why);
	return (1);
}

/* The connection's descriptor and events; 0 when there is none. */
static int
session_pollfd(struct session *s, struct pollfd *pfd)
{
	pfd->fd = s->fd;
	pfd->revents = 0;
	switch (s->io) {
	case IO_NONE:
		pfd->fd = -1;
		pfd->events = 0;
		return (0);
	case IO_CONNECTING:
		pfd->events = POLLOUT;
		break;
	case IO_HANDSHAKE:
		pfd->events = s->tls_dir == TLS_WANT_WRITE ? POLLOUT : POLLIN;
		break;
	case IO_OPEN:
		pfd->events = wire_events(&s->wire);
		break;
	}
	return (1);
}

static long
session_ms_until(const struct timespec *t)
{
	struct timespec	now;

	session_now(&now);
	return ((t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000);
}

/* Still no greeting on a plain connection, and the hint not given yet. */
static int
session_greet_silent(struct session *s)
{
	return (s->io == IO_OPEN && s->tls == NULL && !s->greet_hinted &&
	    s->smtp.state == SMTP_GREETING && s->parser.cur == NULL &&
	    s->parser.len == 0);
}

int
session_timeout(struct session *s)
{
	long	ms = -1, send;

	if (s->io == IO_OPEN && s->tls != NULL && tls_pending(s->tls) > 0)
		return (0);
	/* Held lines that only wait for room, and the room is there. */
	if (s->io == IO_OPEN && s->pump_more &&
	    wire_queued(&s->wire) < SESSION_OUT_HIGH)
		return (0);
	if (s->io == IO_NONE)
		return (-1);
	if (s->dl != DL_NONE)
		ms = session_ms_until(&s->deadline) + 1;
	if (session_greet_silent(s)) {
		send = session_ms_until(&s->greet_hint) + 1;
		if (ms < 0 || send < ms)
			ms = send < 0 ? 0 : send;
	}
	if (s->io == IO_OPEN && wire_queued(&s->wire) > 0) {
		send = (long)s->opts.reply_timeout * 1000 -
		    wire_stalled_ms(&s->wire) + 1;
		if (ms < 0 || send < ms)
			ms = send;
	}
	if (ms < 0 && s->dl == DL_NONE && wire_queued(&s->wire) == 0)
		return (-1);
	if (ms < 0)
		return (0);
	return (ms > 0x7fffffff ? 0x7fffffff : (int)ms);
}

int
session_pollfds(struct session *s, struct pollfd *pfd)
{
	int	n = 0;

	if (session_pollfd(s, &pfd[n]))
		n++;
	if (session_sts_fd(s) != -1) {
		pfd[n].fd = session_sts_fd(s);
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	return (n);
}

static void session_conn_io(struct session *, short);

void
session_io(struct session *s, const struct pollfd *pfd, int n)
{
	short	revents = 0, sts = 0;
	int	i;

	for (i = 0; i < n; i++) {
		if (pfd[i].fd == s->fd && s->fd != -1)
			revents = pfd[i].revents;
		else if (pfd[i].fd == session_sts_fd(s) && pfd[i].fd != -1)
			sts = pfd[i].revents;
	}
	session_conn_io(s, revents);
	if (sts != 0)
		session_sts_io(s);
}

/* The connection's part: revents for its descriptor (0 after a timeout). */
static void
session_conn_io(struct session *s, short revents)
{
	char	*hint;
	int	 err, rounds;

	switch (s->io) {
	case IO_NONE:
		return;
	case IO_CONNECTING:
		if (revents & (POLLOUT | POLLERR | POLLHUP)) {
			if ((err = conn_finish(s->fd)) != 0) {
				close(s->fd);
				s->fd = -1;
				session_connect_next(s, err);
				break;
			}
			freeaddrinfo(s->res);
			s->res = s->ai = NULL;
			transcript_addf(s->tr, TR_LOCAL, "connected to %s [%s] port %s",
			    s->host, s->addr, s->port);
			s->io = IO_OPEN;
			wire_init(&s->wire, s->fd, NULL);
			if (s->mode == SESSION_TLS)
				session_start_tls(s);
			else {
				smtp_set_state(&s->smtp, SMTP_GREETING, "connected");
				session_set_deadline(s, DL_REPLY, s->opts.reply_timeout);
				/* A port that wants implicit TLS says nothing: say so
				 * early, while still waiting. */
				session_now(&s->greet_hint);
				s->greet_hint.tv_sec += SESSION_GREET_HINT;
				s->greet_hinted = s->opts.reply_timeout <=
				    SESSION_GREET_HINT;
			}
			session_changed(s);
			if (s->io == IO_HANDSHAKE)
				session_handshake(s);
		}
		break;
	case IO_HANDSHAKE:
		/* A trickle of bytes must not keep the deadline below from firing. */
		if (revents != 0)
			session_handshake(s);
		break;
	case IO_OPEN:
		if (revents & (POLLIN | POLLHUP | POLLERR) ||
		    (s->tls != NULL && tls_pending(s->tls) > 0))
			session_read(s);
		/* What a pass queues goes out together, in as few writes as the
		 * socket takes; a bounded number of rounds keeps keys responsive. */
		for (rounds = 0; rounds < 8 && s->io == IO_OPEN; rounds++) {
			session_pump(s);
			session_flush(s);
			if (!s->pump_more || wire_queued(&s->wire) >= SESSION_OUT_HIGH)
				break;
		}
		session_changed(s);
		break;
	}
	if (s->io == IO_OPEN && session_send_stalled(s))
		return;
	if (session_greet_silent(s) && session_ms_until(&s->greet_hint) <= 0) {
		s->greet_hinted = 1;
		hint = explain_hint_greet_silent(SESSION_GREET_HINT,
		    s->opts.reply_timeout);
		transcript_add(s->tr, TR_HINT, hint, NULL);
		free(hint);
		session_changed(s);
	}
	if (s->io != IO_NONE && s->dl != DL_NONE && session_timeout(s) == 0 &&
	    !(s->io == IO_OPEN && s->tls != NULL && tls_pending(s->tls) > 0) &&
	    session_ms_until(&s->deadline) <= 0)
		session_deadline(s);
}

