/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * MAIL FROM and RCPT TO for the practice server: paths, parameters, and
 * the addresses it takes mail for.  Pure parsing: nothing here replies.
 */
#ifndef PADDR_H
#define PADDR_H

#include <stddef.h>

#define PADDR_MAX	256	/* RFC 5321 path limit */

/*
 * Skip kw ("FROM:" or "TO:", any case) at the start of arg and the spaces
 * after it.  Returns what follows, or NULL if arg is NULL or does not
 * start with kw.
 */
const char	*paddr_keyword(const char *arg, const char *kw);

/*
 * Parse a path "<local@domain>" at p.  A source route is dropped; with
 * null_ok the null path "<>" is fine; with need_domain the domain part is
 * required.  On success returns the address (allocated), sets *at to the
 * offset of its '@' (or -1) and *end past the '>'.  NULL if p is not a
 * path the server accepts (more than PADDR_MAX bytes, controls, a bad
 * domain ...).
 */
char		*paddr_path(const char *p, int null_ok, int need_domain,
		    long *at, const char **end);

/*
 * A size: digits only, no sign, no overflow (SIZE= and BDAT).  Returns 0
 * with *size set, or -1 (also for NULL).
 */
int		 paddr_size(const char *value, unsigned long long *size);

/*
 * Check the "KEY=VALUE ..." parameters after a MAIL FROM path: SIZE (up to
 * PSERVER_SIZE_MAX), BODY=7BIT|8BITMIME and AUTH= are taken.  Returns NULL
 * if all are, else the reply to send for the first that is not
 * (allocated; the caller frees it).
 */
char		*paddr_params(const char *p);

/* Whether domain is one the server takes mail for (any case). */
int		 paddr_local_domain(const char *domain);

/* Whether the len bytes at user name one of its mailboxes (any case). */
int		 paddr_local_user(const char *user, size_t len);

#endif
