/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* SASL answers for SMTP AUTH; every secret is wiped before its memory is given back. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "codec.h"
#include "sasl.h"
#include "vis.h"
#include "xmalloc.h"

#define SASL_MD5_LEN	16

/* Set *errstr, when the caller wants a reason, to a malloc'd message. */
static void __attribute__((format(printf, 2, 3)))
sasl_error(char **errstr, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	if (errstr == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = xstrdup("out of memory");
	va_end(ap);
	*errstr = s;
}

char *
sasl_b64_encode(const void *data, size_t len)
{
	return (codec_b64_encode(data, len));
}

int
sasl_b64_decode(const char *b64, unsigned char **out, size_t *outlen, char **errstr)
{
	size_t	len;

	*out = NULL;
	*outlen = 0;
	if (errstr != NULL)
		*errstr = NULL;

	/* Servers and people add spaces or a CR around the text; they carry nothing. */
	while (*b64 == ' ' || *b64 == '\t' || *b64 == '\r' || *b64 == '\n')
		b64++;
	len = strlen(b64);
	while (len > 0 && (b64[len - 1] == ' ' || b64[len - 1] == '\t' ||
	    b64[len - 1] == '\r' || b64[len - 1] == '\n'))
		len--;

	if (len == 1 && b64[0] == '=') {
		sasl_error(errstr, "\"=\" alone is not base64 (in SASL it stands for "
		    "an empty initial response)");
		return (-1);
	}
	return (codec_b64_decode(b64, len, out, outlen, errstr));
}

char *
sasl_login(const char *text)
{
	return (sasl_b64_encode(text, strlen(text)));
}

char *
sasl_plain(const char *authzid, const char *user, const char *pass)
{
	char	*blob, *b64;
	size_t	 zlen, ulen, plen, len;

	if (authzid == NULL)
		authzid = "";
	zlen = strlen(authzid);
	ulen = strlen(user);
	plen = strlen(pass);
	len = zlen + 1 + ulen + 1 + plen;

	/* Built by hand: the NULs inside rule out the string functions. */
	blob = xmalloc(len);
	memcpy(blob, authzid, zlen);
	blob[zlen] = '\0';
	memcpy(blob + zlen + 1, user, ulen);
	blob[zlen + 1 + ulen] = '\0';
	memcpy(blob + zlen + 1 + ulen + 1, pass, plen);

	b64 = sasl_b64_encode(blob, len);
	xfree_secret(blob, len);
	return (b64);
}

int
sasl_cram_md5(const char *user, const char *pass, const char *challenge_b64,
    char **out, char **errstr)
{
	unsigned char		 digest[SASL_MD5_LEN], *chal;
	char			*hex, *why, *resp;
	size_t			 chlen;
	int			 ret;

	*out = NULL;
	if (errstr != NULL)
		*errstr = NULL;
	if (sasl_b64_decode(challenge_b64, &chal, &chlen, &why) != 0) {
		sasl_error(errstr, "the CRAM-MD5 challenge is not base64: %s", why);
		free(why);
		return (-1);
	}

	ret = gnutls_hmac_fast(GNUTLS_MAC_MD5, pass, strlen(pass), chal, chlen,
	    digest);
	xwipe_stack();		/* the HMAC's key pads held the password */
	free(chal);
	if (ret < 0) {
		sasl_wipe(digest, sizeof digest);
		sasl_error(errstr, "HMAC-MD5 failed: %s (CRAM-MD5 needs MD5, which "
		    "GnuTLS refuses in FIPS mode; use PLAIN or LOGIN over TLS)",
		    gnutls_strerror(ret));
		return (-1);
	}
	hex = codec_hex(digest, sizeof digest);
	sasl_wipe(digest, sizeof digest);

	/* The digest answers this challenge only, but anyone holding it can replay it. */
	resp = xasprintf("%s %s", user, hex);
	sasl_free(hex);
	*out = sasl_b64_encode(resp, strlen(resp));
	sasl_free(resp);
	return (0);
}

char *
sasl_xoauth2(const char *user, const char *token)
{
	char	*raw, *b64;

	raw = xasprintf("user=%s\001auth=Bearer %s\001\001", user, token);
	b64 = sasl_b64_encode(raw, strlen(raw));
	sasl_free(raw);
	return (b64);
}

/* Write user as a GS2 saslname (RFC 5801): ',' and '=' would end the field early. */
static char *
sasl_gs2_escape(const char *user)
{
	const char	*s;
	char		*out, *o;
	size_t		 len = 0;

	for (s = user; *s != '\0'; s++)
		len += (*s == ',' || *s == '=') ? 3 : 1;
	out = o = xmalloc(len + 1);
	for (s = user; *s != '\0'; s++) {
		if (*s == ',') {
			memcpy(o, "=2C", 3);
			o += 3;
		} else if (*s == '=') {
			memcpy(o, "=3D", 3);
			o += 3;
		} else
			*o++ = *s;
	}
	*o = '\0';
	return (out);
}

char *
sasl_oauthbearer(const char *user, const char *host, unsigned port,
    const char *token)
{
	char	*esc, *raw, *b64, portkv[32];

	esc = sasl_gs2_escape(user != NULL ? user : "");
	if (port != 0)
		snprintf(portkv, sizeof portkv, "port=%u\001", port);
	else
		portkv[0] = '\0';
	raw = xasprintf("n,%s%s,\001%s%s%s%sauth=Bearer %s\001\001",
	    *esc != '\0' ? "a=" : "", esc,
	    host != NULL ? "host=" : "", host != NULL ? host : "",
	    host != NULL ? "\001" : "", portkv, token);
	b64 = sasl_b64_encode(raw, strlen(raw));
	sasl_free(raw);
	sasl_free(esc);
	return (b64);
}

int
sasl_decode_text(const char *b64, char **text)
{
	unsigned char	*buf;
	size_t		 len;

	*text = NULL;
	if (sasl_b64_decode(b64, &buf, &len, NULL) != 0)
		return (-1);
	*text = vis_bytes((const char *)buf, len);
	xfree_secret(buf, len);
	return (0);
}

void
sasl_free(char *s)
{
	xfree_secret_str(s);
}

void
sasl_wipe(void *p, size_t len)
{
	xwipe(p, len);
}
