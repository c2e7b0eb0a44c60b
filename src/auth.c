/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* AUTH assistance: questions and answers per SASL mechanism. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "sasl.h"
#include "vis.h"
#include "xmalloc.h"

void
auth_init(struct auth *a)
{
	memset(a, 0, sizeof *a);
}

static void
auth_forget_creds(struct auth *a)
{
	xfree_secret_str(a->user);
	xfree_secret_str(a->secret);
	xfree_secret_str(a->authzid);
	a->user = a->secret = a->authzid = NULL;
	a->keep_creds = 0;
}

void
auth_end(struct auth *a)
{
	free(a->challenge);
	free(a->challenge_b64);
	a->challenge = a->challenge_b64 = NULL;
	a->mech[0] = '\0';
	a->step = a->initial = a->answered = 0;
	free(a->who);
	a->who = NULL;
	if (!a->keep_creds)
		auth_forget_creds(a);
}

void
auth_clear(struct auth *a)
{
	a->keep_creds = 0;
	auth_end(a);
	free(a->host);
	auth_init(a);
}

void
auth_set_creds(struct auth *a, const char *user, const char *secret,
    const char *authzid, int keep)
{
	auth_forget_creds(a);
	a->user = xstrdup(user);
	a->secret = xstrdup(secret);
	a->authzid = authzid != NULL && *authzid != '\0' ? xstrdup(authzid) : NULL;
	a->keep_creds = keep;
}

int
auth_has_creds(const struct auth *a)
{
	return (a->user != NULL && a->secret != NULL);
}

void
auth_begin(struct auth *a, const char *mech, int initial)
{
	size_t	i;

	free(a->challenge);
	free(a->challenge_b64);
	a->challenge = a->challenge_b64 = NULL;
	for (i = 0; mech[i] != '\0' && i < sizeof a->mech - 1; i++)
		a->mech[i] = toupper((unsigned char)mech[i]);
	a->mech[i] = '\0';
	a->step = 0;
	a->initial = initial;
	a->answered = initial;
}

void
auth_challenge(struct auth *a, const char *b64)
{
	free(a->challenge);
	free(a->challenge_b64);
	a->challenge_b64 = xstrdup(b64);
	if (sasl_decode_text(b64, &a->challenge) != 0)
		a->challenge = NULL;
	a->step++;
}

int
auth_known(const char *mech)
{
	return (strcasecmp(mech, "LOGIN") == 0 || strcasecmp(mech, "PLAIN") == 0 ||
	    strcasecmp(mech, "CRAM-MD5") == 0 || strcasecmp(mech, "XOAUTH2") == 0 ||
	    strcasecmp(mech, "OAUTHBEARER") == 0);
}

int
auth_uses_token(const char *mech)
{
	return (strcasecmp(mech, "XOAUTH2") == 0 ||
	    strcasecmp(mech, "OAUTHBEARER") == 0);
}

const char *
auth_choose(const char *advertised)
{
	/* CRAM-MD5 first (the password stays off the wire); token mechanisms only
	 * when nothing else is offered. */
	static const char *const order[] = {
		"CRAM-MD5", "PLAIN", "LOGIN", "OAUTHBEARER", "XOAUTH2", NULL
	};
	char		*copy, *w, *save = NULL;
	size_t		 i;
	const char	*best = NULL;
	size_t		 rank = sizeof order / sizeof order[0];

	if (advertised == NULL)
		return (NULL);
	copy = xstrdup(advertised);
	for (w = strtok_r(copy, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
		for (i = 0; order[i] != NULL; i++) {
			if (strcasecmp(order[i], w) == 0 && i < rank) {
				rank = i;
				best = order[i];
			}
		}
	}
	free(copy);
	return (best);
}

/*
 * The LOGIN step asks for the password: it is the second step (whatever the server's
 * prompt says: a server that labels it "Username:" still gets it masked), or the prompt
 * says so.
 */
static int
auth_login_secret(const struct auth *a)
{
	if (a->step + a->initial >= 2)
		return (1);
	return (a->challenge != NULL && strcasestr(a->challenge, "pass") != NULL);
}

/*
 * buf holds the first len bytes of a text of full bytes: when the cut fell inside a
 * UTF-8 sequence, end buf before that sequence. Returns the new length.
 */
static size_t
auth_cut_utf8(char *buf, size_t len, size_t full)
{
	size_t	k = len, need;

	if (len >= full)
		return (len);
	while (k > 0 && ((unsigned char)buf[k - 1] & 0xc0) == 0x80)
		k--;
	if (k == 0 || (unsigned char)buf[k - 1] < 0xc0)
		return (len);
	need = (unsigned char)buf[k - 1] >= 0xf0 ? 4 :
	    (unsigned char)buf[k - 1] >= 0xe0 ? 3 : 2;
	if (len - (k - 1) < need) {
		buf[k - 1] = '\0';
		return (k - 1);
	}
	return (len);
}

void
auth_need(struct auth *a, struct auth_need *need)
{
	memset(need, 0, sizeof *need);
	if (a->mech[0] == '\0')
		return;
	if (strcmp(a->mech, "LOGIN") == 0) {
		if (a->challenge != NULL && *a->challenge != '\0') {
			size_t	len;

			/* Room is kept for ": " (a long prompt is cut, but never
			 * inside a character). */
			snprintf(a->prompt, sizeof a->prompt - 2, "%s", a->challenge);
			len = auth_cut_utf8(a->prompt, strlen(a->prompt),
			    strlen(a->challenge));
			/* "User Name^@" (a NUL some servers add) reads as "User Name: ". */
			while (len >= 2 && strcmp(a->prompt + len - 2, "^@") == 0)
				a->prompt[len -= 2] = '\0';
			while (len > 0 && a->prompt[len - 1] == ' ')
				a->prompt[--len] = '\0';
			if (len > 0 && a->prompt[len - 1] != ':')
				a->prompt[len++] = ':';
			a->prompt[len++] = ' ';
			a->prompt[len] = '\0';
		} else
			snprintf(a->prompt, sizeof a->prompt, "%s",
			    auth_login_secret(a) ? "Password: " : "Username: ");
		need->n = 1;
		need->prompt[0] = a->prompt;
		need->secret[0] = auth_login_secret(a);
	} else if (auth_uses_token(a->mech) && a->answered) {
		/* A 334 after the token is an error report: the protocol wants an
		 * empty (or dummy) answer to get the final reply. */
		need->automatic = 1;
	} else if (strcmp(a->mech, "PLAIN") == 0 ||
	    strcmp(a->mech, "CRAM-MD5") == 0 || auth_uses_token(a->mech)) {
		need->n = 2;
		need->prompt[0] = "Username: ";
		need->prompt[1] = auth_uses_token(a->mech) ? "Access token: " :
		    "Password: ";
		need->secret[1] = 1;
	} else {
		/* A mechanism smtpcon does not know: the person answers in base64. */
		need->n = 1;
		need->prompt[0] = "base64 answer: ";
		need->secret[0] = 1;
	}
}

char *
auth_initial(struct auth *a, const char *mech, char **errstr)
{
	if (strcasecmp(mech, "PLAIN") == 0)
		return (sasl_plain(a->authzid, a->user, a->secret));
	if (strcasecmp(mech, "XOAUTH2") == 0)
		return (sasl_xoauth2(a->user, a->secret));
	if (strcasecmp(mech, "OAUTHBEARER") == 0)
		return (sasl_oauthbearer(a->user, a->host, a->port, a->secret));
	if (strcasecmp(mech, "LOGIN") == 0 || strcasecmp(mech, "CRAM-MD5") == 0)
		return (xstrdup(""));
	*errstr = xasprintf("smtpcon cannot build answers for AUTH %s: type the "
	    "exchange by hand (AUTH %s, then base64 answers)", mech, mech);
	return (NULL);
}

/* Remember who this exchange is for; return the name made display-safe. */
static char *
auth_who(struct auth *a, const char *user)
{
	free(a->who);
	a->who = xstrdup(user);
	return (vis_bytes(user, strlen(user)));
}

int
auth_respond(struct auth *a, char *const *answers, char **wire, char **shown,
    char **note, char **errstr)
{
	struct auth_need	 need;
	const char		*user, *secret;
	char			*vis;
	int			 creds = auth_has_creds(a);

	*wire = *shown = *note = NULL;
	auth_need(a, &need);
	if (need.automatic) {
		*wire = xstrdup(strcmp(a->mech, "OAUTHBEARER") == 0 ? "AQ==" : "");
		*shown = xstrdup(*wire);
		*note = xstrdup("the answer the protocol needs after an error "
		    "challenge");
		return (0);
	}
	if (!creds && need.n > 0 && answers == NULL) {
		*errstr = xasprintf("AUTH %s needs an answer from you", a->mech);
		return (-1);
	}
	if (strcmp(a->mech, "LOGIN") == 0) {
		/* By the step, not the prompt: the password never answers the
		 * first question, whatever a server calls it. */
		if (creds)
			user = a->step + a->initial >= 2 ? a->secret : a->user;
		else
			user = answers[0];
		*wire = sasl_login(user);
		if (need.secret[0]) {
			*shown = xstrdup("********");
			*note = xstrdup("password hidden");
		} else {
			*shown = xstrdup(*wire);
			vis = auth_who(a, user);
			*note = xasprintf("\"%s\"", vis);
			free(vis);
		}
		a->answered = 1;
		return (0);
	}
	if (!auth_known(a->mech)) {
		if (answers == NULL) {
			*errstr = xasprintf("smtpcon cannot answer AUTH %s by itself: "
			    "type the base64 answers", a->mech);
			return (-1);
		}
		*wire = xstrdup(answers[0]);
		*shown = xstrdup("********");
		*note = xasprintf("AUTH %s answer hidden", a->mech);
		return (0);
	}
	user = creds ? a->user : answers[0];
	secret = creds ? a->secret : answers[1];
	if (strcmp(a->mech, "CRAM-MD5") == 0) {
		if (sasl_cram_md5(user, secret, a->challenge_b64 ?
		    a->challenge_b64 : "", wire, errstr) != 0)
			return (-1);
	} else if (strcmp(a->mech, "PLAIN") == 0)
		*wire = sasl_plain(a->authzid, user, secret);
	else if (strcmp(a->mech, "XOAUTH2") == 0)
		*wire = sasl_xoauth2(user, secret);
	else
		*wire = sasl_oauthbearer(user, a->host, a->port, secret);
	*shown = xstrdup("********");
	vis = auth_who(a, user);
	*note = xasprintf("%s answer for \"%s\" hidden", a->mech, vis);
	free(vis);
	a->answered = 1;
	return (0);
}
