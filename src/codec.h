/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Base64 (RFC 4648) and hex, done by GnuTLS, with a strict check of base64 first that
 * says what is wrong for a person. Shared by smtpcon and smtpcon-practice (libcommon).
 *
 * Memory: every buffer returned is malloc'd, NUL-terminated and owned by the caller. The
 * bytes may be a secret (an AUTH answer): GnuTLS's own copies are wiped before they are
 * freed, and the caller wipes what it gets (xwipe, xfree_secret) when it matters. Out of
 * memory exits (xmalloc.h); nothing here returns NULL for lack of memory.
 */
#ifndef CODEC_H
#define CODEC_H

#include <stddef.h>

/*
 * Return the base64 (with '=' padding, no line breaks) of len bytes at data. Never NULL;
 * "" for len 0, when data may be NULL.
 */
char	*codec_b64_encode(const void *data, size_t len);

/*
 * Decode the len characters of base64 at b64 (no NUL needed). Only canonical base64 is
 * taken: the RFC 4648 alphabet, no white space anywhere, a length that is a multiple of
 * 4, at most two '=' and only at the end, and zero in the bits the padding leaves
 * unused. len 0 decodes to 0 bytes.
 *
 * On success return 0, set *out to the decoded bytes with a NUL added after them and
 * *outlen to their number without that NUL (they may hold NULs of their own). On
 * failure return -1, set *out to NULL and *outlen to 0 and, if errstr is not NULL,
 * *errstr to a malloc'd reason for a person (free() it).
 */
int	 codec_b64_decode(const char *b64, size_t len, unsigned char **out,
	     size_t *outlen, char **errstr);

/* Return the lower-case hex of len bytes at data ("" for len 0). */
char	*codec_hex(const void *data, size_t len);

#endif
