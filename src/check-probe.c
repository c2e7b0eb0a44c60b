/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * One probe of the server check: a non-blocking connection that goes greeting, EHLO,
 * STARTTLS, handshake, EHLO again, QUIT (or handshake, greeting, EHLO, QUIT with implicit
 * TLS), each step with a deadline. It sends nothing else: never MAIL, never AUTH.
 */
#include "config.h"

#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "check-int.h"
#include "conn.h"
#include "xmalloc.h"
#include "xtime.h"

#define CHECK_READ_MAX	65536	/* bytes taken in one pass, then back to poll */
#define CHECK_QUIT_MS	2000	/* how long QUIT's answer is waited for */
#define CHECK_TEXT_MAX	300	/* of a server's text kept in the report */

static const char *const check_step_names[] = {
	"waiting", "connect", "TLS handshake", "greeting", "reply to EHLO",
	"reply to STARTTLS", "reply to EHLO after TLS", "reply to QUIT", "done"
};

void
check_probe_close(struct check_probe *p)
{
	tls_close(p->tls);
	p->tls = NULL;
	if (p->fd != -1)
		close(p->fd);
	p->fd = -1;
	reply_parser_clear(&p->rp);
	p->events = 0;
	p->outlen = 0;
}

static void
check_probe_end(struct check_probe *p)
{
	check_probe_close(p);
	p->step = CHECK_S_DONE;
}

static int
check_probe_main(const struct check_probe *p)
{
	return (p->version < 0);
}

/* A failure after connect: the main probe's error, or this version's. Takes msg. */
static void
check_probe_fail(struct check_probe *p, char *msg)
{
	struct check_version	*v;

	if (check_probe_main(p)) {
		if (p->res->error == NULL)
			p->res->error = msg;
		else
			free(msg);
	} else {
		v = &p->res->versions[p->version];
		if (v->state == CHECK_TV_UNTRIED) {
			v->state = CHECK_TV_ERROR;
			v->error = msg;
		} else
			free(msg);
	}
	check_probe_end(p);
}

static void
check_probe_step(struct check *c, struct check_probe *p, enum check_step step)
{
	long long	ms = (long long)c->o->reply_timeout * 1000;

	if (step == CHECK_S_QUIT && ms > CHECK_QUIT_MS)
		ms = CHECK_QUIT_MS;
	p->step = step;
	p->deadline = xtime_ms() + ms;
	p->events = POLLIN;
}

/* Send what waits in p->out; 0, or -1 when the connection failed (p ended). */
static int
check_probe_flush(struct check_probe *p)
{
	char	*err = NULL;
	ssize_t	 n;

	while (p->outlen > 0) {
		if (p->tls != NULL)
			n = tls_send(p->tls, p->out, p->outlen, &err);
		else
			n = send(p->fd, p->out, p->outlen, MSG_NOSIGNAL);
		if (n == TLS_WANT_READ || n == TLS_WANT_WRITE ||
		    (n == -1 && p->tls == NULL &&
		    (errno == EAGAIN || errno == EINTR))) {
			p->events |= POLLOUT;
			return (0);
		}
		if (n < 0) {
			check_probe_fail(p, err != NULL ? err :
			    xasprintf("cannot send: %s", strerror(errno)));
			return (-1);
		}
		memmove(p->out, p->out + n, p->outlen - n);
		p->outlen -= n;
	}
	p->events &= ~POLLOUT;
	return (0);
}

/* Send a command and wait for its reply in step. */
static void
check_probe_send(struct check *c, struct check_probe *p, const char *line,
    enum check_step step)
{
	int	n;

	n = snprintf(p->out, sizeof p->out, "%s\r\n", line);
	if (n < 0 || (size_t)n >= sizeof p->out)
		n = snprintf(p->out, sizeof p->out, "EHLO localhost\r\n");
	p->outlen = n;
	check_probe_step(c, p, step);
	check_probe_flush(p);
}

static void
check_probe_quit(struct check *c, struct check_probe *p)
{
	check_probe_send(c, p, "QUIT", CHECK_S_QUIT);
}

/* The server's text for the report: the reply's first line, display-safe, cut. */
static char *
check_probe_text(const struct reply *r)
{
	const char	*t = r->nlines > 0 ? r->lines[0].text : "";

	return (xstrndup(t, CHECK_TEXT_MAX));
}

static char *
check_probe_word(const char *s)
{
	size_t	n;

	while (*s == ' ')
		s++;
	n = strcspn(s, " ");
	return (n == 0 ? NULL : xstrndup(s, n > 255 ? 255 : n));
}

/* Does the EHLO line text start with keyword kw, alone or followed by a space or '='? */
static int
check_kw(const char *text, const char *kw, const char **rest)
{
	size_t	n = strlen(kw);

	if (strncasecmp(text, kw, n) != 0 ||
	    (text[n] != '\0' && text[n] != ' ' && text[n] != '='))
		return (0);
	*rest = text[n] == '\0' ? text + n : text + n + 1;
	return (1);
}

static void
check_caps_parse(struct check_caps *k, const struct reply *r)
{
	const char	*t, *rest;
	size_t		 i;

	k->seen = 1;
	for (i = 1; i < r->nlines; i++) {
		t = reply_text(r, i);
		if (check_kw(t, "STARTTLS", &rest))
			k->starttls = 1;
		else if (check_kw(t, "PIPELINING", &rest))
			k->pipelining = 1;
		else if (check_kw(t, "CHUNKING", &rest))
			k->chunking = 1;
		else if (check_kw(t, "SMTPUTF8", &rest))
			k->smtputf8 = 1;
		else if (check_kw(t, "8BITMIME", &rest))
			k->eightbitmime = 1;
		else if (check_kw(t, "DSN", &rest))
			k->dsn = 1;
		else if (check_kw(t, "SIZE", &rest)) {
			k->size = 1;
			k->size_max = strtoll(rest, NULL, 10);
			if (k->size_max < 0)
				k->size_max = 0;
		} else if (check_kw(t, "AUTH", &rest) && k->auth == NULL)
			k->auth = xstrndup(rest, CHECK_TEXT_MAX);
	}
}

/* A reply that says TLS is needed first (RFC 3207: 530). */
static void
check_probe_530(struct check_probe *p, const struct reply *r)
{
	if (check_probe_main(p) && r->code == 530)
		p->res->starttls_required = 1;
}

static void
check_probe_tls_start(struct check *c, struct check_probe *p)
{
	struct tls_config	 cf = c->o->tls;
	char			*err = NULL;

	if (!check_probe_main(p))
		cf.version = 10 + p->version;
	if (check_probe_main(p)) {
		p->res->tls_tried = 1;
		p->tls_worth = 1;
	}
	if ((p->tls = tls_start(&cf, p->host->name, p->fd, &err)) == NULL) {
		p->tls_worth = 0;
		if (check_probe_main(p)) {
			p->res->tls_error = err;
			check_probe_end(p);
		} else
			check_probe_fail(p, err);
		return;
	}
	check_probe_step(c, p, CHECK_S_HANDSHAKE);
	p->events = POLLOUT;
}

static void
check_probe_tls_done(struct check *c, struct check_probe *p)
{
	struct tls_info		*in = tls_take_info(p->tls);
	struct check_version	*v;

	if (!check_probe_main(p)) {
		v = &p->res->versions[p->version];
		v->state = CHECK_TV_ACCEPTED;
		v->cipher = xstrdup(in != NULL && in->cipher != NULL ? in->cipher : "?");
		tls_info_free(in);
		check_probe_quit(c, p);
		return;
	}
	p->res->tls_up = 1;
	p->res->tls_info = in;
	if (p->res->implicit)
		check_probe_step(c, p, CHECK_S_GREETING);
	else
		check_probe_send(c, p, c->o->ehlo, CHECK_S_EHLO2);
}

static void
check_probe_handshake(struct check *c, struct check_probe *p)
{
	char	*err = NULL, *hint = NULL;
	int	 ret;

	ret = tls_handshake(p->tls, &err, &hint);
	if (ret == TLS_WANT_READ) {
		p->events = POLLIN;
		return;
	}
	if (ret == TLS_WANT_WRITE) {
		p->events = POLLOUT;
		return;
	}
	if (ret == TLS_OK) {
		check_probe_tls_done(c, p);
		return;
	}
	free(hint);
	if (check_probe_main(p)) {
		/* A plain-text answer on 465: not a TLS port, no version will do. */
		p->tls_worth = !tls_plain_answer(p->tls);
		p->res->tls_error = err;
		check_probe_end(p);
	} else {
		p->res->versions[p->version].state = CHECK_TV_REFUSED;
		p->res->versions[p->version].error = err;
		check_probe_end(p);
	}
}

static void
check_probe_greeting(struct check *c, struct check_probe *p, const struct reply *r)
{
	struct check_port	*res = p->res;

	if (check_probe_main(p)) {
		res->greeting_code = r->code;
		res->greeting_ms = xtime_ms() - p->connected;
		res->greeting = check_probe_text(r);
		if (r->nlines > 0)
			res->greeting_name = check_probe_word(reply_text(r, 0));
	}
	if (reply_class(r) != 2) {
		check_probe_530(p, r);
		check_probe_fail(p, xasprintf("the greeting refuses: %s",
		    r->nlines > 0 ? r->lines[0].text : "?"));
		return;
	}
	/* A version probe over implicit TLS is done with the handshake. */
	check_probe_send(c, p, c->o->ehlo, CHECK_S_EHLO);
}

static void
check_probe_ehlo(struct check *c, struct check_probe *p, const struct reply *r)
{
	struct check_caps	 k;
	int			 starttls;

	if (r->code != 250) {
		check_probe_530(p, r);
		if (check_probe_main(p) && p->res->error == NULL)
			p->res->error = xasprintf("EHLO refused: %.300s",
			    r->nlines > 0 ? r->lines[0].text : "?");
		check_probe_quit(c, p);
		return;
	}
	memset(&k, 0, sizeof k);
	if (check_probe_main(p))
		check_caps_parse(p->tls != NULL ? &p->res->tls : &p->res->plain, r);
	check_caps_parse(&k, r);
	starttls = k.starttls;
	free(k.auth);
	if (p->tls == NULL && starttls) {
		check_probe_send(c, p, "STARTTLS", CHECK_S_STARTTLS);
		return;
	}
	if (!check_probe_main(p) && p->tls == NULL) {
		check_probe_fail(p, xstrdup("STARTTLS not offered"));
		return;
	}
	check_probe_quit(c, p);
}

static void
check_probe_starttls(struct check *c, struct check_probe *p, const struct reply *r)
{
	if (r->code != 220) {
		check_probe_530(p, r);
		if (check_probe_main(p)) {
			p->res->tls_error = xasprintf("STARTTLS refused: %s",
			    r->nlines > 0 ? r->lines[0].text : "?");
			check_probe_quit(c, p);
		} else
			check_probe_fail(p, xstrdup("STARTTLS refused"));
		return;
	}
	check_probe_tls_start(c, p);
}

/* One whole reply, in the step it answers. */
static void
check_probe_reply(struct check *c, struct check_probe *p, const struct reply *r)
{
	switch (p->step) {
	case CHECK_S_GREETING:
		check_probe_greeting(c, p, r);
		break;
	case CHECK_S_EHLO:
		check_probe_ehlo(c, p, r);
		break;
	case CHECK_S_STARTTLS:
		check_probe_starttls(c, p, r);
		break;
	case CHECK_S_EHLO2:
		if (r->code == 250 && check_probe_main(p))
			check_caps_parse(&p->res->tls, r);
		check_probe_quit(c, p);
		break;
	case CHECK_S_QUIT:
	default:
		check_probe_end(p);
		break;
	}
}

/* Feed n bytes to the reply parser; -1 when the probe ended or changed to TLS. */
static int
check_probe_feed(struct check *c, struct check_probe *p, const char *buf, size_t n)
{
	const struct reply_line	*line;
	struct reply		*done;
	size_t			 off = 0;
	enum check_step		 step;

	while (off < n) {
		off += reply_parser_feed(&p->rp, buf + off, n - off, &line, &done);
		if (done == NULL)
			continue;
		step = p->step;
		check_probe_reply(c, p, done);
		reply_free(done);
		if (p->step == CHECK_S_DONE)
			return (-1);
		if (step == CHECK_S_STARTTLS && p->step == CHECK_S_HANDSHAKE) {
			/* Bytes behind the 220 would be read as if under TLS. */
			if (off < n || reply_parser_pending(&p->rp) > 0)
				check_probe_fail(p, xstrdup("the server sent more "
				    "after 220 to STARTTLS (injection): stopped"));
			return (-1);
		}
	}
	return (0);
}

static void
check_probe_read(struct check *c, struct check_probe *p)
{
	char	 buf[4096], *err = NULL;
	ssize_t	 n;
	size_t	 total = 0;

	while (total < CHECK_READ_MAX) {
		if (p->tls != NULL)
			n = tls_recv(p->tls, buf, sizeof buf, &err);
		else
			n = recv(p->fd, buf, sizeof buf, 0);
		if (n == TLS_WANT_READ || n == TLS_WANT_WRITE ||
		    (n == -1 && p->tls == NULL &&
		    (errno == EAGAIN || errno == EINTR)))
			return;
		if (n <= 0) {
			if (p->step == CHECK_S_QUIT) {
				free(err);
				check_probe_end(p);
			} else if (err == NULL && n < 0)
				check_probe_fail(p, xasprintf("connection lost "
				    "(waiting for the %s): %s",
				    check_step_names[p->step], strerror(errno)));
			else
				check_probe_fail(p, err != NULL ? err : xasprintf(
				    "the server closed the connection (waiting for "
				    "the %s)", check_step_names[p->step]));
			return;
		}
		total += n;
		if (check_probe_feed(c, p, buf, n) != 0)
			return;
	}
}

static void
check_probe_connected(struct check *c, struct check_probe *p)
{
	char	*err = NULL, *hint = NULL, port[16];
	int	 e;

	if ((e = conn_finish(p->fd)) != 0) {
		if (check_probe_main(p)) {
			p->res->conn = e == ECONNREFUSED ? CHECK_C_REFUSED :
			    e == ETIMEDOUT ? CHECK_C_TIMEOUT : CHECK_C_ERROR;
			p->res->connect_ms = xtime_ms() - p->connected;
			snprintf(port, sizeof port, "%d", p->res->port);
			conn_explain(e, p->host->name, p->addr->addr.text, port,
			    &err, &hint);
			p->res->conn_error = err;
			free(hint);
			check_probe_end(p);
		} else
			check_probe_fail(p, xasprintf("connect: %s", strerror(e)));
		return;
	}
	if (check_probe_main(p)) {
		p->res->conn = CHECK_C_OK;
		p->res->connect_ms = xtime_ms() - p->connected;
	}
	p->connected = xtime_ms();
	if (p->res->implicit)
		check_probe_tls_start(c, p);
	else
		check_probe_step(c, p, CHECK_S_GREETING);
}

/*
 * DANE: the TLSA lookup of a main probe's host and port starts with it, in libunbound's
 * thread; the check polls its answer once the probe is done (check.c), at most until
 * this deadline. An address has no TLSA records to look up.
 */
static void
check_probe_dane(struct check *c, struct check_probe *p)
{
	char	port[16];

	if (!check_probe_main(p) || !c->o->tls.dane ||
	    c->rep.kind == CHECK_K_ADDRESS)
		return;
	snprintf(port, sizeof port, "%d", p->res->port);
	p->dane = tls_dane_start(&c->o->tls, p->host->name, port);
	/* A host from the domain's MX records: DANE counts when they validate. */
	if (p->host->pref >= 0)
		tls_dane_via_mx(p->dane, c->rep.target);
	p->dane_deadline = xtime_ms() + ((long long)c->o->connect_timeout +
	    c->o->reply_timeout) * 1000;
}

void
check_probe_start(struct check *c, struct check_probe *p)
{
	struct sockaddr_storage	 ss = p->addr->addr.ss;
	struct addrinfo		 ai;

	memset(&ai, 0, sizeof ai);
	ai.ai_family = p->addr->addr.family;
	ai.ai_socktype = SOCK_STREAM;
	ai.ai_addrlen = p->addr->addr.len;
	ai.ai_addr = (struct sockaddr *)&ss;
	if (ai.ai_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons(p->res->port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(p->res->port);
	reply_parser_init(&p->rp);
	p->step = CHECK_S_CONNECT;
	p->connected = xtime_ms();	/* the start, until connected */
	check_probe_dane(c, p);
	p->deadline = p->connected + (long long)c->o->connect_timeout * 1000;
	p->events = POLLOUT;
	if ((p->fd = conn_start(&ai)) == -1) {
		/* Failed at once (no route, no socket): the same as a failed connect. */
		if (check_probe_main(p)) {
			p->res->conn = CHECK_C_ERROR;
			p->res->conn_error = xasprintf("cannot connect to %s [%s] port "
			    "%d: %s", p->host->name, p->addr->addr.text, p->res->port,
			    strerror(errno));
			check_probe_end(p);
		} else
			check_probe_fail(p, xasprintf("connect: %s", strerror(errno)));
	}
}

void
check_probe_io(struct check *c, struct check_probe *p, short revents)
{
	if (p->step == CHECK_S_CONNECT) {
		if (revents & (POLLOUT | POLLERR | POLLHUP))
			check_probe_connected(c, p);
		return;
	}
	if ((revents & POLLOUT) && p->outlen > 0 && check_probe_flush(p) != 0)
		return;
	if (p->step == CHECK_S_HANDSHAKE) {
		check_probe_handshake(c, p);
		return;
	}
	if (revents & (POLLIN | POLLERR | POLLHUP))
		check_probe_read(c, p);
}

void
check_probe_timeout(struct check *c, struct check_probe *p)
{
	struct check_port	*res = p->res;
	int			 secs;

	(void)c;
	if (p->step == CHECK_S_QUIT) {
		check_probe_end(p);
		return;
	}
	if (p->step == CHECK_S_CONNECT) {
		secs = c->o->connect_timeout;
		if (check_probe_main(p)) {
			res->conn = CHECK_C_TIMEOUT;
			res->connect_ms = (long long)secs * 1000;
			res->conn_error = xasprintf("no answer from %s [%s] port %d "
			    "within %d s: connection timed out", p->host->name,
			    p->addr->addr.text, res->port, secs);
			check_probe_end(p);
		} else
			check_probe_fail(p, xasprintf("connect timed out"));
		return;
	}
	secs = c->o->reply_timeout;
	if (p->step == CHECK_S_HANDSHAKE && check_probe_main(p)) {
		res->tls_error = xasprintf("TLS handshake: no answer within %d s",
		    secs);
		check_probe_end(p);
		return;
	}
	if (p->step == CHECK_S_HANDSHAKE) {
		res->versions[p->version].state = CHECK_TV_REFUSED;
		res->versions[p->version].error = xasprintf("no answer to the "
		    "handshake within %d s", secs);
		check_probe_end(p);
		return;
	}
	check_probe_fail(p, xasprintf("no %s within %d s",
	    check_step_names[p->step], secs));
}
