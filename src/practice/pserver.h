/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * One SMTP session of the practice server: a state machine over a
 * non-blocking socket, driven by the poll loop in practice.c.
 *
 * The loop asks each session what it waits for (pserver_wait), polls, and
 * calls pserver_run when the socket is ready or the deadline has passed.
 * A session never blocks and never sleeps: delayed replies (the slow
 * scenario), the idle timeout and the time allowed for the last reply are
 * all deadlines.
 */
#ifndef PSERVER_H
#define PSERVER_H

#include <stdint.h>

struct pgrey;
struct pmaildir;
struct ptls_server;

/* Scenario switches, ORed into pserver_config.flags. */
#define PSERVER_TLS_REQUIRED	0x1	/* no MAIL/RCPT/DATA/AUTH before TLS */
#define PSERVER_SLOW		0x2	/* every reply 2 s late */
#define PSERVER_GREYLIST	0x4	/* first RCPT of a pair gets 451 */

/* The server name used in the greeting and in replies. */
#define PSERVER_HOST		"practice.smtpcon.test"

/* Largest message accepted, in octets (advertised as SIZE). */
#define PSERVER_SIZE_MAX	10485760

/*
 * What every session shares.  The caller keeps it (and what it points to)
 * alive until the last session is freed.
 */
struct pserver_config {
	const char		*scenario;	/* name shown in the greeting */
	int			 flags;		/* PSERVER_* */
	struct ptls_server	*tls;		/* NULL: no STARTTLS */
	struct pmaildir		*maildir;
	struct pgrey		*greylist;	/* with PSERVER_GREYLIST */
};

struct pserver;

/*
 * Start a session on fd, a connected non-blocking socket which the session
 * owns from now on (pserver_free closes it).  peer names the client in the
 * log.  The greeting is queued at once.
 */
struct pserver	*pserver_new(const struct pserver_config *, int fd,
		    const char *peer, int64_t now);

/*
 * What the session waits for at time now: *events gets POLLIN and/or
 * POLLOUT (or 0), *deadline the monotonic time in ms by which pserver_run
 * must be called even if the socket is not ready, or -1 for none.
 */
void		 pserver_wait(struct pserver *, int64_t now, short *events,
		    int64_t *deadline);

/* The session's socket, to poll. */
int		 pserver_fd(const struct pserver *);

/*
 * Do all that can be done at time now without blocking.  Returns 0 while
 * the session goes on, -1 when it has ended and must be freed.
 */
int		 pserver_run(struct pserver *, int64_t now);

/*
 * The server is stopping: try once, without blocking, to send the pending
 * replies and a 421; drop any message being received.
 */
void		 pserver_shutdown(struct pserver *);

/* Free the session, close its socket, remove any unfinished message. */
void		 pserver_free(struct pserver *);

#endif
