/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Unit tests of the reply explanations: coverage of the codes, hints, the rule table
 * with the providers' own texts, state-aware advice, and no crash on junk.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "explain-hint.h"
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

/*
 * Rules: the providers' own texts. State: tls, authed, starttls offered (1, 0, -1:
 * not known) and the command answered.
 */
struct rule_case {
	int		 line;
	int		 code;
	const char	*enhanced;
	const char	*text;
	int		 tls, authed, stls;
	const char	*verb;
	const char	*rule;		/* the rule that must win */
	const char	*tag;		/* words each must hold */
	const char	*cause;
	const char	*next;
	const char	*never;		/* wrong advice: in neither cause nor next */
};

#define U	-1, -1, -1		/* a state that knows nothing */
#define PLAIN	0, 0, 1			/* before STARTTLS, which is offered */
#define TLS	1, 0, 1			/* TLS up, not logged in */
#define AUTHED	1, 1, 1			/* TLS up and logged in */
#define BARE	0, 0, 0			/* no TLS and no STARTTLS offered */

static const struct rule_case rule_cases[] = {
	/* Microsoft 365. */
	{ __LINE__, 535, "5.7.139", "5.7.139 Authentication unsuccessful, "
	  "SmtpClientAuthentication is disabled for the Tenant. Visit "
	  "https://aka.ms/smtp_auth_disabled for more information. "
	  "[AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2024-01-01T00:00:00.000Z "
	  "08DC0000000000]", TLS, "AUTH", "ms365-smtp-auth-disabled",
	  "SMTP AUTH disabled", "turned off for the tenant or for this mailbox",
	  "SmtpClientAuthenticationDisabled $false", "password" },
	{ __LINE__, 535, "5.7.139", "5.7.139 Authentication unsuccessful, "
	  "SmtpClientAuthentication is disabled for the Mailbox. Visit "
	  "https://aka.ms/smtp_auth_disabled for more information.", U, NULL,
	  "ms365-smtp-auth-disabled", "tenant/mailbox", "SMTP AUTH", "XOAUTH2",
	  "password" },
	/* The same cause, told at MAIL FROM inside a 5.7.57. */
	{ __LINE__, 550, "5.7.57", "5.7.57 Client not authenticated to send mail. "
	  "Error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication "
	  "is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for "
	  "more information.", TLS, "MAIL", "ms365-smtp-auth-disabled",
	  "SMTP AUTH disabled", "turned off", "administrator", "password" },
	{ __LINE__, 535, "5.7.139", "5.7.139 Authentication unsuccessful, basic "
	  "authentication is disabled.", TLS, "AUTH", "ms365-basic-auth-disabled",
	  "OAuth", "basic authentication", "XOAUTH2", "check" },
	{ __LINE__, 535, "5.7.139", "5.7.139 Authentication unsuccessful, user is "
	  "locked by your organization's security defaults policy. Contact your "
	  "administrator.", TLS, "AUTH", "ms365-security-defaults",
	  "security defaults", "multi-factor", "Conditional Access", NULL },
	{ __LINE__, 535, "5.7.139", "5.7.139 Authentication unsuccessful, the "
	  "request did not meet the criteria to be authenticated successfully. "
	  "Contact your administrator.", TLS, "AUTH", "ms365-conditional-access",
	  "Conditional Access", "policy", "sign-in log", NULL },
	{ __LINE__, 535, "5.7.139", "5.7.139 Authentication unsuccessful, the user "
	  "credentials were incorrect. [SN4PR0501CA0001.namprd05.prod.outlook.com]",
	  TLS, "AUTH", "ms365-bad-credentials", "wrong user or password",
	  "user name or password", "full address", "disabled" },
	/* "/help 535 5.7.139": no text, so no single cause is claimed. */
	{ __LINE__, 535, "5.7.139", NULL, U, NULL, "ms365-5.7.139",
	  "Microsoft 365 refused", "SMTP AUTH is disabled", "administrator",
	  "bad credentials" },
	{ __LINE__, 530, "5.7.57", "5.7.57 Client not authenticated to send mail "
	  "during MAIL FROM [BN6PR01CA0001.namprd01.prod.outlook.com]", TLS, "MAIL",
	  "ms365-not-authenticated", "AUTH first", "not logged in",
	  "AUTH LOGIN", "STARTTLS" },
	{ __LINE__, 530, "5.7.57", "5.7.57 SMTP; Client was not authenticated to "
	  "send anonymous mail during MAIL FROM", PLAIN, "MAIL",
	  "ms365-not-authenticated-plain", "AUTH first", "logged-in users",
	  "send STARTTLS", NULL },
	{ __LINE__, 554, "5.2.252", "5.2.252 SendAsDenied; user@contoso.com not "
	  "allowed to send as other@contoso.com; "
	  "STOREDRV.Submission.Exception:SendAsDeniedException."
	  "MapiExceptionSendAsDenied; Failed to process message due to a permanent "
	  "exception with message Cannot submit message.", AUTHED, ".",
	  "ms365-send-as-denied", "send as", "Send As right", "own address",
	  "password" },
	{ __LINE__, 550, "5.7.606", "5.7.606 Access denied, banned sending IP "
	  "[192.0.2.1]. To request removal from this list please visit "
	  "https://sender.office.com/ and follow the directions.", U, "RCPT",
	  "ms365-banned-ip", "banned", "block list", "sender.office.com", NULL },
	{ __LINE__, 451, "4.7.500", "4.7.500 Server busy. Please try again later "
	  "from [192.0.2.1]. (S77714) [DM6NAM11FT001.eop-nam11.prod.protection."
	  "outlook.com]", U, "RCPT", "ms365-server-busy", "try later",
	  "throttling", "Retry later", "STARTTLS" },
	{ __LINE__, 550, "5.1.8", "5.1.8 Access denied, bad outbound sender", AUTHED,
	  "MAIL", "ms365-restricted-sender", "blocked from sending", "spam",
	  "Restricted entities", NULL },
	{ __LINE__, 554, "5.2.0", "5.2.0 STOREDRV.Submission.Exception:"
	  "OutboundSpamException; Failed to process message due to a permanent "
	  "exception with message WASCL UserAction verdict is not None.", AUTHED,
	  ".", "ms365-restricted-sender", "blocked", "stolen", "administrator",
	  NULL },
	{ __LINE__, 421, "4.7.66", "4.7.66 TLS 1.0 and 1.1 are not supported. "
	  "Please upgrade/update your client to support TLS 1.2. Visit "
	  "https://aka.ms/smtp_auth_tls.", TLS, "EHLO", "ms365-tls-version",
	  "1.2 needed", "1.0 or 1.1", "TLS 1.2 or newer", "STARTTLS" },
	{ __LINE__, 550, "5.4.1", "5.4.1 Recipient address rejected: Access "
	  "denied. AS(201806281) [DB5EUR01FT001.eop-EUR01.prod.protection."
	  "outlook.com]", U, "RCPT", "ms365-recipient-not-found",
	  "recipient unknown", "directory-based edge blocking", "Check the address",
	  "relay" },
	{ __LINE__, 550, "5.1.10", "5.1.10 RESOLVER.ADR.RecipientNotFound; "
	  "Recipient not found by SMTP address lookup", U, "RCPT",
	  "ms365-recipientnotfound", "no such mailbox", "no mailbox", "typos",
	  NULL },
	/* Exchange Server. */
	{ __LINE__, 530, "5.7.1", "5.7.1 Client was not authenticated", TLS, "MAIL",
	  "exchange-not-authenticated", "AUTH first", "receive connector",
	  "Log in with AUTH", "STARTTLS" },
	{ __LINE__, 550, "5.7.60", "5.7.60 SMTP; Client does not have permissions "
	  "to send as this sender", AUTHED, "MAIL", "exchange-send-as", "send as",
	  "Send As right", "grant Send As", "password" },
	{ __LINE__, 535, "5.7.3", "5.7.3 Authentication unsuccessful", TLS, "AUTH",
	  "exchange-5.7.3", "Exchange: login refused", "any failed login",
	  "DOMAIN\\user", "conversion impossible" },
	{ __LINE__, 535, "5.7.3", NULL, U, NULL, "exchange-5.7.3", "login refused",
	  "not RFC 3463", "receive connector", "conversion impossible" },
	{ __LINE__, 550, "5.7.54", "5.7.54 SMTP; Unable to relay recipient in "
	  "non-accepted domain", U, "RCPT", "exchange-unable-to-relay",
	  "domain not accepted", "not one this Exchange organization accepts",
	  "relay connector", NULL },
	{ __LINE__, 451, "4.7.0", "4.7.0 Temporary server error. Please try again "
	  "later. PRX4", PLAIN, "RCPT", "exchange-prx", "temporary server error",
	  "server's side", "Try again later", "STARTTLS" },
	{ __LINE__, 550, "5.7.1", "5.7.1 Unfortunately, messages from [192.0.2.1] "
	  "weren't sent. Please contact your Internet service provider since part "
	  "of their network is on our block list (S3150). You can also refer your "
	  "provider to http://mail.live.com/mail/troubleshooting.aspx#errors.", U,
	  "RCPT", "outlook-block-list", "block list", "network your IP",
	  "submission server", NULL },
	/* Gmail and Google Workspace. */
	{ __LINE__, 535, "5.7.8", "535-5.7.8 Username and Password not accepted. "
	  "For more information, go to\n535 5.7.8  "
	  "https://support.google.com/mail/?p=BadCredentials "
	  "d2-20020a05600c000000b000000000000sm0000000wmb.0 - gsmtp", TLS, "AUTH",
	  "gmail-bad-credentials", "user name/password", "2-Step Verification",
	  "app password", NULL },
	{ __LINE__, 534, "5.7.9", "534-5.7.9 Application-specific password "
	  "required. Learn more at\n534 5.7.9  "
	  "https://support.google.com/mail/?p=InvalidSecondFactor "
	  "a1sm000000wrx.00 - gsmtp", TLS, "AUTH", "gmail-app-password",
	  "app password", "2-Step Verification", "App passwords", "too weak" },
	{ __LINE__, 534, "5.7.14", "534-5.7.14 <https://accounts.google.com/signin/"
	  "continue?sarp=1&scc=1&plt=AKgnsbt> Please log in via your web browser "
	  "and\n534-5.7.14 then try again.\n534-5.7.14  Learn more at\n534 5.7.14  "
	  "https://support.google.com/mail/answer/78754 - gsmtp", TLS, "AUTH",
	  "gmail-web-login", "browser", "unusual", "accounts.google.com", NULL },
	{ __LINE__, 454, "4.7.0", "454-4.7.0 Too many login attempts, please try "
	  "again later. Learn more at\n454 4.7.0  "
	  "https://support.google.com/mail/answer/7126229 - gsmtp", TLS, "AUTH",
	  "too-many-logins", "too many login", "repeated failed logins", "Wait",
	  "STARTTLS" },
	{ __LINE__, 530, "5.7.0", "530-5.7.0 Authentication Required. Learn more "
	  "at\n530 5.7.0  https://support.google.com/mail/?p=WantAuthError "
	  "x1sm000000wmb.0 - gsmtp", TLS, "MAIL", "auth-required", "login required",
	  "not logged in", "Log in with AUTH", "STARTTLS" },
	{ __LINE__, 530, "5.7.0", "5.7.0 Authentication Required.", U, "MAIL",
	  "auth-required-plain", "login required", "logged-in users",
	  "If TLS is not up yet", NULL },
	{ __LINE__, 530, "5.7.0", "5.7.0 Authentication required", BARE, "MAIL",
	  "auth-required-no-starttls", "login required", "logged-in users",
	  "--tls", "send STARTTLS" },
	{ __LINE__, 530, "5.7.0", "5.7.0 Authentication required", AUTHED, "MAIL",
	  "auth-required-authed", "though logged in", "has logged in",
	  "MAIL FROM", "STARTTLS" },
	{ __LINE__, 421, "4.7.0", "421-4.7.0 [192.0.2.1      15] Our system has "
	  "detected an unusual rate of\n421-4.7.0 unsolicited mail originating from "
	  "your IP address. To protect our\n421-4.7.0 users from spam, mail sent "
	  "from your IP address has been temporarily\n421-4.7.0 rate limited. "
	  "Please visit\n421-4.7.0  https://support.google.com/mail/"
	  "?p=UnsolicitedRateLimitError "
	  "to\n421 4.7.0 review our Bulk Email Senders Guidelines. "
	  "a1si000000qkb.0 - gsmtp", U, "RCPT", "gmail-unusual-rate",
	  "rate limited", "unwanted mail", "retry later", "STARTTLS" },
	{ __LINE__, 421, "4.7.28", "421-4.7.28 [192.0.2.1      15] Our system has "
	  "detected an unusual rate of\n421-4.7.28 unsolicited mail originating "
	  "from your IP address. To protect our\n421-4.7.28 users from spam, mail "
	  "sent from your IP address has been temporarily\n421 4.7.28 rate "
	  "limited. - gsmtp", U, ".", "gmail-unusual-rate", "rate limited",
	  "slows it down", "slower", NULL },
	{ __LINE__, 452, "4.2.1", "452-4.2.1 The user you are trying to contact is "
	  "receiving mail at a rate that\n452-4.2.1 prevents additional messages "
	  "from being delivered. Please resend your\n452 4.2.1 message at a later "
	  "time. - gsmtp", U, "RCPT", "gmail-receiving-rate", "too much mail",
	  "not about you", "later", NULL },
	{ __LINE__, 550, "5.4.5", "550 5.4.5 Daily user sending limit exceeded. "
	  "For more information on Gmail sending limits go to\n550 5.4.5  "
	  "https://support.google.com/a/answer/166852 - gsmtp", AUTHED, "MAIL",
	  "gmail-daily-limit", "daily sending limit", "daily maximum", "24 hours",
	  NULL },
	{ __LINE__, 550, "5.4.5", "5.4.5 Daily sending quota exceeded.", AUTHED,
	  "RCPT", "gmail-daily-limit", "limit", "500", "Wait", NULL },
	{ __LINE__, 550, "5.7.26", "550-5.7.26 This message does not have "
	  "authentication information or fails to\n550-5.7.26 pass authentication "
	  "checks. To best protect our users from spam, the\n550-5.7.26 message has "
	  "been blocked. Please visit\n550-5.7.26  "
	  "https://support.google.com/mail/answer/81126#authentication for more\n"
	  "550 5.7.26 information. - gsmtp", U, ".", "gmail-unauthenticated",
	  "SPF/DKIM", "no passing SPF or DKIM", "sender's domain must fix",
	  "password" },
	/* The lines joined with spaces, codes and all, read the same. */
	{ __LINE__, 550, "5.7.1", "550-5.7.1 [192.0.2.1] This message does not have "
	  "authentication information or fails 550-5.7.1 to pass authentication "
	  "checks (SPF or DKIM). To best protect our users 550 5.7.1 from spam, "
	  "the message has been blocked. - gsmtp", U, ".", "gmail-unauthenticated",
	  "SPF/DKIM", "SPF", "DKIM", NULL },
	{ __LINE__, 550, "5.7.26", "550-5.7.26 Unauthenticated email from "
	  "example.com is not accepted due to\n550-5.7.26 domain's DMARC policy. "
	  "Please contact the administrator of\n550-5.7.26 example.com domain if "
	  "this was a legitimate mail. ...\n550 5.7.26 - gsmtp", U, ".",
	  "dmarc-reject", "DMARC", "DMARC policy", "From: domain", NULL },
	{ __LINE__, 550, "5.1.1", "550-5.1.1 The email account that you tried to "
	  "reach does not exist. Please try\n550-5.1.1 double-checking the "
	  "recipient's email address for typos or\n550-5.1.1 unnecessary spaces. "
	  "Learn more at\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser "
	  "a1si0000000qtb.0 - gsmtp", U, "RCPT", "gmail-no-such-account",
	  "no such Gmail account", "no account", "typos", "relay" },
	{ __LINE__, 550, "5.2.1", "550-5.2.1 The email account that you tried to "
	  "reach is disabled. Learn more at\n550 5.2.1  "
	  "https://support.google.com/mail/?p=DisabledUser - gsmtp", U, "RCPT",
	  "mailbox-disabled", "disabled", "is disabled", "another way", NULL },
	{ __LINE__, 452, "4.2.2", "452-4.2.2 The email account that you tried to "
	  "reach is over quota. Please direct\n452-4.2.2 the recipient to\n452 "
	  "4.2.2  https://support.google.com/mail/?p=OverQuotaTemp - gsmtp", U,
	  "RCPT", "mailbox-full", "mailbox is full", "no room", "try again later",
	  "SIZE" },
	{ __LINE__, 552, "5.2.3", "552-5.2.3 Your message exceeded Google's message "
	  "size limits. Please visit\n552-5.2.3  "
	  "https://support.google.com/mail/?p=MaxSizeError to view our size\n552 "
	  "5.2.3 guidelines. - gsmtp", U, ".", "gmail-size", "25 MB", "bigger",
	  "attachments", NULL },
	{ __LINE__, 550, "5.7.25", "550-5.7.25 [192.0.2.1] The IP address sending "
	  "this message does not have a\n550-5.7.25 PTR record setup, or the "
	  "corresponding forward DNS entry does not\n550-5.7.25 point to the "
	  "sending IP. As a policy, Gmail does not accept messages\n550-5.7.25 "
	  "from IPs with missing PTR records. - gsmtp", U, "RCPT", "gmail-no-ptr",
	  "PTR", "reverse DNS", "submission server", NULL },
	{ __LINE__, 550, "5.7.1", "550-5.7.1 [2001:db8::1] Our system has detected "
	  "that this message does\n550-5.7.1 not meet IPv6 sending guidelines "
	  "regarding PTR records and\n550-5.7.1 authentication. - gsmtp", U, ".",
	  "gmail-ipv6", "IPv6", "PTR", "IPv4", NULL },
	{ __LINE__, 550, "5.7.1", "550-5.7.1 [192.0.2.1] Our system has detected "
	  "that this message is\n550-5.7.1 likely unsolicited mail. To reduce the "
	  "amount of spam sent to Gmail,\n550-5.7.1 this message has been blocked. "
	  "- gsmtp", U, ".", "gmail-spam", "spam", "filters", "content",
	  "relay" },
	{ __LINE__, 552, "5.7.0", "552-5.7.0 This message was blocked because its "
	  "content presents a potential\n552-5.7.0 security issue. Please visit\n"
	  "552-5.7.0  https://support.google.com/mail/?p=BlockedMessage to "
	  "review our\n552 5.7.0 message content and attachment content "
	  "guidelines. - gsmtp", U, ".", "gmail-security-issue", "attachment",
	  "executable", "by link", "STARTTLS" },
	{ __LINE__, 550, "5.7.1", "550-5.7.1 The user or domain that you are "
	  "sending to (or from) has a policy that\n550-5.7.1 prohibited the mail "
	  "that you sent. Please contact your domain\n550-5.7.1 administrator for "
	  "further details. - gsmtp", U, "RCPT", "gmail-policy", "policy",
	  "Workspace administrator", "Ask", NULL },
	{ __LINE__, 550, "5.7.1", "550-5.7.1 Invalid credentials for relay "
	  "[192.0.2.1]. The IP address you've\n550-5.7.1 registered in your G "
	  "Suite SMTP Relay service doesn't match\n550-5.7.1 domain of the account "
	  "this email is being sent from. - gsmtp", U, "RCPT", "gworkspace-relay",
	  "IP not allowed", "SMTP relay service", "SMTP relay", NULL },
	/* Yahoo and iCloud. */
	{ __LINE__, 553, "5.7.1", "5.7.1 [BL21] Connections not accepted from IP "
	  "addresses on Spamhaus PBL", U, "", "spamhaus-pbl", "PBL",
	  "not meant to send mail directly", "submission server", NULL },
	{ __LINE__, 421, "4.7.0", "4.7.0 [TSS04] Messages from 192.0.2.1 "
	  "temporarily deferred due to unexpected volume or user complaints - "
	  "4.16.55.1; see https://postmaster.yahooinc.com/error-codes", U, "RCPT",
	  "yahoo-deferred", "volume or complaints", "complaints", "Retry later",
	  "STARTTLS" },
	{ __LINE__, 554, "5.7.9", "5.7.9 Message not accepted for policy reasons.  "
	  "See https://help.yahoo.com/kb/postmaster/SLN7253.html", U, ".",
	  "yahoo-policy", "policy", "not about the AUTH mechanism", "SPF",
	  "too weak" },
	{ __LINE__, 554, NULL, "delivery error: dd This user doesn't have a "
	  "yahoo.com account (nobody@yahoo.com) [0] - mta1234.mail.ne1.yahoo.com",
	  U, ".", "yahoo-no-such-account", "Yahoo", "no account", "typos", NULL },
	{ __LINE__, 554, "5.7.1", "5.7.1 [CS01] Message rejected due to local "
	  "policy. Please visit https://support.apple.com/en-us/HT204137", U, ".",
	  "icloud-policy", "iCloud", "filters", "HT204137", NULL },
	/* Postfix. */
	{ __LINE__, 554, "5.7.1", "5.7.1 <bob@example.net>: Relay access denied",
	  TLS, "RCPT", "relay-denied", "log in first", "not logged in",
	  "Log in with AUTH", "STARTTLS" },
	{ __LINE__, 554, "5.7.1", "5.7.1 <bob@example.net>: Relay access denied",
	  PLAIN, "RCPT", "relay-denied-plain", "relay denied", "logged-in",
	  "send STARTTLS", NULL },
	{ __LINE__, 554, "5.7.1", "5.7.1 <bob@example.net>: Relay access denied",
	  AUTHED, "RCPT", "relay-denied-authed", "despite login",
	  "You are logged in", "submission server", "authenticate first" },
	{ __LINE__, 550, "5.1.1", "5.1.1 <nobody@example.org>: Recipient address "
	  "rejected: User unknown in virtual mailbox table", U, "RCPT",
	  "user-unknown", "no such mailbox", "no mailbox", "typos", "relay" },
	{ __LINE__, 550, "5.1.1", "5.1.1 <nobody@example.org>: Recipient address "
	  "rejected: User unknown in local recipient table", TLS, "RCPT",
	  "user-unknown", "user unknown", "no mailbox", "recipient's side",
	  NULL },
	{ __LINE__, 553, "5.1.8", "5.1.8 <me@nonexistent.invalid>: Sender address "
	  "rejected: Domain not found", U, "MAIL", "sender-domain-not-found",
	  "sender's domain", "MAIL FROM", "real domain", NULL },
	{ __LINE__, 450, "4.1.2", "4.1.2 <bob@exmaple.org>: Recipient address "
	  "rejected: Domain not found", U, "RCPT", "recipient-domain-not-found",
	  "recipient's domain", "no DNS records", "spelling", NULL },
	{ __LINE__, 450, "4.2.0", "4.2.0 <bob@example.org>: Recipient address "
	  "rejected: Greylisted, see http://postgrey.schweikert.ch/help/"
	  "example.org.html", U, "RCPT", "greylisted", "greylisted",
	  "greylisting", "few minutes", NULL },
	{ __LINE__, 530, "5.7.0", "5.7.0 Must issue a STARTTLS command first", U,
	  "MAIL", "tls-required", "TLS required", "encrypted (TLS) session",
	  "Send STARTTLS", "log in" },
	{ __LINE__, 530, "5.7.0", "5.7.0 Must issue a STARTTLS command first", PLAIN,
	  "AUTH", "tls-required", "TLS required", "before it takes this command",
	  "EHLO again", "password" },
	{ __LINE__, 530, "5.7.0", "5.7.0 Must issue a STARTTLS command first", BARE,
	  "MAIL", "tls-required-no-starttls", "no STARTTLS offered",
	  "did not offer STARTTLS", "--tls", "send STARTTLS" },
	{ __LINE__, 530, "5.7.0", "5.7.0 Must issue a STARTTLS command first", TLS,
	  "MAIL", "tls-required-tls-up", "though TLS is up", "has it",
	  "EHLO again", "STARTTLS" },
	{ __LINE__, 451, "5.7.3", "5.7.3 STARTTLS is required to send mail "
	  "[BN8NAM11FT001.eop-nam11.prod.protection.outlook.com]", PLAIN, "MAIL",
	  "tls-required", "TLS required", "TLS", "Send STARTTLS", NULL },
	{ __LINE__, 554, "5.5.1", "5.5.1 Error: TLS already active", TLS,
	  "STARTTLS", "tls-already-active", "already active", "only once",
	  "Carry on", NULL },
	{ __LINE__, 454, "4.7.0", "4.7.0 TLS not available due to local problem",
	  PLAIN, "STARTTLS", "tls-broken-on-server", "TLS setup is broken",
	  "server's side", "administrator", NULL },
	{ __LINE__, 503, "5.5.1", "5.5.1 Error: authentication not enabled", PLAIN,
	  "AUTH", "auth-not-enabled-plain", "AUTH only after TLS", "only over TLS",
	  "Send STARTTLS", "password" },
	{ __LINE__, 503, "5.5.1", "5.5.1 Error: authentication not enabled", BARE,
	  "AUTH", "auth-not-enabled-no-starttls", "no AUTH here",
	  "no STARTTLS", "465", "send STARTTLS" },
	{ __LINE__, 503, "5.5.1", "5.5.1 Error: authentication not enabled", TLS,
	  "AUTH", "auth-not-enabled-tls-up", "no AUTH on this port", "even over TLS",
	  "587", "STARTTLS" },
	{ __LINE__, 503, "5.5.1", "5.5.1 Error: already authenticated", AUTHED,
	  "AUTH", "already-authenticated", "already logged in", "once per session",
	  "MAIL FROM", NULL },
	{ __LINE__, 503, "5.5.1", "5.5.1 Error: need MAIL command", TLS, "RCPT",
	  "need-mail", "MAIL FROM first", "before a sender", "MAIL FROM:<", NULL },
	{ __LINE__, 503, "5.5.1", "5.5.1 Error: need RCPT command", TLS, "DATA",
	  "need-rcpt", "RCPT TO first", "before any recipient", "RCPT TO:<", NULL },
	{ __LINE__, 554, "5.5.1", "5.5.1 Error: no valid recipients", TLS, "DATA",
	  "no-valid-recipients", "no valid recipients", "every RCPT TO",
	  "RCPT replies", NULL },
	{ __LINE__, 504, "5.5.2", "5.5.2 <localhost>: Helo command rejected: need "
	  "fully-qualified hostname", U, "MAIL", "helo-rejected", "HELO/EHLO",
	  "full host", "EHLO mail.example.org", NULL },
	{ __LINE__, 450, "4.7.1", "4.7.1 Client host rejected: cannot find your "
	  "hostname, [192.0.2.1]", U, "RCPT", "no-reverse-hostname",
	  "reverse DNS", "reverse DNS", "PTR", "greylist" },
	{ __LINE__, 553, "5.7.1", "5.7.1 <boss@example.org>: Sender address "
	  "rejected: not owned by user me@example.org", AUTHED, "RCPT",
	  "sender-login-mismatch", "not owned", "does not own", "your own address",
	  NULL },
	{ __LINE__, 450, "4.1.7", "4.1.7 <x@example.net>: Sender address rejected: "
	  "unverified address: host mx.example.net[192.0.2.9] said: 550 5.1.1 "
	  "<x@example.net>: Recipient address rejected: User unknown (in reply to "
	  "RCPT TO command)", U, "MAIL", "sender-verify-postfix", "verified",
	  "could not confirm", "real sender address", NULL },
	/* The quoted server's "User unknown" or "Unrouteable address" is about the
	 * sender: not the recipient's mailbox nor domain. */
	{ __LINE__, 550, "5.1.7", "5.1.7 <x@example.net>: Sender address rejected: "
	  "undeliverable address: host mx.example.net[192.0.2.9] said: 550 5.1.1 "
	  "<x@example.net>: Recipient address rejected: User unknown in virtual "
	  "mailbox table (in reply to RCPT TO command)", U, "RCPT",
	  "sender-verify-postfix", "verified", "could not confirm",
	  "real sender address", "recipient" },
	{ __LINE__, 550, NULL, "550-Verification failed for <x@example.net>\n"
	  "550-Unrouteable address\n550 Sender verify failed", U, "RCPT",
	  "sender-verify-exim", "verified", "could not confirm",
	  "real sender address", "recipient" },
	{ __LINE__, 554, "5.7.1", "5.7.1 Service unavailable; Client host "
	  "[192.0.2.1] blocked using zen.spamhaus.org; "
	  "https://www.spamhaus.org/query/ip/192.0.2.1", U, "RCPT", "blocklisted",
	  "blocklist", "connecting IP address", "delisting", "relay" },
	{ __LINE__, 535, "5.7.8", "5.7.8 Error: authentication failed: "
	  "authentication failure", TLS, "AUTH", "auth-failed", "bad credentials",
	  "user name or password", "full address", "STARTTLS" },
	{ __LINE__, 535, "5.7.8", "5.7.8 Error: authentication failed: "
	  "UGFzc3dvcmQ6", TLS, "AUTH", "auth-failed", "bad credentials",
	  "rejected", "base64", NULL },
	{ __LINE__, 552, "5.3.4", "5.3.4 Message size exceeds fixed limit", U, ".",
	  "size-limit", "too big", "bigger", "SIZE", NULL },
	{ __LINE__, 550, "5.7.1", "5.7.1 <bob@example.org>: Recipient address "
	  "rejected: Message rejected due to: SPF fail - not authorized. Please see "
	  "http://www.openspf.net/Why?s=mfrom;id=me@example.com;ip=192.0.2.1;"
	  "r=<UNKNOWN>", U, "RCPT", "spf-fail", "SPF", "SPF record",
	  "SPF allows", NULL },
	/* Exim and cPanel hosts. */
	{ __LINE__, 550, NULL, "relay not permitted", TLS, "RCPT", "relay-denied",
	  "relay denied", "not logged in", "AUTH", "STARTTLS" },
	{ __LINE__, 550, NULL, "Your message to <bob@example.net> was classified "
	  "as SPAM. Please add more content, cut down on HTML links, use fewer "
	  "naughty words etc.", U, ".", "spam-content", "spam", "content filter",
	  "Change the content", NULL },
	{ __LINE__, 550, NULL, "The mail server could not deliver mail to "
	  "bob@example.net.  The account or domain may not exist, they may be "
	  "blacklisted, or missing the proper dns entries.", U, "RCPT",
	  "blocklisted", "blocklist", "blocklist", "delisting", NULL },
	{ __LINE__, 535, NULL, "Incorrect authentication data", TLS, "AUTH",
	  "exim-auth-failed", "bad credentials", "user name or password",
	  "full address", "STARTTLS" },
	{ __LINE__, 550, NULL, "Unrouteable address", U, "RCPT", "unrouteable",
	  "unrouteable", "no way to deliver", "MX records", NULL },
	{ __LINE__, 451, NULL, "Temporary local problem - please try later", U,
	  ".", "temporary-local-problem", "try later", "nothing is wrong on your "
	  "side", "administrator", NULL },
	{ __LINE__, 421, NULL, "mail.example.org Too many concurrent SMTP "
	  "connections from this IP address; please try again later.", U, "",
	  "too-many-connections", "too many connections", "at once",
	  "Close other sessions", NULL },
	{ __LINE__, 550, NULL, "Sender verify failed", U, "MAIL",
	  "sender-verify-failed", "could not be verified", "sender address",
	  "not a made-up one", NULL },
	{ __LINE__, 550, NULL, "\"JunkMail rejected - example.net [192.0.2.1]:"
	  "4321 is in an RBL: https://www.spamhaus.org/query/ip/192.0.2.1\"; "
	  "dnsbl listed at zen.spamhaus.org", U, "", "blocklisted", "blocklist",
	  "DNS blocklist", "sender's side", NULL },
	{ __LINE__, 550, NULL, "bob@example.net is not permitted to relay through "
	  "this server without authentication.", TLS, "RCPT", "relay-denied",
	  "log in first", "logged-in users", "Log in with AUTH", "STARTTLS" },
	/* Sending services and others. */
	{ __LINE__, 550, NULL, "The from address does not match a verified Sender "
	  "Identity. Mail cannot be sent until this error is resolved. Visit "
	  "https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ "
	  "to see the Sender Identity requirements", AUTHED, "MAIL",
	  "sendgrid-sender-identity", "verified identity", "Sender Identity",
	  "Verify the address", NULL },
	{ __LINE__, 452, "4.5.3", "4.5.3 Too many recipients", TLS, "RCPT",
	  "too-many-recipients", "too many recipients", "so many recipients",
	  "new MAIL FROM transaction", NULL },
	{ __LINE__, 452, "4.5.3", "452-4.5.3 Your message has too many recipients. "
	  "For more information regarding\n452-4.5.3 Google's sending limits, "
	  "please visit\n452 4.5.3  https://support.google.com/mail/"
	  "?p=TooManyRecipientsError "
	  "- gsmtp", AUTHED, "RCPT", "too-many-recipients", "too many",
	  "recipients", "accepted so far", NULL },
	{ __LINE__, 552, "5.2.2", "5.2.2 <bob@example.org> Quota exceeded (mailbox "
	  "for user is full)", U, "RCPT", "mailbox-full", "full", "no room",
	  "make room", NULL },
	{ __LINE__, 550, "5.7.1", "5.7.1 Message rejected as spam by Content "
	  "Filtering.", U, ".", "spam-content", "spam", "content filter",
	  "DKIM", NULL },
	{ __LINE__, 554, NULL, "delivery error: dd Sorry your message to "
	  "x@yahoo.com cannot be delivered. This account has been disabled or "
	  "discontinued [#102]. - mta1234.mail.gq1.yahoo.com", U, ".",
	  "mailbox-disabled", "disabled", "takes no mail", "another way", NULL },
};

/* Whether the list has this rule name. */
static int
rule_seen(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof rule_cases / sizeof rule_cases[0]; i++) {
		if (rule_cases[i].rule != NULL &&
		    strcmp(rule_cases[i].rule, name) == 0)
			return (1);
	}
	return (0);
}

static void
rule_fail(const struct rule_case *c, const char *what, const char *got)
{
	unit_failed++;
	printf("%s:%d: FAILED: %s: got \"%s\"\n", __FILE__, c->line, what,
	    got != NULL ? got : "(null)");
}

static void
test_rules(void)
{
	const struct rule_case	*c;
	struct explain_state	 st, up, bare;
	struct explain_verdict	 v, w;
	struct explain		 ex;
	size_t			 i, n;

	for (i = 0; i < sizeof rule_cases / sizeof rule_cases[0]; i++) {
		c = &rule_cases[i];
		st.tls = c->tls;
		st.authed = c->authed;
		st.starttls_offered = c->stls;
		st.verb = c->verb;
		if (!explain_match(c->code, c->enhanced, c->text, &st, &v)) {
			rule_fail(c, "no rule matched", NULL);
			continue;
		}
		unit_passed++;
		if (strcmp(v.rule, c->rule) != 0) {
			rule_fail(c, c->rule, v.rule);
			continue;
		}
		unit_passed++;
		if (!contains(v.tag, c->tag) || strlen(v.tag) > 40)
			rule_fail(c, "tag", v.tag);
		else if (!contains(v.cause, c->cause))
			rule_fail(c, "cause", v.cause);
		else if (!contains(v.next, c->next))
			rule_fail(c, "next", v.next);
		else if (c->never != NULL && (contains(v.cause, c->never) ||
		    contains(v.next, c->never)))
			rule_fail(c, c->never, v.hint);
		else
			unit_passed++;
		/* The hint is cause and next; the other entry points agree. */
		CHECK(starts(v.hint, v.cause) && contains(v.hint, v.next));
		explain_reply_text(c->code, c->enhanced, c->text, &st, &ex);
		CHECK(ex.hint == v.hint && ex.rule == v.rule && ex.tag == v.tag &&
		    ex.cause == v.cause && ex.next == v.next);
		CHECK(ex.basic != NULL);
		CHECK(explain_short_text(c->code, c->enhanced, c->text, &st) ==
		    v.tag);

		/* Whatever the state, never STARTTLS once TLS is up... */
		up = st;
		up.tls = 1;
		if (explain_match(c->code, c->enhanced, c->text, &up, &w) &&
		    contains(w.next, "STARTTLS"))
			rule_fail(c, "STARTTLS with TLS up", w.next);
		/* ... nor "send STARTTLS" to a server that does not offer it. */
		bare = st;
		bare.tls = 0;
		bare.starttls_offered = 0;
		if (explain_match(c->code, c->enhanced, c->text, &bare, &w) &&
		    (contains(w.next, "send STARTTLS") ||
		    contains(w.next, "--starttls")))
			rule_fail(c, "STARTTLS not offered", w.next);
	}

	/* Every rule has a case, and every tag fits beside a reply. */
	for (n = 0; explain_rule_info(n, &v) == 0; n++) {
		if (rule_seen(v.rule) && v.tag != NULL && strlen(v.tag) <= 40 &&
		    v.cause != NULL && v.next != NULL)
			unit_passed++;
		else {
			unit_failed++;
			printf("%s:%d: FAILED: rule %s: no case, or a bad tag\n",
			    __FILE__, __LINE__, v.rule);
		}
	}
	CHECK(n >= 40);
	CHECK(explain_rule_info(n, &v) == -1 && v.rule == NULL);
}

/* The most specific rule wins, and the order is fixed. */
static void
test_specific(void)
{
	struct explain_state	 st = EXPLAIN_STATE_UNKNOWN;
	struct explain_verdict	 v;
	struct explain		 ex;

	/* Words beat the enhanced code: 5.7.139 with its text, then without. */
	CHECK(explain_match(535, "5.7.139", "5.7.139 Authentication unsuccessful, "
	    "SmtpClientAuthentication is disabled for the Tenant.", &st, &v) &&
	    strcmp(v.rule, "ms365-smtp-auth-disabled") == 0);
	CHECK(explain_match(535, "5.7.139", "Authentication unsuccessful", &st,
	    &v) && strcmp(v.rule, "ms365-5.7.139") == 0);
	/* Two phrases beat one phrase and the enhanced code. */
	CHECK(explain_match(550, "5.7.57", "5.7.57 Client not authenticated to "
	    "send mail. Error: 535 5.7.139 Authentication unsuccessful, "
	    "SmtpClientAuthentication is disabled for the Tenant.", &st, &v) &&
	    strcmp(v.rule, "ms365-smtp-auth-disabled") == 0);
	/* The enhanced code beats the same words without it. */
	CHECK(explain_match(530, "5.7.57", "5.7.57 SMTP; Client was not "
	    "authenticated to send anonymous mail during MAIL FROM", &st, &v) &&
	    strncmp(v.rule, "ms365-not-authenticated", 23) == 0);
	CHECK(explain_match(530, "5.7.1", "5.7.1 Client was not authenticated",
	    &st, &v) && strcmp(v.rule, "exchange-not-authenticated") == 0);
	/* Two phrases beat one: "sender address rejected" + "domain not found". */
	CHECK(explain_match(553, "5.1.8", "<a@b.invalid>: Sender address "
	    "rejected: Domain not found", &st, &v) &&
	    strcmp(v.rule, "sender-domain-not-found") == 0);
	/* State conditions decide between rules with the same words. */
	st.tls = 1;
	CHECK(explain_match(530, "5.7.0", "Must issue a STARTTLS command first",
	    &st, &v) && strcmp(v.rule, "tls-required-tls-up") == 0);
	st.tls = 0;
	CHECK(explain_match(530, "5.7.0", "Must issue a STARTTLS command first",
	    &st, &v) && strcmp(v.rule, "tls-required") == 0);
	st.starttls_offered = 0;
	CHECK(explain_match(530, "5.7.0", "Must issue a STARTTLS command first",
	    &st, &v) && strcmp(v.rule, "tls-required-no-starttls") == 0);
	/* Spacing and case do not matter; codes inside the lines are skipped. */
	st = (struct explain_state)EXPLAIN_STATE_UNKNOWN;
	CHECK(explain_match(530, "5.7.0", "  MUST   issue a\tSTARTTLS\r\ncommand",
	    &st, &v) && strcmp(v.rule, "tls-required") == 0);
	CHECK(explain_match(550, "5.7.26", "550-5.7.26 This message does not have "
	    "authentication information or fails to 550-5.7.26 pass authentication "
	    "checks.", &st, &v) && strcmp(v.rule, "gmail-unauthenticated") == 0);
	CHECK(explain_match(550, "5.7.26", "This message fails to\n550-5.7.26 "
	    "pass authentication checks.", &st, &v) &&
	    strcmp(v.rule, "gmail-unauthenticated") == 0);
	/* The enhanced code can come from the text; a wrong class is not trusted. */
	CHECK(explain_match(535, NULL, "535 5.7.139 Authentication unsuccessful",
	    &st, &v) && strcmp(v.rule, "ms365-5.7.139") == 0);
	CHECK(explain_match(535, "4.7.139", NULL, &st, &v) == 0);
	/* Nothing to go on: no rule, and the codes speak. */
	CHECK(explain_match(550, NULL, "no words we know", &st, &v) == 0 &&
	    v.rule == NULL && v.tag == NULL);
	CHECK(explain_match(250, NULL, "Relay access denied", &st, &v) == 0);
	CHECK(explain_match(354, NULL, NULL, NULL, &v) == 0);
	CHECK(explain_match(550, "5.7.1", "", NULL, &v) == 0);
	explain_reply_text(550, "5.1.1", "no words we know", &st, &ex);
	CHECK(ex.rule == NULL && ex.cause == NULL && ex.next == ex.hint &&
	    contains(ex.hint, "check the recipient address") &&
	    contains(ex.tag, "mailbox unknown"));
	/* A verb condition: a disabled mailbox is about RCPT, not the login. */
	st.verb = "AUTH";
	CHECK(explain_match(535, NULL, "account has been disabled", &st, &v) ==
	    0 || strcmp(v.rule, "mailbox-disabled") != 0);
	st.verb = "RCPT";
	CHECK(explain_match(550, NULL, "account has been disabled", &st, &v) &&
	    strcmp(v.rule, "mailbox-disabled") == 0);

	/* The old entry points use the rules too: "/help 535 5.7.139". */
	explain_reply(535, "5.7.139", NULL, &ex);
	CHECK(!contains(ex.hint, "User name or password rejected"));
	CHECK(contains(ex.hint, "SMTP AUTH") && contains(ex.tag, "Microsoft"));
	CHECK(contains(explain_short(535, "5.7.139"), "Microsoft 365"));
	CHECK(!contains(explain_short(535, "5.7.3"), "conversion"));
	CHECK(contains(explain_short(535, "5.7.8"), "bad credentials"));

	/* Long text: the first 4 KiB are read, and nothing overflows. */
	{
		char	big[10000];

		memset(big, 'a', sizeof big - 40);
		memcpy(big + sizeof big - 40, " relay access denied", 21);
		CHECK(explain_match(554, "5.7.1", big, &st, &v) == 0);
		memcpy(big, "relay access denied ", 20);
		CHECK(explain_match(554, "5.7.1", big, &st, &v) == 1);
	}
}

/* Advice from the codes alone suits the state too. */
static void
test_state(void)
{
	static const char	*verbs[] = { NULL, "", "EHLO", "AUTH", "MAIL", "RCPT",
	    "DATA", ".", "VRFY" };
	static const int	 classes[2] = { 4, 5 };
	struct explain_state	 st;
	struct explain		 ex;
	char			 enh[16];
	const char		*s;
	size_t			 v;
	int			 code, c, sub, det, bad = 0;

	for (v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
		for (code = 400; code < 600; code++) {
			for (c = -1; c < 2; c++) {
			for (sub = 0; sub <= 7; sub++) {
			for (det = 0; det <= (c == -1 ? 0 : 30); det++) {
				snprintf(enh, sizeof enh, "%d.%d.%d",
				    classes[c < 0 ? 0 : c], sub, det);
				st.verb = verbs[v];
				st.tls = 1;
				st.authed = 0;
				st.starttls_offered = 1;
				explain_reply_text(code, c < 0 ? NULL : enh, NULL,
				    &st, &ex);
				if (contains(ex.hint, "STARTTLS") && bad++ < 5)
					printf("  %d %s after %s, TLS up: \"%s\"\n",
					    code, enh, verbs[v] ? verbs[v] : "?",
					    ex.hint);
				s = explain_short_text(code, c < 0 ? NULL : enh,
				    NULL, &st);
				if (contains(s, "STARTTLS") && bad++ < 5)
					printf("  %d %s TLS up: note \"%s\"\n", code,
					    enh, s);
				st.tls = 0;
				st.starttls_offered = 0;
				explain_reply_text(code, c < 0 ? NULL : enh, NULL,
				    &st, &ex);
				if ((contains(ex.hint, "send STARTTLS") ||
				    contains(ex.hint, "STARTTLS, then")) &&
				    bad++ < 5)
					printf("  %d %s after %s, no STARTTLS: "
					    "\"%s\"\n", code, enh, verbs[v] ?
					    verbs[v] : "?", ex.hint);
				s = explain_short_text(code, c < 0 ? NULL : enh,
				    NULL, &st);
				if (contains(s, "STARTTLS first") && bad++ < 5)
					printf("  %d %s no STARTTLS: note \"%s\"\n",
					    code, enh, s);
				st.tls = 1;
				st.authed = 1;
				explain_reply_text(code, c < 0 ? NULL : enh, NULL,
				    &st, &ex);
				if (contains(ex.hint, "authenticate first") &&
				    bad++ < 5)
					printf("  %d %s logged in: \"%s\"\n", code,
					    enh, ex.hint);
			}
			}
			}
		}
	}
	CHECK(bad == 0);

	/* The cases of the issue. */
	st.verb = "MAIL";
	st.tls = 1;
	st.authed = 0;
	st.starttls_offered = 1;
	explain_reply_text(530, "5.7.0", NULL, &st, &ex);
	CHECK(contains(ex.hint, "AUTH") && !contains(ex.hint, "STARTTLS"));
	CHECK(contains(ex.tag, "login") && !contains(ex.tag, "TLS"));
	st.verb = "AUTH";
	st.tls = 0;
	st.starttls_offered = 0;
	explain_reply_text(538, "5.7.11", NULL, &st, &ex);
	CHECK(contains(ex.hint, "--tls") && !contains(ex.hint, "send STARTTLS"));
	st.verb = "MAIL";
	explain_reply_text(530, NULL, NULL, &st, &ex);
	CHECK(contains(ex.hint, "465") && !contains(ex.hint, "send STARTTLS"));
	st.tls = 1;
	st.authed = 1;
	st.verb = "RCPT";
	explain_reply_text(554, "5.7.1", NULL, &st, &ex);
	CHECK(contains(ex.hint, "You are logged in"));
	/* Not known: as before. */
	st = (struct explain_state)EXPLAIN_STATE_UNKNOWN;
	st.verb = "MAIL";
	explain_reply_text(530, "5.7.0", NULL, &st, &ex);
	CHECK(contains(ex.hint, "STARTTLS"));
	explain_reply_text(530, "5.7.0", NULL, NULL, &ex);
	CHECK(ex.basic != NULL && contains(ex.hint, "STARTTLS"));
}

/* A 220 has the note of its step, whatever the server's words and codes. */
static void
test_short_220(void)
{
	struct explain_state	 st = EXPLAIN_STATE_UNKNOWN;
	static const char	*greetings[] = {
		"mx.example.com ESMTP Postfix (Debian/GNU)",
		"2.0.0 mx.example.org ESMTP ready",
		"2.58.12.7 ESMTP",
		"localhost smtpcon-test ESMTP",
		"mx.google.com ESMTP a1si123.27 - gsmtp",
		"practice.smtpcon.test ESMTP smtpcon practice server",
	};
	size_t			 i;
	int			 tls;

	for (tls = 0; tls <= 1; tls++) {
		st.tls = tls;
		st.verb = "";
		for (i = 0; i < sizeof greetings / sizeof greetings[0]; i++) {
			CHECK_STR(explain_short_text(220, NULL, greetings[i], &st),
			    "greeting: ready");
			CHECK_STR(explain_short_text(220, "2.0.0", greetings[i], &st),
			    "greeting: ready");
		}
	}
	st.tls = 0;
	st.verb = "STARTTLS";
	CHECK_STR(explain_short_text(220, NULL, "Ready to start TLS", &st),
	    "start TLS now");
	CHECK_STR(explain_short_text(220, "2.0.0", "2.0.0 Ready to start TLS", &st),
	    "start TLS now");
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
	test_short_220();
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

/* The engine's words about smtpcon's options: every one there, and the facts in them. */
static void
test_engine_hints(void)
{
	char	*h;
	int	 i;

	for (i = EXPLAIN_HINT_STARTTLS_EHLO; i <= EXPLAIN_HINT_PLAIN_NOT_TLS; i++)
		CHECK(*explain_hint(i) != '\0');
	CHECK(strstr(explain_hint(EXPLAIN_HINT_SELF_SIGNED), "/chain FILE") != NULL);
	h = explain_hint_auth_refused("no TLS", 1);
	CHECK_STR(h, "AUTH refused: no TLS; use --insecure (or answer yes in the "
	    "console) to send it anyway");
	free(h);
	h = explain_hint_auth_refused("no TLS", 0);
	CHECK_STR(h, "AUTH refused: no TLS; use --insecure to send it anyway");
	free(h);
	h = explain_hint_tls_version("TLS1.2", 12, 0);
	CHECK(strstr(h, "pinned by --tls-version 1.2") != NULL &&
	    strstr(h, "try --tls-version 1.3") != NULL);
	free(h);
	h = explain_hint_tls_offer("TLS1.3", 0, 1);
	CHECK_STR(h, "TLS1.3, all your --priority string allows");
	free(h);
	h = explain_hint_cert_name("", "mx.example");
	CHECK(strstr(h, "(it names: none)") != NULL);
	free(h);
}

int
main(void)
{
	test_engine_hints();
	test_basic();
	test_enhanced();
	test_hints();
	test_short();
	test_rules();
	test_specific();
	test_state();
	return (unit_done());
}
