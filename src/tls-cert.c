/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* A certificate of the server's chain read into strings ready to show. */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tls.h"
#include "tls-int.h"
#include "vis.h"
#include "xmalloc.h"

/* Alternative names read at most, shown or counted. */
#define TLS_CERT_SANS_MAX	64

/* Copy a gnutls_datum_t as a string and free it. */
static char *
tls_cert_datum_str(gnutls_datum_t *d)
{
	char	*s = xstrndup((const char *)d->data, d->size);

	gnutls_free(d->data);
	d->data = NULL;
	return (s);
}

/* The same for text the server chose (names in its certificate): made display-safe. */
static char *
tls_cert_datum_vis(gnutls_datum_t *d)
{
	char	*s = vis_bytes((const char *)d->data, d->size);

	gnutls_free(d->data);
	d->data = NULL;
	return (s);
}

static char *
tls_cert_hex(const unsigned char *b, size_t n, const char *sep)
{
	char	*s, *o;
	size_t	 i;

	s = o = xmalloc(n * 3 + 1);
	*o = '\0';
	for (i = 0; i < n; i++)
		o += sprintf(o, "%s%02X", i && *sep ? sep : "", b[i]);
	return (s);
}

/*
 * Alternative name seq, display-safe, with its kind ("DNS", "IP", "email", "URI"). NULL
 * with *end set past the last one; NULL with *kind NULL for a kind that is not shown. The
 * name is read whole: by the length GnuTLS returns, not up to a NUL, so that
 * "localhost\0.evil.example" cannot pass for "localhost", and however long it is.
 */
static char *
tls_cert_san(gnutls_x509_crt_t crt, unsigned seq, const char **kind, int *end)
{
	char	 small[256], *buf = small, *vis, *t;
	char	 ip[INET6_ADDRSTRLEN];
	size_t	 len = sizeof small;
	int	 ret;

	*kind = NULL;
	*end = 0;
	ret = gnutls_x509_crt_get_subject_alt_name(crt, seq, buf, &len, NULL);
	if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER) {
		/* len is now the size needed (with room for a NUL). */
		buf = xmalloc(len + 1);
		ret = gnutls_x509_crt_get_subject_alt_name(crt, seq, buf, &len, NULL);
	}
	switch (ret) {
	case GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE:
		*end = 1;
		vis = NULL;
		break;
	case GNUTLS_SAN_DNSNAME:
		*kind = "DNS";
		vis = vis_bytes(buf, len);
		break;
	case GNUTLS_SAN_IPADDRESS:
		*kind = "IP";
		if ((len == 4 || len == 16) && inet_ntop(len == 4 ? AF_INET :
		    AF_INET6, buf, ip, sizeof ip) != NULL)
			vis = xstrdup(ip);
		else {
			/* Not an address: show its bytes rather than hide it. */
			t = tls_cert_hex((unsigned char *)buf, len, "");
			vis = xasprintf("(%zu bytes) %s", len, t);
			free(t);
		}
		break;
	case GNUTLS_SAN_RFC822NAME:
		*kind = "email";
		vis = vis_bytes(buf, len);
		break;
	case GNUTLS_SAN_URI:
		*kind = "URI";
		vis = vis_bytes(buf, len);
		break;
	default:
		/* Other kinds (and names GnuTLS cannot read) are not shown. */
		vis = NULL;
		break;
	}
	if (buf != small)
		free(buf);
	return (vis);
}

/* The certificate's alternative names, "DNS:a, IP:1.2.3.4". */
static char *
tls_cert_sans(gnutls_x509_crt_t crt)
{
	char		*s = xstrdup(""), *t, *vis;
	const char	*kind;
	unsigned	 seq;
	int		 end;

	for (seq = 0; seq < TLS_CERT_SANS_MAX; seq++) {
		vis = tls_cert_san(crt, seq, &kind, &end);
		if (end)
			break;
		if (vis == NULL)
			continue;
		t = xasprintf("%s%s%s:%s", s, *s ? ", " : "", kind, vis);
		free(vis);
		free(s);
		s = t;
	}
	return (s);
}

char *
tls_cert_names(gnutls_x509_crt_t crt, size_t max)
{
	char		*s = xstrdup(""), *t, *vis, cn[256];
	const char	*kind;
	size_t		 n = 0, len;
	unsigned	 seq;
	int		 end;

	for (seq = 0; seq < TLS_CERT_SANS_MAX; seq++) {
		vis = tls_cert_san(crt, seq, &kind, &end);
		if (end)
			break;
		if (vis == NULL || (strcmp(kind, "DNS") != 0 && strcmp(kind, "IP") != 0)) {
			free(vis);
			continue;
		}
		if (n++ < max) {
			t = xasprintf("%s%s%s", s, *s ? ", " : "", vis);
			free(s);
			s = t;
		}
		free(vis);
	}
	if (n > max) {
		t = xasprintf("%s and %zu more", s, n - max);
		free(s);
		s = t;
	}
	len = sizeof cn;
	/* A CN counts only when there is no DNS or IP name (RFC 6125). */
	if (n == 0 && gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME,
	    0, 0, cn, &len) >= 0) {
		free(s);
		s = vis_bytes(cn, len);
	}
	return (s);
}

/* The certificate asks for a stapled OCSP response (TLS feature status_request, 5). */
static int
tls_cert_must_staple(gnutls_x509_crt_t crt)
{
	gnutls_x509_tlsfeatures_t	f;
	unsigned			i, feature, critical = 0;
	int				must = 0;

	if (gnutls_x509_tlsfeatures_init(&f) != 0)
		return (0);
	if (gnutls_x509_crt_get_tlsfeatures(crt, f, 0, &critical) == 0)
		for (i = 0; gnutls_x509_tlsfeatures_get(f, i, &feature) == 0; i++)
			if (feature == 5)
				must = 1;
	gnutls_x509_tlsfeatures_deinit(f);
	return (must);
}

void
tls_cert_fill(struct tls_cert *c, const gnutls_datum_t *der)
{
	gnutls_x509_crt_t	 crt;
	gnutls_datum_t		 d;
	unsigned char		 buf[128];
	size_t			 len;
	unsigned		 bits = 0;
	int			 pk, sig;

	memset(c, 0, sizeof *c);
	if (gnutls_x509_crt_init(&crt) < 0)
		goto done;
	if (gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) < 0) {
		c->subject = xstrdup("(certificate could not be parsed)");
		gnutls_x509_crt_deinit(crt);
		goto done;
	}
	if (gnutls_x509_crt_get_dn3(crt, &d, 0) >= 0)
		c->subject = tls_cert_datum_vis(&d);
	if (gnutls_x509_crt_get_issuer_dn3(crt, &d, 0) >= 0)
		c->issuer = tls_cert_datum_vis(&d);
	len = sizeof buf;
	if (gnutls_x509_crt_get_serial(crt, buf, &len) >= 0)
		c->serial = tls_cert_hex(buf, len, "");
	c->not_before = gnutls_x509_crt_get_activation_time(crt);
	c->not_after = gnutls_x509_crt_get_expiration_time(crt);
	c->sans = tls_cert_sans(crt);
	pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
	c->key = xasprintf("%s %u bits", pk >= 0 ?
	    gnutls_pk_algorithm_get_name(pk) : "unknown", bits);
	sig = gnutls_x509_crt_get_signature_algorithm(crt);
	c->sigalg = xstrdup(sig >= 0 && gnutls_sign_get_name(sig) != NULL ?
	    gnutls_sign_get_name(sig) : "unknown");
	len = sizeof buf;
	if (gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, buf, &len) >= 0)
		c->sha256 = tls_cert_hex(buf, len, ":");
	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d) >= 0)
		c->pem = tls_cert_datum_str(&d);
	c->self_signed = c->subject != NULL && c->issuer != NULL &&
	    strcmp(c->subject, c->issuer) == 0;
	c->must_staple = tls_cert_must_staple(crt);
	gnutls_x509_crt_deinit(crt);
done:
	/* Every field is shown, so none may be NULL. */
	if (c->subject == NULL)
		c->subject = xstrdup("");
	if (c->issuer == NULL)
		c->issuer = xstrdup("");
	if (c->serial == NULL)
		c->serial = xstrdup("");
	if (c->sans == NULL)
		c->sans = xstrdup("");
	if (c->key == NULL)
		c->key = xstrdup("unknown");
	if (c->sigalg == NULL)
		c->sigalg = xstrdup("unknown");
	if (c->sha256 == NULL)
		c->sha256 = xstrdup("");
	if (c->pem == NULL)
		c->pem = xstrdup("");
}
