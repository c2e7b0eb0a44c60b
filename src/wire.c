/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Bytes to and from the server: a queue with a read offset, large writes. */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"
#include "xmalloc.h"

static void
wire_now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

void
wire_init(struct wire *w, int fd, struct tls *tls)
{
	memset(w, 0, sizeof *w);
	w->fd = fd;
	w->tls = tls;
	wire_now(&w->progress);
}

void
wire_clear(struct wire *w)
{
	xfree_secret(w->buf, w->cap);
	memset(w, 0, sizeof *w);
	w->fd = -1;
}

size_t
wire_queued(const struct wire *w)
{
	return (w->len - w->off);
}

/* Make room for n more bytes: move the unsent part down when the sent part is large. */
static void
wire_room(struct wire *w, size_t n)
{
	size_t	 cap, keep = w->len - w->off;
	char	*buf;

	if (w->len + n <= w->cap)
		return;
	if (w->off > 0 && keep + n <= w->cap && w->off >= keep) {
		memmove(w->buf, w->buf + w->off, keep);
		if (w->secret)
			xwipe(w->buf + keep, w->len - keep);
		w->off = 0;
		w->len = keep;
		return;
	}
	cap = w->cap ? w->cap : 65536;
	while (cap < keep + n)
		cap *= 2;
	buf = xmalloc(cap);
	if (keep > 0)
		memcpy(buf, w->buf + w->off, keep);
	xfree_secret(w->buf, w->cap);
	w->buf = buf;
	w->cap = cap;
	w->off = 0;
	w->len = keep;
}

void
wire_put(struct wire *w, const void *p, size_t n)
{
	if (w->off == w->len)
		wire_now(&w->progress);
	wire_room(w, n);
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

void
wire_mark_secret(struct wire *w)
{
	w->secret = 1;
}

void
wire_put_line(struct wire *w, const char *line, size_t n)
{
	if (w->off == w->len)
		wire_now(&w->progress);
	wire_room(w, n + 2);
	memcpy(w->buf + w->len, line, n);
	memcpy(w->buf + w->len + n, "\r\n", 2);
	w->len += n + 2;
}

/* Everything went: wipe what was sent and start from the front again. */
static void
wire_sent(struct wire *w, size_t n)
{
	w->off += n;
	wire_now(&w->progress);
	if (w->off == w->len) {
		if (w->secret)
			xwipe(w->buf, w->len);
		w->secret = 0;
		w->off = w->len = 0;
	}
}

int
wire_flush(struct wire *w, char **errstr)
{
	ssize_t	n;
	size_t	want;

	w->peer_gone = 0;
	while (w->off < w->len) {
		if (w->tls != NULL) {
			want = w->inflight ? w->inflight : w->len - w->off;
			n = tls_send(w->tls, w->buf + w->off, want, errstr);
			if (n == TLS_WANT_READ || n == TLS_WANT_WRITE) {
				w->inflight = want;
				w->tls_dir = (int)n;
				return (0);
			}
			w->inflight = 0;
			if (n == TLS_ERROR)
				return (WIRE_ERROR);
		} else {
			n = send(w->fd, w->buf + w->off, w->len - w->off, MSG_NOSIGNAL);
			if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR))
				return (0);
			if (n == -1) {
				w->peer_gone = errno == EPIPE || errno == ECONNRESET;
				*errstr = xasprintf("cannot send to the server: %s",
				    strerror(errno));
				return (WIRE_ERROR);
			}
		}
		wire_sent(w, (size_t)n);
	}
	return (0);
}

ssize_t
wire_recv(struct wire *w, void *p, size_t len, char **errstr)
{
	ssize_t	n;

	if (w->tls != NULL) {
		n = tls_recv(w->tls, p, len, errstr);
		if (n == TLS_WANT_READ || n == TLS_WANT_WRITE)
			return (WIRE_AGAIN);
		if (n == TLS_ERROR)
			return (WIRE_ERROR);
		return (n);
	}
	n = recv(w->fd, p, len, 0);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return (WIRE_AGAIN);
	if (n == -1) {
		*errstr = xasprintf("connection to the server lost: %s",
		    strerror(errno));
		return (WIRE_ERROR);
	}
	return (n);
}

short
wire_events(const struct wire *w)
{
	short	ev = POLLIN;

	if (w->off < w->len)
		ev |= (w->tls != NULL && w->inflight > 0 &&
		    w->tls_dir == TLS_WANT_READ) ? POLLIN : POLLOUT;
	return (ev);
}

long
wire_stalled_ms(const struct wire *w)
{
	struct timespec	now;

	if (w->off == w->len)
		return (0);
	wire_now(&now);
	return ((now.tv_sec - w->progress.tv_sec) * 1000 +
	    (now.tv_nsec - w->progress.tv_nsec) / 1000000);
}
