/* Unit tests of the reply code explanations: coverage, hints, and no crash on junk. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "unit.h"

/* Whether s contains word, ignoring case; NULL contains nothing. */
static int
contains(const char *s, const char *word)
{
	size_t	i, n = strlen(word);

	if (s == NULL)
		return (0);
	for (; *s != '\0'; s++) {
		for (i = 0; i < n; i++) {
			if (s[i] == '\0' || tolower((unsigned char)s[i]) !=
			    tolower((unsigned char)word[i]))
				break;
		}
		if (i == n)
			return (1);
	}
	return (0);
}

/* Whether s begins with prefix. */
static int
starts(const char *s, const char *prefix)
{
	return (s != NULL && strncmp(s, prefix, strlen(prefix)) == 0);
}

/* RFC 5321 4.2.2-4.2.3, with the AUTH and STARTTLS additions. */
static const int basic_codes[] = {
	211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 432, 450, 451,
	452, 454, 455, 500, 501, 502, 503, 504, 521, 530, 534, 535, 538, 550,
	551, 552, 553, 554, 555, 556
};

static void
test_basic(void)
{
	struct explain	ex;
	char		want[8];
	size_t		i;

	for (i = 0; i < sizeof basic_codes / sizeof basic_codes[0]; i++) {
		snprintf(want, sizeof want, "%d: ", basic_codes[i]);
		explain_reply(basic_codes[i], NULL, NULL, &ex);
		CHECK(starts(ex.basic, want) && strlen(ex.basic) > 6);
		if (!starts(ex.basic, want))
			printf("  code %d: \"%s\"\n", basic_codes[i],
			    ex.basic ? ex.basic : "(null)");
		CHECK(ex.enhanced == NULL);
		explain_reply(basic_codes[i], NULL, "", &ex);
		CHECK(starts(ex.basic, want));
	}
	explain_reply(250, NULL, "MAIL", &ex);
	CHECK(starts(ex.basic, "250: requested action completed"));
	explain_reply(535, NULL, "AUTH", &ex);
	CHECK(starts(ex.basic, "535: ") && contains(ex.basic, "credentials invalid"));

	/* Texts that depend on the command. */
	explain_reply(220, "2.0.0", "STARTTLS", &ex);
	CHECK(starts(ex.basic, "220: ") && contains(ex.basic, "TLS"));
	explain_reply(554, NULL, "", &ex);
	CHECK(starts(ex.basic, "554: ") && contains(ex.basic, "no SMTP service"));
	explain_reply(554, NULL, "RCPT", &ex);
	CHECK(starts(ex.basic, "554: transaction failed"));
	explain_reply(454, NULL, "STARTTLS", &ex);
	CHECK(starts(ex.basic, "454: ") && contains(ex.basic, "TLS not available"));
	explain_reply(454, NULL, "AUTH", &ex);
	CHECK(starts(ex.basic, "454: ") && contains(ex.basic, "authentication"));
	explain_reply(250, "2.0.0", ".", &ex);
	CHECK(starts(ex.basic, "250: ") && contains(ex.basic, "accepted"));

	/* Unknown codes. */
	{
		static const int	 bad[] = { INT_MIN, -250, -1, 0, 1, 99, 199,
		    600, 999, 1000, 2500, INT_MAX };
		static const int	 unlisted[] = { 222, 299, 300, 399, 499, 599 };

		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			explain_reply(bad[i], "5.7.1", "RCPT", &ex);
			CHECK(ex.basic == NULL && ex.enhanced == NULL &&
			    ex.hint == NULL);
			CHECK(explain_short(bad[i], NULL) == NULL);
			CHECK(explain_short(bad[i], "5.7.1") == NULL);
		}
		/* In a reply class but not defined: only an enhanced code helps. */
		for (i = 0; i < sizeof unlisted / sizeof unlisted[0]; i++) {
			explain_reply(unlisted[i], NULL, NULL, &ex);
			CHECK(ex.basic == NULL && ex.enhanced == NULL &&
			    ex.hint == NULL);
			CHECK(explain_short(unlisted[i], NULL) == NULL);
		}
		CHECK(contains(explain_short(599, "5.7.1"), "relay denied"));
	}
}

static void
test_enhanced(void)
{
	/* RFC 3463 (and RFC 5248 registry) details per subject that must be known. */
	static const int	 last[8] = { 0, 10, 4, 5, 7, 6, 5, 27 };
	static const char	*bad[] = { "", "5", "5.", "5.7", "5.7.", "5..8", ".7.8",
	    "3.7.8", "1.1.1", "9.9.9", "5.8.1", "5.9.0", "5.1234.1", "5.7.1234",
	    "5.7.8.1", "5.7.8x", "x.7.8", "5,7,8", " 5.7.8", "5.-7.8",
	    "5.7.-8" };
	static const char	 classword[3][32] = { "(success)",
	    "(persistent transient failure)", "(permanent failure)" };
	static const int	 classes[3] = { 2, 4, 5 };
	struct explain		 ex;
	char			 code[16], prefix[24];
	int			 c, s, d;
	size_t			 i;

	for (c = 0; c < 3; c++) {
		for (s = 0; s < 8; s++) {
			for (d = 0; d <= last[s]; d++) {
				snprintf(code, sizeof code, "%d.%d.%d", classes[c], s,
				    d);
				snprintf(prefix, sizeof prefix, "%s: ", code);
				explain_reply(classes[c] * 100 + 50, code, NULL, &ex);
				if (starts(ex.enhanced, prefix) &&
				    contains(ex.enhanced, classword[c]) &&
				    !contains(ex.enhanced, "unlisted"))
					unit_passed++;
				else {
					unit_failed++;
					printf("%s:%d: FAILED: %s gave \"%s\"\n",
					    __FILE__, __LINE__, code, ex.enhanced ?
					    ex.enhanced : "(null)");
				}
			}
		}
	}

	/* Selected texts. */
	explain_reply(535, "5.7.8", "AUTH", &ex);
	CHECK(starts(ex.enhanced, "5.7.8: authentication credentials invalid"));
	CHECK(contains(ex.enhanced, "permanent failure"));
	explain_reply(534, "5.7.9", "AUTH", &ex);
	CHECK(starts(ex.enhanced, "5.7.9: ") && contains(ex.enhanced, "too weak"));
	explain_reply(530, "5.7.10", "MAIL", &ex);
	CHECK(starts(ex.enhanced, "5.7.10: ") &&
	    contains(ex.enhanced, "encryption needed"));
	explain_reply(538, "5.7.11", "AUTH", &ex);
	CHECK(starts(ex.enhanced, "5.7.11: ") &&
	    contains(ex.enhanced, "encryption required"));
	explain_reply(550, "5.7.1", "RCPT", &ex);
	CHECK(starts(ex.enhanced, "5.7.1: ") &&
	    contains(ex.enhanced, "not authorized"));
	explain_reply(550, "5.7.0", "MAIL", &ex);
	CHECK(starts(ex.enhanced, "5.7.0: ") && contains(ex.enhanced, "security"));
	explain_reply(450, "4.7.1", "RCPT", &ex);
	CHECK(starts(ex.enhanced, "4.7.1: ") &&
	    contains(ex.enhanced, "persistent transient failure"));
	explain_reply(250, "2.1.5", "RCPT", &ex);
	CHECK(starts(ex.enhanced, "2.1.5: destination address valid (success)"));
	explain_reply(550, "5.1.1", "RCPT", &ex);
	CHECK(starts(ex.enhanced, "5.1.1: bad destination mailbox address"));
	explain_reply(550, "5.1.10", "RCPT", &ex);
	CHECK(starts(ex.enhanced, "5.1.10: ") && contains(ex.enhanced, "null MX"));
	explain_reply(552, "5.3.4", ".", &ex);
	CHECK(starts(ex.enhanced, "5.3.4: message too big for system"));
	explain_reply(550, "5.7.27", "MAIL", &ex);
	CHECK(starts(ex.enhanced, "5.7.27: ") && contains(ex.enhanced, "null MX"));
	explain_reply(451, "4.4.7", ".", &ex);
	CHECK(starts(ex.enhanced, "4.4.7: delivery time expired"));
	explain_reply(550, "5.0.0", NULL, &ex);
	CHECK(starts(ex.enhanced, "5.0.0: other undefined status"));
	explain_reply(250, "2.0.0 Ok", NULL, &ex);
	CHECK(starts(ex.enhanced, "2.0.0: "));

	/* A detail not in the registry falls back to its subject. */
	explain_reply(550, "5.7.99", NULL, &ex);
	CHECK(starts(ex.enhanced, "5.7.x: unlisted security"));
	explain_reply(450, "4.2.999", NULL, &ex);
	CHECK(starts(ex.enhanced, "4.2.x: unlisted mailbox"));

	/* Malformed or unknown: NULL, no crash. */
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		explain_reply(550, bad[i], "RCPT", &ex);
		CHECK(ex.enhanced == NULL);
		if (ex.enhanced != NULL)
			printf("  \"%s\" gave \"%s\"\n", bad[i], ex.enhanced);
		CHECK(ex.basic != NULL);
		CHECK(explain_short(550, bad[i]) != NULL);
	}
}

struct hint_case {
	int		 line;
	int		 code;
	const char	*enhanced;
	const char	*verb;
	const char	*word;		/* NULL: no hint wanted */
};

static const struct hint_case hint_cases[] = {
	/* TLS first. */
	{ __LINE__, 530, NULL, "AUTH", "STARTTLS" },
	{ __LINE__, 530, NULL, "MAIL", "STARTTLS" },
	{ __LINE__, 530, "5.7.0", "MAIL", "STARTTLS" },
	{ __LINE__, 530, "5.7.0", "AUTH", "STARTTLS" },
	{ __LINE__, 530, "5.7.0", "RCPT", "STARTTLS" },
	{ __LINE__, 554, "5.7.0", "AUTH", "STARTTLS" },
	{ __LINE__, 550, "5.7.0", "MAIL", "STARTTLS" },
	{ __LINE__, 554, "5.7.10", "MAIL", "STARTTLS" },
	{ __LINE__, 530, "5.7.11", "AUTH", "STARTTLS" },
	{ __LINE__, 538, "5.7.11", "AUTH", "STARTTLS" },
	{ __LINE__, 538, NULL, "AUTH", "STARTTLS" },
	{ __LINE__, 450, "4.7.0", "MAIL", "STARTTLS" },
	{ __LINE__, 451, "4.7.0", NULL, "STARTTLS" },
	{ __LINE__, 450, "4.7.0", "AUTH", "STARTTLS" },
	/* TLS not available. */
	{ __LINE__, 454, "4.7.0", "STARTTLS", "TLS is not available" },
	{ __LINE__, 454, NULL, "STARTTLS", "TLS is not available" },
	{ __LINE__, 502, NULL, "STARTTLS", "does not offer STARTTLS" },
	{ __LINE__, 501, "5.5.4", "STARTTLS", "no arguments" },
	/* Credentials and mechanisms. */
	{ __LINE__, 535, NULL, "AUTH", "password" },
	{ __LINE__, 535, "5.7.8", "AUTH", "app password" },
	{ __LINE__, 535, "5.7.8", NULL, "password" },
	{ __LINE__, 554, "5.7.8", "AUTH", "password" },
	{ __LINE__, 534, NULL, "AUTH", "mechanism" },
	{ __LINE__, 534, "5.7.9", "AUTH", "mechanism" },
	{ __LINE__, 454, "4.7.0", "AUTH", "try again" },
	{ __LINE__, 454, NULL, "AUTH", "password" },
	{ __LINE__, 432, "4.7.12", "AUTH", "PLAIN" },
	{ __LINE__, 535, "5.7.13", "AUTH", "password" },
	{ __LINE__, 550, "5.7.13", "MAIL", "disabled" },
	{ __LINE__, 504, "5.5.4", "AUTH", "mechanism" },
	{ __LINE__, 502, NULL, "AUTH", "EHLO" },
	{ __LINE__, 500, "5.5.6", "AUTH", "too long" },
	{ __LINE__, 501, "5.5.2", "AUTH", "base64" },
	/* Relaying. */
	{ __LINE__, 550, "5.7.1", "RCPT", "relay" },
	{ __LINE__, 554, "5.7.1", "RCPT", "relay" },
	{ __LINE__, 554, "5.7.1", NULL, "relay" },
	{ __LINE__, 550, "5.7.1", NULL, "relay" },
	{ __LINE__, 454, "4.7.1", "RCPT", "relay" },
	{ __LINE__, 550, NULL, "RCPT", "relay" },
	{ __LINE__, 550, NULL, "RCPT", "mailbox" },
	{ __LINE__, 554, NULL, "RCPT", "relay" },
	{ __LINE__, 550, "5.7.1", "MAIL", "AUTH" },
	{ __LINE__, 554, "5.7.1", ".", "spam" },
	{ __LINE__, 550, "5.7.23", ".", "SPF" },
	{ __LINE__, 550, "5.7.26", "RCPT", "DKIM" },
	/* Mailboxes and addresses. */
	{ __LINE__, 550, "5.1.1", "RCPT", "mailbox" },
	{ __LINE__, 550, "5.1.1", NULL, "check the recipient address" },
	{ __LINE__, 553, "5.1.3", "RCPT", "angle brackets" },
	{ __LINE__, 553, NULL, "MAIL", "mailbox name" },
	{ __LINE__, 550, "5.1.10", "RCPT", "null MX" },
	{ __LINE__, 551, NULL, "RCPT", "moved" },
	{ __LINE__, 553, "5.1.7", "MAIL", "MAIL FROM:<" },
	/* Order and syntax. */
	{ __LINE__, 503, NULL, "MAIL", "sequence" },
	{ __LINE__, 503, "5.5.1", "DATA", "sequence" },
	{ __LINE__, 503, NULL, NULL, "sequence" },
	{ __LINE__, 503, "5.5.1", "AUTH", "sequence" },
	{ __LINE__, 500, NULL, "EHLO", "typo" },
	{ __LINE__, 500, "5.5.1", NULL, "typo" },
	{ __LINE__, 502, "5.5.1", "VRFY", "support" },
	{ __LINE__, 502, NULL, "TURN", "support" },
	{ __LINE__, 501, NULL, "MAIL", "angle brackets" },
	{ __LINE__, 501, "5.5.4", "RCPT", "syntax" },
	{ __LINE__, 501, "5.1.7", "MAIL", "angle brackets" },
	{ __LINE__, 501, NULL, NULL, "no space after the colon" },
	{ __LINE__, 501, "5.5.2", "EHLO", "host name" },
	{ __LINE__, 504, "5.5.4", "MAIL", "parameter" },
	{ __LINE__, 555, "5.5.4", "MAIL", "parameter" },
	{ __LINE__, 554, "5.5.1", "DATA", "RCPT TO" },
	/* Temporary failures. */
	{ __LINE__, 421, NULL, "MAIL", "closing" },
	{ __LINE__, 421, "4.4.2", NULL, "closing" },
	{ __LINE__, 421, NULL, "", "closing" },
	{ __LINE__, 450, "4.7.1", "RCPT", "greylist" },
	{ __LINE__, 451, "4.7.1", "RCPT", "greylist" },
	{ __LINE__, 451, "4.7.1", "DATA", "few minutes" },
	{ __LINE__, 450, NULL, "RCPT", "try again" },
	{ __LINE__, 451, NULL, ".", "greylist" },
	{ __LINE__, 451, "4.3.0", ".", "try again" },
	{ __LINE__, 455, NULL, "MAIL", "parameters" },
	/* Sizes and limits. */
	{ __LINE__, 452, NULL, "RCPT", "SIZE" },
	{ __LINE__, 452, NULL, "RCPT", "recipients" },
	{ __LINE__, 452, "4.5.3", "RCPT", "recipients" },
	{ __LINE__, 452, "4.3.1", "MAIL", "SIZE" },
	{ __LINE__, 552, NULL, ".", "SIZE" },
	{ __LINE__, 552, "5.3.4", "MAIL", "SIZE" },
	{ __LINE__, 552, "5.2.3", ".", "SIZE" },
	{ __LINE__, 552, NULL, "MAIL", "mailbox" },
	{ __LINE__, 552, "5.2.2", "RCPT", "mailbox is full" },
	{ __LINE__, 452, "4.2.2", "RCPT", "mailbox is full" },
	{ __LINE__, 550, "5.2.1", "RCPT", "disabled" },
	/* The greeting and hosts that take no mail. */
	{ __LINE__, 554, NULL, "", "blocklist" },
	{ __LINE__, 554, "5.7.1", "", "blocklist" },
	{ __LINE__, 550, NULL, "", "blocklist" },
	{ __LINE__, 521, NULL, "", "does not accept mail" },
	{ __LINE__, 521, "5.3.2", NULL, "does not accept mail" },
	{ __LINE__, 556, "5.1.10", "RCPT", "accepts no mail" },
	{ __LINE__, 556, NULL, NULL, "accepts no mail" },
	/* Positive replies need no advice, but 334 and 354 say what comes next. */
	{ __LINE__, 250, NULL, "MAIL", NULL },
	{ __LINE__, 250, "2.1.5", "RCPT", NULL },
	{ __LINE__, 235, "2.7.0", "AUTH", NULL },
	{ __LINE__, 220, NULL, "", NULL },
	{ __LINE__, 221, "2.0.0", "QUIT", NULL },
	{ __LINE__, 334, NULL, "AUTH", "base64" },
	{ __LINE__, 354, NULL, "DATA", "single dot" },
	/* A class that disagrees with the code is not trusted. */
	{ __LINE__, 250, "5.7.1", "RCPT", NULL },
	{ __LINE__, 550, "2.1.5", "VRFY", NULL },
};

static void
test_hints(void)
{
	const struct hint_case	*h;
	struct explain		 ex;
	size_t			 i;

	for (i = 0; i < sizeof hint_cases / sizeof hint_cases[0]; i++) {
		h = &hint_cases[i];
		explain_reply(h->code, h->enhanced, h->verb, &ex);
		if (h->word == NULL ? ex.hint == NULL : contains(ex.hint, h->word))
			unit_passed++;
		else {
			unit_failed++;
			printf("%s:%d: FAILED: %d %s after %s: want %s%s%s, got "
			    "\"%s\"\n", __FILE__, h->line, h->code,
			    h->enhanced ? h->enhanced : "-",
			    h->verb ? (*h->verb ? h->verb : "greeting") : "?",
			    h->word ? "\"" : "", h->word ? h->word : "no hint",
			    h->word ? "\"" : "", ex.hint ? ex.hint : "(null)");
		}
	}
}

static void
test_short(void)
{
	static const char	*verbs[] = { NULL, "", "EHLO", "HELO", "AUTH",
	    "STARTTLS", "MAIL", "RCPT", "DATA", ".", "QUIT", "VRFY", "x" };
	static const int	 classes[3] = { 2, 4, 5 };
	struct explain		 ex;
	const char		*s;
	char			 code[16];
	size_t			 longest = 0, v;
	int			 c, sub, det, n, bad = 0;

	/* Every code with no enhanced code and every plausible enhanced code. */
	for (n = 0; n <= 1000; n++) {
		if ((s = explain_short(n, NULL)) != NULL && strlen(s) > longest)
			longest = strlen(s);
		if (s != NULL && strlen(s) > 40 && bad++ < 5)
			printf("  %d: \"%s\" is too long\n", n, s);
	}
	for (n = 200; n < 600; n++) {
		for (c = 0; c < 3; c++) {
			for (sub = 0; sub <= 9; sub++) {
				for (det = 0; det <= 31; det++) {
					snprintf(code, sizeof code, "%d.%d.%d",
					    classes[c], sub, det);
					s = explain_short(n, code);
					if (s != NULL && strlen(s) > longest)
						longest = strlen(s);
					if (s != NULL && strlen(s) > 40 && bad++ < 5)
						printf("  %d %s: \"%s\" is too long\n",
						    n, code, s);
					/* And the full explanation never crashes. */
					explain_reply(n, code,
					    verbs[(n + det) % 13], &ex);
				}
			}
		}
	}
	CHECK(bad == 0);
	CHECK(longest > 0 && longest <= 40);
	for (v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
		for (n = -1; n <= 1000; n++)
			explain_reply(n, NULL, verbs[v], &ex);
	}

	/* The notes the transcript shows most. */
	CHECK(contains(explain_short(535, "5.7.8"), "auth failed: bad credentials"));
	CHECK(contains(explain_short(535, NULL), "auth failed: bad credentials"));
	CHECK(contains(explain_short(550, "5.7.1"), "relay denied"));
	CHECK(contains(explain_short(554, "5.7.1"), "relay denied"));
	CHECK(contains(explain_short(550, "5.1.1"), "mailbox unknown"));
	CHECK(contains(explain_short(220, "2.0.0"), "start TLS now"));
	CHECK(contains(explain_short(220, NULL), "ready"));
	CHECK(contains(explain_short(354, NULL), "go ahead: send the message"));
	CHECK(contains(explain_short(530, "5.7.0"), "TLS"));
	CHECK(contains(explain_short(450, "4.7.0"), "STARTTLS"));
	CHECK(contains(explain_short(450, "4.7.1"), "greylisting"));
	CHECK(contains(explain_short(534, "5.7.9"), "too weak"));
	CHECK(contains(explain_short(503, "5.5.1"), "sequence"));
	CHECK(contains(explain_short(552, "5.3.4"), "too big"));
	CHECK(contains(explain_short(452, "4.5.3"), "too many recipients"));
	CHECK(contains(explain_short(250, "2.1.5"), "recipient ok"));
	CHECK(contains(explain_short(250, "2.1.0"), "sender ok"));
	CHECK(contains(explain_short(235, "2.7.0"), "logged in"));
	CHECK(explain_short(250, NULL) == NULL);
	CHECK(explain_short(250, "2.0.0") == NULL);
	/* The wrong class is ignored: the reply code speaks. */
	CHECK(contains(explain_short(550, "2.1.5"), "mailbox unavailable"));
	CHECK(explain_short(250, "5.7.1") == NULL);
}

int
main(void)
{
	test_basic();
	test_enhanced();
	test_hints();
	test_short();
	return (unit_done());
}
