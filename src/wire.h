/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Bytes to and from the server over one socket, plain or TLS. Lines are queued with
 * wire_put() and go out in as few writes as the socket takes (TLS records up to 16 kB);
 * the queue is read from an offset and compacted only when that is cheap. What the queue
 * held may include AUTH answers (wire_mark_secret): those bytes are wiped before their
 * memory is reused, and the whole queue when it is freed.
 *
 * The wire does not own the socket or the TLS session: the session opens and closes them.
 */
#ifndef WIRE_H
#define WIRE_H

#include <sys/types.h>
#include <stddef.h>
#include <time.h>

#include "tls.h"

enum wire_status {
	WIRE_AGAIN = -2,	/* nothing now: wait for poll */
	WIRE_ERROR = -1		/* failed: *errstr says why */
};

struct wire {
	int		 fd;
	struct tls	*tls;
	char		*buf;
	size_t		 off, len, cap;	/* unsent bytes are buf[off..len) */
	size_t		 inflight;	/* bytes given to tls_send that said WANT */
	int		 tls_dir;	/* TLS_WANT_READ or TLS_WANT_WRITE while inflight */
	struct timespec	 progress;	/* last time bytes left, or the queue was empty */
	int		 peer_gone;	/* the last error was EPIPE or ECONNRESET */
	int		 secret;	/* a secret was queued: wipe what was sent */
};

void	wire_init(struct wire *, int fd, struct tls *);
/* Wipe and free the queue; the wire forgets its socket. */
void	wire_clear(struct wire *);
/* Queue len bytes (copied). */
void	wire_put(struct wire *, const void *, size_t);
/* Queue a line and its CRLF. */
void	wire_put_line(struct wire *, const char *, size_t);
/* What is queued from now until the queue empties holds a secret (an AUTH answer): it
 * is wiped as it goes. Without one, bulk data is not wiped byte by byte. */
void	wire_mark_secret(struct wire *);
/* Write what the socket takes now. 0 (all sent or it would block), or WIRE_ERROR with
 * *errstr malloc'd. */
int	wire_flush(struct wire *, char **errstr);
/* Read up to len bytes: > 0 read, 0 the server closed, WIRE_AGAIN, or WIRE_ERROR with
 * *errstr malloc'd. */
ssize_t	wire_recv(struct wire *, void *, size_t, char **errstr);
/* Bytes queued and not yet written. */
size_t	wire_queued(const struct wire *);
/* The poll events the wire needs (POLLIN always, POLLOUT while bytes wait). */
short	wire_events(const struct wire *);
/* Milliseconds bytes have waited without the server taking any; 0 when none wait. */
long	wire_stalled_ms(const struct wire *);

#endif
