/* Reply codes explained for people; all static tables, so nothing here can fail. */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "explain.h"

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

/* Hints: what a person talking SMTP by hand should try next. */
static const char explain_h_tls_first[] = "The server wants TLS first: send "
    "STARTTLS, then EHLO again, then AUTH.";
static const char explain_h_auth_first[] = "The server wants you to log in "
    "before it takes mail, and most servers allow that only over TLS: send "
    "STARTTLS, then EHLO again, then AUTH, then MAIL FROM again.";
static const char explain_h_tls_or_later[] = "A temporary refusal on security "
    "grounds, most often because the server wants TLS first: send STARTTLS, "
    "then EHLO again, and retry. Otherwise try again later.";
static const char explain_h_tls_unavailable[] = "TLS is not available right "
    "now (a temporary problem on the server, often with its certificate): try "
    "again later, or port 465 with implicit TLS if the server offers it. Do "
    "not send a password without TLS.";
static const char explain_h_no_starttls[] = "This server does not offer "
    "STARTTLS: check its EHLO reply. It may offer TLS only on port 465 "
    "(implicit TLS), or not at all.";
static const char explain_h_starttls_syntax[] = "STARTTLS takes no arguments: "
    "send the word alone.";
static const char explain_h_temp454[] = "A temporary failure of TLS or of "
    "checking your password on the server: try again in a few minutes.";
static const char explain_h_auth_temp[] = "The server could not check your "
    "password just now (its authentication backend failed): try again in a "
    "few minutes. The password itself was not judged.";
static const char explain_h_password[] = "User name or password rejected. Check "
    "them; many providers want the full address as user name and an app "
    "password when 2-factor login is on.";
static const char explain_h_weak_mech[] = "The server finds this AUTH mechanism "
    "too weak (PLAIN and LOGIN are often refused before TLS): send STARTTLS and "
    "EHLO again first, or choose another mechanism from the AUTH line of the "
    "EHLO reply.";
static const char explain_h_pw_transition[] = "The server must convert how it "
    "stores your password: log in once with PLAIN over TLS (STARTTLS first); "
    "other mechanisms work after that.";
static const char explain_h_account_disabled[] = "Your account is disabled: ask "
    "the provider. No password will work until they enable it again.";
static const char explain_h_auth_not_offered[] = "AUTH is not available here: "
    "check that the EHLO reply lists AUTH. Many servers offer it only after "
    "STARTTLS (then EHLO again), and some only on the submission port 587.";
static const char explain_h_auth_mech[] = "The server does not support this AUTH "
    "mechanism: use one listed on the AUTH line of its EHLO reply.";
static const char explain_h_auth_syntax[] = "The AUTH answer was refused: it must "
    "be base64 (with '=' padding) on a line of its own, or the mechanism name is "
    "wrong. Send * alone to cancel an exchange.";
static const char explain_h_auth_line[] = "The AUTH line is too long for this "
    "server: send AUTH with the mechanism name only, then the answer on its own "
    "line after the 334.";
static const char explain_h_relay[] = "The server will not relay to this "
    "recipient for you: authenticate first (AUTH), or send to an address in the "
    "server's own domains.";
static const char explain_h_rcpt_refused[] = "The recipient was refused: either "
    "there is no such mailbox (check the address), or the server will not relay "
    "to it for you (authenticate first with AUTH, or send to an address in the "
    "server's own domains).";
static const char explain_h_sender[] = "The server refuses this sender: "
    "authenticate first (AUTH), as servers relay only for their own users, and "
    "use a sender address your login is allowed to use.";
static const char explain_h_content[] = "The server refused the message itself: "
    "a spam or content filter, or SPF, DKIM or DMARC checks of the sender's "
    "domain. The reply text usually says which.";
static const char explain_h_no_rcpt[] = "DATA needs at least one recipient the "
    "server accepted: send RCPT TO:<name@example.org> first and check its reply.";
static const char explain_h_spf_dkim[] = "The receiving server's checks of your "
    "sender domain failed (SPF, DKIM, DMARC or ARC): send through the mail "
    "server of the sender's domain (port 587 with AUTH), or fix the domain's "
    "DNS records.";
static const char explain_h_sender_null_mx[] = "The sender's domain publishes "
    "that it takes no mail (a null MX), so replies could never reach it: use a "
    "sender address in a real mail domain.";
static const char explain_h_no_mailbox[] = "No such mailbox: check the recipient "
    "address (spelling, and the part after the @).";
static const char explain_h_bad_domain[] = "The recipient's domain is wrong or "
    "takes no mail here: check the part of the address after the @.";
static const char explain_h_addr_syntax[] = "The recipient address is malformed: "
    "write RCPT TO:<name@example.org>, with angle brackets and no space after "
    "the colon.";
static const char explain_h_sender_addr[] = "The sender address is refused: "
    "write MAIL FROM:<you@example.org>, with angle brackets and a full address "
    "in a domain that exists; many servers also want it to match your login.";
static const char explain_h_moved[] = "The mailbox has moved: the reply text may "
    "give the new address; send there instead.";
static const char explain_h_null_mx[] = "That domain publishes that it accepts no "
    "mail at all (a null MX): check the address; nothing will deliver there.";
static const char explain_h_no_mail_host[] = "This host does not accept mail at "
    "all: look up the domain's MX records and connect to the host they name.";
static const char explain_h_disabled[] = "The recipient's mailbox is disabled and "
    "takes no mail: reach them another way.";
static const char explain_h_mailbox_full[] = "The recipient's mailbox is full: "
    "they must make room; try again later or reach them another way.";
static const char explain_h_size[] = "The message is too big for the server or "
    "the recipient's mailbox: see the SIZE limit in the EHLO reply and send a "
    "smaller message (attachments grow by a third in base64).";
static const char explain_h_storage[] = "The server is short of storage for now: "
    "try again later, or send a smaller message (see the SIZE limit in the EHLO "
    "reply).";
static const char explain_h_too_many_rcpts[] = "Too many recipients for one "
    "message: send DATA for those accepted so far, then the rest in a new MAIL "
    "FROM transaction.";
static const char explain_h_452[] = "The server is out of room for now: too many "
    "recipients (send the rest in a new transaction), or short of storage for the "
    "mailbox or message (try later; see the SIZE limit in the EHLO reply).";
static const char explain_h_greylist[] = "A temporary refusal, often greylisting: "
    "the server wants to see the same message again later. Try again in a few "
    "minutes; a real mail server would retry by itself.";
static const char explain_h_mailbox_busy[] = "The mailbox is unavailable for now "
    "(busy, or greylisting): try again in a few minutes.";
static const char explain_h_local_error[] = "A temporary problem on the server, or "
    "greylisting: try again in a few minutes. If it lasts, the server's admin "
    "must look at it.";
static const char explain_h_closing[] = "The server is closing the connection "
    "(overloaded, shutting down, or tired of errors or slowness): reconnect and "
    "try again later.";
static const char explain_h_greeting[] = "The server refuses to talk to you: your "
    "IP address is probably on a blocklist, or its policy rejects your network "
    "(home connections often are). The text may name the list; try your "
    "provider's submission server (port 587) instead.";
static const char explain_h_sequence[] = "Bad sequence of commands: the usual "
    "order is EHLO, (STARTTLS, EHLO,) AUTH, MAIL FROM, RCPT TO, DATA.";
static const char explain_h_unknown_cmd[] = "The server did not recognize this "
    "command: check for a typo, and that it is a basic command (HELO, EHLO, MAIL, "
    "RCPT, DATA, RSET, NOOP, QUIT) or one the EHLO reply lists as supported.";
static const char explain_h_not_impl[] = "This server does not support that "
    "command: check the EHLO reply for what it offers (and the command for a "
    "typo).";
static const char explain_h_syntax[] = "Syntax error in the arguments: write MAIL "
    "FROM:<you@example.org> and RCPT TO:<them@example.org>, with angle brackets "
    "and no space after the colon.";
static const char explain_h_ehlo_syntax[] = "Syntax error: EHLO needs your host "
    "name or an address literal after it, as in EHLO client.example.org or EHLO "
    "[192.0.2.1].";
static const char explain_h_param[] = "The server does not support that "
    "parameter: leave it out, or check the EHLO reply for the extension that "
    "would allow it.";
static const char explain_h_mailbox_name[] = "The mailbox name is not allowed: "
    "check the address for typos or odd characters and keep the angle brackets, "
    "as in RCPT TO:<name@example.org>. For MAIL FROM, many servers accept only "
    "addresses your login owns.";
static const char explain_h_555[] = "The server does not support a parameter "
    "after the address (like SIZE=, BODY=8BITMIME or SMTPUTF8): leave it out, or "
    "use only extensions the EHLO reply lists.";
static const char explain_h_455[] = "The server cannot accept those parameters "
    "right now: try again later, or leave them out.";
static const char explain_h_334[] = "Answer in base64 on a line of its own; send "
    "* alone to cancel.";
static const char explain_h_354[] = "Send the message (headers, a blank line, the "
    "body), then a line holding a single dot to end it.";

/* Parse "c.s.d" (class 2, 4 or 5; 1-3 digit subject and detail); 0 if it is one. */
static int
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

/*
 * Pick the hint. sub and det are -1 when there is no trustworthy enhanced code. The
 * order matters: specific causes (bad password, TLS needed) before the generic
 * meaning of the code.
 */
static const char *
explain_hint(int code, int sub, int det, const char *verb)
{
	int	cls = code / 100;

	if (code == 334)
		return (explain_h_334);
	if (code == 354)
		return (explain_h_354);
	if (cls != 4 && cls != 5)
		return (NULL);

	/* The greeting: nothing was asked yet, so it is about who is connecting. */
	if (verb != NULL && *verb == '\0') {
		if (code == 521 || code == 556)
			return (explain_h_no_mail_host);
		if (code == 421 || cls == 4)
			return (explain_h_closing);
		return (explain_h_greeting);
	}
	if (code == 421)
		return (explain_h_closing);
	if (code == 521)
		return (explain_h_no_mail_host);
	if (code == 556)
		return (explain_h_null_mx);

	/* Authentication and TLS. */
	if (code == 535 || (sub == 7 && det == 8))
		return (explain_h_password);
	if (code == 534 || (sub == 7 && det == 9))
		return (explain_h_weak_mech);
	if (code == 538 || (sub == 7 && (det == 10 || det == 11)))
		return (explain_h_tls_first);
	if (code == 432 || (sub == 7 && det == 12))
		return (explain_h_pw_transition);
	if (sub == 7 && det == 13)
		return (explain_h_account_disabled);
	if (code == 530)
		return (explain_is(verb, "AUTH") ? explain_h_tls_first :
		    explain_h_auth_first);
	if (explain_is(verb, "STARTTLS")) {
		if (code == 454)
			return (explain_h_tls_unavailable);
		if (code == 501)
			return (explain_h_starttls_syntax);
		if (code == 500 || code == 502)
			return (explain_h_no_starttls);
	}
	if (code == 454) {
		if (explain_is(verb, "AUTH"))
			return (explain_h_auth_temp);
		if (sub == 7 && det == 1)
			return (explain_h_relay);
		return (explain_h_temp454);
	}
	if (sub == 5 && det == 6)
		return (explain_h_auth_line);
	if (explain_is(verb, "AUTH")) {
		if (code == 500 || code == 502)
			return (explain_h_auth_not_offered);
		if (code == 504)
			return (explain_h_auth_mech);
		if (code == 501)
			return (explain_h_auth_syntax);
	}
	if (sub == 7 && det == 0) {
		if (cls == 4)
			return (explain_h_tls_or_later);
		if (explain_is(verb, "AUTH"))
			return (explain_h_tls_first);
		if (explain_is(verb, "MAIL"))
			return (explain_h_auth_first);
	}

	/* Policy: relaying, senders, content. */
	if (sub == 7 && det == 1) {
		if (cls == 4)
			return (explain_h_greylist);
		if (explain_is(verb, "MAIL"))
			return (explain_h_sender);
		if (explain_is(verb, "DATA") || explain_is(verb, "."))
			return (explain_h_content);
		return (explain_h_relay);
	}
	if (sub == 7 && ((det >= 20 && det <= 26) || det == 29))
		return (explain_h_spf_dkim);
	if (sub == 7 && det == 27)
		return (explain_h_sender_null_mx);

	/* Addresses and mailboxes. */
	if (sub == 1) {
		switch (det) {
		case 1:
			return (explain_h_no_mailbox);
		case 2:
			return (explain_h_bad_domain);
		case 3:
			return (explain_h_addr_syntax);
		case 6:
			return (explain_h_moved);
		case 7:
		case 8:
			return (explain_h_sender_addr);
		case 10:
			return (explain_h_null_mx);
		}
	}
	if (sub == 2 && det == 1)
		return (explain_h_disabled);
	if (sub == 2 && det == 2)
		return (explain_h_mailbox_full);
	if ((sub == 2 && det == 3) || (sub == 3 && det == 4))
		return (explain_h_size);
	if (sub == 3 && det == 1)
		return (explain_h_storage);
	if (sub == 5 && det == 3)
		return (explain_h_too_many_rcpts);
	if (explain_is(verb, "DATA") && code == 554)
		return (explain_h_no_rcpt);

	/* Nothing more specific: the reply code alone. */
	switch (code) {
	case 450:
		return (explain_h_mailbox_busy);
	case 451:
		return (explain_h_local_error);
	case 452:
		return (explain_h_452);
	case 455:
		return (explain_h_455);
	case 500:
		return (explain_h_unknown_cmd);
	case 501:
		if (explain_is(verb, "EHLO") || explain_is(verb, "HELO"))
			return (explain_h_ehlo_syntax);
		return (explain_h_syntax);
	case 502:
		return (explain_h_not_impl);
	case 503:
		return (explain_h_sequence);
	case 504:
		return (explain_h_param);
	case 550:
		if (explain_is(verb, "MAIL"))
			return (explain_h_sender);
		if (explain_is(verb, "DATA") || explain_is(verb, "."))
			return (explain_h_content);
		if (verb == NULL || explain_is(verb, "RCPT"))
			return (explain_h_rcpt_refused);
		return (NULL);
	case 551:
		return (explain_h_moved);
	case 552:
		return (explain_h_size);
	case 553:
		return (explain_h_mailbox_name);
	case 554:
		if (explain_is(verb, "MAIL"))
			return (explain_h_sender);
		if (explain_is(verb, "."))
			return (explain_h_content);
		if (verb == NULL || explain_is(verb, "RCPT"))
			return (explain_h_relay);
		return (NULL);
	case 555:
		return (explain_h_555);
	}
	return (NULL);
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
	out->hint = explain_hint(code, sub, det, verb);
}

/* The note from the codes alone. */
static const char *
explain_short_codes(int code, const char *enhanced)
{
	const struct explain_basic	*b;
	const struct explain_enhanced	*e;
	int				 cls, sub, det;

	if (code < 200 || code > 599)
		return (NULL);
	if (explain_parse(enhanced, &cls, &sub, &det) != 0 || cls != code / 100)
		cls = sub = det = -1;

	/* Enhanced codes are sent after STARTTLS but never in a greeting (RFC 2034). */
	if (code == 220)
		return (cls == 2 ? "start TLS now" : "service ready");
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

/*
 * Advice from the codes alone assumes nothing about the session. When the state is
 * known, some of it is wrong: STARTTLS once TLS is up or when the server does not
 * offer it, "log in first" once logged in. These are the replacements.
 */
static const char explain_h_tls_up_encrypt[] = "TLS is already up, yet the "
    "server asks for encryption: it may want a newer TLS version or implicit TLS "
    "on another port. Send EHLO again and retry; if it repeats, reconnect with "
    "--tls to port 465, or ask the server's administrator.";
static const char explain_h_tls_none_encrypt[] = "The server wants TLS first, but "
    "its EHLO reply offers no STARTTLS: reconnect with implicit TLS (--tls, "
    "usually port 465). If STARTTLS should be there, something on the path may "
    "be stripping it.";
static const char explain_h_login_first[] = "The server wants you to log in "
    "before it takes mail: send AUTH (a mechanism listed in the EHLO reply), then "
    "MAIL FROM again.";
static const char explain_h_login_clear[] = "The server wants you to log in "
    "before it takes mail, and it offers no STARTTLS, so a password would cross "
    "the network readable: prefer implicit TLS (--tls, port 465), or AUTH here "
    "only if you accept that.";
static const char explain_h_later_policy[] = "A temporary refusal on security or "
    "policy grounds: try again later; the reply text usually says why.";
static const char explain_h_weak_mech_tls[] = "The server finds this AUTH "
    "mechanism too weak: choose another from the AUTH line of the EHLO reply "
    "(the one sent after the TLS handshake).";
static const char explain_h_weak_mech_clear[] = "The server finds this AUTH "
    "mechanism too weak on an unencrypted session and offers no STARTTLS: "
    "reconnect with implicit TLS (--tls, port 465), or choose another mechanism "
    "from the EHLO reply.";
static const char explain_h_pw_transition_tls[] = "The server must convert how it "
    "stores your password: log in once with PLAIN (TLS is up already); other "
    "mechanisms work after that.";
static const char explain_h_pw_transition_clear[] = "The server must convert how "
    "it stores your password: log in once with PLAIN over TLS (reconnect with "
    "--tls, port 465); other mechanisms work after that.";
static const char explain_h_auth_not_offered_tls[] = "AUTH is not available "
    "here even with TLS up: check that the EHLO reply sent after the handshake "
    "lists AUTH; some servers take logins only on the submission ports 587 and "
    "465.";
static const char explain_h_auth_not_offered_clear[] = "AUTH is not available "
    "here, and the server offers no STARTTLS: try the submission ports, 465 with "
    "--tls or 587.";
static const char explain_h_sequence_plain[] = "Bad sequence of commands: the "
    "usual order is EHLO, AUTH, MAIL FROM, RCPT TO, DATA (and EHLO again after "
    "any TLS handshake).";
static const char explain_h_relay_authed[] = "You are logged in, yet the server "
    "will not relay to this recipient: check that this is your provider's "
    "submission server (port 587 or 465), not the recipient's MX, and that MAIL "
    "FROM is an address your login may use.";
static const char explain_h_rcpt_refused_authed[] = "The recipient was refused: "
    "check the address. You are logged in, so if it is outside the server's own "
    "domains, this login may not relay there.";
static const char explain_h_sender_authed[] = "You are logged in, yet the server "
    "refuses this sender: use a MAIL FROM address your login owns.";

struct explain_swap {
	const char	*from;
	const char	*tls;		/* when TLS is up */
	const char	*clear;		/* no TLS, and STARTTLS not offered */
	const char	*authed;	/* when logged in */
};

static const struct explain_swap explain_swaps[] = {
	{ explain_h_tls_first, explain_h_tls_up_encrypt,
	  explain_h_tls_none_encrypt, NULL },
	{ explain_h_auth_first, explain_h_login_first, explain_h_login_clear,
	  NULL },
	{ explain_h_tls_or_later, explain_h_later_policy, explain_h_later_policy,
	  NULL },
	{ explain_h_weak_mech, explain_h_weak_mech_tls, explain_h_weak_mech_clear,
	  NULL },
	{ explain_h_pw_transition, explain_h_pw_transition_tls,
	  explain_h_pw_transition_clear, NULL },
	{ explain_h_auth_not_offered, explain_h_auth_not_offered_tls,
	  explain_h_auth_not_offered_clear, NULL },
	{ explain_h_sequence, explain_h_sequence_plain, explain_h_sequence_plain,
	  NULL },
	{ explain_h_relay, NULL, NULL, explain_h_relay_authed },
	{ explain_h_rcpt_refused, NULL, NULL, explain_h_rcpt_refused_authed },
	{ explain_h_sender, NULL, NULL, explain_h_sender_authed },
};

/* Notes from the codes that say STARTTLS or "log in", and what fits the state. */
static const struct explain_swap explain_short_swaps[] = {
	{ "security policy (STARTTLS first?)", "security policy refusal",
	  "security policy refusal", NULL },
	{ "encryption needed: STARTTLS first", "encryption needed",
	  "encryption needed (no STARTTLS here)", NULL },
	{ "auth or TLS required first", "login required (AUTH first)",
	  "login required (AUTH first)", NULL },
};

/* The text in swaps that suits st, or s itself. */
static const char *
explain_swap(const struct explain_swap *swaps, size_t n, const char *s,
    const struct explain_state *st)
{
	size_t	i;

	if (s == NULL || st == NULL)
		return (s);
	for (i = 0; i < n; i++) {
		if (swaps[i].from != s && strcmp(swaps[i].from, s) != 0)
			continue;
		if (st->tls == 1 && swaps[i].tls != NULL)
			return (swaps[i].tls);
		if (st->tls != 1 && st->starttls_offered == 0 &&
		    swaps[i].clear != NULL)
			return (swaps[i].clear);
		if (st->authed == 1 && swaps[i].authed != NULL)
			return (swaps[i].authed);
		return (s);
	}
	return (s);
}

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

/*
 * Texts are those the providers send, as reported in their documentation and in
 * bounces people post; where the exact wording varies or is not certain, a comment
 * says so and the rule asks only for the key words. Advice that mentions STARTTLS
 * sits only in rules that cannot match once TLS is up (tls NOTYES or NO).
 */
static const struct explain_rule explain_rules[] = {
	/* Microsoft 365 (Exchange Online). */
	EXPLAIN_RULE("ms365-smtp-auth-disabled", 5, NULL,
	    "smtpclientauthentication+disabled", NULL, ANY, ANY, ANY,
	    "SMTP AUTH disabled for tenant/mailbox",
	    "Microsoft 365 has SMTP AUTH (logging in to send over SMTP) turned off "
	    "for the tenant or for this mailbox; the credentials are not the "
	    "problem.",
	    "An Exchange administrator must enable it for the mailbox "
	    "(Set-CASMailbox -Identity user -SmtpClientAuthenticationDisabled "
	    "$false) or the tenant (Set-TransportConfig "
	    "-SmtpClientAuthenticationDisabled $false), or the client logs in with "
	    "OAuth (AUTH XOAUTH2); see https://aka.ms/smtp_auth_disabled."),
	/* "535 5.7.139 Authentication unsuccessful, basic authentication is
	 * disabled." */
	EXPLAIN_RULE("ms365-basic-auth-disabled", 5, NULL,
	    "basic authentication is disabled", NULL, ANY, ANY, ANY,
	    "basic auth disabled: use OAuth",
	    "Microsoft 365 no longer accepts logins with a user name and password "
	    "(basic authentication) for this account or tenant.",
	    "Log in with OAuth (AUTH XOAUTH2); only an administrator can allow "
	    "basic authentication again, where Microsoft still permits it."),
	/* "535 5.7.139 Authentication unsuccessful, user is locked by your
	 * organization's security defaults policy. Contact your administrator." */
	EXPLAIN_RULE("ms365-security-defaults", 5, NULL, "security defaults", NULL,
	    ANY, ANY, ANY,
	    "blocked by security defaults (MFA)",
	    "The tenant's security defaults require multi-factor sign-in, which "
	    "blocks SMTP logins with a password.",
	    "An administrator turns security defaults off or exempts this account "
	    "with Conditional Access, or the client logs in with OAuth (AUTH "
	    "XOAUTH2)."),
	/* "535 5.7.139 Authentication unsuccessful, the request did not meet the
	 * criteria to be authenticated successfully. Contact your administrator." */
	EXPLAIN_RULE("ms365-conditional-access", 5, NULL,
	    "did not meet the criteria", NULL, ANY, ANY, ANY,
	    "blocked by Conditional Access",
	    "A Conditional Access policy of the tenant (location, device or MFA "
	    "requirement) refused this login.",
	    "An administrator looks up this user's sign-in log in Entra ID to see "
	    "which policy blocked it and adjusts it, or the client uses OAuth "
	    "(AUTH XOAUTH2)."),
	EXPLAIN_RULE("ms365-bad-credentials", 5, NULL,
	    "authentication unsuccessful+credentials were incorrect", NULL,
	    ANY, ANY, ANY,
	    "auth failed: wrong user or password",
	    "Microsoft 365 rejected the user name or password.",
	    "Check both: the user name is the full address (UPN). If the account "
	    "uses MFA, its own password cannot work here: use OAuth (AUTH XOAUTH2), "
	    "or an app password where the tenant allows them."),
	/* 5.7.139 alone ("/help 535 5.7.139"): Microsoft's text says which. */
	EXPLAIN_RULE("ms365-5.7.139", 535, "5.7.139", NULL, NULL, ANY, ANY, ANY,
	    "Microsoft 365 refused the login",
	    "Microsoft 365 refused the login, and the rest of its reply says why: "
	    "most often SMTP AUTH is disabled for the tenant or mailbox, else a "
	    "security policy blocked it or the credentials were wrong.",
	    "Read the text after \"Authentication unsuccessful\": "
	    "\"SmtpClientAuthentication is disabled\" needs an administrator to "
	    "enable SMTP AUTH (or OAuth); only \"credentials were incorrect\" means "
	    "checking the user name and password."),
	/* "530 5.7.57 Client not authenticated to send mail during MAIL FROM", and
	 * the older "530 5.7.57 SMTP; Client was not authenticated to send
	 * anonymous mail during MAIL FROM". */
	EXPLAIN_RULE("ms365-not-authenticated", 5, "5.7.57", "not authenticated",
	    NULL, ANY, ANY, ANY,
	    "not logged in: AUTH first",
	    "Microsoft 365 takes mail on this port only from logged-in users, and "
	    "this session has not logged in.",
	    "Log in with AUTH LOGIN or AUTH XOAUTH2, then send MAIL FROM again."),
	EXPLAIN_RULE("ms365-not-authenticated-plain", 5, "5.7.57",
	    "not authenticated", NULL, NOTYES, NOTYES, NOTNO,
	    "not logged in: AUTH first",
	    "Microsoft 365 takes mail on this port only from logged-in users, and "
	    "this session has not logged in.",
	    "If TLS is not up yet, send STARTTLS and EHLO again first (Microsoft "
	    "refuses AUTH before TLS); then AUTH LOGIN or AUTH XOAUTH2, then MAIL "
	    "FROM again."),
	/* "554 5.2.252 SendAsDenied; user@a.example not allowed to send as
	 * other@a.example; STOREDRV.Submission.Exception:SendAsDeniedException..." */
	EXPLAIN_RULE("ms365-send-as-denied", 5, NULL, "sendasdenied", NULL,
	    ANY, ANY, ANY,
	    "not allowed to send as this sender",
	    "You logged in as one mailbox, but MAIL FROM or the From: header names "
	    "another, and your account has no Send As right on it.",
	    "Send from your own address, or have an administrator grant Send As "
	    "(or Send on Behalf) on that mailbox; it can take an hour to apply."),
	/* "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request
	 * removal from this list please visit https://sender.office.com/ ..." */
	EXPLAIN_RULE("ms365-banned-ip", 5, NULL, "banned sending ip", NULL,
	    ANY, ANY, ANY,
	    "IP banned by Microsoft 365",
	    "Microsoft 365 has put the sending IP address on its own block list.",
	    "The sender's side must act: the owner of the IP asks for removal at "
	    "https://sender.office.com after fixing the cause; or send through a "
	    "provider whose IP is not listed."),
	/* "451 4.7.500 Server busy. Please try again later from [192.0.2.1].
	 * (S77714)"; the S number varies. */
	EXPLAIN_RULE("ms365-server-busy", 4, NULL, "server busy", NULL,
	    ANY, ANY, ANY,
	    "throttled: server busy, try later",
	    "Microsoft is throttling mail from this IP address for now (a new or "
	    "low-reputation sender, or a burst of mail).",
	    "Retry later and slower; a mail server retries by itself. Nothing to "
	    "change in the session."),
	/* "550 5.1.8 Access denied, bad outbound sender" and "554 5.2.0
	 * STOREDRV.Submission.Exception:OutboundSpamException; ..." */
	EXPLAIN_RULE("ms365-restricted-sender", 5, NULL,
	    "bad outbound sender|outboundspamexception", NULL, ANY, ANY, ANY,
	    "account blocked from sending",
	    "Microsoft 365 has blocked this account from sending, usually because "
	    "it sent spam (often after its password was stolen).",
	    "An administrator secures the account (new password, no strange "
	    "forwarding rules) and releases it under Restricted entities in the "
	    "Microsoft Defender portal."),
	/* "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your
	 * client to support TLS 1.2." */
	EXPLAIN_RULE("ms365-tls-version", 0, NULL,
	    "tls 1.0 and 1.1 are not supported", NULL, ANY, ANY, ANY,
	    "TLS version too old (1.2 needed)",
	    "The TLS session uses version 1.0 or 1.1, which Microsoft 365 no "
	    "longer accepts.",
	    "Reconnect with TLS 1.2 or newer: check the lowest TLS version your "
	    "TLS library and its settings allow."),
	/* "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)
	 * [...]": directory-based edge blocking. Postfix says "Recipient address
	 * rejected: Access denied" too, hence the AS( and the code. */
	EXPLAIN_RULE("ms365-recipient-not-found", 550, "5.4.1",
	    "recipient address rejected: access denied+as(", NULL, ANY, ANY, ANY,
	    "recipient unknown to Microsoft 365",
	    "The recipient's Microsoft 365 organization has no such address "
	    "(directory-based edge blocking refuses unknown recipients).",
	    "Check the address; if it should exist, the recipient's administrator "
	    "must add it to their directory."),
	/* "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP
	 * address lookup" */
	EXPLAIN_RULE("ms365-recipientnotfound", 5, NULL,
	    "recipientnotfound|recipient not found by smtp address lookup", NULL,
	    ANY, ANY, ANY,
	    "no such mailbox (Microsoft 365)",
	    "The recipient's Microsoft 365 organization has no mailbox at this "
	    "address.",
	    "Check the address for typos; if it is right, the recipient's side "
	    "must fix it."),

	/* Exchange Server (on premises). */
	EXPLAIN_RULE("exchange-not-authenticated", 5, NULL,
	    "client was not authenticated", NULL, ANY, ANY, ANY,
	    "not logged in: AUTH first",
	    "Exchange's receive connector takes mail only from logged-in users "
	    "(anonymous senders are not permitted on it).",
	    "Log in with AUTH, then MAIL FROM again. A mail server delivering to "
	    "this organization needs its administrator to allow anonymous users on "
	    "the connector, or must use its MX on port 25."),
	/* "550 5.7.60 SMTP; Client does not have permissions to send as this
	 * sender" */
	EXPLAIN_RULE("exchange-send-as", 5, NULL,
	    "permissions to send as this sender|permission to send as", NULL,
	    ANY, ANY, ANY,
	    "not allowed to send as this sender",
	    "Exchange refuses MAIL FROM because your login has no Send As right "
	    "on that address.",
	    "Send from the address you logged in as, or have the Exchange "
	    "administrator grant Send As on that mailbox."),
	/* "535 5.7.3 Authentication unsuccessful": Exchange's code for any failed
	 * login, whatever RFC 3463 says 5.7.3 means. */
	EXPLAIN_RULE("exchange-5.7.3", 535, "5.7.3", NULL, NULL, ANY, ANY, ANY,
	    "Exchange: login refused",
	    "Exchange uses 5.7.3 for any failed login (not RFC 3463's \"security "
	    "conversion\"): a wrong user name or password, a locked or disabled "
	    "account, or a login method the connector does not allow.",
	    "Check the user name (DOMAIN\\user, or the full address) and the "
	    "password; if they are right, the Exchange administrator checks that "
	    "the receive connector allows basic authentication over TLS."),
	/* "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain" */
	EXPLAIN_RULE("exchange-unable-to-relay", 5, NULL, "unable to relay", NULL,
	    ANY, ANY, ANY,
	    "relay denied: domain not accepted",
	    "The recipient's domain is not one this Exchange organization accepts, "
	    "and it relays to other domains only for allowed senders.",
	    "A user logs in with AUTH (on the submission port 587) first; an "
	    "application or device needs the Exchange administrator to allow its "
	    "IP on a relay connector. To deliver, use the recipient domain's MX."),
	/* "451 4.7.0 Temporary server error. Please try again later. PRX4" (PRX1
	 * to PRX5). */
	EXPLAIN_RULE("exchange-prx", 4, NULL, "temporary server error", NULL,
	    ANY, ANY, ANY,
	    "Exchange: temporary server error",
	    "Exchange's front end could not hand the session on to a mailbox "
	    "server (PRX names the proxy step); the problem is on the server's "
	    "side.",
	    "Try again later; if it lasts, the Exchange administrator checks the "
	    "server's DNS settings and transport services."),
	/* Outlook.com: "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't
	 * sent. Please contact your Internet service provider since part of their
	 * network is on our block list (S3150)." */
	EXPLAIN_RULE("outlook-block-list", 5, NULL, "on our block list", NULL,
	    ANY, ANY, ANY,
	    "IP range on Outlook.com's block list",
	    "Outlook.com blocks the network your IP address belongs to (the S "
	    "number names its list).",
	    "Send through your provider's submission server (port 587 with AUTH); "
	    "a server's owner can ask for delisting with Outlook.com's sender "
	    "support form."),

	/* Gmail and Google Workspace. */
	/* "535-5.7.8 Username and Password not accepted. For more information, go
	 * to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials ..." */
	EXPLAIN_RULE("gmail-bad-credentials", 5, NULL,
	    "username and password not accepted", NULL, ANY, ANY, ANY,
	    "Gmail: user name/password refused",
	    "Google refused the user name or password; with 2-Step Verification "
	    "on, Google never accepts the account's own password over SMTP.",
	    "Log in with the full address and an app password (Google Account > "
	    "Security > App passwords), or with OAuth (AUTH XOAUTH2)."),
	/* "534-5.7.9 Application-specific password required. Learn more at\n534
	 * 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor ..." */
	EXPLAIN_RULE("gmail-app-password", 5, NULL,
	    "application-specific password required", NULL, ANY, ANY, ANY,
	    "app password required",
	    "The account has 2-Step Verification on, so Google will not take its "
	    "normal password over SMTP.",
	    "Create an app password in the Google Account (Security > App "
	    "passwords) and log in with it, or use OAuth (AUTH XOAUTH2)."),
	/* "534-5.7.14 <https://accounts.google.com/signin/continue?...> Please log
	 * in via your web browser and\n534-5.7.14 then try again." */
	EXPLAIN_RULE("gmail-web-login", 5, NULL,
	    "log in via your web browser|login via your web browser", NULL,
	    ANY, ANY, ANY,
	    "Google: sign in via browser first",
	    "Google blocked the login as unusual (a new place or program) until "
	    "you confirm it was you.",
	    "Sign in at accounts.google.com in a browser, confirm the security "
	    "alert, then retry; an app password or OAuth (XOAUTH2) avoids this."),
	/* "454-4.7.0 Too many login attempts, please try again later." */
	EXPLAIN_RULE("too-many-logins", 0, NULL, "too many login attempts", NULL,
	    ANY, ANY, ANY,
	    "too many login attempts",
	    "After repeated failed logins the server refuses more for a while.",
	    "Wait (minutes to an hour), and get the user name and password right "
	    "before trying again."),
	/* "530-5.7.0 Authentication Required. Learn more at\n530 5.7.0
	 * https://support.google.com/mail/?p=WantAuthError", and the same words
	 * from many other servers. */
	EXPLAIN_RULE("auth-required", 5, NULL, "authentication required", NULL,
	    ANY, ANY, ANY,
	    "login required (AUTH first)",
	    "The server takes mail only from logged-in users, and this session "
	    "has not logged in.",
	    "Log in with AUTH (a mechanism listed in the EHLO reply), then send "
	    "MAIL FROM again."),
	EXPLAIN_RULE("auth-required-plain", 5, NULL, "authentication required",
	    NULL, NOTYES, NOTYES, NOTNO,
	    "login required (AUTH first)",
	    "The server takes mail only from logged-in users, and this session "
	    "has not logged in.",
	    "If TLS is not up yet, send STARTTLS and EHLO again first (most "
	    "servers take AUTH only over TLS); then AUTH, then MAIL FROM again."),
	EXPLAIN_RULE("auth-required-no-starttls", 5, NULL,
	    "authentication required", NULL, NO, NOTYES, NO,
	    "login required (AUTH first)",
	    "The server takes mail only from logged-in users, and this session "
	    "has not logged in.",
	    "Log in with AUTH, then MAIL FROM again. The server offers no way to "
	    "encrypt this session, so the password would cross the network "
	    "readable: prefer implicit TLS (--tls, port 465)."),
	EXPLAIN_RULE("auth-required-authed", 5, NULL, "authentication required",
	    NULL, ANY, YES, ANY,
	    "login required, though logged in",
	    "The server asks for a login although this session has logged in: "
	    "the login may not cover this sender, or the server lost it.",
	    "Check that MAIL FROM is the address you logged in as; if it is, "
	    "QUIT, reconnect and log in again."),
	/* "421-4.7.0 [192.0.2.1] Our system has detected an unusual rate of\n
	 * 421-4.7.0 unsolicited mail originating from your IP address. ...";
	 * newer ones carry 4.7.28. */
	EXPLAIN_RULE("gmail-unusual-rate", 0, NULL, "unusual rate", NULL,
	    ANY, ANY, ANY,
	    "rate limited: unusual rate of mail",
	    "Gmail sees too much unwanted mail from this IP address and slows it "
	    "down for now.",
	    "The sender's side must act: retry later and slower, and check that "
	    "the server is not an open relay or sending for a stolen account, "
	    "with SPF, DKIM and reverse DNS in order."),
	/* "452-4.2.1 The user you are trying to contact is receiving mail at a
	 * rate that\n452-4.2.1 prevents additional messages from being delivered." */
	EXPLAIN_RULE("gmail-receiving-rate", 4, NULL, "receiving mail at a rate",
	    NULL, ANY, ANY, ANY,
	    "recipient gets too much mail: later",
	    "The recipient is receiving mail faster than Gmail allows; this is "
	    "not about you.",
	    "Try again later; a mail server retries by itself."),
	/* "550-5.4.5 Daily user sending limit exceeded." and "550 5.4.5 Daily
	 * sending quota exceeded." */
	EXPLAIN_RULE("gmail-daily-limit", 0, NULL,
	    "sending limit exceeded|sending quota exceeded", NULL, ANY, ANY, ANY,
	    "daily sending limit reached",
	    "The account has sent its daily maximum (about 500 messages for "
	    "Gmail, 2,000 for Google Workspace).",
	    "Wait up to 24 hours; bulk mail belongs with a sending service, not a "
	    "mailbox account."),
	/* "550-5.7.26 This message does not have authentication information or
	 * fails to\n550-5.7.26 pass authentication checks. ...", "... fails to pass
	 * authentication checks (SPF or DKIM)", and since 2024 "This mail has been
	 * blocked because the sender is unauthenticated." */
	EXPLAIN_RULE("gmail-unauthenticated", 5, NULL,
	    "does not have authentication information|fails to pass "
	    "authentication checks|sender is unauthenticated|this mail is "
	    "unauthenticated", NULL, ANY, ANY, ANY,
	    "SPF/DKIM checks failed",
	    "The receiving server found no passing SPF or DKIM for the sender's "
	    "domain.",
	    "The sender's domain must fix it: publish SPF that includes the "
	    "sending server and sign with DKIM; or send through the domain's own "
	    "mail server with AUTH."),
	/* "550-5.7.26 Unauthenticated email from example.com is not accepted due
	 * to\n550-5.7.26 domain's DMARC policy. ..." */
	EXPLAIN_RULE("dmarc-reject", 5, NULL, "dmarc", NULL, ANY, ANY, ANY,
	    "rejected by sender domain's DMARC",
	    "The From: domain publishes a DMARC policy asking receivers to refuse "
	    "mail it did not authenticate, and this message passed neither SPF nor "
	    "DKIM aligned with it.",
	    "Send through the mail server of the From: domain (with AUTH), or use "
	    "a From: address in a domain you may send for; its administrator can "
	    "align SPF and DKIM."),
	/* "550-5.1.1 The email account that you tried to reach does not exist.
	 * Please try\n550-5.1.1 double-checking the recipient's email address ..." */
	EXPLAIN_RULE("gmail-no-such-account", 5, NULL,
	    "account that you tried to reach does not exist", NULL, ANY, ANY, ANY,
	    "no such Gmail account",
	    "Google has no account at this address.",
	    "Check the address for typos and stray spaces; if it is right, the "
	    "recipient's side must fix it."),
	/* "550-5.2.1 The email account that you tried to reach is disabled.";
	 * Yahoo: "... This account has been disabled or discontinued". */
	EXPLAIN_RULE("mailbox-disabled", 5, NULL,
	    "account that you tried to reach is disabled|disabled or "
	    "discontinued|account has been disabled|mailbox disabled|mailbox is "
	    "disabled|mailbox is inactive", "RCPT DATA . ?", ANY, ANY, ANY,
	    "recipient's mailbox is disabled",
	    "The recipient's mailbox exists but is disabled and takes no mail.",
	    "Reach them another way; only the recipient's side can fix it."),
	/* "452-4.2.2 The email account that you tried to reach is over quota.",
	 * Dovecot "552 5.2.2 <x@example.org> Mailbox is full" / "Quota exceeded". */
	EXPLAIN_RULE("mailbox-full", 0, NULL,
	    "over quota|quota exceeded|mailbox is full|mailbox full|exceeded its "
	    "quota|mailbox has exceeded", NULL, ANY, ANY, ANY,
	    "recipient's mailbox is full",
	    "The recipient's mailbox has no room left.",
	    "Nothing to fix on your side: try again later or reach them another "
	    "way; they must make room."),
	/* "552-5.2.3 Your message exceeded Google's message size limits. Please
	 * visit\n552-5.2.3 https://support.google.com/mail/?p=MaxSizeError ..." */
	EXPLAIN_RULE("gmail-size", 5, NULL, "google's message size limits", NULL,
	    ANY, ANY, ANY,
	    "too big for Gmail (25 MB limit)",
	    "The message is bigger than Gmail accepts: 25 MB, and attachments "
	    "grow by a third when encoded.",
	    "Send less: shrink or leave out attachments, or share large files by "
	    "link."),
	/* "550-5.7.25 [192.0.2.1] The IP address sending this message does not
	 * have a\n550-5.7.25 PTR record setup, or the corresponding forward DNS
	 * entry does not\n550-5.7.25 point to the sending IP. ..." */
	EXPLAIN_RULE("gmail-no-ptr", 5, NULL,
	    "ptr record setup|missing ptr record|no ptr record", NULL, ANY, ANY, ANY,
	    "no reverse DNS (PTR) for your IP",
	    "The sending IP address has no reverse DNS name (PTR), or its name "
	    "does not point back to the address.",
	    "Whoever runs the sending IP (your ISP or host) sets a PTR whose name "
	    "resolves back to it; from a home line, send through your provider's "
	    "submission server (port 587 with AUTH)."),
	/* "550-5.7.1 [2001:db8::1] Our system has detected that this message does
	 * not meet IPv6 sending guidelines regarding PTR records and
	 * authentication." */
	EXPLAIN_RULE("gmail-ipv6", 5, NULL, "ipv6 sending guidelines", NULL,
	    ANY, ANY, ANY,
	    "fails Gmail's IPv6 sender rules",
	    "Over IPv6 Gmail requires a PTR record for the sending address and "
	    "passing SPF or DKIM.",
	    "Set the PTR for the IPv6 address and fix SPF or DKIM, or send over "
	    "IPv4 (connect to the server's IPv4 address)."),
	/* "550-5.7.1 [192.0.2.1] Our system has detected that this message
	 * is\n550-5.7.1 likely unsolicited mail. To reduce the amount of spam ..." */
	EXPLAIN_RULE("gmail-spam", 5, NULL, "likely unsolicited mail", NULL,
	    ANY, ANY, ANY,
	    "rejected as spam",
	    "Gmail's filters judged this message to be spam (its content, links, "
	    "or the sender's reputation).",
	    "Change the content and check the sender domain's SPF, DKIM and DMARC; "
	    "sending the same message again will not help."),
	/* "552-5.7.0 This message was blocked because its content presents a
	 * potential\n552-5.7.0 security issue. ..." */
	EXPLAIN_RULE("gmail-security-issue", 5, NULL, "potential security issue",
	    NULL, ANY, ANY, ANY,
	    "blocked: risky attachment or content",
	    "Gmail blocked the message for its content, usually an executable "
	    "attachment, also inside an archive.",
	    "Send it without that attachment and share the file by link instead."),
	/* "550-5.7.1 The user or domain that you are sending to (or from) has a
	 * policy that\n550-5.7.1 prohibited the mail that you sent. ..." */
	EXPLAIN_RULE("gmail-policy", 5, NULL, "has a policy that prohibited", NULL,
	    ANY, ANY, ANY,
	    "blocked by a Workspace policy",
	    "A Google Workspace administrator (the recipient's, or the sender's) "
	    "set a rule that refuses this message.",
	    "Ask that administrator; nothing in this session can change it."),
	/* "550-5.7.1 Invalid credentials for relay [192.0.2.1]. The IP address
	 * you've\n550-5.7.1 registered in your G Suite SMTP Relay service doesn't
	 * match ..." */
	EXPLAIN_RULE("gworkspace-relay", 5, NULL, "invalid credentials for relay",
	    NULL, ANY, ANY, ANY,
	    "Workspace relay: IP not allowed",
	    "Google Workspace's SMTP relay service does not know the sending IP "
	    "address for the sender's domain.",
	    "The Workspace administrator adds this IP under Gmail > Routing > SMTP "
	    "relay service, or makes the relay require SMTP AUTH and you log in."),

	/* Yahoo and AOL. */
	/* "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1,
	 * because the ip is in Spamhaus's list; see
	 * https://postmaster.yahooinc.com/error-codes"; the wording has changed
	 * over the years, the [BL21] has not. */
	EXPLAIN_RULE("spamhaus-pbl", 5, NULL, "spamhaus pbl|[bl21]", NULL,
	    ANY, ANY, ANY,
	    "IP on Spamhaus PBL (end-user range)",
	    "The sending IP is in a range its owner lists as not meant to send "
	    "mail directly (home or dynamic addresses: the Spamhaus PBL).",
	    "Send through your provider's submission server (port 587 with AUTH) "
	    "instead of delivering directly; only a server with a fixed IP and "
	    "reverse DNS should ask to leave the PBL."),
	/* "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to
	 * unexpected volume or user complaints - 4.16.55.1; see ..." */
	EXPLAIN_RULE("yahoo-deferred", 4, NULL,
	    "[tss04]|unexpected volume or user complaints", NULL, ANY, ANY, ANY,
	    "deferred: volume or complaints",
	    "Yahoo is slowing mail from this IP because of its volume or "
	    "recipients' spam complaints.",
	    "Retry later and slower; the sending side should cut complaints "
	    "(consent, unsubscribe links) and join Yahoo's complaint feedback "
	    "loop."),
	/* "554 5.7.9 Message not accepted for policy reasons. See
	 * https://help.yahoo.com/kb/postmaster/SLN7253.html" */
	EXPLAIN_RULE("yahoo-policy", 5, NULL, "not accepted for policy reasons",
	    NULL, ANY, ANY, ANY,
	    "refused for policy (not the login)",
	    "Yahoo refused the message for its content or the sender's "
	    "reputation; its 5.7.9 here is not about the AUTH mechanism.",
	    "The sender's side checks SPF, DKIM and DMARC and the content; sending "
	    "the same message again will not help. The link in the reply says "
	    "more."),
	/* "554 delivery error: dd This user doesn't have a yahoo.com account
	 * (x@yahoo.com) [0] - mta1234.mail.ne1.yahoo.com" */
	EXPLAIN_RULE("yahoo-no-such-account", 5, NULL,
	    "doesn't have a yahoo|does not have a yahoo", NULL, ANY, ANY, ANY,
	    "no such Yahoo account",
	    "Yahoo has no account at this address.",
	    "Check the address for typos; if it is right, the recipient's side "
	    "must fix it."),

	/* iCloud. */
	/* "554 5.7.1 [CS01] Message rejected due to local policy. Please visit
	 * https://support.apple.com/en-us/HT204137"; HM07 and HM08 read alike. */
	EXPLAIN_RULE("icloud-policy", 5, NULL, "[cs01]|[hm07]|[hm08]", NULL,
	    ANY, ANY, ANY,
	    "iCloud: rejected by policy",
	    "iCloud's filters rejected the message: its content, or the sender's "
	    "reputation or authentication.",
	    "The sender's side fixes SPF, DKIM and DMARC and the content; Apple's "
	    "page HT204137 explains the codes."),

	/* Postfix, Exim, cPanel and other hosting MTAs; many words are common. */
	/* "554 5.7.1 <x@example.org>: Relay access denied" (Postfix), "550 relay
	 * not permitted" (Exim), "550 ... is not permitted to relay through this
	 * server without authentication" (cPanel). */
	EXPLAIN_RULE("relay-denied", 5, NULL,
	    "relay access denied|relaying denied|relay not permitted|relay "
	    "denied|not permitted to relay|relaying not allowed|relay not "
	    "allowed|we do not relay|relaying prohibited", NULL, ANY, ANY, ANY,
	    "relay denied: log in first",
	    "The server takes mail for other domains only from its logged-in "
	    "users, and this session has not logged in.",
	    "Log in with AUTH, then MAIL FROM and RCPT TO again; or send to the "
	    "recipient domain's own mail server (its MX) instead."),
	EXPLAIN_RULE("relay-denied-plain", 5, NULL,
	    "relay access denied|relaying denied|relay not permitted|relay "
	    "denied|not permitted to relay|relaying not allowed|relay not "
	    "allowed|we do not relay|relaying prohibited", NULL,
	    NOTYES, NOTYES, NOTNO,
	    "relay denied: log in first",
	    "The server takes mail for other domains only from its logged-in "
	    "users, and this session has not logged in.",
	    "If TLS is not up yet, send STARTTLS and EHLO again first; then AUTH, "
	    "then MAIL FROM and RCPT TO again. Or send to the recipient domain's "
	    "own mail server (its MX) instead."),
	EXPLAIN_RULE("relay-denied-authed", 5, NULL,
	    "relay access denied|relaying denied|relay not permitted|relay "
	    "denied|not permitted to relay|relaying not allowed|relay not "
	    "allowed|we do not relay|relaying prohibited", NULL, ANY, YES, ANY,
	    "relay denied despite login",
	    "You are logged in, but the server still will not relay to this "
	    "recipient for you.",
	    "Check that this is your provider's submission server (port 587 or "
	    "465), not the recipient's MX, and that MAIL FROM is an address your "
	    "login may use; else its administrator must let logged-in users relay."),
	/* "550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in
	 * virtual mailbox table" (Postfix; also "local recipient table"), and the
	 * usual words of others. */
	EXPLAIN_RULE("user-unknown", 5, NULL,
	    "user unknown|unknown user|no such user|unknown recipient|recipient "
	    "unknown|no such mailbox|mailbox not found|mailbox does not "
	    "exist|invalid recipient|recipient not found|address does not exist",
	    NULL, ANY, ANY, ANY,
	    "no such mailbox (user unknown)",
	    "The recipient's server has no mailbox at this address.",
	    "Check the address for typos before and after the @; if it is right, "
	    "the recipient's side must fix it."),
	/* Exim: "550 Unrouteable address". */
	EXPLAIN_RULE("unrouteable", 5, NULL,
	    "unrouteable address|unroutable address", NULL, ANY, ANY, ANY,
	    "unrouteable address",
	    "The server found no way to deliver to the recipient's domain (no MX "
	    "or address record, or a routing rule of its own).",
	    "Check the domain after the @ for typos; if it is right, the recipient "
	    "domain's DNS (its MX records) is at fault."),
	/* Postfix: "553 5.1.8 <x@example.org>: Sender address rejected: Domain not
	 * found" */
	EXPLAIN_RULE("sender-domain-not-found", 0, NULL,
	    "sender address rejected+domain not found", NULL, ANY, ANY, ANY,
	    "sender's domain does not exist",
	    "The domain of your MAIL FROM address has no DNS records the server "
	    "can find, so no reply could ever reach it.",
	    "Use a MAIL FROM address in a real domain (check the spelling after "
	    "the @)."),
	/* Postfix: "450 4.1.2 <x@example.org>: Recipient address rejected: Domain
	 * not found" */
	EXPLAIN_RULE("recipient-domain-not-found", 0, NULL,
	    "recipient address rejected+domain not found", NULL, ANY, ANY, ANY,
	    "recipient's domain does not exist",
	    "The domain of the recipient address has no DNS records the server "
	    "can find.",
	    "Check the spelling after the @; a 4xx may be a passing DNS failure, "
	    "so retry later if it is right."),
	/* Postgrey: "450 4.2.0 <x@example.org>: Recipient address rejected:
	 * Greylisted, see http://postgrey.schweikert.ch/help/example.org.html" */
	EXPLAIN_RULE("greylisted", 4, NULL,
	    "greylist|graylist|grey listed|gray listed", NULL, ANY, ANY, ANY,
	    "greylisted: retry in a few minutes",
	    "The server turns away mail from senders it has not seen before until "
	    "they retry (greylisting); nothing is wrong.",
	    "Send the same message again after a few minutes (usually 1 to 15); a "
	    "real mail server retries by itself."),
	/* Postfix: "530 5.7.0 Must issue a STARTTLS command first"; Exchange
	 * Online: "451 5.7.3 STARTTLS is required to send mail"; others vary. */
	EXPLAIN_RULE("tls-required", 0, NULL,
	    "must issue a starttls|starttls is required|starttls required|must use "
	    "starttls|tls is required|tls required|encryption required|requires "
	    "tls|must use tls", NULL, NOTYES, ANY, NOTNO,
	    "TLS required first",
	    "The server wants an encrypted (TLS) session before it takes this "
	    "command.",
	    "Send STARTTLS (or reconnect with --starttls), then EHLO again, then "
	    "repeat the command (AUTH, MAIL FROM, ...)."),
	EXPLAIN_RULE("tls-required-no-starttls", 0, NULL,
	    "must issue a starttls|starttls is required|starttls required|must use "
	    "starttls|tls is required|tls required|encryption required|requires "
	    "tls|must use tls", NULL, NO, ANY, NO,
	    "TLS required, but no STARTTLS offered",
	    "The server wants an encrypted (TLS) session before it takes this "
	    "command, but its EHLO reply did not offer STARTTLS.",
	    "Reconnect with implicit TLS (--tls, usually port 465); if STARTTLS "
	    "should be offered, something on the path may be stripping it."),
	EXPLAIN_RULE("tls-required-tls-up", 0, NULL,
	    "must issue a starttls|starttls is required|starttls required|must use "
	    "starttls|tls is required|tls required|encryption required|requires "
	    "tls|must use tls", NULL, YES, ANY, ANY,
	    "TLS required, though TLS is up",
	    "The server asks for TLS although this session has it: it missed the "
	    "handshake (a proxy in between?) or wants a newer TLS version.",
	    "Send EHLO again and repeat the command; if it persists, reconnect "
	    "with implicit TLS (--tls, port 465) or tell the server's "
	    "administrator."),
	/* Postfix: "554 5.5.1 Error: TLS already active" */
	EXPLAIN_RULE("tls-already-active", 0, NULL, "tls already active", NULL,
	    ANY, ANY, ANY,
	    "TLS is already active",
	    "TLS is already running in this session; it can be started only once.",
	    "Carry on: send EHLO (again, if not done since the handshake), then "
	    "AUTH or MAIL FROM."),
	/* Postfix: "454 4.7.0 TLS not available due to local problem" */
	EXPLAIN_RULE("tls-broken-on-server", 4, NULL,
	    "tls not available due to local problem", NULL, ANY, ANY, ANY,
	    "server's TLS setup is broken",
	    "The server's own TLS setup is broken (a missing or unreadable "
	    "certificate or key); the problem is on the server's side.",
	    "Its administrator must fix it; meanwhile try implicit TLS on port 465 "
	    "(--tls) or another server, and do not log in without TLS."),
	/* Postfix with smtpd_tls_auth_only: "503 5.5.1 Error: authentication not
	 * enabled" */
	EXPLAIN_RULE("auth-not-enabled-plain", 5, NULL,
	    "authentication not enabled", NULL, NOTYES, ANY, NOTNO,
	    "AUTH only after TLS",
	    "The server offers AUTH only over TLS, and this session may not be "
	    "encrypted yet.",
	    "Send STARTTLS, then EHLO again, then AUTH."),
	EXPLAIN_RULE("auth-not-enabled-no-starttls", 5, NULL,
	    "authentication not enabled", NULL, NO, ANY, NO,
	    "no AUTH here (and no TLS)",
	    "The server takes no logins on this unencrypted session and offers "
	    "no STARTTLS to encrypt it.",
	    "Reconnect to a submission port: 465 with --tls, or 587."),
	EXPLAIN_RULE("auth-not-enabled-tls-up", 5, NULL,
	    "authentication not enabled", NULL, YES, ANY, ANY,
	    "no AUTH on this port",
	    "The server does not take logins here, even over TLS.",
	    "Use a submission port (587, or 465 with --tls); port 25 often takes "
	    "no logins."),
	/* Postfix: "503 5.5.1 Error: already authenticated" */
	EXPLAIN_RULE("already-authenticated", 5, NULL, "already authenticated",
	    NULL, ANY, ANY, ANY,
	    "already logged in",
	    "This session has already logged in; AUTH works once per session.",
	    "Carry on with MAIL FROM; to log in as someone else, QUIT and "
	    "reconnect."),
	/* Postfix: "503 5.5.1 Error: need MAIL command" */
	EXPLAIN_RULE("need-mail", 5, NULL, "need mail command", NULL,
	    ANY, ANY, ANY,
	    "MAIL FROM first",
	    "RCPT TO or DATA came before a sender was given.",
	    "Send MAIL FROM:<you@example.org> first, then RCPT TO, then DATA."),
	/* Postfix: "503 5.5.1 Error: need RCPT command" */
	EXPLAIN_RULE("need-rcpt", 5, NULL, "need rcpt command", NULL,
	    ANY, ANY, ANY,
	    "RCPT TO first",
	    "DATA came before any recipient was accepted.",
	    "Send RCPT TO:<them@example.org>, check that it gets 250, then DATA."),
	/* Postfix: "554 5.5.1 Error: no valid recipients" */
	EXPLAIN_RULE("no-valid-recipients", 5, NULL, "no valid recipients", NULL,
	    ANY, ANY, ANY,
	    "no valid recipients",
	    "DATA was refused because every RCPT TO of this transaction was "
	    "refused.",
	    "Read the RCPT replies above, fix the addresses, and send RCPT TO "
	    "again before DATA."),
	/* Postfix: "504 5.5.2 <localhost>: Helo command rejected: need
	 * fully-qualified hostname" (or ": Host not found"). */
	EXPLAIN_RULE("helo-rejected", 5, NULL,
	    "helo command rejected|need fully-qualified hostname|invalid "
	    "helo|helo rejected|ehlo rejected", NULL, ANY, ANY, ANY,
	    "HELO/EHLO name refused",
	    "The server refuses the name given in EHLO or HELO: not a full host "
	    "name, or one that does not exist.",
	    "Send EHLO with a full host name that resolves (EHLO mail.example.org) "
	    "or an address literal (EHLO [192.0.2.1]), then go on."),
	/* Postfix: "450 4.7.1 Client host rejected: cannot find your hostname,
	 * [192.0.2.1]"; "550 5.7.1 Client host rejected: cannot find your reverse
	 * hostname, [192.0.2.1]" */
	EXPLAIN_RULE("no-reverse-hostname", 0, NULL,
	    "cannot find your hostname|cannot find your reverse hostname|reverse "
	    "dns|reverse hostname", NULL, ANY, ANY, ANY,
	    "no reverse DNS for your IP",
	    "The server looked up the name of your IP address (reverse DNS) and "
	    "found none, or one that does not lead back to the address.",
	    "Whoever runs the IP (your ISP or host) fixes its PTR record; from a "
	    "home line, send through your provider's submission server (port 587 "
	    "with AUTH) instead."),
	/* Postfix reject_sender_login_mismatch: "553 5.7.1 <x@example.org>: Sender
	 * address rejected: not owned by user y@example.org" */
	EXPLAIN_RULE("sender-login-mismatch", 5, NULL, "not owned by user", NULL,
	    ANY, ANY, ANY,
	    "sender not owned by your login",
	    "MAIL FROM names an address that your login does not own.",
	    "Use MAIL FROM with your own address (the one you logged in as), or "
	    "ask the administrator to allow this address for your login."),
	/* Exim "550 Sender verify failed"; Postfix "450 4.1.7 <x@example.org>:
	 * Sender address rejected: unverified address: ..."; wording varies. */
	EXPLAIN_RULE("sender-verify-failed", 0, NULL,
	    "sender verify failed|unverified address|sender address not "
	    "verified|sender verification failed|could not verify sender", NULL,
	    ANY, ANY, ANY,
	    "sender address could not be verified",
	    "The server checked whether the sender address takes mail (asking its "
	    "mail server) and could not confirm it.",
	    "Use a real sender address that accepts mail, not a made-up one; its "
	    "domain's mail server must answer such checks."),
	/* SendGrid: "550 The from address does not match a verified Sender
	 * Identity. Mail cannot be sent until this error is resolved. ..." */
	EXPLAIN_RULE("sendgrid-sender-identity", 5, NULL,
	    "verified sender identity", NULL, ANY, ANY, ANY,
	    "sender is not a verified identity",
	    "The sending service takes only From: addresses or domains verified "
	    "in the account (SendGrid's Sender Identity).",
	    "Verify the address, or authenticate the domain, in the service's "
	    "settings, or send from an address already verified."),
	/* Postfix: "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked
	 * using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1";
	 * others say "listed at" or "listed in" and name the list. */
	EXPLAIN_RULE("blocklisted", 0, NULL,
	    "blocked using|listed at|listed in|listed on|blacklisted|blocklisted|"
	    "blacklist|blocklist|dnsbl", NULL, ANY, ANY, ANY,
	    "your IP is on a blocklist",
	    "The connecting IP address is on a DNS blocklist the server checks "
	    "(the reply names the list).",
	    "The sender's side fixes it: look the IP up on the named list "
	    "(Spamhaus: check.spamhaus.org), remove the cause and follow its "
	    "delisting steps; or send through your provider's submission server "
	    "(port 587 with AUTH)."),
	/* Exim: "535 Incorrect authentication data" */
	EXPLAIN_RULE("exim-auth-failed", 5, NULL, "incorrect authentication data",
	    NULL, ANY, ANY, ANY,
	    "auth failed: bad credentials",
	    "The server rejected the user name or password.",
	    "Check both; on cPanel hosts the user name is the full address. Many "
	    "failures in a row can get your IP blocked for a while."),
	/* Postfix with Dovecot: "535 5.7.8 Error: authentication failed:
	 * authentication failure" (or ": UGFzc3dvcmQ6", the last challenge). */
	EXPLAIN_RULE("auth-failed", 5, NULL, "authentication failed", NULL,
	    ANY, ANY, ANY,
	    "auth failed: bad credentials",
	    "The server's login service rejected the user name or password, or "
	    "could not read the AUTH answer.",
	    "Check both (many servers want the full address as user name); for "
	    "AUTH PLAIN the answer is base64 of \\0user\\0password."),
	/* Exim: "451 Temporary local problem - please try later" */
	EXPLAIN_RULE("temporary-local-problem", 4, NULL,
	    "temporary local problem", NULL, ANY, ANY, ANY,
	    "server problem: try later",
	    "The server hit a problem of its own (disk, database or a filter); "
	    "nothing is wrong on your side.",
	    "Try again later; if it lasts, the server's administrator must look "
	    "at its logs."),
	/* Exim: "421 mx.example.org Too many concurrent SMTP connections from this
	 * IP address; please try again later." */
	EXPLAIN_RULE("too-many-connections", 4, NULL,
	    "too many concurrent|too many connections", NULL, ANY, ANY, ANY,
	    "too many connections from your IP",
	    "The server limits how many sessions one IP address may have at once, "
	    "and yours has reached it.",
	    "Close other sessions from this address (other mail programs, "
	    "stuck scripts) and try again in a minute."),
	/* "452 4.5.3 Too many recipients" (Postfix, Gmail: "Your message has too
	 * many recipients"). */
	EXPLAIN_RULE("too-many-recipients", 0, NULL, "too many recipients", NULL,
	    ANY, ANY, ANY,
	    "too many recipients",
	    "The server takes only so many recipients in one message.",
	    "Send DATA for the recipients accepted so far, then the rest in a new "
	    "MAIL FROM transaction."),
	/* Postfix's message_size_limit: "552 5.3.4 Message size exceeds fixed
	 * limit"; others word it freely. */
	EXPLAIN_RULE("size-limit", 5, NULL,
	    "size exceeds|exceeds size limit|message too large|message too "
	    "big|message is too large|message size limit|maximum message size",
	    NULL, ANY, ANY, ANY,
	    "message too big for the server",
	    "The message is bigger than the server accepts.",
	    "See the SIZE limit in the EHLO reply and send a smaller message "
	    "(attachments grow by a third in base64)."),
	/* policyd-spf: "550 5.7.1 <x@example.org>: Recipient address rejected:
	 * Message rejected due to: SPF fail - not authorized. Please see
	 * http://www.openspf.net/Why?s=mfrom;..."; others say "SPF check failed". */
	EXPLAIN_RULE("spf-fail", 5, NULL,
	    "spf fail|spf check failed|fails spf|failed spf|spf validation|"
	    "spf: fail|spf=fail|openspf|spf softfail|spf permerror", NULL,
	    ANY, ANY, ANY,
	    "SPF check failed",
	    "The sender domain's SPF record does not list the IP address this "
	    "mail comes from.",
	    "Send through a server the domain's SPF allows (its own, port 587 with "
	    "AUTH), or its administrator adds this server to the SPF record."),
	/* Content filters: "550 5.7.1 Message rejected as spam by Content
	 * Filtering." (Exchange), SpamAssassin and rspamd wordings vary. */
	EXPLAIN_RULE("spam-content", 5, NULL,
	    "rejected as spam|spam message rejected|considered spam|identified as "
	    "spam|detected as spam|classified as spam|looks like spam|spam score",
	    NULL, ANY, ANY, ANY,
	    "rejected as spam",
	    "The server's content filter judged this message to be spam.",
	    "Change the content (links, wording, attachments) and check the "
	    "sender domain's SPF, DKIM and DMARC; sending it again unchanged will "
	    "not help."),
};

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

static void
explain_fill(const struct explain_rule *r, struct explain_verdict *out)
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
	for (i = 0; i < nitems(explain_rules); i++) {
		score = explain_score(&explain_rules[i], code, enhanced, ft, st);
		if (score > top) {
			top = score;
			best = &explain_rules[i];
		}
	}
	if (best == NULL)
		return (0);
	explain_fill(best, out);
	return (1);
}

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
	out->hint = explain_swap(explain_swaps, nitems(explain_swaps), out->hint,
	    st);
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
	return (explain_swap(explain_short_swaps, nitems(explain_short_swaps),
	    explain_short_codes(code, enhanced), st));
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
	if (i >= nitems(explain_rules))
		return (-1);
	explain_fill(&explain_rules[i], out);
	return (0);
}
