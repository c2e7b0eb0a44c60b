/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The session's side of AUTH: risk, answers from the person or the credentials, refusals. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explain-hint.h"
#include "sasl.h"
#include "session-int.h"
#include "trace.h"
#include "vis.h"
#include "xmalloc.h"

const char *
session_auth_risk(struct session *s)
{
	if (!s->smtp.tls || s->info == NULL) {
		snprintf(s->risk, sizeof s->risk, "this connection is not encrypted: "
		    "the credentials would cross the network readable by anyone on the "
		    "path%s", smtp_cap(&s->smtp, "STARTTLS") != NULL ?
		    " (send STARTTLS first)" : "");
		return (s->risk);
	}
	if (!s->info->verified) {
		snprintf(s->risk, sizeof s->risk, "the TLS certificate is not verified "
		    "(%s): the server may not be who it claims", s->info->verdict);
		return (s->risk);
	}
	return (NULL);
}

void
session_set_credentials(struct session *s, const char *user, const char *secret,
    const char *authzid)
{
	auth_set_creds(&s->auth, user, secret, authzid, 1);
}

/* AUTH may go out: safe, accepted by the person, or --insecure. */
static int
session_auth_allowed(struct session *s, int consent, char **errstr)
{
	const char	*risk = session_auth_risk(s);

	if (risk == NULL || s->opts.insecure || consent)
		return (1);
	*errstr = explain_hint_auth_refused(risk, !s->opts.stop_on_refusal);
	return (0);
}

int
session_auth_lines(struct session *s, const char *line)
{
	char		 mech[AUTH_MECH_MAX];
	const char	*ir;

	smtp_verb(smtp_args(line), mech, sizeof mech);
	ir = smtp_args(smtp_args(line));
	if (auth_known(mech) && auth_has_creds(&s->auth))
		return (0);
	if (strcmp(mech, "LOGIN") == 0)
		return (*ir != '\0' ? 1 : 2);
	if (strcmp(mech, "CRAM-MD5") == 0)
		return (2);
	if (auth_known(mech))
		return (*ir != '\0' ? 0 : 2);
	return (1);
}

char *
session_auth_redact(const char *line, char **note)
{
	const char	*ir;
	unsigned char	*dec = NULL;
	size_t		 declen = 0;
	char		*vis, mech[AUTH_MECH_MAX];

	*note = NULL;
	smtp_verb(smtp_args(line), mech, sizeof mech);
	ir = smtp_args(smtp_args(line));
	if (*ir == '\0')
		return (vis_bytes(line, strlen(line)));
	if (strcmp(mech, "LOGIN") == 0 &&
	    sasl_b64_decode(ir, &dec, &declen, NULL) == 0) {
		/* LOGIN's initial response is only the user name. */
		vis = vis_bytes((char *)dec, declen);
		*note = xasprintf("\"%s\"", vis);
		free(vis);
		sasl_wipe(dec, declen);
		free(dec);
		return (vis_bytes(line, strlen(line)));
	}
	*note = xstrdup("initial response hidden");
	vis = vis_bytes(mech, strlen(mech));
	line = xasprintf("AUTH %s ********", vis);
	free(vis);
	return ((char *)line);
}

static void
session_auth_target(struct session *s)
{
	free(s->auth.host);
	s->auth.host = xstrdup(s->host);
	s->auth.port = (unsigned)strtoul(s->port, NULL, 10);
}

/*
 * The user name inside a typed initial response, for "authenticated as": PLAIN's
 * authzid NUL user NUL pass, XOAUTH2's user=..., OAUTHBEARER's a=..., LOGIN's name.
 * The decoded bytes hold the secret: wiped at once.
 */
static void
session_auth_who_ir(struct session *s, const char *mech, const char *ir)
{
	unsigned char	*dec = NULL;
	size_t		 len = 0, i, j = 0;
	char		*who = NULL, *p;

	if (sasl_b64_decode(ir, &dec, &len, NULL) != 0)
		return;
	if (strcmp(mech, "PLAIN") == 0) {
		for (i = 0; i < len && dec[i] != '\0'; i++)
			;
		for (j = i + 1; j < len && dec[j] != '\0'; j++)
			;
		if (i < len && j < len)
			who = xstrndup((char *)dec + i + 1, j - i - 1);
	} else if (strcmp(mech, "XOAUTH2") == 0 || strcmp(mech, "OAUTHBEARER") == 0) {
		p = memmem(dec, len, strcmp(mech, "XOAUTH2") == 0 ? "user=" : "a=",
		    strcmp(mech, "XOAUTH2") == 0 ? 5 : 2);
		if (p != NULL) {
			p += strcmp(mech, "XOAUTH2") == 0 ? 5 : 2;
			for (j = 0; p + j < (char *)dec + len && p[j] != '\001' &&
			    p[j] != ',' && p[j] != '\0'; j++)
				;
			who = xstrndup(p, j);
		}
	} else if (strcmp(mech, "LOGIN") == 0 && memchr(dec, '\0', len) == NULL)
		who = xstrndup((char *)dec, len);
	sasl_wipe(dec, len);
	free(dec);
	if (who != NULL && *who != '\0') {
		free(s->auth.who);
		s->auth.who = who;
	} else
		free(who);
}

enum session_take
session_auth_command(struct session *s, struct held_line *h)
{
	char	mech[AUTH_MECH_MAX], *shown, *note = NULL, *err = NULL;

	if (!session_auth_allowed(s, h->flags & HELD_CONSENT, &err)) {
		transcript_add(s->tr, TR_ERROR, err, NULL);
		free(err);
		/* Its answers are behind it: they go with the refusal. */
		held_drop(&s->held);
		session_refused(s, "the refused AUTH");
		return (TAKE_GONE);
	}
	smtp_verb(smtp_args(h->text), mech, sizeof mech);
	shown = session_auth_redact(h->text, &note);
	auth_begin(&s->auth, mech, strcmp(shown, h->text) != 0 || note != NULL);
	if (*smtp_args(smtp_args(h->text)) != '\0')
		session_auth_who_ir(s, mech, smtp_args(smtp_args(h->text)));
	session_auth_target(s);
	s->auth_left = session_auth_lines(s, h->text);
	trace_log("AUTH %s: %d answer lines expected", mech, s->auth_left);
	session_put(s, h->text, h->len, shown, note, SMTP_CMD_AUTH, "AUTH", 0);
	free(shown);
	free(note);
	return (TAKE_DONE);
}

/* Cancel the AUTH exchange (RFC 4954: a lone "*"). */
void
session_auth_cancel(struct session *s)
{
	s->auth_cancelled = 1;
	s->auth_left = 0;
	session_put(s, "*", 1, "*", "cancels the exchange", SMTP_CMD_ANSWER, "AUTH", 0);
}

/* Build and send the answer to the current challenge. */
static int
session_auth_respond(struct session *s, char *const *answers, char **errstr)
{
	char	*wire = NULL, *shown = NULL, *note = NULL;

	if (auth_respond(&s->auth, answers, &wire, &shown, &note, errstr) != 0)
		return (-1);
	session_put(s, wire, strlen(wire), shown, note, SMTP_CMD_ANSWER, "AUTH", 0);
	xfree_secret_str(wire);
	free(shown);
	free(note);
	return (0);
}

/* The answers to a 334 from the held lines. */
enum session_take
session_auth_take(struct session *s)
{
	struct held_line	*h = held_peek(&s->held), *h2;
	struct auth_need	 need;
	char			*ans[2], *err = NULL;

	if (memchr(h->text, '\0', h->len) != NULL) {
		transcript_add(s->tr, TR_ERROR, "an AUTH answer holds a NUL byte: the "
		    "exchange is cancelled", NULL);
		session_auth_cancel(s);
		session_refused(s, "the cancelled AUTH");
		return (TAKE_GONE);
	}
	if (strcmp(h->text, "*") == 0) {
		session_auth_cancel(s);
		return (TAKE_DONE);
	}
	auth_need(&s->auth, &need);
	if (h->text[0] == '\\') {
		session_put(s, h->text + 1, h->len - 1, "********", "raw answer hidden",
		    SMTP_CMD_ANSWER, "AUTH", 0);
		s->auth_left -= need.n > 1 ? (int)need.n : 1;
		return (TAKE_DONE);
	}
	if (need.n <= 1) {
		ans[0] = h->text;
		if (session_auth_respond(s, ans, &err) != 0)
			goto fail;
		s->auth_left--;
		return (TAKE_DONE);
	}
	if ((h2 = held_at(&s->held, 1)) == NULL) {
		if (s->input_end) {
			session_fail(s, SESSION_F_INPUT, "end of input in the middle of "
			    "AUTH: it needs a user name and a secret line", NULL);
			return (TAKE_GONE);
		}
		return (TAKE_WAIT);
	}
	ans[0] = h->text;
	ans[1] = h2->text;
	if (memchr(h2->text, '\0', h2->len) != NULL) {
		err = xstrdup("an AUTH answer holds a NUL byte: the exchange is "
		    "cancelled");
		goto fail;
	}
	if (session_auth_respond(s, ans, &err) != 0)
		goto fail;
	s->auth_left -= 2;
	held_drop(&s->held);
	held_drop(&s->held);
	return (TAKE_GONE);
fail:
	transcript_add(s->tr, TR_ERROR, err, NULL);
	free(err);
	session_auth_cancel(s);
	session_refused(s, "the cancelled AUTH");
	return (TAKE_GONE);
}

int
session_auth_need(struct session *s, struct auth_need *need)
{
	memset(need, 0, sizeof *need);
	if (s->io != IO_OPEN || s->smtp.state != SMTP_AUTH ||
	    held_count(&s->held) > 0)
		return (0);
	auth_need(&s->auth, need);
	return (1);
}

int
session_auth_answer(struct session *s, char *const *answers, char **errstr)
{
	if (s->io != IO_OPEN || s->smtp.state != SMTP_AUTH) {
		*errstr = xstrdup("no AUTH question is waiting for an answer");
		return (-1);
	}
	if (session_auth_respond(s, answers, errstr) != 0)
		return (-1);
	s->auth_left = 0;
	return (0);
}

/* The server asked (334) or answered (235, 4xx, 5xx) during AUTH. */
void
session_auth_reply(struct session *s, const struct reply *r)
{
	struct auth_need	 need;
	char			*err = NULL;

	if (r->code != 334) {
		if (r->code == 235) {
			free(s->authed_as);
			s->authed_as = s->auth.who != NULL ? vis_bytes(s->auth.who,
			    strlen(s->auth.who)) : xstrdup("?");
		}
		auth_end(&s->auth);
		s->auth_left = 0;
		/* A cancel asked for ("*") ends the exchange without a refusal. */
		if (r->code != 235 && !s->auth_cancelled)
			session_refused(s, "the refused AUTH");
		return;
	}
	if (s->smtp.state != SMTP_AUTH)
		return;
	auth_challenge(&s->auth, r->nlines > 0 ? reply_text(r, 0) : "");
	auth_need(&s->auth, &need);
	if (!need.automatic && (!auth_has_creds(&s->auth) ||
	    !auth_known(s->auth.mech)))
		return;
	/* LOGIN asks twice, the others once (a token mechanism once more for its
	 * error): a server that keeps asking does not get the secret again. */
	if (s->auth.step > (strcmp(s->auth.mech, "LOGIN") == 0 ||
	    auth_uses_token(s->auth.mech) ? 2 : 1)) {
		transcript_add(s->tr, TR_WARN, "the server keeps asking: AUTH "
		    "cancelled", NULL);
		session_auth_cancel(s);
		return;
	}
	if (session_auth_respond(s, NULL, &err) != 0) {
		transcript_add(s->tr, TR_ERROR, err, NULL);
		free(err);
		session_auth_cancel(s);
	}
}

int
session_auth_start(struct session *s, const char *mech, const char *user,
    const char *secret, int consent, char **errstr)
{
	char	*ir, *line, *shown, *vis, *note, *authzid;
	char	 m[AUTH_MECH_MAX];

	if (s->io != IO_OPEN || s->smtp.state != SMTP_READY || !session_idle(s)) {
		*errstr = xasprintf("cannot start AUTH now: %s",
		    s->io != IO_OPEN ? "not connected" : !session_idle(s) ?
		    "a reply is still awaited" : smtp_state_name(s->smtp.state));
		return (-1);
	}
	if (!auth_known(mech)) {
		*errstr = xasprintf("smtpcon cannot build answers for AUTH %s: type "
		    "the exchange by hand", mech);
		return (-1);
	}
	if (!session_auth_allowed(s, consent, errstr))
		return (-1);
	smtp_verb(mech, m, sizeof m);
	authzid = s->auth.authzid != NULL ? xstrdup(s->auth.authzid) : NULL;
	auth_set_creds(&s->auth, user, secret, authzid, 0);
	free(authzid);
	session_auth_target(s);
	if ((ir = auth_initial(&s->auth, m, errstr)) == NULL)
		return (-1);
	vis = vis_bytes(user, strlen(user));
	if (*ir != '\0') {
		line = xasprintf("AUTH %s %s", m, ir);
		shown = xasprintf("AUTH %s ********", m);
		note = xasprintf("initial response for \"%s\" hidden", vis);
	} else {
		line = xasprintf("AUTH %s", m);
		shown = xstrdup(line);
		note = xasprintf("smtpcon answers for \"%s\"", vis);
	}
	auth_begin(&s->auth, m, *ir != '\0');
	/* For "authenticated as": with an initial response no answer names the user. */
	free(s->auth.who);
	s->auth.who = xstrdup(user);
	s->auth_left = 0;
	session_put(s, line, strlen(line), shown, note, SMTP_CMD_AUTH, "AUTH", 0);
	xfree_secret_str(ir);
	xfree_secret_str(line);
	free(shown);
	free(note);
	free(vis);
	return (0);
}
