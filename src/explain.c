/* Reply codes explained for people; all static tables, so nothing here can fail. */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "explain.h"
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
	if (i >= explain_rules_n)
		return (-1);
	explain_match_fill(&explain_rules[i], out);
	return (0);
}
