/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Server-side TLS over a non-blocking socket, with GnuTLS kept behind
 * opaque types.  One ptls_server holds the certificate for every session.
 */
#ifndef PTLS_H
#define PTLS_H

#include <sys/types.h>

struct ptls_server;
struct ptls;

/* Results besides a byte count. */
#define PTLS_ERROR	-1	/* fatal: *errstr is set */
#define PTLS_AGAIN	-2	/* would block: see ptls_want_write */

/*
 * Load the certificate chain and key (PEM files).  Returns NULL with
 * *errstr allocated on failure.
 */
struct ptls_server	*ptls_server_new(const char *certfile,
			    const char *keyfile, char **errstr);
void			 ptls_server_free(struct ptls_server *);

/*
 * Start a server session on fd (which stays the caller's to close).
 * Returns NULL with *errstr allocated on failure.
 */
struct ptls		*ptls_new(struct ptls_server *, int fd, char **errstr);
void			 ptls_free(struct ptls *);

/*
 * Drive the handshake: 0 when it is done, PTLS_AGAIN to be called again
 * once the socket is ready, PTLS_ERROR with *errstr allocated.
 */
int			 ptls_handshake(struct ptls *, char **errstr);

/*
 * After PTLS_AGAIN: whether the session waits to write (1) or to read
 * (0).
 */
int			 ptls_want_write(struct ptls *);

/*
 * Read up to len bytes: the count, 0 at the end of the stream (with or
 * without close_notify), PTLS_AGAIN, or PTLS_ERROR with *errstr allocated.
 */
ssize_t			 ptls_recv(struct ptls *, void *buf, size_t len,
			    char **errstr);

/*
 * Write up to len bytes: the count, PTLS_AGAIN, or PTLS_ERROR with *errstr
 * allocated.  After PTLS_AGAIN the caller must offer the same bytes again
 * (at least as many as before).
 */
ssize_t			 ptls_send(struct ptls *, const void *buf, size_t len,
			    char **errstr);

/* Bytes already decrypted and waiting to be read. */
size_t			 ptls_pending(struct ptls *);

/* Send close_notify if it can be done without blocking. */
void			 ptls_bye(struct ptls *);

/*
 * Describe the session, e.g. "(TLS1.3)-(ECDHE-SECP256R1)-...".  The caller
 * frees the result.
 */
char			*ptls_describe(struct ptls *);

#endif
