/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Incremental, defensive SMTP reply parser. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "vis.h"
#include "xmalloc.h"

void
reply_parser_init(struct reply_parser *p)
{
	memset(p, 0, sizeof *p);
}

void
reply_parser_clear(struct reply_parser *p)
{
	reply_free(p->cur);
	free(p->line.text);
	reply_parser_init(p);
}

size_t
reply_parser_pending(const struct reply_parser *p)
{
	return (p->len + p->dropped + p->saw_cr + (p->cur != NULL ? 1 : 0));
}

int
reply_class(const struct reply *r)
{
	return (r->code / 100);
}

const char *
reply_text(const struct reply *r, size_t i)
{
	return (r->lines[i].text + r->lines[i].msg);
}

void
reply_free(struct reply *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nlines; i++)
		free(r->lines[i].text);
	free(r->lines);
	free(r);
}

/* Check the code and separator of a raw line; fill code, msg and last. */
static const char *
reply_check_line(const char *s, size_t len, struct reply_line *l)
{
	size_t	i;

	l->code = 0;
	l->last = 1;
	l->msg = 0;
	if (len < 3 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
		return ("no three-digit reply code");
	if (s[0] < '2' || s[0] > '5')
		return ("reply code outside 2xx-5xx");
	if (len > 3 && s[3] != ' ' && s[3] != '-')
		return ("no space or '-' after the reply code");
	l->code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	l->last = !(len > 3 && s[3] == '-');
	l->msg = len > 3 ? 4 : 3;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return ("control characters in it (shown escaped)");
	}
	return (NULL);
}

/* Copy "x.y.z" at the start of text into out if it is an enhanced code of class cls. */
static void
reply_enhanced(const char *text, int cls, char *out, size_t outlen)
{
	size_t	i = 0, part = 0, digits = 0;

	out[0] = '\0';
	if (text[0] - '0' != cls)
		return;
	for (i = 0; text[i] != '\0' && text[i] != ' '; i++) {
		if (isdigit((unsigned char)text[i])) {
			if (++digits > 3)
				return;
		} else if (text[i] == '.' && digits > 0 && part < 2) {
			part++;
			digits = 0;
		} else
			return;
	}
	if (part != 2 || digits == 0 || i >= outlen)
		return;
	memcpy(out, text, i);
	out[i] = '\0';
}

/* A complete raw line is in p->buf: report it and add it to the current reply. */
static struct reply *
reply_finish_line(struct reply_parser *p)
{
	struct reply_line	*l = &p->line;
	struct reply		*r, *done = NULL;
	const char		*problem;
	int			 structural;

	free(l->text);
	memset(l, 0, sizeof *l);
	problem = reply_check_line(p->buf, p->len, l);
	structural = (l->code == 0);
	l->text = vis_bytes(p->buf, p->len);
	l->dropped = p->dropped;
	if (problem == NULL && p->dropped > 0)
		problem = "line too long";

	if ((r = p->cur) == NULL) {
		r = p->cur = xcalloc(1, sizeof *r);
		r->code = l->code;
		if (l->code != 0 && l->code / 100 != 3)
			reply_enhanced(l->text + l->msg, l->code / 100,
			    r->enhanced, sizeof r->enhanced);
	} else if (l->code != r->code) {
		if (problem == NULL || !structural)
			problem = "reply code changed inside a multi-line reply";
		structural = 1;
	}
	/* A broken line cannot say whether more lines follow: end the reply here. */
	if (structural)
		l->last = 1;
	l->problem = problem;
	if (problem != NULL && r->problem == NULL)
		r->problem = problem;
	if (structural)
		r->malformed = 1;

	if (r->nlines < REPLY_LINES_MAX) {
		r->lines = xreallocarray(r->lines, r->nlines + 1, sizeof *r->lines);
		r->lines[r->nlines] = *l;
		r->lines[r->nlines].text = xstrdup(l->text);
		r->nlines++;
	} else {
		l->skipped = 1;
		r->nskipped++;
		if (r->problem == NULL)
			r->problem = "too many lines in one reply";
	}
	if (l->last) {
		done = r;
		p->cur = NULL;
	}
	p->len = 0;
	p->dropped = 0;
	p->saw_cr = 0;
	return (done);
}

size_t
reply_parser_feed(struct reply_parser *p, const char *data, size_t len,
    const struct reply_line **line, struct reply **done)
{
	size_t	i;
	char	c;

	*line = NULL;
	*done = NULL;
	for (i = 0; i < len; i++) {
		c = data[i];
		if (c == '\n') {
			*done = reply_finish_line(p);
			*line = &p->line;
			return (i + 1);
		}
		/* Hold back a CR: it belongs to the line only if no LF follows. */
		if (p->saw_cr) {
			p->saw_cr = 0;
			if (p->len < sizeof p->buf)
				p->buf[p->len++] = '\r';
			else
				p->dropped++;
		}
		if (c == '\r') {
			p->saw_cr = 1;
			continue;
		}
		if (p->len < sizeof p->buf)
			p->buf[p->len++] = c;
		else
			p->dropped++;
	}
	return (len);
}
