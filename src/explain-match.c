/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Which rule of the table explains a reply best: words, codes and state, scored. */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "explain-rules.h"

/* Bytes of the reply's text read: enough for any real diagnosis. */
#define EXPLAIN_TEXT_MAX	4096

static int
explain_digit(int c)
{
	return (c >= '0' && c <= '9');
}

/* Length of a reply code "ddd" at s followed by '-', ' ' or the end; else 0. */
static size_t
explain_code_at(const char *s, const char *end)
{
	if (end - s >= 3 && s[0] >= '2' && s[0] <= '5' && explain_digit(s[1]) &&
	    explain_digit(s[2]) && (end - s == 3 || s[3] == '-' || s[3] == ' ' ||
	    s[3] == '\t'))
		return (end - s == 3 ? 3 : 4);
	return (0);
}

/* Length of an enhanced code at s, up to end, when it is a whole word; else 0. */
static size_t
explain_enh_at(const char *s, const char *end)
{
	char	buf[16];
	size_t	n = 0;
	int	c, sub, det;

	while (s + n < end && n < sizeof buf - 1 && !isspace((unsigned char)s[n]))
		n++;
	if (n == 0 || n >= sizeof buf - 1)
		return (0);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return (explain_parse(buf, &c, &sub, &det) == 0 ? n : 0);
}

/*
 * Fold text into dst (lower case, one space for any run of white space) without the
 * "550-5.7.1 " at the start of each line, nor the reply's own enhanced code where it
 * comes again (lines joined with spaces). Returns the length.
 */
static size_t
explain_fold(const char *text, const char *enh, char *dst, size_t size)
{
	const char	*s = text, *end = text + strlen(text), *w;
	size_t		 n = 0, elen = enh != NULL ? strcspn(enh, " \t") : 0, k;
	int		 line = 1;

	while (s < end && n + 1 < size) {
		if (isspace((unsigned char)*s)) {
			if (*s == '\n' || *s == '\r')
				line = 1;
			if (n > 0 && dst[n - 1] != ' ')
				dst[n++] = ' ';
			s++;
			continue;
		}
		/* A word: a reply code prefix, the enhanced code, or text. */
		if (line && (k = explain_code_at(s, end)) > 0) {
			s += k;
			if ((k = explain_enh_at(s, end)) > 0)
				s += k;
			line = 0;
			continue;
		}
		if (line && (k = explain_enh_at(s, end)) > 0) {
			s += k;
			line = 0;
			continue;
		}
		line = 0;
		for (w = s; w < end && !isspace((unsigned char)*w); w++)
			;
		if (elen > 0 && (size_t)(w - s) == elen &&
		    strncasecmp(s, enh, elen) == 0) {
			s = w;
			continue;
		}
		/* "550-5.7.26" in the middle: lines joined with spaces. */
		if ((k = explain_code_at(s, end)) == 4 && s[3] == '-' &&
		    elen > 0 && (size_t)(w - s - 4) == elen &&
		    strncasecmp(s + 4, enh, elen) == 0) {
			s = w;
			continue;
		}
		for (; s < w && n + 1 < size; s++)
			dst[n++] = tolower((unsigned char)*s);
	}
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
	return (n);
}

/* Whether folded text holds the phrase p[0..len), ignoring case in p. */
static int
explain_has(const char *text, const char *p, size_t len)
{
	const char	*t;
	size_t		 i;

	if (len == 0)
		return (0);
	for (t = text; *t != '\0'; t++) {
		for (i = 0; i < len; i++) {
			if (t[i] == '\0' ||
			    t[i] != tolower((unsigned char)p[i]))
				break;
		}
		if (i == len)
			return (1);
	}
	return (0);
}

/*
 * Whether every phrase of words is in text; *nphrases gets their number and *longest
 * the length of the longest alternative found.
 */
static int
explain_words(const char *words, const char *text, int *nphrases, size_t *longest)
{
	const char	*p = words, *alt, *end;
	size_t		 len;
	int		 found;

	*nphrases = 0;
	*longest = 0;
	while (*p != '\0') {
		end = p + strcspn(p, "+");
		found = 0;
		for (alt = p; alt < end; alt += len + (alt + len < end)) {
			len = strcspn(alt, "|+");
			if (text != NULL && explain_has(text, alt, len)) {
				found = 1;
				if (len > *longest)
					*longest = len;
			}
		}
		if (!found)
			return (0);
		(*nphrases)++;
		p = *end == '+' ? end + 1 : end;
	}
	return (1);
}

/* Whether a state flag (1, 0, -1) meets a condition; adds its score. */
static int
explain_cond(int cond, int flag, int *score)
{
	switch (cond) {
	case EXPLAIN_ANY:
		return (1);
	case EXPLAIN_YES:
		if (flag != 1)
			return (0);
		break;
	case EXPLAIN_NO:
		if (flag != 0)
			return (0);
		break;
	case EXPLAIN_NOTYES:
		if (flag == 1)
			return (0);
		break;
	case EXPLAIN_NOTNO:
		if (flag == 0)
			return (0);
		break;
	}
	*score += 10;
	return (1);
}

/* Whether the command answered is one of verbs. */
static int
explain_verb_in(const char *verbs, const char *verb)
{
	const char	*p = verbs, *want;
	size_t		 len;

	want = verb == NULL ? "?" : *verb == '\0' ? "GREETING" : verb;
	while (*p != '\0') {
		len = strcspn(p, " ");
		if (len == strlen(want) && strncasecmp(p, want, len) == 0)
			return (1);
		p += len;
		p += strspn(p, " ");
	}
	return (0);
}

/* The rule's score for this reply, or -1 when it does not match. */
static int
explain_score(const struct explain_rule *r, int code, const char *enh,
    const char *text, const struct explain_state *st)
{
	size_t	longest = 0;
	int	score = 0, nphrases = 0;

	if (r->code >= 100) {
		if (r->code != code)
			return (-1);
		score += 40;
	} else if (r->code > 0) {
		if (code / 100 != r->code)
			return (-1);
		score += 20;
	} else if (code / 100 != 4 && code / 100 != 5)
		return (-1);
	if (r->enhanced != NULL) {
		if (enh == NULL || strncmp(enh, r->enhanced, strlen(r->enhanced)) ||
		    (enh[strlen(r->enhanced)] != '\0' &&
		    !isspace((unsigned char)enh[strlen(r->enhanced)])))
			return (-1);
		score += 400;
	}
	if (r->words != NULL) {
		if (text == NULL || !explain_words(r->words, text, &nphrases,
		    &longest))
			return (-1);
		score += 1000 * nphrases + (longest > 9 ? 9 : (int)longest);
	}
	if (!explain_cond(r->tls, st->tls, &score) ||
	    !explain_cond(r->authed, st->authed, &score) ||
	    !explain_cond(r->starttls, st->starttls_offered, &score))
		return (-1);
	if (r->verbs != NULL) {
		if (!explain_verb_in(r->verbs, st->verb))
			return (-1);
		score += 10;
	}
	return (score);
}

/* The enhanced code of text's first line ("535-5.7.8 ..." or "5.7.8 ..."), or NULL. */
static const char *
explain_text_enh(const char *text)
{
	const char	*end;
	size_t		 k;

	if (text == NULL)
		return (NULL);
	text += strspn(text, " \t");
	end = text + strcspn(text, "\r\n");
	if ((k = explain_code_at(text, end)) > 0)
		text += k;
	return (explain_enh_at(text, end) > 0 ? text : NULL);
}

void
explain_match_fill(const struct explain_rule *r, struct explain_verdict *out)
{
	out->tag = r->tag;
	out->cause = r->cause;
	out->next = r->next;
	out->hint = r->hint;
	out->rule = r->name;
}

int
explain_match(int code, const char *enhanced, const char *text,
    const struct explain_state *st, struct explain_verdict *out)
{
	static const struct explain_state	 unknown = EXPLAIN_STATE_UNKNOWN;
	const struct explain_rule		*best = NULL;
	char					 folded[EXPLAIN_TEXT_MAX];
	const char				*ft = NULL;
	size_t					 i;
	int					 cls, sub, det, score, top = -1;

	memset(out, 0, sizeof *out);
	if (code < 400 || code > 599)
		return (0);
	if (st == NULL)
		st = &unknown;
	if (enhanced == NULL)
		enhanced = explain_text_enh(text);
	/* A code of the wrong class says the server is confused: not trusted. */
	if (explain_parse(enhanced, &cls, &sub, &det) != 0 || cls != code / 100)
		enhanced = NULL;
	if (text != NULL) {
		explain_fold(text, enhanced, folded, sizeof folded);
		ft = folded;
	}
	for (i = 0; i < explain_rules_n; i++) {
		score = explain_score(&explain_rules[i], code, enhanced, ft, st);
		if (score > top) {
			top = score;
			best = &explain_rules[i];
		}
	}
	if (best == NULL)
		return (0);
	explain_match_fill(best, out);
	return (1);
}

