/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The person's lines: held until the dialogue can take them, then sent as what they
 * are by then (a command, a body line, a line of a BDAT chunk, an AUTH answer), and
 * the guess of what a line typed now will be.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session-int.h"
#include "trace.h"
#include "vis.h"
#include "xmalloc.h"

/* A body line in DATA: dot-stuffed, or the "." that ends the message. */
static enum session_take
session_body_line(struct session *s, struct held_line *h)
{
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
	transcript_add_bytes(s->tr, TR_CLIENT, h->text, h->len, h->text[0] == '.' ?
	    "dot-stuffed: sent with an extra \".\"" : NULL);
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
	transcript_add_bytes(s->tr, TR_CLIENT, h->text, h->len, NULL);
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
		held_drop(&s->held);	/* the BDAT line itself */
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
		held_drop(&s->held);	/* the BDAT line itself */
		session_refused(s, "BDAT");
		return (TAKE_GONE);
	}
	if (n > SESSION_BDAT_MAX) {
		transcript_addf(s->tr, TR_ERROR, "BDAT %llu: smtpcon takes chunks of "
		    "at most %d bytes typed by hand (BDAT alone sends any size): not "
		    "sent", n, SESSION_BDAT_MAX);
		held_drop(&s->held);	/* the BDAT line itself */
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
			held_drop(&s->held);
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
void
session_pump(struct session *s)
{
	struct held_line	*h;
	enum session_take	 t;
	int			 body;

	s->pump_more = 0;
	while (s->io == IO_OPEN && (h = held_peek(&s->held)) != NULL) {
		body = s->smtp.state == SMTP_DATA || s->smtp.state == SMTP_BDAT;
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
		/* A body line is no secret: it needs no wipe (an answer does). */
		if (t == TAKE_DONE)
			held_take(&s->held, !body);
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
		trace_log("line after the stop dropped (%zu bytes)", len);
		return (0);
	}
	/* A body line that can go now goes from the caller's buffer: no copy. */
	if (held_count(&s->held) == 0 && s->io == IO_OPEN &&
	    (s->smtp.state == SMTP_DATA || s->smtp.state == SMTP_BDAT) &&
	    wire_queued(&s->wire) < SESSION_OUT_HIGH) {
		struct held_line	l = { (char *)line, len, flags };

		if ((s->smtp.state == SMTP_DATA ? session_body_line(s, &l) :
		    session_bdat_line(s, &l)) != TAKE_WAIT) {
			if (s->io == IO_OPEN)
				session_finish_input(s);
			session_changed(s);
			return (0);
		}
	}
	held_push(&s->held, line, len, flags);
	trace_log("held line %zu (%zu bytes)", held_count(&s->held), len);
	session_pump(s);
	session_changed(s);
	return (0);
}

void
session_input_end(struct session *s)
{
	s->input_end = 1;
	trace_log("end of input");
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
	trace_log("leaving: QUIT after %zu held lines", held_count(&s->held) - 1);
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
