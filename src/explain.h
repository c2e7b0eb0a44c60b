/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * What SMTP reply codes mean, for people: the basic codes of RFC 5321 (and RFC 3207,
 * RFC 4954, RFC 7504), the enhanced status codes of RFC 3463 as registered under
 * RFC 5248, and hints for the mistakes people make most when talking SMTP by hand.
 *
 * Memory: every string here is static; nothing allocates, nothing needs freeing, and
 * every function is safe with any input.
 */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stddef.h>

/*
 * What the session knows when a reply arrives. Each flag is 1 (yes), 0 (no) or -1
 * (not known); a rule that asks for yes or no never matches a flag that is not known.
 */
struct explain_state {
	int		 tls;		/* TLS is up on the connection */
	int		 authed;	/* AUTH succeeded in this session */
	int		 starttls_offered; /* the last EHLO reply listed STARTTLS
					   (-1 when no EHLO reply was seen) */
	const char	*verb;		/* the command answered, as verb for
					   explain_reply(); NULL when not known */
};

/* A state that knows nothing: what the functions without a state use. */
#define EXPLAIN_STATE_UNKNOWN	{ -1, -1, -1, NULL }

/*
 * The diagnosis of one rule. All strings are static; tag is at most 40 characters,
 * cause and next are one or two sentences each, and hint is cause and next in one
 * string (a space between them). rule names the rule ("ms365-smtp-auth-disabled"),
 * for tests and bug reports, not for people.
 */
struct explain_verdict {
	const char	*tag;		/* "SMTP AUTH disabled for tenant/mailbox" */
	const char	*cause;		/* why, in plain words */
	const char	*next;		/* what to do next, and whose side it is */
	const char	*hint;		/* cause, a space, next */
	const char	*rule;
};

struct explain {
	const char	*basic;		/* "250: requested action completed", or NULL */
	const char	*enhanced;	/* "5.7.8: authentication credentials invalid
					   (permanent failure)", or NULL */
	const char	*hint;		/* what to try, in a sentence or two, or NULL */
	/* Set by explain_reply_text() and explain_reply(); NULL when not known. */
	const char	*tag;		/* as explain_short_text() gives */
	const char	*cause;		/* the matched rule's cause; NULL when no rule
					   matched (hint then comes from the codes) */
	const char	*next;		/* the rule's next step, else hint */
	const char	*rule;		/* the matched rule's name, or NULL */
};

/*
 * Explain a reply. code is the 3-digit reply code; enhanced is its enhanced status
 * code "class.subject.detail" (anything after a space is ignored) or NULL; verb is the
 * upper-case command the reply answers ("EHLO", "AUTH", "MAIL", "RCPT", "DATA",
 * "STARTTLS", "." for the end of the message data, ...), "" for the server's greeting
 * or an unasked-for reply, or NULL when not known.
 *
 * Fills all of out, which must not be NULL:
 * - basic: the code's meaning, prefixed by the code; NULL for a code no RFC defines.
 * - enhanced: the enhanced code's meaning, prefixed by the code and ending with its
 *   class in brackets: success (2), persistent transient failure (4) or permanent
 *   failure (5). A detail the registry does not list falls back to its subject, as in
 *   "5.7.x: unlisted security or policy status (permanent failure)". NULL when
 *   enhanced is NULL, malformed, or of an unknown class or subject.
 * - hint: advice for a reply that usually means a mistake or a policy the person
 *   can do something about, chosen from all three arguments; NULL when there is
 *   nothing useful to add. An enhanced code whose class differs from the reply
 *   code's is not trusted for the hint.
 */
void		 explain_reply(int code, const char *enhanced, const char *verb,
		     struct explain *out);

/*
 * Return a note of at most 40 characters for beside the last line of a reply in a
 * transcript ("auth failed: bad credentials", "relay denied / not authorized",
 * "go ahead: send the message"), or NULL when there is nothing useful to say (a plain
 * 250). enhanced is as for explain_reply(); an enhanced code whose class differs
 * from the reply code's is ignored.
 */
const char	*explain_short(int code, const char *enhanced);

/*
 * Diagnose a reply from the server's words and the state of the dialogue, with a
 * table of rules for what real servers send (Microsoft 365 and Exchange, Gmail and
 * Google Workspace, Yahoo, iCloud, Postfix, Exim, cPanel hosts, sending services).
 *
 * code and enhanced are as for explain_reply(); when enhanced is NULL, one at the
 * start of text is used. An enhanced code whose class differs from code's is ignored.
 * text is the reply's text: its lines joined with '\n' (or spaces), each with or
 * without its "550-5.7.1 " prefix, or just the first line; NULL when not known. Case
 * and runs of white space do not matter; the first 4 KiB are read. st may be NULL
 * for a state that knows nothing.
 *
 * A rule matches when every one of its conditions holds: reply code (exact, or a
 * class), enhanced code (exact), phrases of the text (each phrase one of a few
 * alternatives), and state (TLS up or not, logged in or not, STARTTLS offered or not,
 * the command answered). Among the rules that match, the most specific wins, by a
 * score that adds
 *	1000 for each phrase of the text it needs,
 *	 400 if it needs the enhanced code,
 *	  40 if it needs the exact reply code, 20 if only its class,
 *	  10 for each condition on the state,
 *	0..9 for the length of the longest alternative found (a tie-break),
 * so words the server chose count more than its codes, and codes more than state. Of
 * rules with equal scores the one earlier in the table wins, so the result is always
 * the same. No rule that can match while TLS is up tells you to send STARTTLS.
 *
 * Returns 1 and fills *out when a rule matched; returns 0 and zeroes *out when none
 * did (then explain_reply_text() falls back on the codes alone). out must not be NULL.
 */
int		 explain_match(int code, const char *enhanced, const char *text,
		     const struct explain_state *st, struct explain_verdict *out);

/*
 * explain_reply() with the text and the state: basic and enhanced as there; the rest
 * from the matching rule, else from the codes, with advice that suits the state (no
 * STARTTLS once TLS is up or when the server does not offer it, no "log in first"
 * once logged in). The verb is st->verb. explain_reply(code, enhanced, verb, out) is
 * this with text NULL and a state that knows only the verb.
 */
void		 explain_reply_text(int code, const char *enhanced, const char *text,
		     const struct explain_state *st, struct explain *out);

/*
 * The transcript note (at most 40 characters) from the text and the state: the
 * matching rule's tag, else explain_short() suited to the state; NULL as there.
 * A 220 is noted by the command it answers (st->verb), never by its words: "greeting:
 * ready" for the greeting, "start TLS now" for STARTTLS.
 * explain_short(code, enhanced) is this with text and st NULL.
 */
const char	*explain_short_text(int code, const char *enhanced, const char *text,
		     const struct explain_state *st);

/*
 * The rules, for listing and for tests: fill *out from rule i (tag, cause, next,
 * hint, rule) and return 0, or return -1 when i is past the last rule.
 */
int		 explain_rule_info(size_t i, struct explain_verdict *out);

#endif
