/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The MTA-STS policy fetch (RFC 8461 §3.3) with libcurl: the only file that includes
 * curl. HTTPS verified against what the SMTP side trusts (--cafile, or the system
 * store), no redirect followed, at most MTASTS_POLICY_MAX bytes, bounded in time. It
 * blocks: sts.c runs it in a thread of its own.
 */
#ifndef MTASTS_FETCH_H
#define MTASTS_FETCH_H

#include <stddef.h>

struct mtasts_fetch_opts {
	const char	*cafile;		/* NULL: the system trust store */
	int		 family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	int		 connect_timeout;	/* seconds */
	int		 timeout;		/* seconds, the whole fetch */
	const int	*cancel;		/* non-zero (read atomically): give up;
						 * NULL: never */
};

/* libcurl's global set-up, once: call it before any thread fetches. */
void	mtasts_fetch_init(void);

/* "https://mta-sts.DOMAIN/.well-known/mta-sts.txt", malloc'd. */
char	*mtasts_fetch_url(const char *domain);

/*
 * Fetch domain's policy. Returns 0 with *body (malloc'd, NUL-terminated, *len bytes
 * before the NUL) when the server answered 200; -1 with *errstr malloc'd saying what
 * failed in words (name not found, refused, timed out, certificate not valid, HTTP 404,
 * a redirect not followed, too large, given up).
 */
int	 mtasts_fetch(const char *domain, const struct mtasts_fetch_opts *,
	    char **body, size_t *len, char **errstr);

#endif
