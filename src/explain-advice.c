/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The next step for a reply, from its codes and the command it answers: what a person
 * talking SMTP by hand should try. Static texts only, so nothing here can fail. The
 * provider rules (explain-rules.c) come before this; it is what the codes alone say.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "explain.h"
#include "explain-advice.h"

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

static int
explain_advice_is(const char *verb, const char *want)
{
	return (verb != NULL && strcasecmp(verb, want) == 0);
}

/* Authentication and TLS: the specific causes come first. */
static const char *
explain_advice_security(int code, int sub, int det, const char *verb)
{
	int	cls = code / 100;

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
		return (explain_advice_is(verb, "AUTH") ? explain_h_tls_first :
		    explain_h_auth_first);
	if (explain_advice_is(verb, "STARTTLS")) {
		if (code == 454)
			return (explain_h_tls_unavailable);
		if (code == 501)
			return (explain_h_starttls_syntax);
		if (code == 500 || code == 502)
			return (explain_h_no_starttls);
	}
	if (code == 454) {
		if (explain_advice_is(verb, "AUTH"))
			return (explain_h_auth_temp);
		if (sub == 7 && det == 1)
			return (explain_h_relay);
		return (explain_h_temp454);
	}
	if (sub == 5 && det == 6)
		return (explain_h_auth_line);
	if (explain_advice_is(verb, "AUTH")) {
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
		if (explain_advice_is(verb, "AUTH"))
			return (explain_h_tls_first);
		if (explain_advice_is(verb, "MAIL"))
			return (explain_h_auth_first);
	}

	return (NULL);
}

/* Policy (relaying, senders, content), then addresses and mailboxes. */
static const char *
explain_advice_policy(int code, int sub, int det, const char *verb)
{
	int	cls = code / 100;

	if (sub == 7 && det == 1) {
		if (cls == 4)
			return (explain_h_greylist);
		if (explain_advice_is(verb, "MAIL"))
			return (explain_h_sender);
		if (explain_advice_is(verb, "DATA") || explain_advice_is(verb, "."))
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
	if (explain_advice_is(verb, "DATA") && code == 554)
		return (explain_h_no_rcpt);

	return (NULL);
}

/* Nothing more specific: the reply code alone. */
static const char *
explain_advice_code(int code, const char *verb)
{
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
		if (explain_advice_is(verb, "EHLO") || explain_advice_is(verb, "HELO"))
			return (explain_h_ehlo_syntax);
		return (explain_h_syntax);
	case 502:
		return (explain_h_not_impl);
	case 503:
		return (explain_h_sequence);
	case 504:
		return (explain_h_param);
	case 550:
		if (explain_advice_is(verb, "MAIL"))
			return (explain_h_sender);
		if (explain_advice_is(verb, "DATA") || explain_advice_is(verb, "."))
			return (explain_h_content);
		if (verb == NULL || explain_advice_is(verb, "RCPT"))
			return (explain_h_rcpt_refused);
		return (NULL);
	case 551:
		return (explain_h_moved);
	case 552:
		return (explain_h_size);
	case 553:
		return (explain_h_mailbox_name);
	case 554:
		if (explain_advice_is(verb, "MAIL"))
			return (explain_h_sender);
		if (explain_advice_is(verb, "."))
			return (explain_h_content);
		if (verb == NULL || explain_advice_is(verb, "RCPT"))
			return (explain_h_relay);
		return (NULL);
	case 555:
		return (explain_h_555);
	}
	return (NULL);
}

const char *
explain_advice(int code, int sub, int det, const char *verb)
{
	const char	*hint;
	int		 cls = code / 100;

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

	if ((hint = explain_advice_security(code, sub, det, verb)) != NULL)
		return (hint);
	if ((hint = explain_advice_policy(code, sub, det, verb)) != NULL)
		return (hint);
	return (explain_advice_code(code, verb));
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

const char *
explain_advice_swap(const struct explain_swap *swaps, size_t n, const char *s,
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

const char *
explain_advice_in_state(const char *hint, const struct explain_state *st)
{
	return (explain_advice_swap(explain_swaps, sizeof explain_swaps /
	    sizeof explain_swaps[0], hint, st));
}
