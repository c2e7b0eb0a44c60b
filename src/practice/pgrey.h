/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The greylist scenario's memory: the (sender, recipient) pairs seen, for
 * the server's lifetime, compared without regard to case.  At most 10,000
 * pairs are kept; past that all are forgotten (which costs a client one
 * more 451, nothing worse).
 */
#ifndef PGREY_H
#define PGREY_H

struct pgrey;

struct pgrey	*pgrey_new(void);
/* NULL is fine. */
void		 pgrey_free(struct pgrey *);

/*
 * Whether to defer the pair: 1 the first time it is seen (it is then
 * remembered), 0 after.
 */
int		 pgrey_defer(struct pgrey *, const char *from, const char *rcpt);

#endif
