/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* GnuTLS client sessions and the TLS information model. */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>

#include "explain-hint.h"
#include "tls.h"
#include "tls-int.h"
#include "xmalloc.h"

static int	tls_first_is_smtp(const struct tls *);

/* Read from the socket, keeping the first bytes so a plain-text answer can be recognised. */
static ssize_t
tls_pull(gnutls_transport_ptr_t ptr, void *buf, size_t len)
{
	struct tls	*t = ptr;
	ssize_t		 n;
	size_t		 keep;

	n = recv(t->fd, buf, len, 0);
	if (n > 0 && t->nfirst == 0) {
		/* GnuTLS reads a record header (5 bytes) first: to quote a plain
		 * answer, look at what already waits behind it too. */
		t->nquote = (size_t)n < TLS_FIRST_MAX ? (size_t)n : TLS_FIRST_MAX;
		memcpy(t->quote, buf, t->nquote);
		if (t->nquote < TLS_FIRST_MAX) {
			ssize_t	p = recv(t->fd, t->quote + t->nquote,
			    TLS_FIRST_MAX - t->nquote, MSG_PEEK | MSG_DONTWAIT);

			if (p > 0)
				t->nquote += p;
		}
	}
	if (n > 0 && t->nfirst < TLS_FIRST_MAX) {
		keep = TLS_FIRST_MAX - t->nfirst;
		if (keep > (size_t)n)
			keep = n;
		memcpy(t->first + t->nfirst, buf, keep);
		t->nfirst += keep;
	}
	if (n == -1)
		gnutls_transport_set_errno(t->session, errno);
	return (n);
}

static ssize_t
tls_push(gnutls_transport_ptr_t ptr, const void *buf, size_t len)
{
	struct tls	*t = ptr;
	ssize_t		 n;

	n = send(t->fd, buf, len, MSG_NOSIGNAL);
	if (n == -1)
		gnutls_transport_set_errno(t->session, errno);
	return (n);
}

static int
tls_is_ip(const char *host)
{
	unsigned char	buf[sizeof(struct in6_addr)];

	return (inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1);
}

static char *
tls_priority_string(const struct tls_config *cf)
{
	const char	*base = cf->priority != NULL ? cf->priority : "NORMAL";

	/* 10 and 11 are for the server check's probes of old versions. */
	if (cf->version >= 10 && cf->version <= 13)
		return (xasprintf("%s:-VERS-ALL:+VERS-TLS1.%d", base,
		    cf->version - 10));
	return (xstrdup(base));
}

/* A GnuTLS version name for people: "TLS1.3" is "TLS 1.3"; malloc'd. */
static char *
tls_version_name(const char *name)
{
	size_t	n;

	if (name == NULL)
		return (xstrdup("unknown"));
	n = strcspn(name, "0123456789");
	if (n == 0 || name[n] == '\0' || name[n - 1] == ' ')
		return (xstrdup(name));
	return (xasprintf("%.*s %s", (int)n, name, name + n));
}

/* Names of the TLS versions a priority cache enables, "TLS 1.3, TLS 1.2": no DTLS, which
 * a stream socket never offers. */
static char *
tls_protocols(gnutls_priority_t prio)
{
	const unsigned int	*list;
	const char		*name;
	char			*s = xstrdup(""), *t, *v;
	int			 n, i;

	n = gnutls_priority_protocol_list(prio, &list);
	for (i = 0; i < n; i++) {
		name = gnutls_protocol_get_name(list[i]);
		if (name == NULL || strncmp(name, "TLS", 3) != 0)
			continue;
		v = tls_version_name(name);
		t = xasprintf("%s%s%s", s, *s ? ", " : "", v);
		free(v);
		free(s);
		s = t;
	}
	if (*s == '\0') {
		free(s);
		s = xstrdup("none");
	}
	return (s);
}

static int
tls_make_priority(const struct tls_config *cf, gnutls_priority_t *prio, char **errstr)
{
	const char	*errpos = NULL;
	char		*p;
	int		 ret;

	p = tls_priority_string(cf);
	ret = gnutls_priority_init(prio, p, &errpos);
	if (ret < 0) {
		if (ret == GNUTLS_E_INVALID_REQUEST && errpos != NULL)
			*errstr = xasprintf("bad TLS priority string \"%s\" near "
			    "\"%s\"", p, errpos);
		else
			*errstr = xasprintf("bad TLS priority string \"%s\": %s", p,
			    gnutls_strerror(ret));
		free(p);
		return (-1);
	}
	free(p);
	return (0);
}

char *
tls_offered(const struct tls_config *cf)
{
	gnutls_priority_t	 prio;
	char			*err = NULL, *s;

	if (tls_make_priority(cf, &prio, &err) != 0) {
		free(err);
		return (NULL);
	}
	s = tls_protocols(prio);
	gnutls_priority_deinit(prio);
	return (s);
}

/* Does a --priority string offer other versions than GnuTLS's default? */
static int
tls_priority_narrows(const char *offered)
{
	struct tls_config	 cf;
	char			*def;
	int			 narrows;

	memset(&cf, 0, sizeof cf);
	if ((def = tls_offered(&cf)) == NULL)
		return (1);
	narrows = strcmp(def, offered) != 0;
	free(def);
	return (narrows);
}

int
tls_check_priority(const struct tls_config *cf, char **errstr)
{
	gnutls_priority_t	prio;

	if (tls_make_priority(cf, &prio, errstr) != 0)
		return (-1);
	gnutls_priority_deinit(prio);
	return (0);
}

struct tls *
tls_start(const struct tls_config *cf, const char *host, int fd, char **errstr)
{
	struct tls	*t;
	const char	*sni;
	int		 ret;

	t = xcalloc(1, sizeof *t);
	t->fd = fd;
	t->host = xstrdup(host);
	t->name = xstrdup(cf->sni != NULL ? cf->sni : host);

	if ((ret = gnutls_certificate_allocate_credentials(&t->cred)) < 0)
		goto gnutls_fail;
	if (cf->cafile != NULL) {
		ret = gnutls_certificate_set_x509_trust_file(t->cred, cf->cafile,
		    GNUTLS_X509_FMT_PEM);
		if (ret <= 0) {
			*errstr = xasprintf("cannot use CA file %s: %s", cf->cafile,
			    ret == 0 ? "no certificates in it" : gnutls_strerror(ret));
			goto fail;
		}
	} else if (gnutls_certificate_set_x509_system_trust(t->cred) <= 0) {
		/* Not fatal: verification will say the issuer is unknown. */
	}
	if (cf->certfile != NULL || cf->keyfile != NULL) {
		ret = gnutls_certificate_set_x509_key_file(t->cred,
		    cf->certfile != NULL ? cf->certfile : cf->keyfile,
		    cf->keyfile != NULL ? cf->keyfile : cf->certfile,
		    GNUTLS_X509_FMT_PEM);
		if (ret < 0) {
			*errstr = xasprintf("cannot use client certificate %s / key %s:"
			    " %s", cf->certfile ? cf->certfile : "-",
			    cf->keyfile ? cf->keyfile : "-", gnutls_strerror(ret));
			goto fail;
		}
	}
	if (tls_make_priority(cf, &t->prio, errstr) != 0)
		goto fail;
	t->offered = tls_protocols(t->prio);
	t->version = cf->version;
	t->cafile = cf->cafile != NULL;
	if (cf->priority != NULL && cf->version == 0)
		t->priority = tls_priority_narrows(t->offered);

	if ((ret = gnutls_init(&t->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK)) < 0)
		goto gnutls_fail;
	if ((ret = gnutls_priority_set(t->session, t->prio)) < 0)
		goto gnutls_fail;
	if ((ret = gnutls_credentials_set(t->session, GNUTLS_CRD_CERTIFICATE,
	    t->cred)) < 0)
		goto gnutls_fail;
	sni = cf->sni != NULL ? cf->sni : host;
	if (cf->sni != NULL || !tls_is_ip(host)) {
		ret = gnutls_server_name_set(t->session, GNUTLS_NAME_DNS, sni,
		    strlen(sni));
		if (ret < 0)
			goto gnutls_fail;
	}
	gnutls_transport_set_ptr(t->session, t);
	gnutls_transport_set_pull_function(t->session, tls_pull);
	gnutls_transport_set_push_function(t->session, tls_push);
	gnutls_handshake_set_timeout(t->session, 0);
	return (t);

gnutls_fail:
	*errstr = xasprintf("TLS setup failed: %s", gnutls_strerror(ret));
fail:
	tls_close(t);
	return (NULL);
}

long
tls_days_left(time_t t)
{
	double	d = difftime(t, time(NULL)) / 86400.0;

	return (d < 0 ? (long)(d - 0.5) : (long)(d + 0.5));
}

static const char *
tls_ocsp(gnutls_session_t s)
{
	if (!gnutls_ocsp_status_request_is_checked(s, GNUTLS_OCSP_SR_IS_AVAIL))
		return ("no OCSP response stapled");
	if (gnutls_ocsp_status_request_is_checked(s, 0))
		return ("OCSP response stapled and valid");
	return ("OCSP response stapled but NOT valid");
}

/* The stapling status in words, and whether the server's certificate asks for it. */
static char *
tls_ocsp_words(gnutls_session_t s, const struct tls_info *in)
{
	int	must = in->ncerts > 0 && in->certs[0].must_staple;
	int	stapled = gnutls_ocsp_status_request_is_checked(s,
		    GNUTLS_OCSP_SR_IS_AVAIL);

	if (!must)
		return (xstrdup(tls_ocsp(s)));
	if (!stapled)
		return (xstrdup("no OCSP response stapled, yet the certificate "
		    "requires one (must-staple, RFC 7633): clients that enforce it "
		    "refuse the connection; the server must staple"));
	return (xasprintf("%s; the certificate requires it (must-staple)",
	    tls_ocsp(s)));
}

static void
tls_cert_free(struct tls_cert *c)
{
	free(c->subject);
	free(c->issuer);
	free(c->serial);
	free(c->sans);
	free(c->key);
	free(c->sigalg);
	free(c->sha256);
	free(c->pem);
}

/* Whether the server asked for a client certificate, whether we had one, and which we
 * sent: a server that wants one may refuse MAIL or AUTH later, and this says why. */
static void
tls_client_cert(struct tls *t, struct tls_info *in)
{
	const gnutls_datum_t	*ours;
	gnutls_x509_crt_t	*crts;
	struct tls_cert		 c;
	unsigned		 n, i;

	in->client_asked = gnutls_certificate_client_get_request_status(t->session) != 0;
	if (gnutls_certificate_get_x509_crt(t->cred, 0, &crts, &n) >= 0) {
		in->client_had = n > 0;
		for (i = 0; i < n; i++)
			gnutls_x509_crt_deinit(crts[i]);
		gnutls_free(crts);
	}
	if (!in->client_asked || (ours = gnutls_certificate_get_ours(t->session)) == NULL)
		return;
	memset(&c, 0, sizeof c);
	tls_cert_fill(&c, ours);
	in->client_cert = c.subject;
	c.subject = NULL;
	tls_cert_free(&c);
}

static struct tls_info *
tls_build_info(struct tls *t)
{
	struct tls_info		*in;
	const gnutls_datum_t	*chain;
	unsigned		 n = 0, i;
	const char		*name;
	gnutls_group_t		 group;

	in = xcalloc(1, sizeof *in);
	in->protocol = tls_version_name(gnutls_protocol_get_name(
	    gnutls_protocol_get_version(t->session)));
	name = gnutls_ciphersuite_get(t->session);
	in->cipher = xstrdup(name != NULL ? name : "unknown");
	group = gnutls_group_get(t->session);
	if (group != 0 && (name = gnutls_group_get_name(group)) != NULL)
		in->kx = xstrdup(name);
	else if ((name = gnutls_kx_get_name(gnutls_kx_get(t->session))) != NULL)
		in->kx = xstrdup(name);
	else
		in->kx = xstrdup("unknown");
	in->resumed = gnutls_session_is_resumed(t->session);

	chain = gnutls_certificate_get_peers(t->session, &n);
	if (chain != NULL && n > 0) {
		in->ncerts = n;
		in->certs = xcalloc(n, sizeof *in->certs);
		for (i = 0; i < n; i++)
			tls_cert_fill(&in->certs[i], &chain[i]);
	}
	tls_verify_chain(t, in);
	in->ocsp = tls_ocsp_words(t->session, in);
	tls_client_cert(t, in);
	return (in);
}

struct tls_info *
tls_info_from_der(const void *der, size_t len)
{
	struct tls_info	*in;
	gnutls_datum_t	 d;

	in = xcalloc(1, sizeof *in);
	in->protocol = xstrdup("(no TLS session)");
	in->cipher = xstrdup("certificate read from DER");
	in->kx = xstrdup("none");
	in->ocsp = xstrdup("no OCSP response stapled");
	in->name = xstrdup("");
	in->verdict = xstrdup("NOT verified: a certificate read on its own");
	in->problems = TLS_P_OTHER;
	in->fail_index = -1;
	in->ncerts = 1;
	in->certs = xcalloc(1, sizeof *in->certs);
	/* GnuTLS only reads the datum; its type is not const. */
	d.data = (unsigned char *)(uintptr_t)der;
	d.size = len > UINT_MAX ? UINT_MAX : (unsigned)len;
	tls_cert_fill(&in->certs[0], &d);
	return (in);
}

/* Did the server answer our ClientHello with an SMTP reply in plain text? */
int
tls_plain_answer(const struct tls *t)
{
	return (tls_first_is_smtp(t));
}

static int
tls_first_is_smtp(const struct tls *t)
{
	return (t->nfirst >= 4 && t->first[0] >= '2' && t->first[0] <= '5' &&
	    t->first[1] >= '0' && t->first[1] <= '9' &&
	    t->first[2] >= '0' && t->first[2] <= '9' &&
	    (t->first[3] == ' ' || t->first[3] == '-'));
}

static void
tls_explain_failure(struct tls *t, int ret, char **errstr, char **hint)
{
	const char	*alert = NULL;
	int		 a = -1;
	char		 text[TLS_FIRST_MAX + 1], *offer;
	size_t		 i;

	if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED) {
		a = gnutls_alert_get(t->session);
		alert = gnutls_alert_get_name(a);
	}
	if (tls_first_is_smtp(t)) {
		for (i = 0; i < t->nquote && t->quote[i] != '\r' &&
		    t->quote[i] != '\n'; i++)
			text[i] = t->quote[i] >= 0x20 && t->quote[i] < 0x7f ?
			    t->quote[i] : '?';
		text[i] = '\0';
		*errstr = xasprintf("TLS handshake failed: the server answered in plain "
		    "text (\"%s\")", text);
		*hint = xstrdup(explain_hint(EXPLAIN_HINT_PLAIN_NOT_TLS));
		return;
	}
	if (alert != NULL)
		*errstr = xasprintf("TLS handshake failed: the server sent the alert "
		    "\"%s\"", alert);
	else
		*errstr = xasprintf("TLS handshake failed: %s", gnutls_strerror(ret));

	/* The versions offered and the option that chose them, for a hint. */
	offer = explain_hint_tls_offer(t->offered, t->version, t->priority);
	if (a == GNUTLS_A_PROTOCOL_VERSION ||
	    ret == GNUTLS_E_UNSUPPORTED_VERSION_PACKET)
		*hint = explain_hint_tls_version(t->offered, t->version, t->priority);
	else if (a == GNUTLS_A_HANDSHAKE_FAILURE ||
	    a == GNUTLS_A_INSUFFICIENT_SECURITY || ret == GNUTLS_E_NO_CIPHER_SUITES ||
	    ret == GNUTLS_E_INSUFFICIENT_SECURITY ||
	    ret == GNUTLS_E_UNKNOWN_CIPHER_SUITE || ret == GNUTLS_E_NO_COMMON_KEY_SHARE)
		*hint = explain_hint_tls_cipher(offer);
	else if (ret == GNUTLS_E_PREMATURE_TERMINATION ||
	    ret == GNUTLS_E_PULL_ERROR || ret == GNUTLS_E_PUSH_ERROR)
		*hint = xasprintf("the server hung up during the handshake: most "
		    "likely no TLS version or cipher in common (we offered %s), or it "
		    "does not speak TLS on this port", offer);
	else if (ret == GNUTLS_E_UNEXPECTED_PACKET_LENGTH ||
	    ret == GNUTLS_E_UNEXPECTED_PACKET)
		*hint = xstrdup("the server did not answer with TLS: is this the "
		    "right port for implicit TLS?");
	else if (ret == GNUTLS_E_CERTIFICATE_REQUIRED || a == GNUTLS_A_CERTIFICATE_REQUIRED)
		*hint = xstrdup("the server wants a client certificate: use --cert "
		    "and --key");
	free(offer);
}

int
tls_handshake(struct tls *t, char **errstr, char **hint)
{
	int	ret;

	for (;;) {
		ret = gnutls_handshake(t->session);
		if (ret == 0)
			break;
		if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
			return (gnutls_record_get_direction(t->session) ?
			    TLS_WANT_WRITE : TLS_WANT_READ);
		if (!gnutls_error_is_fatal(ret))
			continue;
		*hint = NULL;
		tls_explain_failure(t, ret, errstr, hint);
		return (TLS_ERROR);
	}
	t->info = tls_build_info(t);
	return (TLS_OK);
}

ssize_t
tls_recv(struct tls *t, void *buf, size_t len, char **errstr)
{
	ssize_t	n;

	n = gnutls_record_recv(t->session, buf, len);
	if (n >= 0)
		return (n);
	if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
		return (gnutls_record_get_direction(t->session) ?
		    TLS_WANT_WRITE : TLS_WANT_READ);
	if (n == GNUTLS_E_PREMATURE_TERMINATION)
		return (0);
	if (n == GNUTLS_E_REHANDSHAKE || !gnutls_error_is_fatal(n))
		return (TLS_WANT_READ);
	*errstr = xasprintf("TLS read failed: %s", gnutls_strerror(n));
	return (TLS_ERROR);
}

ssize_t
tls_send(struct tls *t, const void *buf, size_t len, char **errstr)
{
	ssize_t	n;

	n = gnutls_record_send(t->session, buf, len);
	if (n >= 0)
		return (n);
	if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
		return (gnutls_record_get_direction(t->session) ?
		    TLS_WANT_WRITE : TLS_WANT_READ);
	*errstr = xasprintf("TLS write failed: %s", gnutls_strerror(n));
	return (TLS_ERROR);
}

size_t
tls_pending(struct tls *t)
{
	return (gnutls_record_check_pending(t->session));
}

struct tls_info *
tls_take_info(struct tls *t)
{
	struct tls_info	*in = t->info;

	t->info = NULL;
	return (in);
}

void
tls_info_free(struct tls_info *in)
{
	size_t	i;

	if (in == NULL)
		return;
	for (i = 0; i < in->ncerts; i++)
		tls_cert_free(&in->certs[i]);
	free(in->certs);
	free(in->client_cert);
	free(in->protocol);
	free(in->cipher);
	free(in->kx);
	free(in->ocsp);
	free(in->name);
	free(in->verdict);
	free(in->advice);
	free(in->dane);
	for (i = 0; i < in->ndane_why; i++)
		free(in->dane_why[i]);
	free(in->dane_why);
	free(in);
}

void
tls_close(struct tls *t)
{
	if (t == NULL)
		return;
	if (t->session != NULL) {
		/* Best effort: a non-blocking close_notify, never waited for. */
		gnutls_bye(t->session, GNUTLS_SHUT_WR);
		gnutls_deinit(t->session);
	}
	if (t->prio != NULL)
		gnutls_priority_deinit(t->prio);
	if (t->cred != NULL)
		gnutls_certificate_free_credentials(t->cred);
	tls_info_free(t->info);
	free(t->host);
	free(t->name);
	free(t->offered);
	free(t);
}
