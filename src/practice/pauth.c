/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Server-side SMTP AUTH (RFC 4954): the AUTH command and the SASL dialogue. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec.h"
#include "pauth.h"
#include "psasl.h"
#include "pserver-int.h"
#include "xmalloc.h"

void
pauth_clear(struct pserver *s)
{
	xfree_secret_str(s->login_user);
	s->login_user = NULL;
	free(s->challenge);
	s->challenge = NULL;
}

static void
pauth_ok(struct pserver *s, char *user, const char *mech)
{
	char	*vis;

	pauth_clear(s);
	pserver_set_state(s, PSERVER_COMMAND);
	s->auth_user = user;
	vis = pserver_safe(user);
	pserver_log(s, "* authenticated as %s (%s)", vis, mech);
	free(vis);
	pserver_reply(s, "235 2.7.0 Authentication successful");
}

static void
pauth_failed(struct pserver *s, const char *mech)
{
	pauth_clear(s);
	pserver_set_state(s, PSERVER_COMMAND);
	pserver_log(s, "* %s authentication failed", mech);
	pserver_reply(s, "535 5.7.8 Authentication credentials invalid");
}

/* The verdict of a PLAIN or CRAM-MD5 answer: malformed (501, with what was expected),
 * accepted, or refused. user is taken over. */
static void
pauth_result(struct pserver *s, int r, char *user, const char *mech,
    const char *expected)
{
	if (r == PSASL_MALFORMED) {
		free(user);
		pauth_clear(s);
		pserver_set_state(s, PSERVER_COMMAND);
		pserver_reply(s, "501 5.5.2 Invalid %s response: %s", mech, expected);
	} else if (r == PSASL_OK)
		pauth_ok(s, user, mech);
	else {
		free(user);
		pauth_failed(s, mech);
	}
}

void
pauth_response(struct pserver *s, const char *line)
{
	enum psasl_result	 r = PSASL_BAD;
	char			*msg, *user = NULL;
	size_t			 len;

	if (strcmp(line, "*") == 0) {
		pauth_clear(s);
		pserver_set_state(s, PSERVER_COMMAND);
		pserver_reply(s, "501 5.0.0 Authentication cancelled");
		return;
	}
	/* RFC 4954: "=" is an empty initial response. */
	if (strcmp(line, "=") == 0) {
		msg = xstrdup("");
		len = 0;
	} else if (codec_b64_decode(line, strlen(line), (unsigned char **)&msg,
	    &len, NULL) == -1) {
		pauth_clear(s);
		pserver_set_state(s, PSERVER_COMMAND);
		pserver_reply(s, "501 5.5.2 Invalid base64 data in the "
		    "authentication response");
		return;
	}

	switch (s->state) {
	case PSERVER_AUTH_PLAIN:
		r = psasl_plain(msg, len, &user);
		pauth_result(s, r, user, "PLAIN", "expected authzid NUL user NUL "
		    "password");
		break;
	case PSERVER_AUTH_LOGIN_USER:
		/* A name with a NUL in it can match no account. */
		if (memchr(msg, '\0', len) != NULL)
			s->login_user = xstrdup("");
		else
			s->login_user = xstrndup(msg, len);
		pserver_set_state(s, PSERVER_AUTH_LOGIN_PASS);
		/* "Password:" */
		pserver_reply(s, "334 UGFzc3dvcmQ6");
		break;
	case PSERVER_AUTH_LOGIN_PASS:
		if (memchr(msg, '\0', len) == NULL &&
		    psasl_check(s->login_user, msg))
			pauth_ok(s, xstrdup(s->login_user),
			    "LOGIN");
		else
			pauth_failed(s, "LOGIN");
		break;
	case PSERVER_AUTH_CRAM:
		r = psasl_cram_verify(s->challenge, msg, len, &user);
		pauth_result(s, r, user, "CRAM-MD5", "expected \"user hex-digest\"");
		break;
	default:
		break;
	}
	xwipe(msg, len);
	free(msg);
}

void
pauth_cmd(struct pserver *s, const char *arg)
{
	char	*mech, *ir = NULL, *sp, *b64, *vis;

	if (arg == NULL) {
		pserver_reply(s, "501 5.5.4 Syntax: AUTH mechanism "
		    "[initial-response]");
		return;
	}
	if (s->helo != 'E') {
		pserver_reply(s, "503 5.5.1 Error: send EHLO first");
		return;
	}
	if (s->auth_user != NULL) {
		pserver_reply(s, "503 5.5.1 Error: already authenticated");
		return;
	}
	if (s->have_mail) {
		pserver_reply(s, "503 5.5.1 Error: MAIL transaction in "
		    "progress");
		return;
	}
	mech = xstrdup(arg);
	if ((sp = strchr(mech, ' ')) != NULL) {
		*sp = '\0';
		ir = sp + 1;
		while (*ir == ' ')
			ir++;
		if (*ir == '\0' || strchr(ir, ' ') != NULL) {
			pserver_reply(s, "501 5.5.4 Syntax: AUTH mechanism "
			    "[initial-response]");
			xfree_secret_str(mech);
			return;
		}
	}
	if (strcasecmp(mech, "PLAIN") == 0) {
		pserver_set_state(s, PSERVER_AUTH_PLAIN);
		if (ir != NULL)
			pauth_response(s, ir);
		else
			pserver_reply(s, "334 ");
	} else if (strcasecmp(mech, "LOGIN") == 0) {
		pserver_set_state(s, PSERVER_AUTH_LOGIN_USER);
		if (ir != NULL)
			pauth_response(s, ir);
		else {
			/* "Username:" */
			pserver_reply(s, "334 VXNlcm5hbWU6");
		}
	} else if (strcasecmp(mech, "CRAM-MD5") == 0) {
		if (ir != NULL)
			pserver_reply(s, "501 5.5.4 Syntax: CRAM-MD5 takes no "
			    "initial response");
		else {
			s->challenge = psasl_cram_challenge(PSERVER_HOST);
			b64 = codec_b64_encode(s->challenge,
			    strlen(s->challenge));
			pserver_set_state(s, PSERVER_AUTH_CRAM);
			pserver_reply(s, "334 %s", b64);
			free(b64);
		}
	} else {
		vis = pserver_safe(mech);
		pserver_reply(s, "504 5.5.4 Unrecognized authentication "
		    "type %s (offered: PLAIN LOGIN CRAM-MD5)", vis);
		free(vis);
	}
	xfree_secret_str(mech);
}
