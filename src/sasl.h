/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * SASL answers for SMTP AUTH (RFC 4954): base64, PLAIN, LOGIN, CRAM-MD5, XOAUTH2 and
 * OAUTHBEARER, built with GnuTLS.
 *
 * Memory: every char * these functions return is NUL-terminated, malloc'd and owned by
 * the caller. Free it with sasl_free(), which wipes it first, because it may hold a
 * password, a token or something replayable derived from them. Every buffer that held
 * a secret on the way (the raw PLAIN blob, the HMAC digest, GnuTLS outputs) is wiped
 * before it is freed. Out of memory aborts the program (xmalloc.h); nothing here
 * returns NULL for lack of memory.
 *
 * Arguments are NUL-terminated strings and must not be NULL unless said otherwise.
 * No function checks that a user name or password is non-empty or free of the bytes
 * a mechanism forbids: this is a console for talking SMTP by hand, and sending what
 * a server should refuse is sometimes the point.
 */
#ifndef SASL_H
#define SASL_H

#include <stddef.h>

/*
 * Return the base64 (RFC 4648, with '=' padding, no line breaks) of len bytes at data.
 * Never NULL; "" for len 0, when data may be NULL.
 */
char	*sasl_b64_encode(const void *data, size_t len);

/*
 * Decode base64 text b64. Spaces, tabs, CR and LF before and after it are ignored;
 * inside it they are an error, as are a missing or misplaced '=' padding and unused
 * bits that are not zero (every base64 string has one canonical form). "" decodes to
 * 0 bytes.
 *
 * On success return 0, set *out to a malloc'd copy of the decoded bytes with a NUL
 * added after them for convenience, and *outlen to their number without that NUL. The
 * bytes may include NULs and may be a secret: free them with sasl_wipe(*out, *outlen)
 * then free(), or with sasl_free() when they hold no NUL.
 *
 * On failure return -1, set *out to NULL and *outlen to 0 and, if errstr is not NULL,
 * *errstr to a malloc'd reason for a person (free() it).
 */
int	 sasl_b64_decode(const char *b64, unsigned char **out, size_t *outlen,
	     char **errstr);

/* Return base64(text): one answer to an AUTH LOGIN prompt (user name or password). */
char	*sasl_login(const char *text);

/*
 * Return base64(authzid NUL user NUL pass), the AUTH PLAIN answer (RFC 4616). authzid
 * NULL means "" (act as yourself), which is almost always what is wanted.
 */
char	*sasl_plain(const char *authzid, const char *user, const char *pass);

/*
 * Answer a CRAM-MD5 challenge (RFC 2195): challenge_b64 is the text of the server's
 * 334 line. On success return 0 and set *out to base64(user SP hex), hex being the
 * lower-case HMAC-MD5 of the decoded challenge keyed with pass; free it with
 * sasl_free(). On failure return -1, set *out to NULL and, if errstr is not NULL,
 * *errstr to a malloc'd reason (free() it): the challenge is not base64, or GnuTLS
 * refused MD5 (as it may in FIPS mode).
 */
int	 sasl_cram_md5(const char *user, const char *pass, const char *challenge_b64,
	     char **out, char **errstr);

/*
 * Return base64("user=" user ^A "auth=Bearer " token ^A ^A), the XOAUTH2 answer that
 * Google and Microsoft accept; ^A is the byte 0x01.
 */
char	*sasl_xoauth2(const char *user, const char *token);

/*
 * Return the OAUTHBEARER answer (RFC 7628):
 * base64("n,a=" user "," ^A "host=" host ^A "port=" port ^A "auth=Bearer " token ^A ^A).
 * A ',' or '=' in user is written as "=2C" or "=3D" as RFC 5801 requires. user NULL or
 * "" leaves out the "a=" part ("n,,"), host NULL leaves out the host key and port 0 the
 * port key; the RFC makes all three optional.
 */
char	*sasl_oauthbearer(const char *user, const char *host, unsigned port,
	     const char *token);

/*
 * Decode a server's 334 challenge b64 for showing to a person. On success return 0 and
 * set *text to a malloc'd string (free() it) of the decoded bytes made safe for a
 * terminal by vis_bytes(): control characters as ^X, bytes that are not valid UTF-8 as
 * \xNN, C1 controls and bidirectional overrides as <U+XXXX>, valid UTF-8 kept. An empty
 * challenge gives "". If b64 is not base64 return -1 and set *text to NULL.
 */
int	 sasl_decode_text(const char *b64, char **text);

/* Wipe the string s (explicit_bzero up to its NUL) and free it. NULL is fine. */
void	 sasl_free(char *s);

/* Wipe len bytes at p in a way the compiler may not remove (explicit_bzero). */
void	 sasl_wipe(void *p, size_t len);

#endif
