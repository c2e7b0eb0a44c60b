/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The TLS information model as text. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tlsview.h"
#include "xmalloc.h"
#include "xtime.h"

struct tlsview_buf {
	struct tlsview_line	*v;
	size_t			 n;
};

static void tlsview_add(struct tlsview_buf *, enum tlsview_style, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
tlsview_add(struct tlsview_buf *b, enum tlsview_style st, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = xstrdup("?");
	va_end(ap);
	b->v = xreallocarray(b->v, b->n + 1, sizeof *b->v);
	b->v[b->n].style = st;
	b->v[b->n].text = s;
	b->n++;
}

void
tlsview_append(struct tlsview_line **v, size_t *n, enum tlsview_style st,
    const char *text)
{
	struct tlsview_buf	b = { *v, *n };

	tlsview_add(&b, st, "%s", text);
	*v = b.v;
	*n = b.n;
}

static const char *
tlsview_date(time_t t, char *buf, size_t len)
{
	xtime_utc(buf, len, "%Y-%m-%d", t);
	return (buf);
}

/* What happened to a client certificate, when there was one or the server asked. */
static void
tlsview_client(struct tlsview_buf *b, const struct tls_info *in)
{
	if (in->client_cert != NULL)
		tlsview_add(b, TV_TEXT, "client certificate sent: %s", in->client_cert);
	else if (in->client_asked && !in->client_had)
		tlsview_add(b, TV_TEXT, "the server asked for a client certificate; none "
		    "was given (--cert, --key)");
	else if (in->client_asked)
		tlsview_add(b, TV_BAD, "the server asked for a client certificate; the "
		    "one given was not sent");
	else if (in->client_had)
		tlsview_add(b, TV_DIM, "client certificate not sent: the server did not "
		    "ask for one");
}

/* DANE: the verdict, then each record and what it matched. */
static void
tlsview_dane(struct tlsview_buf *b, const struct tls_info *in)
{
	size_t	i;

	if (in->dane == NULL)
		return;
	tlsview_add(b, in->dane_state == TLS_DANE_MATCH ? TV_GOOD :
	    in->dane_state == TLS_DANE_NO_MATCH || in->dane_state == TLS_DANE_BOGUS ?
	    TV_BAD : TV_DIM, "%s", in->dane);
	for (i = 0; i < in->ndane_why; i++)
		tlsview_add(b, TV_TEXT, "    %s", in->dane_why[i]);
}

struct tlsview_line *
tlsview_lines(const struct tls_info *in, size_t *n)
{
	struct tlsview_buf	 b = { NULL, 0 };
	const struct tls_cert	*c;
	char			 d1[16], d2[16];
	long			 days;
	size_t			 i;
	time_t			 now = time(NULL);

	if (in == NULL) {
		tlsview_add(&b, TV_DIM, "no TLS yet");
		tlsview_add(&b, TV_DIM, "send STARTTLS after EHLO; port 465 "
		    "and --tls start with TLS");
		*n = b.n;
		return (b.v);
	}
	tlsview_add(&b, TV_HEAD, "%s  %s", in->protocol, in->cipher);
	tlsview_add(&b, TV_TEXT, "key exchange %s%s", in->kx,
	    in->resumed ? ", resumed session" : "");
	tlsview_add(&b, in->verified ? TV_GOOD : TV_BAD, "%s", in->verdict);
	if (in->advice != NULL)
		tlsview_add(&b, TV_TEXT, "what to do: %s", in->advice);
	tlsview_add(&b, TV_TEXT, "checked name: %s", in->name);
	tlsview_add(&b, TV_DIM, "%s", in->ocsp);
	tlsview_dane(&b, in);
	tlsview_client(&b, in);
	for (i = 0; i < in->ncerts; i++) {
		c = &in->certs[i];
		tlsview_add(&b, (int)i == in->fail_index ? TV_BAD : TV_HEAD,
		    "[%zu] %s%s", i, c->subject, (int)i == in->fail_index ?
		    "  <- failed" : "");
		tlsview_add(&b, TV_TEXT, "    issuer  %s%s", c->issuer,
		    c->self_signed ? " (self-signed)" : "");
		days = tls_days_left(c->not_after);
		tlsview_add(&b, c->not_after < now || c->not_before > now ? TV_BAD :
		    TV_TEXT, "    valid   %s to %s (%s%ld days%s)",
		    tlsview_date(c->not_before, d1, sizeof d1),
		    tlsview_date(c->not_after, d2, sizeof d2),
		    days < 0 ? "expired " : c->not_before > now ? "not yet valid, " :
		    "", days < 0 ? -days : days, days < 0 ? " ago" : " left");
		if (*c->sans != '\0')
			tlsview_add(&b, TV_TEXT, "    names   %s", c->sans);
		tlsview_add(&b, TV_TEXT, "    key     %s, signed %s", c->key, c->sigalg);
		tlsview_add(&b, TV_DIM, "    sha256  %s", c->sha256);
	}
	*n = b.n;
	return (b.v);
}

void
tlsview_free(struct tlsview_line *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

int
tlsview_save_chain(const struct tls_info *in, const char *path, char **errstr)
{
	FILE	*f;
	size_t	 i;

	if (in == NULL || in->ncerts == 0) {
		*errstr = xstrdup("no certificate chain: TLS is not up");
		return (-1);
	}
	if ((f = fopen(path, "w")) == NULL) {
		*errstr = xasprintf("cannot write %s: %s", path, strerror(errno));
		return (-1);
	}
	for (i = 0; i < in->ncerts; i++)
		fputs(in->certs[i].pem, f);
	if (fclose(f) != 0) {
		*errstr = xasprintf("cannot write %s: %s", path, strerror(errno));
		return (-1);
	}
	return (0);
}
