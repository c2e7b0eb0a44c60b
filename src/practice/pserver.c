/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * One SMTP session of the practice server: its life, its state, the socket
 * and the queue of replies.  The commands are in pcmd.c, AUTH in pauth.c,
 * the message in pbody.c.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paddr.h"
#include "pauth.h"
#include "pbody.h"
#include "pcmd.h"
#include "plog.h"
#include "pmaildir.h"
#include "pserver-int.h"
#include "ptls.h"
#include "vis.h"
#include "xmalloc.h"

#define PSERVER_CMD_MAX		1000	/* command line, CRLF included */
#define PSERVER_AUTH_MAX	12288	/* SASL response line (RFC 4954) */
#define PSERVER_OUT_MAX		65536	/* unsent replies before we stop reading */
#define PSERVER_ERRORS_MAX	20
#define PSERVER_SLOW_MS		2000
#define PSERVER_CLOSE_MS	10000	/* time to get the last reply out */
#define PSERVER_RUN_STEPS	64	/* loop passes before letting others in */
#ifndef PSERVER_IDLE_MS
#define PSERVER_IDLE_MS		(300 * 1000)
#endif

static const char *const pserver_state_names[] = {
	"COMMAND",
	"AUTH PLAIN",
	"AUTH LOGIN user",
	"AUTH LOGIN password",
	"AUTH CRAM-MD5",
	"DATA",
	"BDAT",
	"STARTTLS",
	"TLS handshake",
	"CLOSING",
	"DONE"
};

static unsigned int	pserver_next_id;

void
pserver_log(struct pserver *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (plog_quiet)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	plog_info("[%u] %s", s->id, msg);
	free(msg);
}

void
pserver_set_state(struct pserver *s, enum pserver_state state)
{
	s->state = state;
}

/* Forget the mail transaction (RSET, EHLO, after DATA, after STARTTLS). */
void
pserver_reset(struct pserver *s)
{
	size_t	i;

	s->have_mail = 0;
	free(s->mail_from);
	s->mail_from = NULL;
	for (i = 0; i < s->nrcpts; i++)
		free(s->rcpts[i]);
	s->nrcpts = 0;
	if (s->msg != NULL) {
		pmaildir_msg_abort(s->msg);
		s->msg = NULL;
	}
	s->bdat = 0;
	s->body_size = 0;
}

/* Queue the last reply and close once it is out (or after a while). */
void
pserver_close(struct pserver *s)
{
	if (s->state == PSERVER_DATA && s->msg != NULL)
		pserver_log(s, "* message discarded: the session ended in DATA");
	else if (s->bdat)
		pserver_log(s, "* message discarded: the session ended before "
		    "BDAT LAST");
	pserver_reset(s);
	pauth_clear(s);
	pserver_set_state(s, PSERVER_CLOSING);
	s->close_by = s->now + PSERVER_CLOSE_MS;
}

/* The session is over, nothing more can be sent. */
static void
pserver_done(struct pserver *s, const char *why)
{
	if ((s->state == PSERVER_DATA && s->msg != NULL) || s->bdat)
		pserver_log(s, "* partial message discarded");
	if (s->state == PSERVER_CLOSING)
		pserver_log(s, "* connection closed: %s", why);
	else
		pserver_log(s, "* connection closed: %s (in %s)", why,
		    pserver_state_names[s->state]);
	pserver_reset(s);
	pauth_clear(s);
	pserver_set_state(s, PSERVER_DONE);
}

void
pserver_out(struct pserver *s, const char *line)
{
	size_t	 len = strlen(line);
	char	*vis;

	if (s->outoff == s->outlen) {
		s->outoff = s->outlen = 0;
		/* Slow: each reply waits its own 2 s once nothing is queued. */
		if ((s->cfg->flags & PSERVER_SLOW) && s->hold_until <= s->now)
			s->hold_until = s->now + PSERVER_SLOW_MS;
	}
	if (s->outlen + len + 2 > s->outsize) {
		if (s->outoff > 0) {
			memmove(s->out, s->out + s->outoff,
			    s->outlen - s->outoff);
			s->outlen -= s->outoff;
			s->outoff = 0;
		}
		while (s->outlen + len + 2 > s->outsize)
			s->outsize = s->outsize == 0 ? 4096 : s->outsize * 2;
		s->out = xreallocarray(s->out, s->outsize, 1);
	}
	memcpy(s->out + s->outlen, line, len);
	memcpy(s->out + s->outlen + len, "\r\n", 2);
	s->outlen += len + 2;

	vis = vis_ascii(line, len, 300);
	pserver_log(s, "S: %s", vis);
	free(vis);
}

/* Replies that count towards the limit on bad commands. */
static int
pserver_is_error(int code)
{
	return ((code >= 500 && code <= 504) || code == 530 || code == 535 ||
	    code == 555);
}

void
pserver_reply(struct pserver *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;
	int	 code;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	pserver_out(s, line);
	code = atoi(line);
	free(line);

	if (pserver_is_error(code) && ++s->errors >= PSERVER_ERRORS_MAX &&
	    s->state != PSERVER_CLOSING) {
		pserver_out(s, "421 4.7.0 " PSERVER_HOST " Error: too many "
		    "errors, closing the connection");
		pserver_close(s);
	}
}

/* A copy of text safe to put in a reply or the log: printable ASCII only. */
char *
pserver_safe(const char *text)
{
	return (vis_ascii(text, strlen(text), PADDR_MAX));
}

struct pserver *
pserver_new(const struct pserver_config *cfg, int fd, const char *peer,
    int64_t now)
{
	struct pserver	*s;

	s = xcalloc(1, sizeof *s);
	s->cfg = cfg;
	s->fd = fd;
	s->id = ++pserver_next_id;
	s->peer = xstrdup(peer);
	s->now = now;
	s->last_input = now;
	pserver_set_state(s, PSERVER_COMMAND);
	pserver_log(s, "* connection from %s", peer);
	pserver_reply(s, "220 " PSERVER_HOST " ESMTP smtpcon practice server "
	    "(scenario %s) - demo login: demo / demo", cfg->scenario);
	return (s);
}

int
pserver_fd(const struct pserver *s)
{
	return (s->fd);
}

void
pserver_free(struct pserver *s)
{
	if (s == NULL)
		return;
	pserver_reset(s);
	pauth_clear(s);
	free(s->auth_user);
	free(s->chunk_error);
	ptls_free(s->tls);
	close(s->fd);
	free(s->out);
	free(s->peer);
	xwipe(s->in, sizeof s->in);
	free(s);
}

/* Whether commands may be taken now: not while replies wait too long. */
static int
pserver_can_process(struct pserver *s)
{
	size_t	queued = s->outlen - s->outoff;

	if ((s->cfg->flags & PSERVER_SLOW) && queued > 0)
		return (0);
	return (queued < PSERVER_OUT_MAX);
}

static enum pserver_progress
pserver_process(struct pserver *s)
{
	const char	*p, *lf;
	char		*line;
	size_t		 avail, n, len, max;
	int		 progress = 0;

	for (;;) {
		if (s->state != PSERVER_COMMAND && s->state != PSERVER_DATA &&
		    s->state != PSERVER_BDAT &&
		    (s->state < PSERVER_AUTH_PLAIN ||
		    s->state > PSERVER_AUTH_CRAM))
			return (progress ? PSERVER_PROGRESS : PSERVER_BLOCKED);
		if (!pserver_can_process(s))
			return (progress ? PSERVER_PROGRESS : PSERVER_BLOCKED);
		if (s->state == PSERVER_DATA) {
			if (pbody_data(s) == PSERVER_PROGRESS) {
				progress = 1;
				continue;
			}
			break;
		}
		if (s->state == PSERVER_BDAT) {
			if (pbody_chunk(s) == PSERVER_PROGRESS) {
				progress = 1;
				continue;
			}
			break;
		}

		p = s->in + s->inoff;
		avail = s->inlen - s->inoff;
		max = s->state == PSERVER_COMMAND ? PSERVER_CMD_MAX :
		    PSERVER_AUTH_MAX;
		if ((lf = memchr(p, '\n', avail)) == NULL) {
			if (s->discarding || avail > max) {
				/* Too long already: drop it up to the LF. */
				s->discarding = 1;
				s->inoff = s->inlen;
				progress = progress || avail > 0;
			}
			break;
		}
		n = lf - p + 1;
		s->inoff += n;
		progress = 1;
		if (s->discarding || n > max) {
			s->discarding = 0;
			pserver_log(s, "C: (a line too long: dropped)");
			if (s->state != PSERVER_COMMAND) {
				pauth_clear(s);
				pserver_set_state(s, PSERVER_COMMAND);
			}
			pserver_reply(s, "500 5.5.2 Error: line too long "
			    "(limit %zu octets)", max);
			continue;
		}
		len = n - 1;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (memchr(p, '\0', len) != NULL) {
			pserver_log(s, "C: (a line with a NUL byte)");
			pserver_reply(s, "500 5.5.2 Error: NUL byte in a "
			    "command line");
			continue;
		}
		line = xstrndup(p, len);
		if (s->state == PSERVER_COMMAND)
			pcmd_line(s, line);
		else {
			pserver_log(s, "C: <authentication data hidden>");
			pauth_response(s, line);
		}
		xfree_secret_str(line);
	}
	return (progress ? PSERVER_PROGRESS : PSERVER_NEED_MORE);
}

/* Read what the socket has, if there is room.  Returns 1 on progress. */
static int
pserver_read(struct pserver *s)
{
	char	*errstr = NULL;
	ssize_t	 n;
	size_t	 room;

	if (s->eof || s->state == PSERVER_STARTTLS ||
	    s->state == PSERVER_HANDSHAKE || s->state >= PSERVER_CLOSING)
		return (0);
	if (s->inoff > 0) {
		memmove(s->in, s->in + s->inoff, s->inlen - s->inoff);
		s->inlen -= s->inoff;
		s->inoff = 0;
	}
	if ((room = sizeof s->in - s->inlen) == 0)
		return (0);
	if (s->tls_active) {
		n = ptls_recv(s->tls, s->in + s->inlen, room, &errstr);
		if (n == PTLS_AGAIN)
			return (0);
		if (n == PTLS_ERROR) {
			pserver_log(s, "* %s", errstr);
			free(errstr);
			pserver_done(s, "TLS error");
			return (0);
		}
	} else {
		n = read(s->fd, s->in + s->inlen, room);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				return (0);
			pserver_done(s, strerror(errno));
			return (0);
		}
	}
	if (n == 0) {
		s->eof = 1;
		return (1);
	}
	s->inlen += n;
	s->last_input = s->now;
	return (1);
}

/* Before the 220 goes out, drop plain text the client already sent. */
static void
pserver_drain(struct pserver *s)
{
	char	buf[4096];
	ssize_t	n;
	size_t	total = 0;

	while ((n = read(s->fd, buf, sizeof buf)) > 0)
		total += n;
	if (total > 0)
		pserver_log(s, "* ignored %zu bytes sent after STARTTLS "
		    "before the handshake", total);
}

/* Send queued replies once their time has come.  Returns 1 on progress. */
static int
pserver_flush(struct pserver *s)
{
	char	*errstr = NULL;
	ssize_t	 n;
	size_t	 len;
	int	 progress = 0;

	while (s->outoff < s->outlen && s->now >= s->hold_until) {
		if (s->state == PSERVER_STARTTLS)
			pserver_drain(s);
		len = s->outlen - s->outoff;
		if (s->tls_active) {
			n = ptls_send(s->tls, s->out + s->outoff, len,
			    &errstr);
			if (n == PTLS_AGAIN)
				break;
			if (n == PTLS_ERROR) {
				pserver_log(s, "* %s", errstr);
				free(errstr);
				pserver_done(s, "TLS error");
				return (0);
			}
		} else {
			n = send(s->fd, s->out + s->outoff, len, MSG_NOSIGNAL);
			if (n == -1) {
				if (errno == EAGAIN || errno == EWOULDBLOCK ||
				    errno == EINTR)
					break;
				pserver_done(s, strerror(errno));
				return (0);
			}
		}
		s->outoff += n;
		progress = 1;
	}
	if (s->outoff == s->outlen)
		s->outoff = s->outlen = 0;
	return (progress);
}

static int
pserver_handshake(struct pserver *s)
{
	char	*errstr = NULL, *desc;
	int	 ret;

	ret = ptls_handshake(s->tls, &errstr);
	if (ret == PTLS_AGAIN)
		return (0);
	if (ret == PTLS_ERROR) {
		pserver_log(s, "* %s", errstr);
		free(errstr);
		pserver_done(s, "TLS handshake failed");
		return (0);
	}
	s->tls_active = 1;
	s->last_input = s->now;
	desc = ptls_describe(s->tls);
	pserver_log(s, "* TLS established: %s", desc);
	free(desc);
	/* RFC 3207: forget all that the client said before TLS. */
	pserver_reset(s);
	pauth_clear(s);
	free(s->auth_user);
	s->auth_user = NULL;
	s->helo = 0;
	pserver_set_state(s, PSERVER_COMMAND);
	return (1);
}

static void
pserver_timers(struct pserver *s)
{
	if (s->state == PSERVER_CLOSING) {
		if (s->now >= s->close_by)
			pserver_done(s, "the last reply could not be sent");
		return;
	}
	if (s->state == PSERVER_DONE ||
	    s->now < s->last_input + PSERVER_IDLE_MS)
		return;
	if (s->state == PSERVER_HANDSHAKE || s->state == PSERVER_STARTTLS) {
		pserver_done(s, "idle timeout");
		return;
	}
	pserver_log(s, "* idle for %d s", PSERVER_IDLE_MS / 1000);
	pserver_close(s);
	pserver_reply(s, "421 4.4.2 " PSERVER_HOST " Error: timeout exceeded");
	s->hold_until = 0;
}

int
pserver_run(struct pserver *s, int64_t now)
{
	char			*errstr = NULL;
	enum pserver_progress	 pr;
	int			 step, progress;

	s->now = now;
	s->busy = 0;
	pserver_timers(s);
	for (step = 0; s->state != PSERVER_DONE; step++) {
		if (step == PSERVER_RUN_STEPS) {
			/* Let the other clients in; come back at once. */
			s->busy = 1;
			break;
		}
		progress = 0;
		if (s->state == PSERVER_HANDSHAKE) {
			if (!pserver_handshake(s))
				break;
			progress = 1;
		}
		progress |= pserver_flush(s);
		if (s->state == PSERVER_DONE)
			break;
		if (s->state == PSERVER_STARTTLS && s->outoff == s->outlen) {
			if ((s->tls = ptls_new(s->cfg->tls, s->fd,
			    &errstr)) == NULL) {
				pserver_log(s, "* %s", errstr);
				free(errstr);
				pserver_done(s, "TLS failed");
				break;
			}
			pserver_set_state(s, PSERVER_HANDSHAKE);
			continue;
		}
		if (s->state == PSERVER_CLOSING && s->outoff == s->outlen) {
			if (s->tls_active)
				ptls_bye(s->tls);
			pserver_done(s, "the last reply was sent");
			break;
		}
		pr = pserver_process(s);
		if (pr == PSERVER_PROGRESS)
			progress = 1;
		else if (pr == PSERVER_NEED_MORE && s->eof) {
			pserver_done(s, "client closed");
			break;
		}
		progress |= pserver_read(s);
		if (!progress)
			break;
	}
	return (s->state == PSERVER_DONE ? -1 : 0);
}

void
pserver_wait(struct pserver *s, int64_t now, short *events,
    int64_t *deadline)
{
	int64_t	d = -1;
	short	ev = 0;

	switch (s->state) {
	case PSERVER_DONE:
		break;
	case PSERVER_HANDSHAKE:
		ev = ptls_want_write(s->tls) ? POLLOUT : POLLIN;
		d = s->last_input + PSERVER_IDLE_MS;
		break;
	default:
		if (s->outoff < s->outlen) {
			if (now >= s->hold_until)
				ev |= POLLOUT;
			else
				d = s->hold_until;
		}
		if (!s->eof && s->state != PSERVER_STARTTLS &&
		    s->state != PSERVER_CLOSING &&
		    s->inlen - s->inoff < sizeof s->in) {
			ev |= POLLIN;
			if (s->tls_active && ptls_pending(s->tls) > 0)
				d = now;
		}
		if (s->state == PSERVER_CLOSING) {
			if (d == -1 || s->close_by < d)
				d = s->close_by;
		} else if (d == -1 || s->last_input + PSERVER_IDLE_MS < d)
			d = s->last_input + PSERVER_IDLE_MS;
		break;
	}
	if (s->busy)
		d = now;
	*events = ev;
	*deadline = d;
}

void
pserver_shutdown(struct pserver *s)
{
	if (s->state == PSERVER_DONE || s->state == PSERVER_HANDSHAKE)
		return;
	if (s->state != PSERVER_CLOSING)
		pserver_close(s);
	pserver_reply(s, "421 4.3.2 " PSERVER_HOST " Service shutting down");
	s->hold_until = 0;
	pserver_flush(s);
	if (s->state != PSERVER_DONE)
		pserver_done(s, "server shutting down");
}
