/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Fuzz the reply parser with the dialogue state: the server's bytes are cut into feeds
 * (sizes drawn from the first input byte), each complete reply goes to smtp_reply()
 * paired with commands sent before it (a script of the whole dialogue, pipelined), and
 * is explained as the session does. Lines and replies must stay display-safe and within
 * their bounds whatever the server sends.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "auth.h"
#include "fuzz.h"
#include "reply.h"
#include "smtp-int.h"

/* The commands a person would send, in a dialogue's order; cycled through. */
static const struct {
	enum smtp_cmd	 cmd;
	const char	*verb;
	int		 last;
} script[] = {
	{ SMTP_CMD_EHLO, "EHLO", 0 },
	{ SMTP_CMD_STARTTLS, "STARTTLS", 0 },
	{ SMTP_CMD_EHLO, "EHLO", 0 },
	{ SMTP_CMD_AUTH, "AUTH", 0 },
	{ SMTP_CMD_ANSWER, "", 0 },
	{ SMTP_CMD_MAIL, "MAIL", 0 },
	{ SMTP_CMD_RCPT, "RCPT", 0 },
	{ SMTP_CMD_RCPT, "RCPT", 0 },
	{ SMTP_CMD_DATA, "DATA", 0 },
	{ SMTP_CMD_DOT, ".", 0 },
	{ SMTP_CMD_MAIL, "MAIL", 0 },
	{ SMTP_CMD_RCPT, "RCPT", 0 },
	{ SMTP_CMD_BDAT, "BDAT", 0 },
	{ SMTP_CMD_BDAT, "BDAT", 1 },
	{ SMTP_CMD_RSET, "RSET", 0 },
	{ SMTP_CMD_HELO, "HELO", 0 },
	{ SMTP_CMD_OTHER, "VRFY", 0 },
	{ SMTP_CMD_OTHER, "NOOP", 0 },
	{ SMTP_CMD_QUIT, "QUIT", 0 }
};
#define NSCRIPT	(sizeof script / sizeof script[0])

static void
check_line(const struct reply_line *l)
{
	FUZZ_CHECK(l->text != NULL && fuzz_display_safe(l->text));
	FUZZ_CHECK(l->msg <= strlen(l->text));
	FUZZ_CHECK(l->code == 0 || (l->code >= 200 && l->code <= 599));
}

static void
check_reply(const struct smtp *s, const struct reply *r, const char *verb)
{
	struct explain	 ex;
	const char	*note;
	size_t		 i;

	FUZZ_CHECK(r->code == 0 || (r->code >= 200 && r->code <= 599));
	FUZZ_CHECK(memchr(r->enhanced, '\0', sizeof r->enhanced) != NULL);
	FUZZ_CHECK(fuzz_display_safe(r->enhanced));
	FUZZ_CHECK(r->nlines <= REPLY_LINES_MAX);
	FUZZ_CHECK(r->nlines > 0 || r->nskipped > 0);
	for (i = 0; i < r->nlines; i++) {
		check_line(&r->lines[i]);
		FUZZ_CHECK(fuzz_display_safe(reply_text(r, i)));
	}
	i = reply_class(r);
	FUZZ_CHECK(i == 0 || (i >= 2 && i <= 5));
	explain_reply(r->code, *r->enhanced ? r->enhanced : NULL, verb, &ex);
	note = explain_short(r->code, *r->enhanced ? r->enhanced : NULL);
	FUZZ_CHECK(note == NULL || strlen(note) <= 40);
	(void)auth_choose(smtp_cap(s, "AUTH"));
	(void)smtp_cap(s, "SIZE");
	(void)smtp_cap(s, "PIPELINING");
}

/* Send script commands while the dialogue allows, up to depth awaiting replies. */
static void
send_some(struct smtp *s, size_t *next, size_t depth)
{
	size_t	k;

	while (s->state != SMTP_QUIT && s->state != SMTP_GREETING &&
	    s->npending < depth && !smtp_must_wait(s)) {
		k = (*next)++ % NSCRIPT;
		if (smtp_sent(s, script[k].cmd, script[k].verb, script[k].last) ==
		    NULL)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply_parser	 p;
	struct smtp		 s;
	struct smtp_sent	 cmd;
	enum smtp_action	 act;
	const struct reply_line	*line;
	struct reply		*r;
	const char		*buf;
	size_t			 off, chunk, n, next = 0, depth;
	unsigned		 seed;

	if (size < 1)
		return (0);
	/* The first byte chooses the feed sizes and how deep to pipeline. */
	seed = data[0];
	depth = 1 + (data[0] & 3);
	buf = (const char *)data + 1;
	size--;

	reply_parser_init(&p);
	smtp_init(&s);
	smtp_reset(&s, SMTP_GREETING);
	for (off = 0; off < size; off += chunk) {
		seed = seed * 1103515245 + 12345;
		chunk = seed & 0x100 ? size - off : 1 + (seed >> 16) % 64;
		if (chunk > size - off)
			chunk = size - off;
		for (n = 0; n < chunk; ) {
			n += reply_parser_feed(&p, buf + off + n, chunk - n, &line, &r);
			if (line != NULL)
				check_line(line);
			if (r == NULL) {
				/* A line that ends a reply gives it. */
				FUZZ_CHECK(line == NULL || !line->last);
				continue;
			}
			smtp_reply(&s, r, &cmd, &act);
			check_reply(&s, r, cmd.verb);
			reply_free(r);
			if (act == SMTP_ACT_STARTTLS)
				smtp_tls_up(&s, 0);
			(void)smtp_line_kind(&s);
			(void)smtp_state_name(s.state);
			(void)smtp_pending_verb(&s);
			send_some(&s, &next, depth);
		}
		(void)reply_parser_pending(&p);
	}
	reply_parser_clear(&p);
	smtp_reset(&s, SMTP_CLOSED);
	return (0);
}
