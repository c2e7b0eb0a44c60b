/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Server-side TLS with GnuTLS over a non-blocking socket. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "ptls.h"
#include "xmalloc.h"

struct ptls_server {
	gnutls_certificate_credentials_t	cred;
};

struct ptls {
	gnutls_session_t	session;
	size_t			sendlen;	/* length of a send left AGAIN */
};

struct ptls_server *
ptls_server_new(const char *certfile, const char *keyfile, char **errstr)
{
	struct ptls_server	*srv;
	int			 ret;

	srv = xcalloc(1, sizeof *srv);
	if ((ret = gnutls_certificate_allocate_credentials(&srv->cred)) != 0) {
		*errstr = xasprintf("TLS credentials: %s",
		    gnutls_strerror(ret));
		free(srv);
		return (NULL);
	}
	ret = gnutls_certificate_set_x509_key_file2(srv->cred, certfile,
	    keyfile, GNUTLS_X509_FMT_PEM, NULL, 0);
	if (ret < 0) {
		*errstr = xasprintf("cannot load %s and %s: %s",
		    certfile, keyfile, gnutls_strerror(ret));
		gnutls_certificate_free_credentials(srv->cred);
		free(srv);
		return (NULL);
	}
	gnutls_certificate_set_known_dh_params(srv->cred,
	    GNUTLS_SEC_PARAM_MEDIUM);
	return (srv);
}

void
ptls_server_free(struct ptls_server *srv)
{
	if (srv == NULL)
		return;
	gnutls_certificate_free_credentials(srv->cred);
	free(srv);
}

struct ptls *
ptls_new(struct ptls_server *srv, int fd, char **errstr)
{
	struct ptls	*t;
	int		 ret;

	t = xcalloc(1, sizeof *t);
	if ((ret = gnutls_init(&t->session, GNUTLS_SERVER|
	    GNUTLS_NONBLOCK)) != 0) {
		*errstr = xasprintf("TLS session: %s",
		    gnutls_strerror(ret));
		free(t);
		return (NULL);
	}
	if ((ret = gnutls_set_default_priority(t->session)) != 0 ||
	    (ret = gnutls_credentials_set(t->session, GNUTLS_CRD_CERTIFICATE,
	    srv->cred)) != 0) {
		*errstr = xasprintf("TLS session: %s",
		    gnutls_strerror(ret));
		gnutls_deinit(t->session);
		free(t);
		return (NULL);
	}
	gnutls_certificate_server_set_request(t->session, GNUTLS_CERT_IGNORE);
	/* The idle timeout of the SMTP session covers a stalled handshake. */
	gnutls_handshake_set_timeout(t->session, 0);
	gnutls_transport_set_int(t->session, fd);
	return (t);
}

void
ptls_free(struct ptls *t)
{
	if (t == NULL)
		return;
	gnutls_deinit(t->session);
	free(t);
}

int
ptls_handshake(struct ptls *t, char **errstr)
{
	int	ret;

	ret = gnutls_handshake(t->session);
	if (ret == 0)
		return (0);
	if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED ||
	    (ret < 0 && !gnutls_error_is_fatal(ret)))
		return (PTLS_AGAIN);
	if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED)
		*errstr = xasprintf("TLS handshake failed: the client "
		    "sent the alert \"%s\" (a client that rejects the "
		    "certificate says so this way)",
		    gnutls_alert_get_name(gnutls_alert_get(t->session)));
	else
		*errstr = xasprintf("TLS handshake failed: %s",
		    gnutls_strerror(ret));
	return (PTLS_ERROR);
}

int
ptls_want_write(struct ptls *t)
{
	return (gnutls_record_get_direction(t->session) == 1);
}

ssize_t
ptls_recv(struct ptls *t, void *buf, size_t len, char **errstr)
{
	ssize_t	n;

	n = gnutls_record_recv(t->session, buf, len);
	if (n >= 0)
		return (n);
	if (n == GNUTLS_E_PREMATURE_TERMINATION)
		return (0);
	if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED ||
	    !gnutls_error_is_fatal(n))
		return (PTLS_AGAIN);
	*errstr = xasprintf("TLS: %s", gnutls_strerror(n));
	return (PTLS_ERROR);
}

ssize_t
ptls_send(struct ptls *t, const void *buf, size_t len, char **errstr)
{
	ssize_t	n;

	/* GnuTLS wants the same length again after it said AGAIN. */
	if (t->sendlen != 0 && len >= t->sendlen)
		len = t->sendlen;
	n = gnutls_record_send(t->session, buf, len);
	if (n >= 0) {
		t->sendlen = 0;
		return (n);
	}
	if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
		t->sendlen = len;
		return (PTLS_AGAIN);
	}
	*errstr = xasprintf("TLS: %s", gnutls_strerror(n));
	return (PTLS_ERROR);
}

size_t
ptls_pending(struct ptls *t)
{
	return (gnutls_record_check_pending(t->session));
}

void
ptls_bye(struct ptls *t)
{
	gnutls_bye(t->session, GNUTLS_SHUT_WR);
}

char *
ptls_describe(struct ptls *t)
{
	char	*desc, *s;

	if ((desc = gnutls_session_get_desc(t->session)) == NULL)
		return (xstrdup("TLS"));
	s = xstrdup(desc);
	gnutls_free(desc);
	return (s);
}
