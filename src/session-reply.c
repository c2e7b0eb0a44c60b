/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* What the server sends: replies parsed, paired with their commands, and what they mean. */
#include "config.h"

#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "explain-hint.h"
#include "sasl.h"
#include "session-int.h"
#include "trace.h"
#include "vis.h"
#include "xmalloc.h"

/* What the explanations need to know of the dialogue: TLS, login, what was offered. */
static void
session_reply_state(const struct session *s, const char *verb,
    struct explain_state *st)
{
	st->tls = s->smtp.tls;
	st->authed = s->smtp.authed;
	st->starttls_offered = !s->smtp.ehlo ? -1 :
	    smtp_cap(&s->smtp, "STARTTLS") != NULL;
	st->verb = verb;
}

void
session_explain_state(const struct session *s, const char *verb,
    struct explain_state *st)
{
	static const struct explain_state	unknown = EXPLAIN_STATE_UNKNOWN;

	if (session_connected(s))
		session_reply_state(s, verb, st);
	else {
		*st = unknown;
		st->verb = verb;
	}
}

/* The reply's lines joined with newlines, for explanations that read the words. */
static char *
session_reply_text(const struct reply *r)
{
	size_t	 i, n = 1, off = 0, len;
	char	*text;

	for (i = 0; i < r->nlines; i++)
		n += strlen(r->lines[i].text) + 1;
	text = xmalloc(n);
	for (i = 0; i < r->nlines; i++) {
		len = strlen(r->lines[i].text);
		memcpy(text + off, r->lines[i].text, len);
		off += len;
		text[off++] = '\n';
	}
	text[off] = '\0';
	return (text);
}

/* The annotation beside a server line: decoded 334 text, or the reply code's meaning. */
static char *
session_note(struct session *s, const struct reply_line *l, const struct reply *r)
{
	const struct smtp_sent	*p = smtp_pending_first(&s->smtp);
	const char		*shrt;
	char			*text = NULL, *note;
	struct explain_state	 st;

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
	session_reply_state(s, s->smtp.state == SMTP_GREETING ? "" : p != NULL ?
	    p->verb : NULL, &st);
	text = session_reply_text(r);
	shrt = explain_short_text(r->code, r->enhanced[0] ? r->enhanced : NULL, text,
	    &st);
	free(text);
	return (shrt != NULL ? xstrdup(shrt) : NULL);
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

/*
 * --starttls=if-offered, when the server did not go along: say so loudly, once, and
 * let the person's lines go in plain text (AUTH still asks first: the connection is
 * risky). why is what happened.
 */
static void
session_plain_anyway(struct session *s, const char *why)
{
	s->auto_step = 0;
	trace_log("starttls if offered: %s; going on in plain text", why);
	transcript_addf(s->tr, TR_WARN, "%s: NO TLS on this connection", why);
	transcript_add(s->tr, TR_HINT, explain_hint(EXPLAIN_HINT_PLAIN_ANYWAY), NULL);
}

/*
 * --starttls: EHLO after the greeting, STARTTLS after EHLO. --starttls=if-offered: the
 * same, but with no STARTTLS to be had (EHLO refused, not offered, or refused), plain.
 */
static void
session_auto_tls(struct session *s, const struct reply *r, const struct smtp_sent *c,
    int greeting, enum smtp_action act)
{
	int	optional = s->mode == SESSION_STARTTLS_IF_OFFERED;

	if ((s->mode != SESSION_STARTTLS && !optional) || s->smtp.tls ||
	    s->io != IO_OPEN)
		return;
	if (greeting && reply_class(r) == 2) {
		s->auto_step = 1;
		session_send_auto(s, s->opts.ehlo);
	} else if (s->auto_step == 1 && c->cmd == SMTP_CMD_EHLO) {
		if (reply_class(r) != 2 && optional) {
			session_plain_anyway(s, "EHLO refused, so no STARTTLS");
		} else if (reply_class(r) != 2) {
			s->auto_step = 0;
			session_fail(s, SESSION_F_PROTOCOL,
			    explain_hint(EXPLAIN_HINT_STARTTLS_EHLO), NULL);
		} else if (smtp_cap(&s->smtp, "STARTTLS") == NULL && optional) {
			session_plain_anyway(s, "the server does not offer STARTTLS");
		} else if (smtp_cap(&s->smtp, "STARTTLS") == NULL) {
			s->auto_step = 0;
			session_fail(s, SESSION_F_TLS,
			    explain_hint(EXPLAIN_HINT_STARTTLS_ABSENT),
			    explain_hint(EXPLAIN_HINT_STARTTLS_ABSENT_WHY));
		} else {
			s->auto_step = 2;
			session_send_auto(s, "STARTTLS");
		}
	} else if (s->auto_step == 2 && act != SMTP_ACT_STARTTLS && optional) {
		session_plain_anyway(s, "the server refused STARTTLS");
	} else if (s->auto_step == 2 && act != SMTP_ACT_STARTTLS) {
		s->auto_step = 0;
		session_fail(s, SESSION_F_TLS,
		    explain_hint(EXPLAIN_HINT_STARTTLS_REFUSED), NULL);
	}
}

/* An EHLO answered again after TLS or AUTH: what the server offers now that it did not. */
static void
session_caps_changed(struct session *s)
{
	const struct smtp	*m = &s->smtp;
	const char		*by;

	if (m->changed == NULL)
		return;
	by = m->changed_by == (SMTP_SINCE_TLS | SMTP_SINCE_AUTH) ? "TLS and AUTH" :
	    m->changed_by == SMTP_SINCE_TLS ? "TLS" : "AUTH";
	if (*m->changed == '\0')
		transcript_addf(s->tr, TR_LOCAL, "after %s: the same extensions as "
		    "before", by);
	else
		transcript_addf(s->tr, TR_LOCAL, "after %s: %s", by, m->changed);
}

/* What a reply means for the lines held behind its command. */
static void
session_reply_effects(struct session *s, const struct reply *r,
    const struct smtp_sent *c)
{
	switch (c->cmd) {
	case SMTP_CMD_EHLO:
		if (reply_class(r) == 2)
			session_caps_changed(s);
		if (reply_class(r) == 2 && !s->smtp.tls &&
		    smtp_cap(&s->smtp, "STARTTLS") == NULL)
			session_sts_tls(s, STS_TLS_NONE, "STARTTLS not offered");
		break;
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
			session_sts_tls(s, STS_TLS_NONE, "STARTTLS refused");
		/* Refused when it was only wanted if offered: the lines go on, plain. */
		if (r->code != 220 && !(s->auto_step == 2 &&
		    s->mode == SESSION_STARTTLS_IF_OFFERED))
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
	struct explain_state	 st;
	char			*text;
	int			 greeting = s->smtp.state == SMTP_GREETING, paired;

	s->nreplies++;
	paired = smtp_reply(&s->smtp, r, &c, &act);
	if (paired)
		s->latency = session_ms_since(&c.when);
	if (r->malformed)
		s->violations++;
	if (r->problem != NULL)
		transcript_addf(s->tr, TR_WARN, "%s reply from the server: %s",
		    r->malformed ? "malformed" : "odd", r->problem);
	/* "" is the greeting to explain_reply; an unasked-for reply answers nothing.
	 * The state is the one the reply was given in (before it changes it). */
	session_reply_state(s, greeting ? "" : paired ? c.verb : NULL, &st);
	if (paired && c.cmd == SMTP_CMD_STARTTLS)
		st.tls = 0;
	text = session_reply_text(r);
	explain_reply_text(r->code, r->enhanced[0] ? r->enhanced : NULL, text, &st,
	    &ex);
	free(text);
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

	/* A TLS record (handshake or alert) where a reply should start: the port
	 * speaks implicit TLS. Seen at once, not as a "malformed reply". */
	if (s->tls == NULL && s->parser.cur == NULL && s->parser.len == 0 && len >= 3 &&
	    (buf[0] == 0x15 || buf[0] == 0x16) && buf[1] == 0x03 &&
	    (unsigned char)buf[2] <= 0x04) {
		session_fail(s, SESSION_F_PROTOCOL, "the server sent a TLS record where "
		    "an SMTP reply should be: this port speaks implicit TLS",
		    explain_hint(EXPLAIN_HINT_TLS_RECORD));
		return (-1);
	}
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
		/* How long the reply took shows where the wait was: on its first line. */
		e = transcript_add_timed(s->tr, TR_SERVER, l->text, note,
		    first ? smtp_latency(&s->smtp) : -1);
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

int
session_show_partial(struct session *s)
{
	char	*text;
	int	 any = s->parser.len > 0 || s->parser.dropped > 0 || s->parser.cur != NULL;

	/* What arrived of a reply that never ended is shown and counted, not lost. */
	if (s->parser.len > 0) {
		text = vis_bytes(s->parser.buf, s->parser.len);
		transcript_add(s->tr, TR_SERVER, text, "incomplete line");
		free(text);
	}
	if (s->parser.dropped > 0)
		transcript_addf(s->tr, TR_WARN, "line too long: %zu more bytes were not "
		    "kept", s->parser.dropped);
	if (s->parser.cur != NULL && s->parser.cur->nskipped > 0)
		transcript_addf(s->tr, TR_WARN, "%zu more lines of this reply were not "
		    "shown (over %d)", s->parser.cur->nskipped, REPLY_LINES_MAX);
	return (any);
}

const char *
session_gone_hint(const struct session *s)
{
	if (s->nreplies == 1 && !s->smtp.tls)
		return ("it hung up right after its greeting: servers do that to "
		    "clients they do not like (too many connections, an address on a "
		    "blocklist): read the greeting's text, or try again later");
	return (NULL);
}

/* The server closed its side: normal after QUIT, a failure otherwise. */
static void
session_eof(struct session *s)
{
	const char	*hint = NULL;
	char		*why;

	session_show_partial(s);
	if (s->smtp.state == SMTP_QUIT) {
		transcript_add(s->tr, TR_LOCAL, "connection closed by the server", NULL);
		session_end(s);
		return;
	}
	if (s->smtp.state == SMTP_GREETING && !s->smtp.tls)
		hint = s->mode == SESSION_TLS ? NULL :
		    explain_hint(EXPLAIN_HINT_HUNG_UP_GREETING);
	else if (s->parser.cur != NULL || s->parser.len > 0)
		hint = "it stopped in the middle of a reply";
	else
		hint = session_gone_hint(s);
	why = xasprintf("the server closed the connection%s",
	    s->parser.cur != NULL || s->parser.len > 0 ? " in the middle of a reply" :
	    smtp_waiting(&s->smtp) ? " without replying" : "");
	session_fail(s, SESSION_F_CLOSED, why, hint);
	free(why);
}

void
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
			session_fail(s, SESSION_F_CLOSED, err, session_gone_hint(s));
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

