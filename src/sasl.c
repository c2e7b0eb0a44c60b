/* SASL answers for SMTP AUTH; every secret is wiped before its memory is given back. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "sasl.h"
#include "vis.h"
#include "xmalloc.h"

#define SASL_MD5_LEN	16

/* GnuTLS fails to encode only when out of memory, which xmalloc also treats as fatal. */
static void __attribute__((noreturn))
sasl_fatal(const char *what, int ret)
{
	fprintf(stderr, "smtpcon: %s: %s\n", what, gnutls_strerror(ret));
	exit(70);
}

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

/* Copy a GnuTLS result into our own memory, then wipe and free the original. */
static unsigned char *
sasl_take_datum(gnutls_datum_t *d)
{
	unsigned char	*p;

	p = xmalloc((size_t)d->size + 1);
	if (d->size != 0)
		memcpy(p, d->data, d->size);
	p[d->size] = '\0';
	if (d->data != NULL) {
		sasl_wipe(d->data, d->size);
		gnutls_free(d->data);
	}
	d->data = NULL;
	return (p);
}

/* The 6-bit value of a base64 character, or -1. */
static int
sasl_b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (c - 'A');
	if (c >= 'a' && c <= 'z')
		return (c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (c - '0' + 52);
	if (c == '+')
		return (62);
	if (c == '/')
		return (63);
	return (-1);
}

/* Check base64 ourselves first: GnuTLS says only "decoding error", and is lax on spaces. */
static int
sasl_b64_check(const char *s, size_t len, char **errstr)
{
	size_t	i, npad = 0;
	int	v;

	if (len == 1 && s[0] == '=') {
		sasl_error(errstr, "\"=\" alone is not base64 (in SASL it stands for "
		    "an empty initial response)");
		return (-1);
	}
	while (npad < len && s[len - 1 - npad] == '=')
		npad++;
	if (npad > 2) {
		sasl_error(errstr, "too much '=' padding (%zu; at most 2)", npad);
		return (-1);
	}
	for (i = 0; i < len - npad; i++) {
		if (sasl_b64_value((unsigned char)s[i]) != -1)
			continue;
		if (s[i] == '=')
			sasl_error(errstr, "'=' padding in the middle (at character "
			    "%zu)", i + 1);
		else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n')
			sasl_error(errstr, "white space inside the base64 text (at "
			    "character %zu)", i + 1);
		else if ((unsigned char)s[i] > 0x20 && (unsigned char)s[i] < 0x7f)
			sasl_error(errstr, "'%c' (character %zu) is not a base64 "
			    "character", s[i], i + 1);
		else
			sasl_error(errstr, "byte 0x%02X (character %zu) is not a "
			    "base64 character", (unsigned char)s[i], i + 1);
		return (-1);
	}
	if (len % 4 != 0) {
		sasl_error(errstr, "the length (%zu characters) is not a multiple of "
		    "4: '=' padding is missing or the text was cut short", len);
		return (-1);
	}
	/* The bits the padding leaves unused must be zero, or two texts decode alike. */
	if (npad != 0) {
		v = sasl_b64_value((unsigned char)s[len - npad - 1]);
		if ((npad == 2 && (v & 0x0f) != 0) || (npad == 1 && (v & 0x03) != 0)) {
			sasl_error(errstr, "the character before the '=' padding has "
			    "unused bits set (not canonical base64)");
			return (-1);
		}
	}
	return (0);
}

char *
sasl_b64_encode(const void *data, size_t len)
{
	gnutls_datum_t	in, out = { NULL, 0 };
	int		ret;

	if (len == 0)
		return (xstrdup(""));
	if (len > UINT_MAX / 2)
		sasl_fatal("base64 encoding", GNUTLS_E_MEMORY_ERROR);
	in.data = (unsigned char *)data;
	in.size = (unsigned int)len;
	if ((ret = gnutls_base64_encode2(&in, &out)) < 0)
		sasl_fatal("base64 encoding", ret);
	return ((char *)sasl_take_datum(&out));
}

int
sasl_b64_decode(const char *b64, unsigned char **out, size_t *outlen, char **errstr)
{
	gnutls_datum_t	 in, res = { NULL, 0 };
	size_t		 len;
	int		 ret;

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

	if (sasl_b64_check(b64, len, errstr) != 0)
		return (-1);
	if (len == 0) {
		*out = xmalloc(1);
		(*out)[0] = '\0';
		return (0);
	}
	if (len > UINT_MAX) {
		sasl_error(errstr, "base64 text too long");
		return (-1);
	}
	in.data = (unsigned char *)b64;
	in.size = (unsigned int)len;
	if ((ret = gnutls_base64_decode2(&in, &res)) < 0) {
		if (res.data != NULL) {
			sasl_wipe(res.data, res.size);
			gnutls_free(res.data);
		}
		sasl_error(errstr, "%s", gnutls_strerror(ret));
		return (-1);
	}
	*outlen = res.size;
	*out = sasl_take_datum(&res);
	return (0);
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
	static const char	 hexdigits[] = "0123456789abcdef";
	unsigned char		 digest[SASL_MD5_LEN], *chal;
	char			 hex[SASL_MD5_LEN * 2 + 1], *why, *resp;
	size_t			 chlen, i;
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
	free(chal);
	if (ret < 0) {
		sasl_wipe(digest, sizeof digest);
		sasl_error(errstr, "HMAC-MD5 failed: %s (CRAM-MD5 needs MD5, which "
		    "GnuTLS refuses in FIPS mode; use PLAIN or LOGIN over TLS)",
		    gnutls_strerror(ret));
		return (-1);
	}
	for (i = 0; i < SASL_MD5_LEN; i++) {
		hex[i * 2] = hexdigits[digest[i] >> 4];
		hex[i * 2 + 1] = hexdigits[digest[i] & 0x0f];
	}
	hex[SASL_MD5_LEN * 2] = '\0';
	sasl_wipe(digest, sizeof digest);

	/* The digest answers this challenge only, but anyone holding it can replay it. */
	resp = xasprintf("%s %s", user, hex);
	sasl_wipe(hex, sizeof hex);
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
