/* The server side of SASL PLAIN, LOGIN and CRAM-MD5 for the practice accounts. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#else
#define _GNU_SOURCE
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "psasl.h"
#include "putil.h"

/* The practice accounts; they are printed in the greeting, not secrets. */
static const struct {
	const char	*user;
	const char	*password;
} psasl_accounts[] = {
	{ "demo", "demo" },
	{ "student", "practice" },
};

static const char psasl_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
psasl_b64_value(unsigned char c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(psasl_b64, c)) == NULL)
		return (-1);
	return (p - psasl_b64);
}

char *
psasl_b64_decode(const char *in, size_t inlen, size_t *outlen)
{
	unsigned char	*out;
	size_t		 i, n = 0, pad = 0;
	int		 v[4], j;

	if (inlen % 4 != 0)
		return (NULL);
	if (inlen > 0 && in[inlen - 1] == '=')
		pad++;
	if (inlen > 1 && in[inlen - 2] == '=')
		pad++;
	out = putil_malloc(inlen / 4 * 3 + 1);
	for (i = 0; i < inlen; i += 4) {
		for (j = 0; j < 4; j++) {
			if (in[i + j] == '=' && i + 4 == inlen &&
			    (size_t)j >= 4 - pad)
				v[j] = 0;
			else if ((v[j] = psasl_b64_value(in[i + j])) == -1) {
				free(out);
				return (NULL);
			}
		}
		out[n++] = (v[0] << 2) | (v[1] >> 4);
		out[n++] = ((v[1] & 0xf) << 4) | (v[2] >> 2);
		out[n++] = ((v[2] & 0x3) << 6) | v[3];
	}
	n -= pad;
	out[n] = '\0';
	*outlen = n;
	return ((char *)out);
}

char *
psasl_b64_encode(const void *in, size_t len)
{
	const unsigned char	*s = in;
	char			*out, *p;
	size_t			 i;
	uint32_t		 v;

	p = out = putil_malloc((len + 2) / 3 * 4 + 1);
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		*p++ = psasl_b64[v >> 18];
		*p++ = psasl_b64[(v >> 12) & 0x3f];
		*p++ = psasl_b64[(v >> 6) & 0x3f];
		*p++ = psasl_b64[v & 0x3f];
	}
	if (i < len) {
		v = (uint32_t)s[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)s[i + 1] << 8;
		*p++ = psasl_b64[v >> 18];
		*p++ = psasl_b64[(v >> 12) & 0x3f];
		*p++ = i + 1 < len ? psasl_b64[(v >> 6) & 0x3f] : '=';
		*p++ = '=';
	}
	*p = '\0';
	return (out);
}

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
	*user = putil_strdup(authc);
	return (PSASL_OK);
}

char *
psasl_cram_challenge(const char *host)
{
	uint32_t	r;

	if (gnutls_rnd(GNUTLS_RND_NONCE, &r, sizeof r) != 0)
		r = (uint32_t)random();
	return (putil_asprintf("<%lu.%lld@%s>", (unsigned long)r,
	    (long long)time(NULL), host));
}

enum psasl_result
psasl_cram_verify(const char *challenge, const char *msg, size_t len,
    char **user)
{
	const char	*sp, *password;
	unsigned char	 digest[16];
	char		 hex[33], *name;
	size_t		 i;
	int		 ok;

	if ((sp = memrchr(msg, ' ', len)) == NULL || sp == msg ||
	    msg + len - (sp + 1) != 32 || memchr(msg, '\0', len) != NULL)
		return (PSASL_MALFORMED);
	name = putil_strndup(msg, sp - msg);
	if ((password = psasl_password(name)) == NULL) {
		free(name);
		return (PSASL_BAD);
	}
	if (gnutls_hmac_fast(GNUTLS_MAC_MD5, password, strlen(password),
	    challenge, strlen(challenge), digest) != 0) {
		free(name);
		return (PSASL_BAD);
	}
	for (i = 0; i < sizeof digest; i++)
		snprintf(hex + i * 2, 3, "%02x", digest[i]);
	ok = strncasecmp(hex, sp + 1, 32) == 0;
	putil_wipe(digest, sizeof digest);
	putil_wipe(hex, sizeof hex);
	if (!ok) {
		free(name);
		return (PSASL_BAD);
	}
	*user = name;
	return (PSASL_OK);
}
