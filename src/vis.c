/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Display-safe copies of untrusted bytes. */
#include "config.h"

#include <langinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vis.h"
#include "xmalloc.h"

/* Whether the terminal's character set is UTF-8: only then are bytes >= 0x80 shown. */
static int	vis_utf8_ok = 1;

void
vis_init(void)
{
	const char	*cs = nl_langinfo(CODESET);

	/* Elsewhere a byte such as 0x9B is a control (CSI) to the terminal. */
	vis_utf8_ok = cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0);
}

long
vis_utf8(const unsigned char *s, size_t len, size_t *n)
{
	long	 cp;
	size_t	 need, i;

	*n = 1;
	if (len == 0)
		return (-1);
	if (s[0] < 0x80)
		return (s[0]);
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 1;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3;
		cp = s[0] & 0x07;
	} else
		return (-1);
	if (len < need + 1)
		return (-1);
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (-1);
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past Unicode are invalid. */
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return (-1);
	*n = need + 1;
	return (cp);
}

/* Code points that can change how following text is shown. */
static int
vis_dangerous(long cp)
{
	return ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	    cp == 0x061c);
}

/*
 * Bytes from the start of s that are printable ASCII (0x20-0x7e), eight at a time: a
 * word with no byte below 0x20 and none above 0x7e needs no look at its bytes.
 */
size_t
vis_printable(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	const uint64_t	ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t	w;
	size_t		i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		/* Below 0x20: w - 0x20.. borrows into the high bit of a byte that had
		 * none; above 0x7e: w + 0x01.. carries into it, or it was set. */
		if (((w - 0x20 * ones) & ~w & high) != 0 || ((w + ones) | w) & high)
			break;
	}
	for (; i < len && s[i] >= 0x20 && s[i] < 0x7f; i++)
		;
	return (i);
}

char *
vis_bytes(const char *buf, size_t len)
{
	const unsigned char	*s = (const unsigned char *)buf;
	char			*out, *o;
	size_t			 i, n;
	long			 cp;

	/* Printable ASCII, the common case (a body line), is copied as it is. */
	i = vis_printable(buf, len);
	if (i == len) {
		out = xmalloc(len + 1);
		memcpy(out, buf, len);
		out[len] = '\0';
		return (out);
	}
	/* Worst case: every byte becomes "\xNN" (4) or a 3-byte code point "<U+XXXX>" (8). */
	out = o = xmalloc(len * 4 + 1);
	for (i = 0; i < len; i += n) {
		cp = vis_utf8(s + i, len - i, &n);
		if (cp < 0 || (cp >= 0x80 && !vis_utf8_ok)) {
			n = 1;
			o += sprintf(o, "\\x%02X", s[i]);
		} else if (cp < 0x20 || cp == 0x7f) {
			*o++ = '^';
			*o++ = cp == 0x7f ? '?' : (char)(cp + '@');
		} else if (vis_dangerous(cp)) {
			o += sprintf(o, "<U+%04lX>", cp);
		} else {
			memcpy(o, s + i, n);
			o += n;
		}
	}
	*o = '\0';
	return (out);
}

char *
vis_ascii(const char *buf, size_t len, size_t max)
{
	const unsigned char	*s = (const unsigned char *)buf;
	char			*out, *o;
	size_t			 i, n;

	n = len > max ? max : len;
	out = o = xmalloc(n * 4 + 4);
	for (i = 0; i < n; i++) {
		if (s[i] == '\t' || (s[i] >= 0x20 && s[i] < 0x7f))
			*o++ = s[i];
		else
			o += sprintf(o, "\\x%02x", s[i]);
	}
	if (len > max) {
		memcpy(o, "...", 3);
		o += 3;
	}
	*o = '\0';
	return (out);
}
