/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Fuzz AUTH challenge decoding: the first input byte picks the mechanism, whether the
 * AUTH carried an initial response and whether credentials were given in advance; the
 * rest is the text of the server's 334 lines, one a line. Each challenge goes through
 * auth_challenge(), auth_need() and auth_respond() as in a session, and through the
 * base64 decoder, which must accept only canonical base64.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "fuzz.h"
#include "sasl.h"
#include "xmalloc.h"

static const char *const mechs[] = {
	"LOGIN", "PLAIN", "CRAM-MD5", "XOAUTH2", "OAUTHBEARER", "X-UNKNOWN",
	"login", "SCRAM-SHA-256"
};
#define NMECHS	(sizeof mechs / sizeof mechs[0])

/* Decoding then encoding gives back the input without its outer white space. */
static void
check_b64(const char *b64)
{
	unsigned char	*out;
	char		*enc, *err = NULL, *text;
	size_t		 outlen, start, end;
	int		 ok;

	ok = sasl_b64_decode(b64, &out, &outlen, &err) == 0;
	if (ok) {
		FUZZ_CHECK(out != NULL && out[outlen] == '\0' && err == NULL);
		enc = sasl_b64_encode(out, outlen);
		start = strspn(b64, " \t\r\n");
		end = strlen(b64);
		while (end > start && strchr(" \t\r\n", b64[end - 1]) != NULL)
			end--;
		FUZZ_CHECK(strlen(enc) == end - start &&
		    memcmp(enc, b64 + start, end - start) == 0);
		free(enc);
		sasl_wipe(out, outlen);
		free(out);
	} else {
		FUZZ_CHECK(out == NULL && outlen == 0 && err != NULL);
		free(err);
	}
	if (sasl_decode_text(b64, &text) == 0) {
		FUZZ_CHECK(ok && text != NULL && fuzz_display_safe(text));
		free(text);
	} else
		FUZZ_CHECK(!ok && text == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct auth		 a;
	struct auth_need	 need;
	char			*copy, *line, *nl, *wire, *shown, *note, *err;
	char			*answers[2];
	size_t			 i;
	int			 ret, creds;

	if (size < 1)
		return (0);
	auth_init(&a);
	creds = data[0] & 0x10;
	if (creds)
		auth_set_creds(&a, "user@example.org", "secret", data[0] & 0x20 ?
		    "admin" : NULL, data[0] & 0x40);
	a.host = xstrdup("mx.example.org");
	a.port = 587;
	auth_begin(&a, mechs[data[0] % NMECHS], data[0] & 0x08 ? 1 : 0);

	copy = xstrndup((const char *)data + 1, size - 1);
	for (line = copy; line != NULL; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		check_b64(line);
		auth_challenge(&a, line);
		FUZZ_CHECK(a.challenge == NULL || fuzz_display_safe(a.challenge));
		auth_need(&a, &need);
		FUZZ_CHECK(need.n <= 2);
		for (i = 0; i < need.n; i++) {
			FUZZ_CHECK(need.prompt[i] != NULL);
			FUZZ_CHECK(strlen(need.prompt[i]) < sizeof a.prompt);
			FUZZ_CHECK(fuzz_display_safe(need.prompt[i]));
		}
		answers[0] = "Jos\xc3\xa9";
		answers[1] = "p\xc3\xa4ss word";
		err = NULL;
		ret = auth_respond(&a, need.n > 0 && !creds ? answers : NULL, &wire,
		    &shown, &note, &err);
		if (ret == 0) {
			FUZZ_CHECK(wire != NULL && shown != NULL && err == NULL);
			FUZZ_CHECK(fuzz_display_safe(shown));
			FUZZ_CHECK(note == NULL || fuzz_display_safe(note));
			/* The secret never shows. */
			FUZZ_CHECK(strstr(shown, "secret") == NULL &&
			    (note == NULL || strstr(note, "secret") == NULL));
			xfree_secret_str(wire);
			free(shown);
			free(note);
		} else {
			FUZZ_CHECK(err != NULL);
			free(err);
		}
	}
	free(copy);
	auth_end(&a);
	auth_clear(&a);
	return (0);
}
