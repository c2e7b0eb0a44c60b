/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Inside the explanations: the rule table (explain-rules.c) that reads the server's
 * words and the session's state, shared by the matcher (explain-match.c) and the
 * public functions (explain.c). Nothing else includes this.
 */
#ifndef EXPLAIN_RULES_H
#define EXPLAIN_RULES_H

#include <stddef.h>

#include "explain.h"

/*
 * The rule table. A state condition is one of these; "not yes" also holds when the
 * flag is not known, which is how the advice for a state nobody told us about stays
 * what it was before states were known.
 */
#define EXPLAIN_ANY	0
#define EXPLAIN_YES	1
#define EXPLAIN_NO	2
#define EXPLAIN_NOTYES	3
#define EXPLAIN_NOTNO	4

#define EXPLAIN_PHRASES	4

struct explain_rule {
	const char	*name;
	int		 code;		/* 100-599 exact; 4, 5 a class; 0 4xx or 5xx */
	const char	*enhanced;	/* exact, or NULL for any */
	/*
	 * Phrases, lower case, separated by '+', all of which must appear; each is
	 * one or more alternatives separated by '|'. NULL: the text does not matter.
	 */
	const char	*words;
	/*
	 * The command answered: verbs separated by spaces, "GREETING" for the
	 * greeting and "?" for a command not known; NULL for any.
	 */
	const char	*verbs;
	signed char	 tls, authed, starttls;
	const char	*tag;
	const char	*cause;
	const char	*next;
	const char	*hint;
};

#define EXPLAIN_RULE(name, code, enh, words, verbs, tls, authed, stls, tag,	\
    cause, next)								\
	{ name, code, enh, words, verbs, EXPLAIN_##tls, EXPLAIN_##authed,	\
	  EXPLAIN_##stls, tag, cause, next, cause " " next }

extern const struct explain_rule explain_rules[];
extern const size_t explain_rules_n;

/* Parse "c.s.d" (class 2, 4 or 5; 1-3 digit subject and detail); 0 if it is one. */
int	explain_parse(const char *, int *cls, int *subject, int *detail);
/* Fill a verdict from a rule. */
void	explain_match_fill(const struct explain_rule *, struct explain_verdict *);

#endif
