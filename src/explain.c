/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Reply codes explained for people; all static tables, so nothing here can fail. */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "explain.h"
#include "explain-advice.h"
#include "explain-rules.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

struct explain_basic {
	int		 code;
	const char	*text;
	const char	*shrt;
};

/* RFC 5321 4.2.2-4.2.3, with RFC 3207 (STARTTLS), RFC 4954 (AUTH) and RFC 7504. */
static const struct explain_basic explain_basics[] = {
	{ 211, "211: system status or system help reply", "system status" },
	{ 214, "214: help message", "help text" },
	{ 220, "220: service ready", "service ready" },
	{ 221, "221: service closing transmission channel", "closing: goodbye" },
	{ 235, "235: authentication succeeded", "logged in" },
	{ 250, "250: requested action completed", NULL },
	{ 251, "251: user not local; the server will forward the message",
	  "not local: will forward" },
	{ 252, "252: cannot verify the user, but will accept the message and "
	  "attempt delivery", "cannot verify; will try delivery" },
	{ 334, "334: server challenge: send the next AUTH answer in base64",
	  "server challenge: answer in base64" },
	{ 354, "354: start mail input; end it with a line holding a single dot",
	  "go ahead: send the message" },
	{ 421, "421: service not available, closing transmission channel",
	  "server closing the connection" },
	{ 432, "432: a password transition is needed", "password transition needed" },
	{ 450, "450: requested action not taken: mailbox unavailable for now "
	  "(busy, or blocked by policy)", "mailbox busy: try again later" },
	{ 451, "451: requested action aborted: local error in processing",
	  "server error: try again later" },
	{ 452, "452: requested action not taken: insufficient system storage "
	  "(or too many recipients)", "too many recipients, or no storage" },
	{ 454, "454: temporary failure: TLS not available, or authentication "
	  "could not be checked", "temporary TLS or AUTH failure" },
	{ 455, "455: server unable to accommodate parameters",
	  "parameters not accepted now" },
	{ 500, "500: syntax error, command unrecognized (or line too long)",
	  "unknown command (typo?)" },
	{ 501, "501: syntax error in parameters or arguments",
	  "syntax error in arguments" },
	{ 502, "502: command not implemented", "command not supported" },
	{ 503, "503: bad sequence of commands", "bad sequence of commands" },
	{ 504, "504: command parameter not implemented", "parameter not supported" },
	{ 521, "521: this host does not accept mail", "this host accepts no mail" },
	{ 530, "530: authentication required (or: must issue a STARTTLS command "
	  "first)", "auth or TLS required first" },
	{ 534, "534: authentication mechanism is too weak",
	  "auth mechanism too weak" },
	{ 535, "535: authentication credentials invalid",
	  "auth failed: bad credentials" },
	{ 538, "538: encryption required for requested authentication mechanism",
	  "encryption required for this AUTH" },
	{ 550, "550: requested action not taken: mailbox unavailable (not found, "
	  "no access, or refused by policy)", "mailbox unavailable" },
	{ 551, "551: user not local; please try the forward-path given",
	  "user not local" },
	{ 552, "552: requested mail action aborted: exceeded storage allocation",
	  "message too big" },
	{ 553, "553: requested action not taken: mailbox name not allowed",
	  "mailbox name not allowed" },
	{ 554, "554: transaction failed", "transaction failed" },
	{ 555, "555: MAIL FROM/RCPT TO parameters not recognized or not "
	  "implemented", "MAIL/RCPT parameter not supported" },
	{ 556, "556: domain does not accept mail", "domain accepts no mail" },
};

/* Texts that depend on the command the reply answers. */
static const char explain_220_tls[] = "220: ready to start TLS: begin the handshake";
static const char explain_250_data[] = "250: message accepted for delivery";
static const char explain_454_tls[] = "454: TLS not available due to a temporary "
    "reason";
static const char explain_454_auth[] = "454: temporary authentication failure";
static const char explain_554_greeting[] = "554: no SMTP service here (the server "
    "refuses this session)";

struct explain_enhanced {
	int		 subject;
	int		 detail;		/* -1: any detail not listed */
	const char	*text[3];		/* for class 2, 4 and 5 */
	const char	*shrt;			/* for class 4 and 5 */
};

/* One literal per class, so the whole table stays static. */
#define EXPLAIN_E(s, d, t, shrt) { s, d, {					\
	"2." #s "." #d ": " t " (success)",				\
	"4." #s "." #d ": " t " (persistent transient failure)",	\
	"5." #s "." #d ": " t " (permanent failure)" }, shrt }
#define EXPLAIN_SUBJECT(s, t) { s, -1, {					\
	"2." #s ".x: unlisted " t " (success)",				\
	"4." #s ".x: unlisted " t " (persistent transient failure)",	\
	"5." #s ".x: unlisted " t " (permanent failure)" }, NULL }

/* RFC 3463 and the later entries of the RFC 5248 registry. */
static const struct explain_enhanced explain_enhanceds[] = {
	EXPLAIN_E(0, 0, "other undefined status", NULL),
	EXPLAIN_SUBJECT(0, "status"),

	EXPLAIN_E(1, 0, "other address status", NULL),
	EXPLAIN_E(1, 1, "bad destination mailbox address", "mailbox unknown"),
	EXPLAIN_E(1, 2, "bad destination system address", "bad destination domain"),
	EXPLAIN_E(1, 3, "bad destination mailbox address syntax",
	    "bad recipient address syntax"),
	EXPLAIN_E(1, 4, "destination mailbox address ambiguous",
	    "ambiguous recipient address"),
	EXPLAIN_E(1, 5, "destination address valid", NULL),
	EXPLAIN_E(1, 6, "destination mailbox has moved, no forwarding address",
	    "mailbox moved"),
	EXPLAIN_E(1, 7, "bad sender's mailbox address syntax",
	    "bad sender address syntax"),
	EXPLAIN_E(1, 8, "bad sender's system address", "bad sender domain"),
	EXPLAIN_E(1, 9, "message relayed to non-compliant mailer", NULL),
	EXPLAIN_E(1, 10, "recipient address has null MX",
	    "recipient domain has null MX"),
	EXPLAIN_SUBJECT(1, "addressing status"),

	EXPLAIN_E(2, 0, "other or undefined mailbox status", NULL),
	EXPLAIN_E(2, 1, "mailbox disabled, not accepting messages",
	    "mailbox disabled"),
	EXPLAIN_E(2, 2, "mailbox full", "mailbox full"),
	EXPLAIN_E(2, 3, "message length exceeds administrative limit",
	    "message too big"),
	EXPLAIN_E(2, 4, "mailing list expansion problem",
	    "mailing list expansion problem"),
	EXPLAIN_SUBJECT(2, "mailbox status"),

	EXPLAIN_E(3, 0, "other or undefined mail system status", NULL),
	EXPLAIN_E(3, 1, "mail system full", "server storage full"),
	EXPLAIN_E(3, 2, "system not accepting network messages",
	    "server not accepting mail"),
	EXPLAIN_E(3, 3, "system not capable of selected features",
	    "feature not supported"),
	EXPLAIN_E(3, 4, "message too big for system", "message too big"),
	EXPLAIN_E(3, 5, "system incorrectly configured", "server misconfigured"),
	EXPLAIN_E(3, 6, "requested priority was changed", NULL),
	EXPLAIN_SUBJECT(3, "mail system status"),

	EXPLAIN_E(4, 0, "other or undefined network or routing status", NULL),
	EXPLAIN_E(4, 1, "no answer from host", "no answer from next host"),
	EXPLAIN_E(4, 2, "bad connection", "bad connection"),
	EXPLAIN_E(4, 3, "directory server failure", "DNS or directory failure"),
	EXPLAIN_E(4, 4, "unable to route", "unable to route"),
	EXPLAIN_E(4, 5, "mail system congestion", "server congested"),
	EXPLAIN_E(4, 6, "routing loop detected", "routing loop"),
	EXPLAIN_E(4, 7, "delivery time expired", "delivery time expired"),
	EXPLAIN_SUBJECT(4, "network or routing status"),

	EXPLAIN_E(5, 0, "other or undefined protocol status", NULL),
	/* For these the basic code says more ("bad sequence of commands"). */
	EXPLAIN_E(5, 1, "invalid command", NULL),
	EXPLAIN_E(5, 2, "syntax error", NULL),
	EXPLAIN_E(5, 3, "too many recipients", "too many recipients"),
	EXPLAIN_E(5, 4, "invalid command arguments", NULL),
	EXPLAIN_E(5, 5, "wrong protocol version", "wrong protocol version"),
	EXPLAIN_E(5, 6, "authentication exchange line is too long",
	    "AUTH line too long"),
	EXPLAIN_SUBJECT(5, "mail delivery protocol status"),

	EXPLAIN_E(6, 0, "other or undefined media error", NULL),
	EXPLAIN_E(6, 1, "media not supported", "media not supported"),
	EXPLAIN_E(6, 2, "conversion required and prohibited",
	    "conversion prohibited"),
	EXPLAIN_E(6, 3, "conversion required but not supported",
	    "conversion not supported"),
	EXPLAIN_E(6, 4, "conversion with loss performed", "converted with loss"),
	EXPLAIN_E(6, 5, "conversion failed", "conversion failed"),
	EXPLAIN_E(6, 6, "message content not available",
	    "message content not available"),
	EXPLAIN_E(6, 7, "non-ASCII addresses not permitted for that "
	    "sender/recipient", "non-ASCII address not allowed"),
	EXPLAIN_E(6, 8, "UTF-8 string reply is required, but not permitted by "
	    "the SMTP client", "UTF-8 reply needed"),
	EXPLAIN_E(6, 9, "UTF-8 header message cannot be transferred to one or "
	    "more recipients", "UTF-8 headers not deliverable"),
	EXPLAIN_SUBJECT(6, "message content or media status"),

	EXPLAIN_E(7, 0, "other or undefined security status", NULL),
	EXPLAIN_E(7, 1, "delivery not authorized, message refused: relay "
	    "denied or policy", "relay denied / not authorized"),
	EXPLAIN_E(7, 2, "mailing list expansion prohibited",
	    "list expansion prohibited"),
	EXPLAIN_E(7, 3, "security conversion required but not possible",
	    "security conversion impossible"),
	EXPLAIN_E(7, 4, "security features not supported",
	    "security features not supported"),
	EXPLAIN_E(7, 5, "cryptographic failure", "cryptographic failure"),
	EXPLAIN_E(7, 6, "cryptographic algorithm not supported",
	    "crypto algorithm not supported"),
	EXPLAIN_E(7, 7, "message integrity failure", "message integrity failure"),
	EXPLAIN_E(7, 8, "authentication credentials invalid",
	    "auth failed: bad credentials"),
	EXPLAIN_E(7, 9, "authentication mechanism is too weak",
	    "auth mechanism too weak"),
	EXPLAIN_E(7, 10, "encryption needed", "encryption needed: STARTTLS first"),
	EXPLAIN_E(7, 11, "encryption required for requested authentication "
	    "mechanism", "encryption required for this AUTH"),
	EXPLAIN_E(7, 12, "a password transition is needed",
	    "password transition needed"),
	EXPLAIN_E(7, 13, "user account disabled", "account disabled"),
	EXPLAIN_E(7, 14, "trust relationship required",
	    "trust relationship required"),
	EXPLAIN_E(7, 15, "priority level is too low", "priority too low"),
	EXPLAIN_E(7, 16, "message is too big for the specified priority",
	    "too big for this priority"),
	EXPLAIN_E(7, 17, "mailbox owner has changed", "mailbox owner has changed"),
	EXPLAIN_E(7, 18, "domain owner has changed", "domain owner has changed"),
	EXPLAIN_E(7, 19, "RRVS test cannot be completed", "RRVS test failed"),
	EXPLAIN_E(7, 20, "no passing DKIM signature found",
	    "no passing DKIM signature"),
	EXPLAIN_E(7, 21, "no acceptable DKIM signature found",
	    "no acceptable DKIM signature"),
	EXPLAIN_E(7, 22, "no valid author-matched DKIM signature found",
	    "no author-matched DKIM signature"),
	EXPLAIN_E(7, 23, "SPF validation failed", "SPF validation failed"),
	EXPLAIN_E(7, 24, "SPF validation error", "SPF validation error"),
	EXPLAIN_E(7, 25, "reverse DNS validation failed",
	    "reverse DNS validation failed"),
	EXPLAIN_E(7, 26, "multiple authentication checks failed",
	    "sender authentication failed"),
	EXPLAIN_E(7, 27, "sender address has null MX", "sender domain has null MX"),
	EXPLAIN_E(7, 29, "ARC validation failure", "ARC validation failed"),
	EXPLAIN_E(7, 30, "REQUIRETLS support required", "REQUIRETLS not supported"),
	EXPLAIN_SUBJECT(7, "security or policy status"),
};


/* Parse "c.s.d" (class 2, 4 or 5; 1-3 digit subject and detail); 0 if it is one. */
int
explain_parse(const char *s, int *cls, int *subject, int *detail)
{
	int	*parts[2] = { subject, detail };
	int	 i, n;

	if (s == NULL || (s[0] != '2' && s[0] != '4' && s[0] != '5') ||
	    s[1] != '.')
		return (-1);
	*cls = s[0] - '0';
	s += 2;
	for (i = 0; i < 2; i++) {
		*parts[i] = 0;
		for (n = 0; n < 3 && *s >= '0' && *s <= '9'; n++, s++)
			*parts[i] = *parts[i] * 10 + (*s - '0');
		if (n == 0 || (*s >= '0' && *s <= '9'))
			return (-1);
		if (i == 0 && *s++ != '.')
			return (-1);
	}
	if (*s != '\0' && *s != ' ' && *s != '\t')
		return (-1);
	return (0);
}

static const struct explain_basic *
explain_find_basic(int code)
{
	size_t	i;

	for (i = 0; i < nitems(explain_basics); i++) {
		if (explain_basics[i].code == code)
			return (&explain_basics[i]);
	}
	return (NULL);
}

/* The exact entry, else its subject's fallback, else NULL. */
static const struct explain_enhanced *
explain_find_enhanced(int subject, int detail)
{
	const struct explain_enhanced	*any = NULL;
	size_t				 i;

	for (i = 0; i < nitems(explain_enhanceds); i++) {
		if (explain_enhanceds[i].subject != subject)
			continue;
		if (explain_enhanceds[i].detail == detail)
			return (&explain_enhanceds[i]);
		if (explain_enhanceds[i].detail == -1)
			any = &explain_enhanceds[i];
	}
	return (any);
}

static int
explain_class_index(int cls)
{
	return (cls == 2 ? 0 : cls == 4 ? 1 : 2);
}

static int
explain_is(const char *verb, const char *want)
{
	return (verb != NULL && strcasecmp(verb, want) == 0);
}

/* What the codes alone say: the explain_reply() of before the rule table. */
static void
explain_codes(int code, const char *enhanced, const char *verb, struct explain *out)
{
	const struct explain_basic	*b;
	const struct explain_enhanced	*e = NULL;
	int				 cls, sub = -1, det = -1;

	memset(out, 0, sizeof *out);
	if (code < 200 || code > 599)
		return;

	if ((b = explain_find_basic(code)) != NULL)
		out->basic = b->text;
	if (code == 220 && explain_is(verb, "STARTTLS"))
		out->basic = explain_220_tls;
	else if (code == 250 && explain_is(verb, "."))
		out->basic = explain_250_data;
	else if (code == 454 && explain_is(verb, "STARTTLS"))
		out->basic = explain_454_tls;
	else if (code == 454 && explain_is(verb, "AUTH"))
		out->basic = explain_454_auth;
	else if (code == 554 && verb != NULL && *verb == '\0')
		out->basic = explain_554_greeting;

	if (explain_parse(enhanced, &cls, &sub, &det) == 0 &&
	    (e = explain_find_enhanced(sub, det)) != NULL)
		out->enhanced = e->text[explain_class_index(cls)];
	/* A code of the wrong class says the server is confused; do not advise on it. */
	if (e == NULL || cls != code / 100)
		sub = det = -1;
	out->hint = explain_advice(code, sub, det, verb);
}

/* The note from the codes alone, and the command answered (verb as for explain_reply()). */
static const char *
explain_short_codes(int code, const char *enhanced, const char *verb)
{
	const struct explain_basic	*b;
	const struct explain_enhanced	*e;
	int				 cls, sub, det;

	if (code < 200 || code > 599)
		return (NULL);
	if (explain_parse(enhanced, &cls, &sub, &det) != 0 || cls != code / 100)
		cls = sub = det = -1;

	/*
	 * A 220 is the greeting or STARTTLS's go-ahead, whatever words or codes a server
	 * puts in it: the same note for the same step on every server. Enhanced codes
	 * come after STARTTLS but never in a greeting (RFC 2034): with no command
	 * known, one says which.
	 */
	if (code == 220) {
		if (verb != NULL && *verb == '\0')
			return ("greeting: ready");
		if (explain_is(verb, "STARTTLS") || (verb == NULL && cls == 2))
			return ("start TLS now");
		return ("service ready");
	}
	if (cls == 2) {
		if (sub == 1 && det == 0)
			return ("sender ok");
		if (sub == 1 && det == 5)
			return ("recipient ok");
		if (sub == 6 && det == 0)
			return ("message accepted");
	} else if (cls != -1) {
		/* 530 and 454 say more about an x.7.0 than the x.7.0 does. */
		if (sub == 7 && det == 0 && code != 530 && code != 454)
			return ("security policy (STARTTLS first?)");
		if (sub == 7 && det == 1 && cls == 4 && (code == 450 || code == 451))
			return ("try again later (greylisting?)");
		if ((e = explain_find_enhanced(sub, det)) != NULL &&
		    e->detail != -1 && e->shrt != NULL)
			return (e->shrt);
	}
	if ((b = explain_find_basic(code)) != NULL)
		return (b->shrt);
	return (NULL);
}

/* Notes from the codes that say STARTTLS or "log in", and what fits the state. */
static const struct explain_swap explain_short_swaps[] = {
	{ "security policy (STARTTLS first?)", "security policy refusal",
	  "security policy refusal", NULL },
	{ "encryption needed: STARTTLS first", "encryption needed",
	  "encryption needed (no STARTTLS here)", NULL },
	{ "auth or TLS required first", "login required (AUTH first)",
	  "login required (AUTH first)", NULL },
};

void
explain_reply_text(int code, const char *enhanced, const char *text,
    const struct explain_state *st, struct explain *out)
{
	struct explain_verdict	v;

	explain_codes(code, enhanced, st != NULL ? st->verb : NULL, out);
	if (code < 200 || code > 599)
		return;
	if (explain_match(code, enhanced, text, st, &v)) {
		out->hint = v.hint;
		out->tag = v.tag;
		out->cause = v.cause;
		out->next = v.next;
		out->rule = v.rule;
		return;
	}
	out->hint = explain_advice_in_state(out->hint, st);
	out->next = out->hint;
	out->tag = explain_short_text(code, enhanced, text, st);
}

void
explain_reply(int code, const char *enhanced, const char *verb, struct explain *out)
{
	struct explain_state	st = EXPLAIN_STATE_UNKNOWN;

	st.verb = verb;
	explain_reply_text(code, enhanced, NULL, &st, out);
}

const char *
explain_short_text(int code, const char *enhanced, const char *text,
    const struct explain_state *st)
{
	struct explain_verdict	v;

	if (explain_match(code, enhanced, text, st, &v))
		return (v.tag);
	return (explain_advice_swap(explain_short_swaps, nitems(explain_short_swaps),
	    explain_short_codes(code, enhanced, st != NULL ? st->verb : NULL), st));
}

const char *
explain_short(int code, const char *enhanced)
{
	return (explain_short_text(code, enhanced, NULL, NULL));
}

int
explain_rule_info(size_t i, struct explain_verdict *out)
{
	memset(out, 0, sizeof *out);
	if (i >= explain_rules_n)
		return (-1);
	explain_match_fill(&explain_rules[i], out);
	return (0);
}
