/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Server-side SMTP AUTH (RFC 4954) in a practice session: PLAIN, LOGIN and
 * CRAM-MD5 against the practice accounts (psasl.h).  Every buffer that
 * held a response is wiped before it is freed.
 */
#ifndef PAUTH_H
#define PAUTH_H

struct pserver;

/*
 * The AUTH command: check it may be run, then reply 334 and move to the
 * mechanism's state, or answer an initial response at once.
 */
void	 pauth_cmd(struct pserver *, const char *arg);

/*
 * A line read in one of the AUTH states: "*" cancels, otherwise it is
 * base64 for the mechanism.  Replies 334, 235, 501 or 535 and leaves the
 * session in COMMAND unless another step follows.
 */
void	 pauth_response(struct pserver *, const char *line);

/* Forget an unfinished dialogue (its user name and challenge). */
void	 pauth_clear(struct pserver *);

#endif
