/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Base64 and hex through GnuTLS; base64 is checked by us first, for a readable reason. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "codec.h"
#include "xmalloc.h"

/* GnuTLS fails to encode only when out of memory, which xmalloc also treats as fatal. */
static void __attribute__((noreturn))
codec_fatal(const char *what, int ret)
{
	xfatal("%s: %s", what, gnutls_strerror(ret));
}

/* Set *errstr, when the caller wants a reason, to a malloc'd message. */
static void __attribute__((format(printf, 2, 3)))
codec_error(char **errstr, const char *fmt, ...)
{
	va_list	ap;

	if (errstr == NULL)
		return;
	va_start(ap, fmt);
	*errstr = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Copy a GnuTLS result into our own memory, then wipe and free the original. */
static unsigned char *
codec_take_datum(gnutls_datum_t *d)
{
	unsigned char	*p;

	p = xmalloc((size_t)d->size + 1);
	if (d->size != 0)
		memcpy(p, d->data, d->size);
	p[d->size] = '\0';
	if (d->data != NULL) {
		xwipe(d->data, d->size);
		gnutls_free(d->data);
	}
	d->data = NULL;
	return (p);
}

/* The 6-bit value of a base64 character, or -1. */
static int
codec_b64_value(unsigned char c)
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
codec_b64_check(const char *s, size_t len, char **errstr)
{
	size_t	i, npad = 0;
	int	v;

	while (npad < len && s[len - 1 - npad] == '=')
		npad++;
	if (npad > 2) {
		codec_error(errstr, "too much '=' padding (%zu; at most 2)", npad);
		return (-1);
	}
	for (i = 0; i < len - npad; i++) {
		if (codec_b64_value((unsigned char)s[i]) != -1)
			continue;
		if (s[i] == '=')
			codec_error(errstr, "'=' padding in the middle (at character "
			    "%zu)", i + 1);
		else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n')
			codec_error(errstr, "white space inside the base64 text (at "
			    "character %zu)", i + 1);
		else if ((unsigned char)s[i] > 0x20 && (unsigned char)s[i] < 0x7f)
			codec_error(errstr, "'%c' (character %zu) is not a base64 "
			    "character", s[i], i + 1);
		else
			codec_error(errstr, "byte 0x%02X (character %zu) is not a "
			    "base64 character", (unsigned char)s[i], i + 1);
		return (-1);
	}
	if (len % 4 != 0) {
		codec_error(errstr, "the length (%zu characters) is not a multiple of "
		    "4: '=' padding is missing or the text was cut short", len);
		return (-1);
	}
	/* The bits the padding leaves unused must be zero, or two texts decode alike. */
	if (npad != 0) {
		v = codec_b64_value((unsigned char)s[len - npad - 1]);
		if ((npad == 2 && (v & 0x0f) != 0) || (npad == 1 && (v & 0x03) != 0)) {
			codec_error(errstr, "the character before the '=' padding has "
			    "unused bits set (not canonical base64)");
			return (-1);
		}
	}
	return (0);
}

char *
codec_b64_encode(const void *data, size_t len)
{
	gnutls_datum_t	in, out = { NULL, 0 };
	int		ret;

	if (len == 0)
		return (xstrdup(""));
	if (len > UINT_MAX / 2)
		codec_fatal("base64 encoding", GNUTLS_E_MEMORY_ERROR);
	in.data = (unsigned char *)data;
	in.size = (unsigned int)len;
	ret = gnutls_base64_encode2(&in, &out);
	/* What is encoded may be a secret: GnuTLS keeps pieces on the stack. */
	xwipe_stack();
	if (ret < 0)
		codec_fatal("base64 encoding", ret);
	return ((char *)codec_take_datum(&out));
}

int
codec_b64_decode(const char *b64, size_t len, unsigned char **out, size_t *outlen,
    char **errstr)
{
	gnutls_datum_t	 in, res = { NULL, 0 };
	int		 ret;

	*out = NULL;
	*outlen = 0;
	if (codec_b64_check(b64, len, errstr) != 0)
		return (-1);
	if (len == 0) {
		*out = xmalloc(1);
		(*out)[0] = '\0';
		return (0);
	}
	if (len > UINT_MAX) {
		codec_error(errstr, "base64 text too long");
		return (-1);
	}
	in.data = (unsigned char *)b64;
	in.size = (unsigned int)len;
	ret = gnutls_base64_decode2(&in, &res);
	xwipe_stack();		/* the decoded text may be a secret */
	if (ret < 0) {
		if (res.data != NULL) {
			xwipe(res.data, res.size);
			gnutls_free(res.data);
		}
		codec_error(errstr, "%s", gnutls_strerror(ret));
		return (-1);
	}
	*outlen = res.size;
	*out = codec_take_datum(&res);
	return (0);
}

char *
codec_hex(const void *data, size_t len)
{
	gnutls_datum_t	 in;
	char		*out;
	size_t		 size;
	int		 ret;

	if (len == 0)
		return (xstrdup(""));
	if (len > UINT_MAX || len > (SIZE_MAX - 1) / 2)
		codec_fatal("hex encoding", GNUTLS_E_MEMORY_ERROR);
	in.data = (unsigned char *)data;
	in.size = (unsigned int)len;
	size = len * 2 + 1;
	out = xmalloc(size);
	if ((ret = gnutls_hex_encode(&in, out, &size)) < 0)
		codec_fatal("hex encoding", ret);
	return (out);
}
