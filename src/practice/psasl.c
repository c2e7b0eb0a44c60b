/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The server side of SASL PLAIN, LOGIN and CRAM-MD5 for the practice accounts. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "codec.h"
#include "psasl.h"
#include "xmalloc.h"

/* The practice accounts; they are printed in the greeting, not secrets. */
static const struct {
	const char	*user;
	const char	*password;
} psasl_accounts[] = {
	{ "demo", "demo" },
	{ "student", "practice" },
};

/* Compare without stopping at the first difference. */
static int
psasl_equal(const char *a, const char *b)
{
	size_t		 la = strlen(a), lb = strlen(b), i;
	unsigned char	 diff = la != lb;

	for (i = 0; i < la && i < lb; i++)
		diff |= a[i] ^ b[i];
	return (diff == 0);
}

static const char *
psasl_password(const char *user)
{
	size_t	i;

	for (i = 0; i < sizeof psasl_accounts / sizeof psasl_accounts[0]; i++) {
		if (strcmp(user, psasl_accounts[i].user) == 0)
			return (psasl_accounts[i].password);
	}
	return (NULL);
}

int
psasl_check(const char *user, const char *password)
{
	const char	*want;

	if ((want = psasl_password(user)) == NULL)
		return (0);
	return (psasl_equal(want, password));
}

enum psasl_result
psasl_plain(const char *msg, size_t len, char **user)
{
	const char	*authz, *authc, *pass;
	size_t		 i, nuls = 0;

	for (i = 0; i < len; i++) {
		if (msg[i] == '\0')
			nuls++;
	}
	/* The decoder adds a NUL after msg[len], so each part ends. */
	if (nuls != 2)
		return (PSASL_MALFORMED);
	authz = msg;
	authc = authz + strlen(authz) + 1;
	pass = authc + strlen(authc) + 1;
	if (*authz != '\0' && strcmp(authz, authc) != 0)
		return (PSASL_BAD);
	if (!psasl_check(authc, pass))
		return (PSASL_BAD);
	*user = xstrdup(authc);
	return (PSASL_OK);
}

char *
psasl_cram_challenge(const char *host)
{
	uint32_t	r;

	if (gnutls_rnd(GNUTLS_RND_NONCE, &r, sizeof r) != 0)
		r = (uint32_t)random();
	return (xasprintf("<%lu.%lld@%s>", (unsigned long)r,
	    (long long)time(NULL), host));
}

enum psasl_result
psasl_cram_verify(const char *challenge, const char *msg, size_t len,
    char **user)
{
	const char	*sp, *password;
	unsigned char	 digest[16];
	char		*hex, *name;
	int		 ok;

	if ((sp = memrchr(msg, ' ', len)) == NULL || sp == msg ||
	    msg + len - (sp + 1) != 32 || memchr(msg, '\0', len) != NULL)
		return (PSASL_MALFORMED);
	name = xstrndup(msg, sp - msg);
	if ((password = psasl_password(name)) == NULL) {
		free(name);
		return (PSASL_BAD);
	}
	if (gnutls_hmac_fast(GNUTLS_MAC_MD5, password, strlen(password),
	    challenge, strlen(challenge), digest) != 0) {
		free(name);
		return (PSASL_BAD);
	}
	hex = codec_hex(digest, sizeof digest);
	ok = strncasecmp(hex, sp + 1, 32) == 0;
	xwipe(digest, sizeof digest);
	xfree_secret_str(hex);
	if (!ok) {
		free(name);
		return (PSASL_BAD);
	}
	*user = name;
	return (PSASL_OK);
}
