/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Unit tests of the AUTH assistant: mechanism choice, the questions per mechanism, the
 * answers built, and that what the transcript gets never holds the secret. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "xmalloc.h"
#include "unit.h"

/* Respond and check the shown text and note hold no secret. */
static char *
respond(struct auth *a, char *const *answers, const char *secret, char **note)
{
	char	*wire = NULL, *shown = NULL, *err = NULL;

	*note = NULL;
	if (auth_respond(a, answers, &wire, &shown, note, &err) != 0) {
		free(err);
		return (NULL);
	}
	CHECK(strstr(shown, secret) == NULL);
	CHECK(*note == NULL || strstr(*note, secret) == NULL);
	free(shown);
	return (wire);
}

static void
test_choose(void)
{
	CHECK_STR(auth_choose("LOGIN PLAIN CRAM-MD5"), "CRAM-MD5");
	CHECK_STR(auth_choose("login plain"), "PLAIN");
	CHECK_STR(auth_choose("LOGIN XOAUTH2"), "LOGIN");
	CHECK_STR(auth_choose("XOAUTH2 OAUTHBEARER"), "OAUTHBEARER");
	CHECK(auth_choose("GSSAPI NTLM") == NULL);
	CHECK(auth_choose(NULL) == NULL);
	CHECK(auth_known("cram-md5") && !auth_known("SCRAM-SHA-256"));
	CHECK(auth_uses_token("XOAUTH2") && !auth_uses_token("PLAIN"));
}

static void
test_login(void)
{
	struct auth		 a;
	struct auth_need	 need;
	char			*wire, *note, *ans[1];

	auth_init(&a);
	auth_begin(&a, "login", 0);
	CHECK_STR(a.mech, "LOGIN");
	auth_challenge(&a, "VXNlciBOYW1lAA==");	/* "User Name\0" (aiosmtpd) */
	auth_need(&a, &need);
	CHECK(need.n == 1 && !need.secret[0]);
	CHECK_STR(need.prompt[0], "User Name: ");
	ans[0] = "alice";
	wire = respond(&a, ans, "\x01", &note);
	CHECK_STR(wire, "YWxpY2U=");
	CHECK_STR(note, "\"alice\"");
	xfree_secret_str(wire);
	free(note);

	auth_challenge(&a, "UGFzc3dvcmQ6");		/* "Password:" */
	auth_need(&a, &need);
	CHECK(need.n == 1 && need.secret[0]);
	CHECK_STR(need.prompt[0], "Password: ");
	ans[0] = "s3cret";
	wire = respond(&a, ans, "s3cret", &note);
	CHECK_STR(wire, "czNjcmV0");
	CHECK_STR(note, "password hidden");
	xfree_secret_str(wire);
	free(note);

	/* An odd prompt: the second step is the password all the same. */
	auth_end(&a);
	auth_begin(&a, "LOGIN", 1);
	auth_challenge(&a, "Zm9v");			/* "foo" */
	auth_need(&a, &need);
	CHECK(need.secret[0]);
	CHECK_STR(need.prompt[0], "foo: ");
	auth_clear(&a);
}

static void
test_two_questions(void)
{
	struct auth		 a;
	struct auth_need	 need;
	char			*wire, *note, *ans[2] = { "tim", "tanstaaftanstaaf" };

	auth_init(&a);
	auth_begin(&a, "PLAIN", 0);
	auth_challenge(&a, "");
	auth_need(&a, &need);
	CHECK(need.n == 2 && !need.secret[0] && need.secret[1]);
	CHECK_STR(need.prompt[1], "Password: ");
	wire = respond(&a, ans, "tanstaaf", &note);
	CHECK_STR(wire, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");	/* RFC 4616 */
	CHECK(note != NULL && strstr(note, "tim") != NULL);
	xfree_secret_str(wire);
	free(note);
	auth_end(&a);

	/* RFC 2195's example. */
	auth_begin(&a, "CRAM-MD5", 0);
	auth_challenge(&a, "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
	CHECK_STR(a.challenge, "<1896.697170952@postoffice.reston.mci.net>");
	wire = respond(&a, ans, "tanstaaf", &note);
	CHECK_STR(wire, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
	xfree_secret_str(wire);
	free(note);
	auth_end(&a);

	/* XOAUTH2: after the token, a 334 is an error report answered alone. */
	auth_begin(&a, "XOAUTH2", 0);
	auth_challenge(&a, "");
	auth_need(&a, &need);
	CHECK(need.n == 2 && need.secret[1]);
	CHECK_STR(need.prompt[1], "Access token: ");
	ans[1] = "ya29.token";
	wire = respond(&a, ans, "ya29", &note);
	xfree_secret_str(wire);
	free(note);
	auth_challenge(&a, "eyJzdGF0dXMiOiI0MDEifQ==");	/* {"status":"401"} */
	CHECK_STR(a.challenge, "{\"status\":\"401\"}");
	auth_need(&a, &need);
	CHECK(need.automatic && need.n == 0);
	wire = respond(&a, NULL, "ya29", &note);
	CHECK_STR(wire, "");
	xfree_secret_str(wire);
	free(note);
	auth_clear(&a);
}

static void
test_creds(void)
{
	struct auth		 a;
	char			*wire, *note, *err = NULL;

	/* Credentials given in advance answer alone, then are wiped... */
	auth_init(&a);
	auth_set_creds(&a, "alice", "s3cret", NULL, 0);
	CHECK(auth_has_creds(&a));
	wire = auth_initial(&a, "PLAIN", &err);
	CHECK_STR(wire, "AGFsaWNlAHMzY3JldA==");
	xfree_secret_str(wire);
	/* LOGIN answers by the step, not the prompt: a first question labelled
	 * "Password:" still gets the user name, the second the password. */
	auth_begin(&a, "LOGIN", 0);
	auth_challenge(&a, "UGFzc3dvcmQ6");
	wire = respond(&a, NULL, "s3cret", &note);
	CHECK_STR(wire, "YWxpY2U=");
	xfree_secret_str(wire);
	free(note);
	auth_challenge(&a, "VXNlcm5hbWU6");		/* "Username:" the second time */
	wire = respond(&a, NULL, "s3cret", &note);
	CHECK_STR(wire, "czNjcmV0");
	CHECK_STR(note, "password hidden");
	xfree_secret_str(wire);
	free(note);
	auth_end(&a);
	CHECK(!auth_has_creds(&a));
	/* ...unless kept for the whole session (line mode). */
	auth_set_creds(&a, "alice", "s3cret", "admin", 1);
	wire = auth_initial(&a, "plain", &err);
	CHECK_STR(wire, "YWRtaW4AYWxpY2UAczNjcmV0");		/* admin\0alice\0s3cret */
	xfree_secret_str(wire);
	auth_end(&a);
	CHECK(auth_has_creds(&a));
	CHECK(auth_initial(&a, "NTLM", &err) == NULL && err != NULL);
	free(err);
	auth_clear(&a);
	CHECK(!auth_has_creds(&a));
}

/* A long prompt is cut, but never inside a UTF-8 character. */
static void
test_prompt_cut(void)
{
	struct auth		 a;
	struct auth_need	 need;
	const unsigned char	*p;
	size_t			 len, i;

	auth_init(&a);
	auth_begin(&a, "LOGIN", 0);
	auth_challenge(&a, "w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=");	/* 100 x U+00E9, 200 bytes */
	auth_need(&a, &need);
	p = (const unsigned char *)need.prompt[0];
	len = strlen(need.prompt[0]);
	CHECK(len < 128 && len > 100);
	CHECK(strcmp(need.prompt[0] + len - 2, ": ") == 0);
	for (i = 0; i + 2 < len; i += 2)
		CHECK(p[i] == 0xc3 && p[i + 1] == 0xa9);
	CHECK(i == len - 2);
	auth_clear(&a);
}

int
main(void)
{
	test_prompt_cut();
	test_choose();
	test_login();
	test_two_questions();
	test_creds();
	return (unit_done());
}
