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

struct explain {
	const char	*basic;		/* "250: requested action completed", or NULL */
	const char	*enhanced;	/* "5.7.8: authentication credentials invalid
					   (permanent failure)", or NULL */
	const char	*hint;		/* what to try, in a sentence or two, or NULL */
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

#endif
