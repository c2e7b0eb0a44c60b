/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The server side of SASL PLAIN, LOGIN and CRAM-MD5 for the practice accounts. */
#ifndef PSASL_H
#define PSASL_H

#include <stddef.h>

/* Results of checking a SASL response. */
enum psasl_result {
	PSASL_OK,		/* credentials good: *user is set */
	PSASL_BAD,		/* well formed, but wrong user or secret */
	PSASL_MALFORMED		/* not what the mechanism expects */
};

/* Whether user and password name one of the practice accounts. */
int	 psasl_check(const char *user, const char *password);

/*
 * Check a decoded PLAIN response, "authzid NUL authcid NUL password".  An
 * authzid must be empty or equal to the authcid.  On PSASL_OK, *user is
 * the authcid, allocated; the caller frees it.
 */
enum psasl_result psasl_plain(const char *msg, size_t len, char **user);

/*
 * Make a CRAM-MD5 challenge, "<random.time@host>".  The caller frees it.
 */
char	*psasl_cram_challenge(const char *host);

/*
 * Check a decoded CRAM-MD5 response, "user hex-hmac-md5", against the
 * challenge.  On PSASL_OK, *user is allocated; the caller frees it.
 */
enum psasl_result psasl_cram_verify(const char *challenge, const char *msg,
	    size_t len, char **user);

#endif
