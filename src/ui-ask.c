/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Questions on the command line, and the AUTH conversation built on them: the two
 * questions of a PLAIN step, the yes before AUTH over a risky connection, and /auth.
 * Answers that are secrets are wiped as soon as they are handed to the session.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "ui.h"
#include "xmalloc.h"

void
ui_ask(struct ui *u, const char *question, int secret,
    void (*done)(struct ui *, const char *))
{
	free(u->ask);
	u->ask = xstrdup(question);
	u->ask_secret = secret;
	u->ask_key = 0;
	u->ask_done = done;
	u->prompt = UI_PROMPT_ASK;
	ui_input_question(u);
}

void
ui_ask_key(struct ui *u, const char *question,
    void (*done)(struct ui *, const char *))
{
	ui_ask(u, question, 0, done);
	u->ask_key = 1;
}

void
ui_ask_keypress(struct ui *u, int ch)
{
	switch (ch) {
	case 'y':
	case 'Y':
		ui_ask_answer(u, "y");
		break;
	case 'n':
	case 'N':
	case '\r':
	case '\n':
	case KEY_ENTER:
		ui_ask_answer(u, "n");
		break;
	case 27:	/* Esc */
		ui_ask_answer(u, NULL);
		break;
	default:
		ui_message(u, "press y or n");
		break;
	}
}

void
ui_ask_answer(struct ui *u, const char *answer)
{
	void	(*done)(struct ui *, const char *) = u->ask_done;

	u->ask_done = NULL;
	u->ask_key = 0;
	u->prompt = UI_PROMPT_COMMAND;
	ui_input_prompt(u);
	if (done != NULL)
		done(u, answer);
	ui_ask_auth_due(u);
}

void
ui_ask_free(struct ui *u)
{
	free(u->ask);
	u->ask = NULL;
	free(u->auth_user);
	u->auth_user = NULL;
	xfree_secret_str(u->auth_first);
	u->auth_first = NULL;
	xfree_secret_str(u->auth_line);
	u->auth_line = NULL;
}

/* Cancel the AUTH exchange in progress (RFC 4954: a lone "*"). */
static void
ui_ask_auth_cancel(struct ui *u)
{
	char	*err = NULL;

	xfree_secret_str(u->auth_first);
	u->auth_first = NULL;
	u->auth_asking = 0;
	if (session_state(u->s) == SMTP_AUTH &&
	    session_submit(u->s, "*", 1, 0, &err) != 0)
		free(err);
}

static void
ui_ask_auth_second(struct ui *u, const char *answer)
{
	char	*ans[2], *err = NULL;

	if (answer == NULL) {
		ui_ask_auth_cancel(u);
		return;
	}
	ans[0] = u->auth_first;
	ans[1] = (char *)answer;
	if (session_auth_answer(u->s, ans, &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
	}
	xfree_secret_str(u->auth_first);
	u->auth_first = NULL;
	u->auth_asking = 0;
}

static void
ui_ask_auth_first(struct ui *u, const char *answer)
{
	struct auth_need	need;

	if (answer == NULL || !session_auth_need(u->s, &need) || need.n != 2) {
		ui_ask_auth_cancel(u);
		return;
	}
	xfree_secret_str(u->auth_first);
	u->auth_first = xstrdup(answer);
	ui_ask(u, need.prompt[1], need.secret[1], ui_ask_auth_second);
}

void
ui_ask_auth_due(struct ui *u)
{
	struct auth_need	need;

	if (u->auth_asking || (u->prompt != UI_PROMPT_COMMAND &&
	    u->prompt != UI_PROMPT_DATA))
		return;
	if (!session_auth_need(u->s, &need) || need.n != 2)
		return;
	u->auth_asking = 1;
	ui_ask(u, need.prompt[0], need.secret[0], ui_ask_auth_first);
}

/* A typed AUTH command over a risky connection waits for the person's yes. */
static void
ui_ask_auth_risk_answer(struct ui *u, const char *answer)
{
	char	*err = NULL, *line = u->auth_line;

	u->auth_line = NULL;
	if (answer == NULL || (answer[0] != 'y' && answer[0] != 'Y')) {
		ui_local(u, TR_LOCAL, "AUTH not sent");
		xfree_secret_str(line);
		return;
	}
	if (session_submit(u->s, line, strlen(line), HELD_CONSENT, &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
	}
	xfree_secret_str(line);
}

/* Ask now when the AUTH goes now; typed ahead, the engine decides when it goes (and
 * refuses it if the connection is risky then). */
int
ui_ask_auth_risky(struct ui *u, const char *line)
{
	const char	*risk;
	char		 verb[16];

	smtp_verb(line, verb, sizeof verb);
	if (strcmp(verb, "AUTH") != 0 || session_state(u->s) != SMTP_READY ||
	    !session_idle(u->s) || session_insecure(u->s) ||
	    (risk = session_auth_risk(u->s)) == NULL)
		return (0);
	ui_local(u, TR_WARN, "careful: %s", risk);
	xfree_secret_str(u->auth_line);
	u->auth_line = xstrdup(line);
	ui_ask_key(u, "Send AUTH anyway? [y/N] ", ui_ask_auth_risk_answer);
	return (1);
}

/* /auth: the secret, then the whole exchange in one step. */
static void
ui_ask_auth_secret(struct ui *u, const char *secret)
{
	char	*err = NULL;

	if (secret == NULL || u->auth_user == NULL) {
		ui_local(u, TR_LOCAL, "/auth cancelled");
		return;
	}
	/* The yes (or a safe connection) was for this exchange only. */
	if (session_auth_start(u->s, u->auth_mech, u->auth_user, secret,
	    u->auth_consent, &err) != 0) {
		ui_local(u, TR_ERROR, "%s", err);
		free(err);
	}
	u->auth_consent = 0;
}

static void
ui_ask_auth_user(struct ui *u, const char *user)
{
	if (user == NULL || *user == '\0') {
		ui_local(u, TR_LOCAL, "/auth cancelled");
		return;
	}
	free(u->auth_user);
	u->auth_user = xstrdup(user);
	if (u->opts->secret != NULL && u->opts->user != NULL &&
	    strcmp(u->opts->user, user) == 0) {
		ui_ask_auth_secret(u, u->opts->secret);
		return;
	}
	ui_ask(u, auth_uses_token(u->auth_mech) ? "Access token: " : "Password: ",
	    1, ui_ask_auth_secret);
}

/* /auth's user name, asked or known; consent: the person said yes to a risk. */
static void
ui_ask_auth_begin(struct ui *u, int consent)
{
	char	*user;

	u->auth_consent = consent;
	if (u->auth_user == NULL) {
		ui_ask(u, "Username: ", 0, ui_ask_auth_user);
		return;
	}
	user = xstrdup(u->auth_user);
	ui_ask_auth_user(u, user);
	free(user);
}

static void
ui_ask_auth_go(struct ui *u, const char *answer)
{
	if (answer == NULL || (answer[0] != 'y' && answer[0] != 'Y')) {
		ui_local(u, TR_LOCAL, "/auth cancelled");
		return;
	}
	ui_ask_auth_begin(u, 1);
}

/* /auth's mechanism: the one asked for, or the best the server offers. NULL: said why. */
static const char *
ui_ask_auth_mech(struct ui *u, const char *mech, const char *adv)
{
	if (mech != NULL) {
		if (!auth_known(mech)) {
			ui_local(u, TR_ERROR, "/auth: smtpcon cannot drive AUTH %s (it "
			    "knows PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER)", mech);
			return (NULL);
		}
		return (mech);
	}
	if (adv == NULL) {
		ui_local(u, TR_ERROR, "/auth: the server advertised no AUTH mechanism: "
		    "send EHLO first (many servers offer AUTH only after STARTTLS)");
		return (NULL);
	}
	if ((mech = auth_choose(adv)) == NULL)
		ui_local(u, TR_ERROR, "/auth: none of the mechanisms offered (%s) is one "
		    "smtpcon can drive (PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER): type "
		    "the exchange by hand", adv);
	return (mech);
}

void
ui_ask_auth_command(struct ui *u, const char *mech, const char *user)
{
	const char	*adv, *risk;

	ui_view_scroll(u, UI_VIEW_END);
	if (!session_connected(u->s) || session_state(u->s) != SMTP_READY ||
	    !session_idle(u->s)) {
		ui_local(u, TR_ERROR, "/auth: %s", !session_connected(u->s) ?
		    "not connected" : "wait until the dialogue is ready");
		return;
	}
	adv = session_cap(u->s, "AUTH");
	if ((mech = ui_ask_auth_mech(u, mech, adv)) == NULL)
		return;
	smtp_verb(mech, u->auth_mech, sizeof u->auth_mech);
	free(u->auth_user);
	u->auth_user = user != NULL ? xstrdup(user) : u->opts->user != NULL ?
	    xstrdup(u->opts->user) : NULL;
	ui_local(u, TR_LOCAL, "/auth: using %s%s%s%s", u->auth_mech, adv != NULL ?
	    " (offered: " : "", adv != NULL ? adv : "", adv != NULL ? ")" : "");
	if (adv != NULL && auth_choose(u->auth_mech) != NULL &&
	    strcasestr(adv, u->auth_mech) == NULL)
		ui_local(u, TR_WARN, "the server did not advertise %s", u->auth_mech);
	if (!session_insecure(u->s) && (risk = session_auth_risk(u->s)) != NULL) {
		ui_local(u, TR_WARN, "careful: %s", risk);
		ui_ask_key(u, "Send AUTH anyway? [y/N] ", ui_ask_auth_go);
		return;
	}
	ui_ask_auth_begin(u, 0);
}
