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
#include "sasl.h"
#include "session-int.h"
#include "trace.h"
#include "vis.h"
#include "xmalloc.h"

static void	session_teardown(struct session *);
static void	session_pump(struct session *);

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

int
session_refusals(const struct session *s)
{
	return (s->refusals);
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

size_t
session_queued(const struct session *s)
{
	return (wire_queued(&s->wire));
}

size_t
session_held(const struct session *s)
{
	return (held_count(&s->held));
}

size_t
session_held_bytes(const struct session *s)
{
	return (held_bytes(&s->held));
}

int
session_stopped(const struct session *s)
{
	return (s->stopped || s->quit_queued);
}

int
session_idle(const struct session *s)
{
	return (held_count(&s->held) == 0 && !smtp_waiting(&s->smtp));
}

static void
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
		trace("connection over: %zu held lines dropped", held_count(&s->held));
	held_clear(&s->held);
	session_chunk_clear(s);
	s->dl = DL_NONE;
	s->auto_step = 0;
	s->quitting = s->quit_queued = s->input_end = s->stopped = 0;
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

void
session_fail(struct session *s, enum session_fail f, const char *why, const char *hint)
{
	if (s->fail == SESSION_OK)
		s->fail = f;
	trace("failure %d: %s", (int)f, why);
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
	smtp_set_state(&s->smtp, SMTP_CONNECTING, "connect started");
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

/* Write what the socket takes now; a failure ends the session. */
static void
session_flush(struct session *s)
{
	char	*err = NULL;

	if (s->io != IO_OPEN || wire_queued(&s->wire) == 0)
		return;
	if (wire_flush(&s->wire, &err) != 0) {
		session_fail(s, SESSION_F_CLOSED, err, s->wire.peer_gone ?
		    "the server closed the connection" : NULL);
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
	wire_put_line(&s->wire, wire, wirelen);
	session_changed(s);
}

/* Send a line of the engine's own (the automatic EHLO, STARTTLS and QUIT). */
static void
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
	trace("refused: %s; %zu held lines dropped", what, n);
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
static void
session_input_error(struct session *s, const char *why, int abandon)
{
	if (abandon) {
		/* Only a close ends DATA without the final "." that would deliver it. */
		char	*msg = xasprintf("%s: the message is abandoned (the final "
		    "\".\" is not sent; the connection is closed)", why);

		held_clear(&s->held);
		session_fail(s, SESSION_F_INPUT, msg, NULL);
		free(msg);
		return;
	}
	transcript_addf(s->tr, TR_ERROR, "%s: not sent", why);
	session_refused(s, "a line that could not be sent");
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
	s->io = IO_OPEN;
	wire_clear(&s->wire);
	wire_init(&s->wire, s->fd, s->tls);
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
	session_fail(s, SESSION_F_TLS, err, hint);
	free(err);
	free(hint);
}

/* The annotation beside a server line: decoded 334 text, or the reply code's meaning. */
static char *
session_note(struct session *s, const struct reply_line *l, const struct reply *r)
{
	const struct smtp_sent	*p = smtp_pending_first(&s->smtp);
	const char		*shrt;
	char			*text = NULL, *note;

	if (l->code == 334 && p != NULL && (p->cmd == SMTP_CMD_AUTH ||
	    p->cmd == SMTP_CMD_ANSWER)) {
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

/* --starttls: EHLO after the greeting, STARTTLS after EHLO. */
static void
session_auto_tls(struct session *s, const struct reply *r, const struct smtp_sent *c,
    int greeting, enum smtp_action act)
{
	if (s->mode != SESSION_STARTTLS || s->smtp.tls || s->io != IO_OPEN)
		return;
	if (greeting && reply_class(r) == 2) {
		s->auto_step = 1;
		session_send_auto(s, s->opts.ehlo);
	} else if (s->auto_step == 1 && c->cmd == SMTP_CMD_EHLO) {
		if (reply_class(r) != 2) {
			s->auto_step = 0;
			session_fail(s, SESSION_F_PROTOCOL, "--starttls: the server "
			    "refused EHLO", NULL);
		} else if (smtp_cap(&s->smtp, "STARTTLS") == NULL) {
			s->auto_step = 0;
			session_fail(s, SESSION_F_TLS, "--starttls: the server does not "
			    "offer STARTTLS in its EHLO reply", "it may offer TLS only on "
			    "port 465 (--tls), or not at all");
		} else {
			s->auto_step = 2;
			session_send_auto(s, "STARTTLS");
		}
	} else if (s->auto_step == 2 && act != SMTP_ACT_STARTTLS) {
		s->auto_step = 0;
		session_fail(s, SESSION_F_TLS, "--starttls: the server refused STARTTLS",
		    NULL);
	}
}

/* What a reply means for the lines held behind its command. */
static void
session_reply_effects(struct session *s, const struct reply *r,
    const struct smtp_sent *c)
{
	switch (c->cmd) {
	case SMTP_CMD_AUTH:
	case SMTP_CMD_ANSWER:
		session_auth_reply(s, r);
		break;
	case SMTP_CMD_DATA:
		if (r->code != 354)
			session_refused(s, "the refused DATA");
		break;
	case SMTP_CMD_STARTTLS:
		if (r->code != 220)
			session_refused(s, "the refused STARTTLS");
		break;
	case SMTP_CMD_BDAT:
		if (r->code >= 400 || r->code < 200) {
			if (s->smtp.state == SMTP_BDAT)
				smtp_set_state(&s->smtp, SMTP_READY, "BDAT refused");
			session_refused(s, "the refused BDAT");
		}
		break;
	default:
		break;
	}
}

static enum smtp_action
session_reply(struct session *s, struct reply *r)
{
	struct smtp_sent	 c;
	enum smtp_action	 act;
	struct explain		 ex;
	int			 greeting = s->smtp.state == SMTP_GREETING, paired;

	paired = smtp_reply(&s->smtp, r, &c, &act);
	if (paired)
		s->latency = session_ms_since(&c.when);
	if (r->malformed)
		s->violations++;
	if (r->problem != NULL)
		transcript_addf(s->tr, TR_WARN, "%s reply from the server: %s",
		    r->malformed ? "malformed" : "odd", r->problem);
	/* "" is the greeting to explain_reply; an unasked-for reply answers nothing. */
	explain_reply(r->code, r->enhanced[0] ? r->enhanced : NULL,
	    greeting ? "" : paired ? c.verb : NULL, &ex);
	if ((c.cmd == SMTP_CMD_ANSWER || c.cmd == SMTP_CMD_AUTH) && s->auth_cancelled &&
	    r->code != 334)
		ex.hint = NULL;
	if (ex.hint != NULL && r->code >= 400)
		transcript_add(s->tr, TR_HINT, ex.hint, NULL);
	if (greeting && r->code >= 400)
		transcript_add(s->tr, TR_WARN, "the server refused the session in its "
		    "greeting", NULL);
	if (smtp_waiting(&s->smtp))
		session_set_deadline(s, DL_REPLY, s->opts.reply_timeout);
	else
		s->dl = DL_NONE;
	if (paired)
		session_reply_effects(s, r, &c);
	if (r->code != 334)
		s->auth_cancelled = 0;
	if (s->cb.reply != NULL)
		s->cb.reply(s->arg, r, greeting ? "" : paired ? c.verb : "");
	session_auto_tls(s, r, &c, greeting, act);
	if (act == SMTP_ACT_CLOSING && s->io == IO_OPEN) {
		if (c.cmd == SMTP_CMD_QUIT && r->code != 221 && paired) {
			session_close(s, "QUIT was answered, but not with 221");
			return (SMTP_ACT_NONE);
		}
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
		session_pump(s);
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
		n = wire_recv(&s->wire, buf, sizeof buf, &err);
		if (n == WIRE_AGAIN)
			return;
		if (n == WIRE_ERROR) {
			session_fail(s, SESSION_F_CLOSED, err, NULL);
			free(err);
			return;
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
	verb = smtp_pending_verb(&s->smtp);
	if (s->smtp.state == SMTP_GREETING) {
		why = xasprintf("no greeting from the server within %d s",
		    s->opts.reply_timeout);
		session_fail(s, SESSION_F_PROTOCOL, why, s->mode == SESSION_TLS ?
		    "the server accepted TLS but says nothing: it may be overloaded" :
		    "this port may expect implicit TLS (port 465 usually does): try "
		    "--tls");
	} else if (verb != NULL && strcmp(verb, "QUIT") == 0) {
		/* Leaving is what was asked: a silent server does not make it fail. */
		transcript_add(s->tr, TR_LOCAL, "no answer to QUIT: closed the "
		    "connection", NULL);
		session_end(s);
		return;
	} else {
		why = xasprintf("no reply to %s within %d s", verb && *verb ? verb :
		    "the last command", s->opts.reply_timeout);
		session_fail(s, SESSION_F_PROTOCOL, why, "the server may be stuck or "
		    "very slow; raise --timeout to wait longer");
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
	session_fail(s, SESSION_F_PROTOCOL, why, "it may be stuck or overloaded; "
	    "raise --timeout to wait longer");
	free(why);
	return (1);
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

void
session_io(struct session *s, short revents)
{
	int	err, rounds;

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
	if (s->io != IO_NONE && s->dl != DL_NONE && session_timeout(s) == 0 &&
	    !(s->io == IO_OPEN && s->tls != NULL && tls_pending(s->tls) > 0) &&
	    session_ms_until(&s->deadline) <= 0)
		session_deadline(s);
}

/* A body line in DATA: dot-stuffed, or the "." that ends the message. */
static enum session_take
session_body_line(struct session *s, struct held_line *h)
{
	char	*vis;

	if (h->flags & HELD_TOOLONG || h->len > SESSION_BODY_MAX) {
		session_input_error(s, "a body line is longer than 1 MiB", 1);
		return (TAKE_GONE);
	}
	if (memchr(h->text, '\0', h->len) != NULL) {
		session_input_error(s, "a body line holds a NUL byte", 1);
		return (TAKE_GONE);
	}
	if (memchr(h->text, '\r', h->len) != NULL) {
		session_input_error(s, "a body line holds a bare CR (a carriage return "
		    "not followed by a line feed)", 1);
		return (TAKE_GONE);
	}
	if (h->len == 1 && h->text[0] == '.') {
		session_put(s, ".", 1, ".", NULL, SMTP_CMD_DOT, ".", 0);
		return (TAKE_DONE);
	}
	vis = vis_bytes(h->text, h->len);
	transcript_add(s->tr, TR_CLIENT, vis, h->text[0] == '.' ?
	    "dot-stuffed: sent with an extra \".\"" : NULL);
	free(vis);
	if (h->text[0] == '.')
		wire_put(&s->wire, ".", 1);
	wire_put_line(&s->wire, h->text, h->len);
	return (TAKE_DONE);
}

/* Send the chunk collected so far as one BDAT command and its bytes. */
static void
session_bdat_send(struct session *s, int last)
{
	char	*line, *note;
	size_t	 n = s->chunklen;

	line = xasprintf("BDAT %zu%s", n, last ? " LAST" : "");
	note = xasprintf("%s: the %zu bytes of the lines above follow",
	    s->bdat_manual ? "typed" : "counted by smtpcon", n);
	session_put(s, line, strlen(line), line, note, SMTP_CMD_BDAT, "BDAT", last);
	if (n > 0)
		wire_put(&s->wire, s->chunk, n);
	free(line);
	free(note);
	if (last || s->bdat_manual) {
		session_chunk_clear(s);
		if (s->smtp.state == SMTP_BDAT)
			smtp_set_state(&s->smtp, SMTP_READY, "BDAT chunk sent");
	} else {
		xwipe(s->chunk, s->chunklen);
		s->chunklen = 0;
	}
}

static void
session_chunk_add(struct session *s, const char *p, size_t n)
{
	size_t	cap;

	if (s->chunklen + n + 2 > s->chunkcap) {
		cap = s->chunkcap ? s->chunkcap : 4096;
		while (cap < s->chunklen + n + 2)
			cap *= 2;
		s->chunk = xreallocarray(s->chunk, cap, 1);
		s->chunkcap = cap;
	}
	memcpy(s->chunk + s->chunklen, p, n);
	memcpy(s->chunk + s->chunklen + n, "\r\n", 2);
	s->chunklen += n + 2;
}

/* A line of a BDAT chunk: binary-safe, never dot-stuffed. */
static enum session_take
session_bdat_line(struct session *s, struct held_line *h)
{
	char	*vis;
	int	 pipelined = smtp_cap(&s->smtp, "PIPELINING") != NULL;

	if (h->flags & HELD_TOOLONG || h->len > SESSION_BODY_MAX) {
		session_input_error(s, "a body line is longer than 1 MiB", 1);
		return (TAKE_GONE);
	}
	if (!s->bdat_manual) {
		if (!pipelined && s->smtp.npending > 0)
			return (TAKE_WAIT);
		if (h->len == 1 && h->text[0] == '.') {
			session_bdat_send(s, 1);
			return (TAKE_DONE);
		}
		if (s->chunklen > 0 && s->chunklen + h->len + 2 > SESSION_CHUNK)
			session_bdat_send(s, 0);
	} else if (s->chunklen + h->len + 2 > s->bdat_want) {
		transcript_addf(s->tr, TR_ERROR, "this line would take the chunk past "
		    "the %zu bytes BDAT announced (%zu so far, the line and its CRLF "
		    "%zu): the chunk is abandoned, nothing of it was sent",
		    s->bdat_want, s->chunklen, h->len + 2);
		smtp_set_state(&s->smtp, SMTP_READY, "BDAT chunk abandoned");
		session_refused(s, "the abandoned BDAT chunk");
		return (TAKE_GONE);
	}
	vis = vis_bytes(h->text, h->len);
	transcript_add(s->tr, TR_CLIENT, vis, NULL);
	free(vis);
	session_chunk_add(s, h->text, h->len);
	if (s->bdat_manual && s->chunklen == s->bdat_want)
		session_bdat_send(s, s->bdat_last);
	return (TAKE_DONE);
}

/* BDAT typed: alone, smtpcon counts the body; with a size, the person did. */
static enum session_take
session_bdat_command(struct session *s, const char *line)
{
	const char	*a = smtp_args(line);
	char		*end, word[8];
	unsigned long long n;

	if (smtp_cap(&s->smtp, "CHUNKING") == NULL) {
		transcript_add(s->tr, TR_ERROR, s->smtp.ehlo ? "the server did not "
		    "advertise CHUNKING: BDAT not sent (use DATA)" : "BDAT needs "
		    "CHUNKING, which the server advertises in its EHLO reply: send "
		    "EHLO first; BDAT not sent", NULL);
		session_refused(s, "BDAT");
		return (TAKE_GONE);
	}
	session_chunk_clear(s);
	if (*a == '\0') {
		smtp_set_state(&s->smtp, SMTP_BDAT, "BDAT: smtpcon counts the body");
		transcript_add(s->tr, TR_LOCAL, "BDAT: type the message, end with a "
		    "line holding only \".\"; smtpcon sends it in counted chunks", NULL);
		return (TAKE_DONE);
	}
	errno = 0;
	n = strtoull(a, &end, 10);
	smtp_verb(end, word, sizeof word);
	if (!(*a >= '0' && *a <= '9') || errno != 0 ||
	    (*word != '\0' && strcmp(word, "LAST") != 0) ||
	    *smtp_args(end) != '\0') {
		transcript_add(s->tr, TR_ERROR, "BDAT takes a size and LAST or nothing "
		    "(BDAT alone: smtpcon counts): not sent", NULL);
		session_refused(s, "BDAT");
		return (TAKE_GONE);
	}
	if (n > SESSION_BDAT_MAX) {
		transcript_addf(s->tr, TR_ERROR, "BDAT %llu: smtpcon takes chunks of "
		    "at most %d bytes typed by hand (BDAT alone sends any size): not "
		    "sent", n, SESSION_BDAT_MAX);
		session_refused(s, "BDAT");
		return (TAKE_GONE);
	}
	s->bdat_manual = 1;
	s->bdat_want = (size_t)n;
	s->bdat_last = *word != '\0';
	if (n == 0) {
		session_bdat_send(s, s->bdat_last);
		return (TAKE_DONE);
	}
	smtp_set_state(&s->smtp, SMTP_BDAT, "BDAT n: the next lines make n bytes");
	return (TAKE_DONE);
}

/* A command line: checked, then sent. */
static enum session_take
session_command(struct session *s, struct held_line *h)
{
	char		verb[SMTP_VERB_MAX];
	enum smtp_cmd	cmd;

	if (h->flags & HELD_TOOLONG || h->len > SESSION_CMD_MAX) {
		session_input_error(s, "a command line is longer than 64 kB", 0);
		return (TAKE_GONE);
	}
	if (memchr(h->text, '\0', h->len) != NULL) {
		session_input_error(s, "a command line holds a NUL byte", 0);
		return (TAKE_GONE);
	}
	if (memchr(h->text, '\r', h->len) != NULL) {
		session_input_error(s, "a command line holds a bare CR", 0);
		return (TAKE_GONE);
	}
	smtp_verb(h->text, verb, sizeof verb);
	cmd = smtp_classify(verb);
	switch (cmd) {
	case SMTP_CMD_STARTTLS:
		if (s->tls != NULL) {
			transcript_add(s->tr, TR_ERROR, "TLS is already up on this "
			    "connection: STARTTLS not sent", NULL);
			session_refused(s, "STARTTLS");
			return (TAKE_GONE);
		}
		break;
	case SMTP_CMD_AUTH:
		return (session_auth_command(s, h));
	case SMTP_CMD_BDAT:
		return (session_bdat_command(s, h->text));
	default:
		break;
	}
	session_put(s, h->text, h->len, h->text, h->flags & HELD_AUTO ?
	    "sent by smtpcon" : NULL, cmd, verb, 0);
	return (TAKE_DONE);
}

/* End of input in line mode, once every held line is gone. */
static void
session_finish_input(struct session *s)
{
	if (!s->input_end || s->quit_queued || s->stopped ||
	    held_count(&s->held) > 0 || s->smtp.state == SMTP_QUIT)
		return;
	if (s->smtp.state == SMTP_DATA || s->smtp.state == SMTP_BDAT ||
	    s->smtp.state == SMTP_AUTH) {
		/* "QUIT" there would be a body line or an AUTH answer. */
		session_fail(s, SESSION_F_INPUT, s->smtp.state == SMTP_AUTH ? "end of "
		    "input in the middle of AUTH: the exchange is abandoned" :
		    "end of input inside the message: it is abandoned, not sent "
		    "(the final \".\" never came)", NULL);
		return;
	}
	if (smtp_waiting(&s->smtp))
		return;
	transcript_add(s->tr, TR_LOCAL, "end of input: sending QUIT", NULL);
	s->stopped = s->quitting = 1;
	session_send_auto(s, "QUIT");
}

/* Give the dialogue every held line it can take now. */
static void
session_pump(struct session *s)
{
	struct held_line	*h;
	enum session_take	 t;

	s->pump_more = 0;
	while (s->io == IO_OPEN && (h = held_peek(&s->held)) != NULL) {
		if (wire_queued(&s->wire) >= SESSION_OUT_HIGH) {
			s->pump_more = 1;
			return;
		}
		switch (s->smtp.state) {
		case SMTP_DATA:
			t = session_body_line(s, h);
			break;
		case SMTP_BDAT:
			t = session_bdat_line(s, h);
			break;
		case SMTP_AUTH:
			t = session_auth_take(s);
			break;
		case SMTP_READY:
			if (smtp_must_wait(&s->smtp) || s->auto_step != 0)
				return;
			t = session_command(s, h);
			break;
		default:
			return;
		}
		if (t == TAKE_WAIT)
			return;
		if (t == TAKE_DONE)
			held_drop(&s->held);
	}
	if (s->io == IO_OPEN)
		session_finish_input(s);
}

int
session_submit(struct session *s, const char *line, size_t len, int flags,
    char **errstr)
{
	if (s->io == IO_NONE) {
		*errstr = xstrdup("not connected: use /connect host[:port]");
		return (-1);
	}
	if (s->stopped || s->quit_queued) {
		/* Wiped unseen: the input after a refusal is not sent. */
		trace("line after the stop dropped (%zu bytes)", len);
		return (0);
	}
	held_push(&s->held, line, len, flags);
	trace("held line %zu (%zu bytes)", held_count(&s->held), len);
	session_pump(s);
	session_changed(s);
	return (0);
}

void
session_input_end(struct session *s)
{
	s->input_end = 1;
	trace("end of input");
	session_pump(s);
}

int
session_quit(struct session *s)
{
	if (s->io == IO_NONE || s->quit_queued || s->smtp.state == SMTP_QUIT) {
		s->quitting = 1;
		return (0);
	}
	/* "QUIT" would be a body line or an answer there. */
	if (session_next_kind(s) != SMTP_LINE_COMMAND)
		return (-1);
	s->quitting = 1;
	held_push(&s->held, "QUIT", 4, 0);
	s->quit_queued = 1;
	trace("leaving: QUIT after %zu held lines", held_count(&s->held) - 1);
	session_pump(s);
	session_changed(s);
	return (0);
}

/* Where the dialogue will be after the awaited replies and held lines: a guess from
 * what is known now, for the screen (masking, history, showing held lines). */
struct session_guess {
	enum smtp_line	kind;
	int		answers;	/* AUTH answers still to come */
};

static void
session_guess_start(struct session *s, struct session_guess *g)
{
	const struct smtp_sent	*last = smtp_pending_last(&s->smtp);

	g->kind = smtp_line_kind(&s->smtp);
	g->answers = g->kind == SMTP_LINE_AUTH ? (s->auth_left > 0 ? s->auth_left : 1) :
	    0;
	if (g->kind != SMTP_LINE_COMMAND || last == NULL)
		return;
	if (last->cmd == SMTP_CMD_DATA)
		g->kind = SMTP_LINE_BODY;
	else if ((last->cmd == SMTP_CMD_AUTH || last->cmd == SMTP_CMD_ANSWER) &&
	    s->auth_left > 0) {
		g->kind = SMTP_LINE_AUTH;
		g->answers = s->auth_left;
	}
}

static void
session_guess_step(struct session *s, struct session_guess *g,
    const struct held_line *h)
{
	char	verb[SMTP_VERB_MAX];

	switch (g->kind) {
	case SMTP_LINE_BODY:
		if (h->len == 1 && h->text[0] == '.')
			g->kind = SMTP_LINE_COMMAND;
		return;
	case SMTP_LINE_AUTH:
		if (strcmp(h->text, "*") == 0 || --g->answers <= 0)
			g->kind = SMTP_LINE_COMMAND;
		return;
	case SMTP_LINE_COMMAND:
		break;
	}
	smtp_verb(h->text, verb, sizeof verb);
	switch (smtp_classify(verb)) {
	case SMTP_CMD_DATA:
	case SMTP_CMD_BDAT:
		g->kind = SMTP_LINE_BODY;
		break;
	case SMTP_CMD_AUTH:
		if ((g->answers = session_auth_lines(s, h->text)) > 0)
			g->kind = SMTP_LINE_AUTH;
		break;
	default:
		break;
	}
}

enum smtp_line
session_next_kind(struct session *s)
{
	struct session_guess	g;
	size_t			i;

	session_guess_start(s, &g);
	for (i = 0; i < held_count(&s->held); i++)
		session_guess_step(s, &g, held_at(&s->held, i));
	return (g.kind);
}

char *
session_held_show(struct session *s, size_t i)
{
	struct session_guess	 g;
	struct held_line	*h;
	char			 verb[SMTP_VERB_MAX], *note = NULL, *shown;
	size_t			 k;

	if (i >= held_count(&s->held))
		return (NULL);
	session_guess_start(s, &g);
	for (k = 0; k < i; k++)
		session_guess_step(s, &g, held_at(&s->held, k));
	h = held_at(&s->held, i);
	if (g.kind == SMTP_LINE_AUTH)
		return (xstrdup("******** (an AUTH answer)"));
	smtp_verb(h->text, verb, sizeof verb);
	if (g.kind == SMTP_LINE_COMMAND && strcmp(verb, "AUTH") == 0) {
		shown = session_auth_redact(h->text, &note);
		free(note);
		return (shown);
	}
	return (vis_bytes(h->text, h->len));
}
