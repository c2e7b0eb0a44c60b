/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Unit tests of the reply parser: multi-line replies, enhanced codes, malformed and
 * overlong input, and input cut at every possible byte boundary. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "unit.h"

/* Feed s in chunks of size step; collect complete replies into out (up to max). */
static size_t
feed(struct reply_parser *p, const char *s, size_t len, size_t step,
    struct reply **out, size_t max, size_t *nlines)
{
	const struct reply_line	*l;
	struct reply		*r;
	size_t			 off = 0, n, chunk, nr = 0, used;

	*nlines = 0;
	while (off < len) {
		chunk = len - off < step ? len - off : step;
		used = 0;
		while (used < chunk) {
			n = reply_parser_feed(p, s + off + used, chunk - used, &l, &r);
			used += n;
			if (l != NULL)
				(*nlines)++;
			if (r != NULL) {
				if (nr < max)
					out[nr++] = r;
				else
					reply_free(r);
			}
		}
		off += chunk;
	}
	return (nr);
}

static void
test_multiline(void)
{
	const char		*s = "250-mx.example.com greets you\r\n250-PIPELINING\r\n"
				    "250-SIZE 10240000\r\n250 STARTTLS\r\n";
	struct reply_parser	 p;
	struct reply		*r[4];
	size_t			 step, n, lines;

	/* Every chunking of the input gives the same single reply. */
	for (step = 1; step <= strlen(s); step++) {
		reply_parser_init(&p);
		n = feed(&p, s, strlen(s), step, r, 4, &lines);
		CHECK(n == 1);
		CHECK(lines == 4);
		if (n == 1) {
			CHECK(r[0]->code == 250);
			CHECK(r[0]->nlines == 4);
			CHECK(!r[0]->malformed);
			CHECK(r[0]->problem == NULL);
			CHECK_STR(reply_text(r[0], 1), "PIPELINING");
			CHECK_STR(reply_text(r[0], 3), "STARTTLS");
			CHECK(r[0]->lines[0].last == 0 && r[0]->lines[3].last == 1);
			reply_free(r[0]);
		}
		CHECK(reply_parser_pending(&p) == 0);
		reply_parser_clear(&p);
	}
}

static void
test_enhanced(void)
{
	const char		*s = "535 5.7.8 Authentication credentials invalid\r\n"
				    "354 Start mail input\r\n250 2.1.0 Ok\r\n"
				    "550 5.1.1.1 not a code\r\n221 2.0.0\r\n";
	struct reply_parser	 p;
	struct reply		*r[8];
	size_t			 n, lines, i;

	reply_parser_init(&p);
	n = feed(&p, s, strlen(s), 7, r, 8, &lines);
	CHECK(n == 5);
	if (n == 5) {
		CHECK_STR(r[0]->enhanced, "5.7.8");
		CHECK(reply_class(r[0]) == 5);
		CHECK_STR(r[1]->enhanced, "");		/* 3xx has none */
		CHECK_STR(r[2]->enhanced, "2.1.0");
		CHECK_STR(r[3]->enhanced, "");		/* four parts: not a code */
		CHECK_STR(r[4]->enhanced, "2.0.0");	/* code at the end of line */
	}
	for (i = 0; i < n; i++)
		reply_free(r[i]);
	reply_parser_clear(&p);
}

static void
test_malformed(void)
{
	struct reply_parser	 p;
	struct reply		*r[8];
	size_t			 n, lines, i;
	const char		*s;

	/* No code, class 6, no separator, a code change inside a reply. */
	s = "hello there\r\n650 six\r\n250x ok\r\n250-first\r\n251 second\r\n"
	    "250 fine\r\n";
	reply_parser_init(&p);
	n = feed(&p, s, strlen(s), 5, r, 8, &lines);
	CHECK(lines == 6);
	CHECK(n == 5);
	if (n == 5) {
		CHECK(r[0]->malformed && r[0]->code == 0);
		CHECK(r[1]->malformed);
		CHECK(r[2]->malformed);
		CHECK(r[3]->malformed && r[3]->nlines == 2);
		CHECK(r[3]->problem != NULL &&
		    strstr(r[3]->problem, "multi-line") != NULL);
		CHECK(!r[4]->malformed && r[4]->code == 250);
	}
	for (i = 0; i < n; i++)
		reply_free(r[i]);
	reply_parser_clear(&p);

	/* A bare code is a valid last line; LF alone ends a line too. */
	reply_parser_init(&p);
	n = feed(&p, "250\n", 4, 4, r, 8, &lines);
	CHECK(n == 1 && r[0]->code == 250 && !r[0]->malformed);
	if (n == 1)
		reply_free(r[0]);
	reply_parser_clear(&p);
}

static void
test_hostile_bytes(void)
{
	const char		 s[] = "220 evil \x1b[2J\x1b]0;pwned\x07 nul\0byte \xff\xfe\r\n";
	struct reply_parser	 p;
	struct reply		*r[2];
	size_t			 n, lines;

	reply_parser_init(&p);
	n = feed(&p, s, sizeof s - 1, 3, r, 2, &lines);
	CHECK(n == 1);
	if (n == 1) {
		CHECK(r[0]->code == 220);
		CHECK(r[0]->problem != NULL);		/* control bytes flagged */
		CHECK(!r[0]->malformed);		/* but the reply counts */
		CHECK(strchr(r[0]->lines[0].text, '\x1b') == NULL);
		CHECK(strchr(r[0]->lines[0].text, '\x07') == NULL);
		CHECK(strstr(r[0]->lines[0].text, "^[[2J") != NULL);
		CHECK(strstr(r[0]->lines[0].text, "nul^@byte") != NULL);
		CHECK(strstr(r[0]->lines[0].text, "\\xFF\\xFE") != NULL);
		reply_free(r[0]);
	}
	reply_parser_clear(&p);
}

static void
test_overlong(void)
{
	struct reply_parser	 p;
	struct reply		*r[4];
	char			*big;
	size_t			 n, lines, len = 100000;

	big = malloc(len + 16);
	memcpy(big, "250 ", 4);
	memset(big + 4, 'A', len);
	memcpy(big + 4 + len, "\r\n250 ok\r\n", 10);
	reply_parser_init(&p);
	n = feed(&p, big, len + 14, 4096, r, 4, &lines);
	CHECK(n == 2);
	if (n == 2) {
		CHECK(strlen(r[0]->lines[0].text) == REPLY_LINE_MAX);
		CHECK(r[0]->lines[0].dropped == len + 4 - REPLY_LINE_MAX);
		CHECK(r[0]->problem != NULL);
		CHECK(r[1]->code == 250 && r[1]->problem == NULL);
		reply_free(r[0]);
		reply_free(r[1]);
	}
	reply_parser_clear(&p);
	free(big);
}

static void
test_many_lines(void)
{
	struct reply_parser	 p;
	struct reply		*r[2];
	char			*s, *o;
	size_t			 i, n, lines, count = REPLY_LINES_MAX + 50;

	s = o = malloc(count * 16);
	for (i = 0; i + 1 < count; i++)
		o += sprintf(o, "250-line %zu\r\n", i);
	o += sprintf(o, "250 end\r\n");
	reply_parser_init(&p);
	n = feed(&p, s, o - s, 100, r, 2, &lines);
	CHECK(n == 1);
	CHECK(lines == count);
	if (n == 1) {
		CHECK(r[0]->nlines == REPLY_LINES_MAX);
		CHECK(r[0]->nskipped == count - REPLY_LINES_MAX);
		CHECK(r[0]->problem != NULL);
		reply_free(r[0]);
	}
	reply_parser_clear(&p);
	free(s);
}

static void
test_partial(void)
{
	struct reply_parser	 p;
	const struct reply_line	*l;
	struct reply		*r;
	size_t			 n;

	/* A cut-off reply stays pending: the engine reports it when the peer closes. */
	reply_parser_init(&p);
	n = reply_parser_feed(&p, "250-cutoff\r\n250-PIPEL", 21, &l, &r);
	CHECK(n == 12 && l != NULL && r == NULL);
	n = reply_parser_feed(&p, "250-PIPEL", 9, &l, &r);
	CHECK(n == 9 && l == NULL && r == NULL);
	CHECK(reply_parser_pending(&p) > 0);
	reply_parser_clear(&p);
	CHECK(reply_parser_pending(&p) == 0);
}

int
main(void)
{
	test_multiline();
	test_enhanced();
	test_malformed();
	test_hostile_bytes();
	test_overlong();
	test_many_lines();
	test_partial();
	return (unit_done());
}
