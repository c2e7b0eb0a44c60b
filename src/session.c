/* The protocol engine: connection, TLS, replies and dialogue state, on one poll loop. */
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
#include "auth.h"
#include "explain.h"
#include "sasl.h"
#include "session.h"
#include "vis.h"
#include "xmalloc.h"

#define SESSION_READ_MAX	16384
#define SESSION_OUT_MAX		(1024 * 1024)

enum session_io {
	IO_NONE,
	IO_CONNECTING,
	IO_HANDSHAKE,
	IO_OPEN
};

enum session_deadline {
	DL_NONE,
	DL_CONNECT,
	DL_HANDSHAKE,
	DL_REPLY,
	DL_CLOSE	/* the server said goodbye but has not closed */
};

struct session {
	struct session_opts	 opts;
	struct transcript	*tr;
	struct session_cb	 cb;
	void			*arg;

	enum session_mode	 mode;
	enum session_io		 io;
	char			*host, *port;
	char			 addr[64];
	struct addrinfo		*res, *ai;
	int			 fd;
	struct tls		*tls;
	int			 tls_dir;	/* TLS_WANT_READ or TLS_WANT_WRITE */
	struct tls_info		*info;
	struct smtp		 smtp;
	struct reply_parser	 parser;
	int			 auto_step;	/* --starttls: 1 EHLO sent, 2 STARTTLS sent */

	char			*out;
	size_t			 outlen, outcap;
	size_t			 inflight;	/* bytes given to tls_send that said WANT */

	enum session_deadline	 dl;
	struct timespec		 deadline;
	struct timespec		 sent;		/* when the awaited command went out */
	long			 latency;

	enum session_fail	 fail;
	int			 violations;

	struct auth		 auth;
	int			 auth_confirmed;	/* one AUTH despite the risk */
	int			 auth_cancelled;	/* "*" sent: its 501 needs no hint */
	char			*authed_as;	/* display-safe user name after 235 */
	char			 risk[512];
};

static void	session_fail(struct session *, enum session_fail, const char *, const char *);
static void	session_teardown(struct session *);
static void	session_auth_reply(struct session *, const struct reply *);
static void	session_put(struct session *, const char *, const char *, const char *,
		    const char *);

static void
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

static long
session_ms_since(const struct timespec *t)
{
	struct timespec	now;

	session_now(&now);
	return ((now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000);
}

static void
session_set_deadline(struct session *s, enum session_deadline dl, int seconds)
{
	s->dl = dl;
	session_now(&s->deadline);
	s->deadline.tv_sec += seconds;
}

struct session *
session_new(const struct session_opts *opts, struct transcript *tr,
    const struct session_cb *cb, void *arg)
{
	struct session	*s;

	s = xcalloc(1, sizeof *s);
	s->opts = *opts;
	if (s->opts.connect_timeout <= 0)
		s->opts.connect_timeout = 10;
	if (s->opts.reply_timeout <= 0)
		s->opts.reply_timeout = 30;
	s->tr = tr;
	if (cb != NULL)
		s->cb = *cb;
	s->arg = arg;
	s->fd = -1;
	s->latency = -1;
	smtp_init(&s->smtp);
	reply_parser_init(&s->parser);
	auth_init(&s->auth);
	return (s);
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	session_teardown(s);
	auth_clear(&s->auth);
	tls_info_free(s->info);
	free(s->host);
	free(s->port);
	free(s);
}

int
session_connected(const struct session *s)
{
	return (s->io != IO_NONE);
}

const struct smtp *
session_smtp(const struct session *s)
{
	return (&s->smtp);
}

const struct tls_info *
session_tls(const struct session *s)
{
	return (s->info);
}

const char *
session_host(const struct session *s)
{
	return (s->host != NULL ? s->host : "");
}

const char *
session_addr(const struct session *s)
{
	return (s->addr);
}

const char *
session_port(const struct session *s)
{
	return (s->port != NULL ? s->port : "");
}

long
session_latency(const struct session *s)
{
	return (s->latency);
}

enum session_fail
session_failure(const struct session *s)
{
	return (s->fail);
}

int
session_violations(const struct session *s)
{
	return (s->violations);
}

const char *
session_authed_as(const struct session *s)
{
	return (s->authed_as);
}

int
session_insecure(const struct session *s)
{
	return (s->opts.insecure);
}

/* Close the socket and forget the connection state; the transcript keeps the story. */
static void
session_teardown(struct session *s)
{
	tls_close(s->tls);
	s->tls = NULL;
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	if (s->res != NULL)
		freeaddrinfo(s->res);
	s->res = s->ai = NULL;
	reply_parser_clear(&s->parser);
	smtp_reset(&s->smtp, SMTP_CLOSED);
	auth_end(&s->auth);
	s->auth_confirmed = s->auth_cancelled = 0;
	free(s->authed_as);
	s->authed_as = NULL;
	xfree_secret(s->out, s->outcap);
	s->out = NULL;
	s->outlen = s->outcap = s->inflight = 0;
	s->dl = DL_NONE;
	s->auto_step = 0;
	s->io = IO_NONE;
}

static void
session_end(struct session *s)
{
	session_teardown(s);
	session_changed(s);
	if (s->cb.closed != NULL)
		s->cb.closed(s->arg);
}

static void
session_fail(struct session *s, enum session_fail f, const char *why, const char *hint)
{
	if (s->fail == SESSION_OK)
		s->fail = f;
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
	s->smtp.state = SMTP_CONNECTING;
	session_set_deadline(s, DL_CONNECT, s->opts.connect_timeout);
	session_changed(s);
}

int
session_open(struct session *s, const char *host, const char *port,
    enum session_mode mode)
{
	char	*why = NULL, *hint = NULL;

	if (s->io != IO_NONE)
		session_close(s, "opening a new connection");
	tls_info_free(s->info);
	s->info = NULL;
	s->fail = SESSION_OK;
	s->latency = -1;
	s->addr[0] = '\0';
	free(s->host);
	free(s->port);
	s->host = xstrdup(host);
	if (port == NULL)
		port = mode == SESSION_TLS ? "465" : "25";
	s->port = xstrdup(port);
	if (strcmp(port, "465") == 0 && mode == SESSION_PLAIN)
		mode = SESSION_TLS;
	s->mode = mode;

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

/* Queue bytes for the server and try to send them now. */
static void	session_flush(struct session *);

static void
session_queue(struct session *s, const char *line)
{
	size_t	len = strlen(line);

	if (s->outlen + len + 2 > SESSION_OUT_MAX) {
		session_fail(s, SESSION_F_PROTOCOL, "the server is not reading what "
		    "we send (over 1 MB queued)", "it may be stuck; reconnect");
		return;
	}
	if (s->outlen + len + 2 > s->outcap) {
		/* The queue holds AUTH answers too: no copy is left behind unwiped. */
		size_t	 cap = (s->outlen + len + 2) * 2;
		char	*out = xmalloc(cap);

		if (s->outlen > 0)
			memcpy(out, s->out, s->outlen);
		xfree_secret(s->out, s->outcap);
		s->out = out;
		s->outcap = cap;
	}
	memcpy(s->out + s->outlen, line, len);
	memcpy(s->out + s->outlen + len, "\r\n", 2);
	s->outlen += len + 2;
	session_flush(s);
}

static void
session_flush(struct session *s)
{
	ssize_t	 n;
	char	*err = NULL;
	size_t	 want;

	while (s->io == IO_OPEN && s->outlen > 0) {
		if (s->tls != NULL) {
			want = s->inflight ? s->inflight : s->outlen;
			n = tls_send(s->tls, s->out, want, &err);
			if (n == TLS_WANT_READ || n == TLS_WANT_WRITE) {
				s->inflight = want;
				s->tls_dir = n;
				return;
			}
			s->inflight = 0;
			if (n == TLS_ERROR) {
				session_fail(s, SESSION_F_CLOSED, err, NULL);
				free(err);
				return;
			}
		} else {
			n = send(s->fd, s->out, s->outlen, MSG_NOSIGNAL);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				return;
			if (n == -1) {
				err = xasprintf("cannot send to the server: %s",
				    strerror(errno));
				session_fail(s, SESSION_F_CLOSED, err, errno == EPIPE ||
				    errno == ECONNRESET ? "the server closed the "
				    "connection" : NULL);
				free(err);
				return;
			}
		}
		memmove(s->out, s->out + n, s->outlen - n);
		s->outlen -= n;
		xwipe(s->out + s->outlen, n);
	}
}

/* Send a line of the engine's own (the automatic EHLO and STARTTLS). */
static void
session_send_auto(struct session *s, const char *line)
{
	session_put(s, line, line, "sent by smtpcon", line);
}

static void
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
	s->smtp.state = SMTP_HANDSHAKE;
	session_set_deadline(s, DL_HANDSHAKE, s->opts.reply_timeout);
	transcript_add(s->tr, TR_LOCAL, "TLS handshake...", NULL);
	session_changed(s);
}

static void
session_tls_done(struct session *s)
{
	struct tls_info	*in;
	int		 implicit = s->mode == SESSION_TLS && !s->smtp.tls &&
			    s->auto_step == 0 && s->smtp.state == SMTP_HANDSHAKE &&
			    !s->smtp.ehlo;

	tls_info_free(s->info);
	in = s->info = tls_take_info(s->tls);
	s->io = IO_OPEN;
	transcript_addf(s->tr, TR_LOCAL, "%s established: %s, key exchange %s%s",
	    in->protocol, in->cipher, in->kx, in->resumed ? ", resumed" : "");
	if (in->verified)
		transcript_addf(s->tr, TR_LOCAL, "certificate %s", in->verdict);
	else {
		transcript_addf(s->tr, TR_WARN, "certificate %s", in->verdict);
		transcript_add(s->tr, TR_HINT, s->opts.insecure ?
		    "--insecure: going on, but anyone in the path could read this "
		    "session" : "this session may be intercepted: smtpcon will not "
		    "send AUTH over it (use --cafile for a private CA, or --insecure)",
		    NULL);
	}
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
	session_fail(s, SESSION_F_TLS, err, hint);
	free(err);
	free(hint);
}

/* The annotation beside a server line: decoded 334 text, or the reply code's meaning. */
static char *
session_note(struct session *s, const struct reply_line *l, const struct reply *r)
{
	const char	*verb = smtp_pending_verb(&s->smtp), *shrt;
	char		*text = NULL, *note;

	if (l->code == 334 && verb != NULL && strcmp(verb, "AUTH") == 0) {
		if (sasl_decode_text(l->text + l->msg, &text) == 0) {
			note = *text == '\0' ? xstrdup("empty challenge: your turn") :
			    xasprintf("\"%s\"", text);
			free(text);
			return (note);
		}
		return (xstrdup("not base64"));
	}
	if (!l->last || r == NULL)
		return (NULL);
	if ((shrt = explain_short(r->code, r->enhanced[0] ? r->enhanced : NULL)) != NULL)
		return (xstrdup(shrt));
	return (NULL);
}

/* Bytes the server sent after its 220 to STARTTLS must not be taken as TLS or SMTP. */
static void
session_injection(struct session *s, size_t leftover)
{
	char	buf[4096];
	ssize_t	n;
	int	i;

	leftover += reply_parser_pending(&s->parser);
	/* What is already here; a server that keeps streaming fails the handshake. */
	for (i = 0; i < 16 && (n = recv(s->fd, buf, sizeof buf, MSG_DONTWAIT)) > 0; i++)
		leftover += n;
	reply_parser_clear(&s->parser);
	if (leftover > 0) {
		s->violations++;
		transcript_addf(s->tr, TR_WARN, "protocol violation: the server sent "
		    "%zu bytes after its 220 to STARTTLS; they were discarded", leftover);
		transcript_add(s->tr, TR_HINT, "a server must wait for the TLS "
		    "handshake; extra plain-text bytes here are how STARTTLS command "
		    "injection works (CVE-2011-0411): report it to the server's admin",
		    NULL);
	}
}

static enum smtp_action
session_reply(struct session *s, struct reply *r)
{
	const char		*verb;
	enum smtp_action	 act;
	struct explain		 ex;
	int			 greeting = s->smtp.state == SMTP_GREETING;

	if (smtp_waiting(&s->smtp) && !greeting)
		s->latency = session_ms_since(&s->sent);
	act = smtp_reply(&s->smtp, r, &verb);
	if (r->malformed)
		s->violations++;
	if (r->problem != NULL)
		transcript_addf(s->tr, TR_WARN, "%s reply from the server: %s",
		    r->malformed ? "malformed" : "odd", r->problem);
	/* "" is the greeting to explain_reply; an unasked-for reply answers nothing. */
	explain_reply(r->code, r->enhanced[0] ? r->enhanced : NULL,
	    greeting || *verb != '\0' ? verb : NULL, &ex);
	if (strcmp(verb, "AUTH") == 0 && s->auth_cancelled) {
		ex.hint = NULL;
		s->auth_cancelled = 0;
	}
	if (ex.hint != NULL && r->code >= 400)
		transcript_add(s->tr, TR_HINT, ex.hint, NULL);
	if (greeting && r->code >= 400)
		transcript_add(s->tr, TR_WARN, "the server refused the session in its "
		    "greeting", NULL);
	s->dl = smtp_waiting(&s->smtp) ? DL_REPLY : DL_NONE;
	if (s->dl == DL_REPLY) {
		session_now(&s->sent);
		session_set_deadline(s, DL_REPLY, s->opts.reply_timeout);
	}
	if (strcmp(verb, "AUTH") == 0)
		session_auth_reply(s, r);
	if (s->cb.reply != NULL)
		s->cb.reply(s->arg, r, verb);

	/* --starttls: EHLO after the greeting, STARTTLS after EHLO. */
	if (s->mode == SESSION_STARTTLS && !s->smtp.tls && s->io == IO_OPEN) {
		if (greeting && reply_class(r) == 2) {
			s->auto_step = 1;
			session_send_auto(s, s->opts.ehlo);
		} else if (s->auto_step == 1 && strcmp(verb, "EHLO") == 0) {
			if (reply_class(r) != 2) {
				s->auto_step = 0;
				session_fail(s, SESSION_F_PROTOCOL, "--starttls: the "
				    "server refused EHLO", NULL);
			} else if (smtp_cap(&s->smtp, "STARTTLS") == NULL) {
				s->auto_step = 0;
				session_fail(s, SESSION_F_TLS, "--starttls: the server "
				    "does not offer STARTTLS in its EHLO reply",
				    "it may offer TLS only on port 465 (--tls), or "
				    "not at all");
			} else {
				s->auto_step = 2;
				session_send_auto(s, "STARTTLS");
			}
		} else if (s->auto_step == 2 && act != SMTP_ACT_STARTTLS) {
			s->auto_step = 0;
			session_fail(s, SESSION_F_TLS, "--starttls: the server refused "
			    "STARTTLS", NULL);
		}
	}
	if (act == SMTP_ACT_CLOSING && s->io == IO_OPEN) {
		s->smtp.state = SMTP_QUIT;
		/* It should hang up now; if it does not, we do, shortly. */
		session_set_deadline(s, DL_CLOSE, s->opts.reply_timeout < 3 ?
		    s->opts.reply_timeout : 3);
	}
	return (act);
}

/* Feed what arrived to the parser; returns -1 when the plain-text stream ended here. */
static int
session_input(struct session *s, const char *buf, size_t len)
{
	const struct reply_line	*l;
	struct reply		*r;
	struct tr_entry		*e;
	enum smtp_action	 act;
	size_t			 n;
	char			*note;
	int			 first;

	while (len > 0 && s->io == IO_OPEN) {
		first = s->parser.cur == NULL;
		n = reply_parser_feed(&s->parser, buf, len, &l, &r);
		buf += n;
		len -= n;
		if (l == NULL)
			break;
		if (l->skipped) {
			/* Past the cap of one reply: counted, not shown. */
			if (r != NULL)
				goto reply_done;
			continue;
		}
		note = session_note(s, l, r);
		e = transcript_add(s->tr, TR_SERVER, l->text, note);
		free(note);
		e->code = l->code;
		e->cont = !first;
		e->malformed = l->problem != NULL;
		if (l->dropped > 0)
			transcript_addf(s->tr, TR_WARN, "line too long: %zu more bytes "
			    "were not kept", l->dropped);
		if (r == NULL)
			continue;
reply_done:
		if (r->nskipped > 0)
			transcript_addf(s->tr, TR_WARN, "%zu more lines of this reply were "
			    "not shown (over %d)", r->nskipped, REPLY_LINES_MAX);
		act = session_reply(s, r);
		reply_free(r);
		if (act == SMTP_ACT_STARTTLS && s->io == IO_OPEN) {
			session_injection(s, len);
			session_start_tls(s);
			return (-1);
		}
	}
	return (s->io == IO_OPEN ? 0 : -1);
}

/* The server closed its side: normal after QUIT, a failure otherwise. */
static void
session_eof(struct session *s)
{
	const char	*hint = NULL;
	char		*why;

	if (reply_parser_pending(&s->parser) > 0 && s->parser.len > 0) {
		char	*text = vis_bytes(s->parser.buf, s->parser.len);

		transcript_add(s->tr, TR_SERVER, text, "incomplete line");
		free(text);
	}
	if (s->smtp.state == SMTP_QUIT) {
		transcript_add(s->tr, TR_LOCAL, "connection closed by the server", NULL);
		session_end(s);
		return;
	}
	if (s->smtp.state == SMTP_GREETING && !s->smtp.tls)
		hint = s->mode == SESSION_TLS ? NULL : "it hung up before its greeting: "
		    "it may expect implicit TLS (try --tls), or refuse your address";
	else if (s->parser.cur != NULL || s->parser.len > 0)
		hint = "it stopped in the middle of a reply";
	why = xasprintf("the server closed the connection%s",
	    s->parser.cur != NULL || s->parser.len > 0 ? " in the middle of a reply" :
	    smtp_waiting(&s->smtp) ? " without replying" : "");
	session_fail(s, SESSION_F_CLOSED, why, hint);
	free(why);
}

static void
session_read(struct session *s)
{
	char	 buf[SESSION_READ_MAX], *err = NULL;
	ssize_t	 n;
	int	 rounds;

	/* A bounded number of reads per pass keeps the console responsive to keys. */
	for (rounds = 0; rounds < 8 && s->io == IO_OPEN; rounds++) {
		if (s->tls != NULL) {
			n = tls_recv(s->tls, buf, sizeof buf, &err);
			if (n == TLS_WANT_READ || n == TLS_WANT_WRITE)
				return;
			if (n == TLS_ERROR) {
				session_fail(s, SESSION_F_CLOSED, err, NULL);
				free(err);
				return;
			}
		} else {
			n = recv(s->fd, buf, sizeof buf, 0);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				return;
			if (n == -1) {
				err = xasprintf("connection to the server lost: %s",
				    strerror(errno));
				session_fail(s, SESSION_F_CLOSED, err, NULL);
				free(err);
				return;
			}
		}
		if (n == 0) {
			session_eof(s);
			return;
		}
		if (session_input(s, buf, n) != 0)
			return;
	}
}

static void
session_deadline(struct session *s)
{
	char		*why;
	const char	*verb;

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
		    "the server may expect plain SMTP on this port: connect without "
		    "--tls and use STARTTLS" : NULL);
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
	if (s->smtp.state == SMTP_GREETING) {
		why = xasprintf("no greeting from the server within %d s",
		    s->opts.reply_timeout);
		session_fail(s, SESSION_F_PROTOCOL, why, s->mode == SESSION_TLS ?
		    "the server accepted TLS but says nothing: it may be overloaded" :
		    "this port may expect implicit TLS (port 465 usually does): try "
		    "--tls");
	} else {
		verb = smtp_pending_verb(&s->smtp);
		why = xasprintf("no reply to %s within %d s", verb && *verb ? verb :
		    "the last command", s->opts.reply_timeout);
		session_fail(s, SESSION_F_PROTOCOL, why, "the server may be stuck or "
		    "very slow; raise --timeout to wait longer");
	}
	free(why);
}

int
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
		pfd->events = POLLIN;
		if (s->outlen > 0)
			pfd->events |= (s->tls != NULL && s->inflight > 0 &&
			    s->tls_dir == TLS_WANT_READ) ? POLLIN : POLLOUT;
		break;
	}
	return (1);
}

int
session_timeout(struct session *s)
{
	struct timespec	now;
	long		ms;

	if (s->io == IO_OPEN && s->tls != NULL && tls_pending(s->tls) > 0)
		return (0);
	if (s->io == IO_NONE || s->dl == DL_NONE)
		return (-1);
	session_now(&now);
	ms = (s->deadline.tv_sec - now.tv_sec) * 1000 +
	    (s->deadline.tv_nsec - now.tv_nsec) / 1000000;
	if (ms < 0)
		return (0);
	return (ms > 0x7fffffff ? 0x7fffffff : (int)ms + 1);
}

void
session_io(struct session *s, short revents)
{
	int	err;

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
			if (s->mode == SESSION_TLS)
				session_start_tls(s);
			else {
				s->smtp.state = SMTP_GREETING;
				session_set_deadline(s, DL_REPLY, s->opts.reply_timeout);
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
		if (revents & POLLOUT || (s->inflight > 0 && revents & POLLIN))
			session_flush(s);
		if (s->io == IO_OPEN && (revents & (POLLIN | POLLHUP | POLLERR) ||
		    (s->tls != NULL && tls_pending(s->tls) > 0)))
			session_read(s);
		session_changed(s);
		break;
	}
	if (s->io != IO_NONE && s->dl != DL_NONE && session_timeout(s) == 0 &&
	    !(s->io == IO_OPEN && s->tls != NULL && tls_pending(s->tls) > 0)) {
		struct timespec	now;

		session_now(&now);
		if (now.tv_sec > s->deadline.tv_sec || (now.tv_sec ==
		    s->deadline.tv_sec && now.tv_nsec >= s->deadline.tv_nsec))
			session_deadline(s);
	}
}

const char *
session_auth_risk(struct session *s)
{
	if (!s->smtp.tls || s->info == NULL) {
		snprintf(s->risk, sizeof s->risk, "this connection is not encrypted: "
		    "the credentials would cross the network readable by anyone on the "
		    "path (send STARTTLS first)");
		return (s->risk);
	}
	if (!s->info->verified) {
		snprintf(s->risk, sizeof s->risk, "the TLS certificate is not verified "
		    "(%s): the server may not be who it claims", s->info->verdict);
		return (s->risk);
	}
	return (NULL);
}

void
session_auth_confirm(struct session *s)
{
	s->auth_confirmed = 1;
}

void
session_auth_unconfirm(struct session *s)
{
	s->auth_confirmed = 0;
}

size_t
session_queued(const struct session *s)
{
	return (s->outlen);
}

void
session_set_credentials(struct session *s, const char *user, const char *secret,
    const char *authzid)
{
	auth_set_creds(&s->auth, user, secret, authzid, 1);
}

/* AUTH may go out: safe, accepted by the person, or --insecure. */
static int
session_auth_allowed(struct session *s, char **errstr)
{
	const char	*risk = session_auth_risk(s);

	if (risk == NULL || s->opts.insecure || s->auth_confirmed) {
		s->auth_confirmed = 0;
		return (1);
	}
	if (s->smtp.tls)
		*errstr = xasprintf("AUTH refused: %s; use --insecure to send it "
		    "anyway", risk);
	else
		*errstr = xasprintf("AUTH refused: %s; use --insecure (or confirm in "
		    "the console) to send it anyway", risk);
	return (0);
}

/* Send a line: shown (already redacted) in the transcript, wire on the socket. */
static void
session_put(struct session *s, const char *wire, const char *shown, const char *note,
    const char *line_for_state)
{
	char	*vis;

	/* A script's line may hold control bytes too: the transcript shows them. */
	vis = vis_bytes(shown, strlen(shown));
	transcript_add(s->tr, TR_CLIENT, vis, note);
	free(vis);
	if (!smtp_waiting(&s->smtp))
		session_now(&s->sent);
	smtp_sent(&s->smtp, line_for_state);
	if (smtp_waiting(&s->smtp) && s->dl != DL_REPLY)
		session_set_deadline(s, DL_REPLY, s->opts.reply_timeout);
	session_queue(s, wire);
	session_changed(s);
}

/* Cancel the AUTH exchange (RFC 4954: a lone "*"). */
static void
session_cancel(struct session *s)
{
	s->auth_cancelled = 1;
	session_put(s, "*", "*", "cancels the exchange", "");
}

/* Build and send the answer to the current challenge. */
static int
session_auth_respond(struct session *s, char *const *answers, char **errstr)
{
	char	*wire = NULL, *shown = NULL, *note = NULL;

	if (auth_respond(&s->auth, answers, &wire, &shown, &note, errstr) != 0)
		return (-1);
	session_put(s, wire, shown, note, "");
	xfree_secret_str(wire);
	free(shown);
	free(note);
	return (0);
}

int
session_auth_need(struct session *s, struct auth_need *need)
{
	memset(need, 0, sizeof *need);
	if (s->io != IO_OPEN || s->smtp.state != SMTP_AUTH)
		return (0);
	auth_need(&s->auth, need);
	return (1);
}

int
session_auth_answer(struct session *s, char *const *answers, char **errstr)
{
	if (s->io != IO_OPEN || s->smtp.state != SMTP_AUTH) {
		*errstr = xstrdup("no AUTH question is waiting for an answer");
		return (-1);
	}
	return (session_auth_respond(s, answers, errstr));
}

/* The server asked (334) or answered (235, 5xx) during AUTH. */
static void
session_auth_reply(struct session *s, const struct reply *r)
{
	struct auth_need	 need;
	char			*err = NULL;

	if (r->code != 334) {
		if (r->code == 235) {
			free(s->authed_as);
			s->authed_as = s->auth.who != NULL ? vis_bytes(s->auth.who,
			    strlen(s->auth.who)) : xstrdup("?");
		}
		auth_end(&s->auth);
		return;
	}
	if (s->smtp.state != SMTP_AUTH)
		return;
	auth_challenge(&s->auth, r->nlines > 0 ? reply_text(r, 0) : "");
	auth_need(&s->auth, &need);
	if (!need.automatic && (!auth_has_creds(&s->auth) ||
	    !auth_known(s->auth.mech)))
		return;
	/* LOGIN asks twice, the others once (a token mechanism once more for its
	 * error): a server that keeps asking does not get the secret again. */
	if (s->auth.step > (strcmp(s->auth.mech, "LOGIN") == 0 ||
	    auth_uses_token(s->auth.mech) ? 2 : 1)) {
		transcript_add(s->tr, TR_WARN, "the server keeps asking: AUTH "
		    "cancelled", NULL);
		session_cancel(s);
		return;
	}
	if (session_auth_respond(s, NULL, &err) != 0) {
		transcript_add(s->tr, TR_ERROR, err, NULL);
		free(err);
		session_cancel(s);
	}
}

int
session_auth_start(struct session *s, const char *mech, const char *user,
    const char *secret, char **errstr)
{
	char	*ir, *line, *shown, *vis, *note, *authzid;
	char	 m[AUTH_MECH_MAX];

	if (s->io != IO_OPEN || s->smtp.state != SMTP_READY ||
	    smtp_waiting(&s->smtp)) {
		*errstr = xasprintf("cannot start AUTH now: %s",
		    s->io != IO_OPEN ? "not connected" : smtp_waiting(&s->smtp) ?
		    "a reply is still awaited" : smtp_state_name(s->smtp.state));
		return (-1);
	}
	if (!auth_known(mech)) {
		*errstr = xasprintf("smtpcon cannot build answers for AUTH %s: type "
		    "the exchange by hand", mech);
		return (-1);
	}
	if (!session_auth_allowed(s, errstr))
		return (-1);
	smtp_verb(mech, m, sizeof m);
	authzid = s->auth.authzid != NULL ? xstrdup(s->auth.authzid) : NULL;
	auth_set_creds(&s->auth, user, secret, authzid, 0);
	free(authzid);
	free(s->auth.host);
	s->auth.host = xstrdup(s->host);
	s->auth.port = (unsigned)strtoul(s->port, NULL, 10);
	if ((ir = auth_initial(&s->auth, m, errstr)) == NULL)
		return (-1);
	vis = vis_bytes(user, strlen(user));
	if (*ir != '\0') {
		line = xasprintf("AUTH %s %s", m, ir);
		shown = xasprintf("AUTH %s ********", m);
		note = xasprintf("initial response for \"%s\" hidden", vis);
	} else {
		line = xasprintf("AUTH %s", m);
		shown = xstrdup(line);
		note = xasprintf("smtpcon answers for \"%s\"", vis);
	}
	auth_begin(&s->auth, m, *ir != '\0');
	session_put(s, line, shown, note, line);
	xfree_secret_str(ir);
	xfree_secret_str(line);
	free(shown);
	free(note);
	free(vis);
	return (0);
}

/* The transcript must never hold a secret: how a typed AUTH command is shown. */
static char *
session_redact_auth(const char *line, const char *mech, char **note)
{
	const char	*ir;
	unsigned char	*dec = NULL;
	size_t		 declen = 0;
	char		*vis, *shown;

	*note = NULL;
	ir = smtp_args(smtp_args(line));
	if (*ir == '\0')
		return (vis_bytes(line, strlen(line)));
	if (strcmp(mech, "LOGIN") == 0 &&
	    sasl_b64_decode(ir, &dec, &declen, NULL) == 0) {
		/* LOGIN's initial response is only the user name. */
		vis = vis_bytes((char *)dec, declen);
		*note = xasprintf("\"%s\"", vis);
		free(vis);
		sasl_wipe(dec, declen);
		free(dec);
		return (vis_bytes(line, strlen(line)));
	}
	*note = xstrdup("initial response hidden");
	shown = xasprintf("AUTH %s ********", mech);
	return (shown);
}

int
session_send(struct session *s, const char *line, char **errstr)
{
	enum smtp_line	 kind;
	char		 verb[SMTP_VERB_MAX], mech[AUTH_MECH_MAX], *shown, *note = NULL;
	char		*wire;
	struct auth_need need;

	if (s->io == IO_NONE) {
		*errstr = xstrdup("not connected: use /connect host[:port]");
		return (-1);
	}
	if (s->io != IO_OPEN) {
		*errstr = xasprintf("cannot send yet: %s",
		    smtp_state_name(s->smtp.state));
		return (-1);
	}
	if (strpbrk(line, "\r\n") != NULL) {
		*errstr = xstrdup("a line cannot hold CR or LF");
		return (-1);
	}
	kind = smtp_line_kind(&s->smtp);
	if (kind == SMTP_LINE_AUTH) {
		if (strcmp(line, "*") == 0) {
			session_cancel(s);
			return (0);
		}
		if (line[0] == '\\') {
			session_put(s, line + 1, "********", "raw answer hidden", line);
			return (0);
		}
		auth_need(&s->auth, &need);
		if (need.n != 1) {
			*errstr = xasprintf("AUTH %s needs a user name and a %s: answer "
			    "the questions, or send a raw base64 line starting with \\",
			    s->auth.mech, auth_uses_token(s->auth.mech) ? "token" :
			    "password");
			return (-1);
		}
		return (session_auth_respond(s, (char *const *)&line, errstr));
	}
	if (kind == SMTP_LINE_BODY) {
		/* The lone "." ends the body; every other line starting with "." is
		 * stuffed. */
		if (strcmp(line, ".") == 0) {
			session_put(s, line, line, NULL, line);
			return (0);
		}
		wire = smtp_dotstuff(line);
		session_put(s, wire, line, line[0] == '.' ?
		    "dot-stuffed: sent with an extra \".\"" : NULL, line);
		free(wire);
		return (0);
	}
	smtp_verb(line, verb, sizeof verb);
	if (strcmp(verb, "STARTTLS") == 0 && s->tls != NULL) {
		*errstr = xstrdup("TLS is already up on this connection");
		return (-1);
	}
	if (strcmp(verb, "AUTH") != 0) {
		session_put(s, line, line, NULL, line);
		return (0);
	}
	if (!session_auth_allowed(s, errstr))
		return (-1);
	smtp_verb(smtp_args(line), mech, sizeof mech);
	shown = session_redact_auth(line, mech, &note);
	auth_begin(&s->auth, mech, strcmp(shown, line) != 0 || note != NULL);
	free(s->auth.host);
	s->auth.host = xstrdup(s->host);
	s->auth.port = (unsigned)strtoul(s->port, NULL, 10);
	session_put(s, line, shown, note, line);
	free(shown);
	free(note);
	return (0);
}
