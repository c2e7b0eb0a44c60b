/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The verdict on the server's chain: what is wrong in words a person can act on, and
 * the next step with the side that must take it (the server's administrator, or the
 * person at this client). GnuTLS's status bits say what failed; the chain the server
 * sent says why: an issuer that cannot be found is a missing intermediate when the
 * server sent only certificates that are not CAs, an untrusted CA when the chain ends
 * at a CA, and no issuer at all when the server's certificate signed itself.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "explain-hint.h"
#include "tls.h"
#include "tls-int.h"
#include "xmalloc.h"

/* Names listed when the certificate does not cover the name used. */
#define TLS_VERIFY_NAMES_MAX	8

/* The bits handled by a verdict of their own; the rest are printed by GnuTLS. */
#define TLS_VERIFY_KNOWN (GNUTLS_CERT_INVALID | GNUTLS_CERT_EXPIRED |		\
	GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_UNEXPECTED_OWNER |		\
	GNUTLS_CERT_REVOKED | GNUTLS_CERT_SIGNER_NOT_FOUND |			\
	GNUTLS_CERT_SIGNER_NOT_CA | GNUTLS_CERT_SIGNATURE_FAILURE |		\
	GNUTLS_CERT_INSECURE_ALGORITHM | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE)

struct tls_verify {
	struct tls		*t;
	struct tls_info		*in;
	gnutls_x509_crt_t	*crt;		/* in->certs for GnuTLS; NULL if unreadable */
	unsigned		 status;	/* GNUTLS_CERT_* */
	char			*why;		/* the verdict, "; " between problems */
	char			*advice;	/* the next steps, "; " between them */
};

static void	tls_verify_add(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
tls_verify_add(char **s, const char *fmt, ...)
{
	va_list	 ap;
	char	*w, *t;

	va_start(ap, fmt);
	if (vasprintf(&w, fmt, ap) == -1)
		w = NULL;
	va_end(ap);
	if (w == NULL)
		return;
	t = xasprintf("%s%s%s", *s ? *s : "", *s ? "; " : "", w);
	free(w);
	free(*s);
	*s = t;
}

/* "CN=name" from a DN for short messages (the whole DN when it has no CN). */
static const char *
tls_verify_cn(const char *dn)
{
	static char	 buf[4][256];
	static int	 which;
	const char	*p = dn, *q;
	char		*b;
	size_t		 n;

	while ((q = strstr(p, "CN=")) != NULL && q != dn && q[-1] != ',')
		p = q + 3;
	if (q == NULL)
		return (dn);
	b = buf[which++ % 4];
	/* Up to the next comma that is not escaped. */
	for (n = 0; q[n] != '\0' && n < sizeof buf[0] - 1; n++) {
		if (q[n] == ',' && (n == 0 || q[n - 1] != '\\'))
			break;
		b[n] = q[n];
	}
	b[n] = '\0';
	return (b);
}

static void
tls_verify_date(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

static void
tls_verify_fail_at(struct tls_verify *v, size_t i)
{
	if (v->in->fail_index < 0)
		v->in->fail_index = i;
}

/* Certificate i names itself as its issuer (by name and key identifier). */
static int
tls_verify_self_issued(const struct tls_verify *v, size_t i)
{
	if (v->crt[i] == NULL)
		return (v->in->certs[i].self_signed);
	return (gnutls_x509_crt_check_issuer(v->crt[i], v->crt[i]) != 0);
}

/* Certificate i is self-issued and its signature verifies with its own key. */
static int
tls_verify_self_signed(const struct tls_verify *v, size_t i)
{
	unsigned	st = 0;

	if (!tls_verify_self_issued(v, i) || v->crt[i] == NULL)
		return (0);
	/* Not the trust-list shortcut: check the signature itself. */
	if (gnutls_x509_crt_verify(v->crt[i], &v->crt[i], 1,
	    GNUTLS_VERIFY_DO_NOT_ALLOW_SAME | GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS, &st) < 0)
		return (0);
	return (!(st & (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_FOUND)));
}

static int
tls_verify_is_ca(const struct tls_verify *v, size_t i)
{
	return (v->crt[i] != NULL && gnutls_x509_crt_get_ca_status(v->crt[i], NULL) > 0);
}

/* Expired or not yet valid: the first such certificate of the chain. */
static void
tls_verify_dates(struct tls_verify *v)
{
	struct tls_info	*in = v->in;
	time_t		 now = time(NULL);
	char		 date[32], clock[64];
	size_t		 i;
	struct tm	 tm;

	if (v->status & GNUTLS_CERT_EXPIRED) {
		in->problems |= TLS_P_EXPIRED;
		for (i = 0; i < in->ncerts && in->certs[i].not_after >= now; i++)
			continue;
		if (i == in->ncerts)
			i = 0;
		tls_verify_date(in->certs[i].not_after, date, sizeof date);
		tls_verify_add(&v->why, "certificate [%zu] (%s) expired on %s, %ld days "
		    "ago", i, tls_verify_cn(in->certs[i].subject), date,
		    -tls_days_left(in->certs[i].not_after));
		tls_verify_fail_at(v, i);
		if (i == 0)
			tls_verify_add(&v->advice, "on the server's side: renew the "
			    "server's certificate");
		else
			tls_verify_add(&v->advice, "on the server's side: replace the "
			    "expired certificate [%zu] (%s) in the chain with its CA's "
			    "current one", i, tls_verify_cn(in->certs[i].subject));
	}
	if (v->status & GNUTLS_CERT_NOT_ACTIVATED) {
		in->problems |= TLS_P_NOT_YET_VALID;
		for (i = 0; i < in->ncerts && in->certs[i].not_before <= now; i++)
			continue;
		if (i == in->ncerts)
			i = 0;
		tls_verify_date(in->certs[i].not_before, date, sizeof date);
		tls_verify_add(&v->why, "certificate [%zu] (%s) is not valid before %s",
		    i, tls_verify_cn(in->certs[i].subject), date);
		tls_verify_fail_at(v, i);
		gmtime_r(&now, &tm);
		strftime(clock, sizeof clock, "%Y-%m-%d %H:%M UTC", &tm);
		tls_verify_add(&v->advice, "check the clock on both sides (this one says "
		    "%s); if both are right, on the server's side: renew the server's "
		    "certificate", clock);
	}
}

/* The certificate does not cover the name we connected by: say which names it covers. */
static void
tls_verify_name(struct tls_verify *v)
{
	struct tls_info	*in = v->in;
	char		*names, *hint;

	in->problems |= TLS_P_NAME;
	tls_verify_add(&v->why, "name mismatch: certificate [0] (%s) is not valid for %s "
	    "(it names %s)", tls_verify_cn(in->certs[0].subject), v->t->name,
	    *in->certs[0].sans ? in->certs[0].sans : "no alternative names");
	tls_verify_fail_at(v, 0);
	names = v->crt[0] != NULL ? tls_cert_names(v->crt[0], TLS_VERIFY_NAMES_MAX) :
	    xstrdup("");
	hint = explain_hint_cert_name(names, v->t->name);
	tls_verify_add(&v->advice, "%s", hint);
	free(hint);
	free(names);
}

/*
 * No trusted issuer was found. The server's certificate signed itself; or the chain
 * ends at a CA certificate (a root, or an intermediate whose root is not here): a CA
 * this client does not trust; or it ends at a certificate that is not a CA: the server
 * left out the intermediate that issued it.
 */
static void
tls_verify_issuer(struct tls_verify *v)
{
	struct tls_info	*in = v->in;
	size_t		 last = in->ncerts - 1;
	const char	*cn;
	char		*hint;

	if (tls_verify_self_signed(v, 0)) {
		in->problems |= TLS_P_SELF_SIGNED;
		tls_verify_add(&v->why, "self-signed: certificate [0] (%s) signed "
		    "itself and is not in the trust store",
		    tls_verify_cn(in->certs[0].subject));
		tls_verify_fail_at(v, 0);
		tls_verify_add(&v->advice, "%s",
		    explain_hint(EXPLAIN_HINT_SELF_SIGNED));
		return;
	}
	if (!tls_verify_is_ca(v, last) && !tls_verify_self_issued(v, last)) {
		in->problems |= TLS_P_INCOMPLETE;
		cn = tls_verify_cn(in->certs[last].issuer);
		if (last == 0)
			tls_verify_add(&v->why, "the server sent an incomplete chain: its "
			    "certificate is issued by %s, and the server did not send "
			    "that intermediate certificate", cn);
		else
			tls_verify_add(&v->why, "the server sent an incomplete chain: "
			    "certificate [%zu] (%s) is issued by %s, and the server did "
			    "not send that intermediate certificate", last,
			    tls_verify_cn(in->certs[last].subject), cn);
		tls_verify_fail_at(v, last);
		tls_verify_add(&v->advice, "on the server's side: the server's "
		    "administrator installs the full chain (certificate + "
		    "intermediates); nothing to change on this side");
		return;
	}
	in->problems |= TLS_P_UNKNOWN_ISSUER;
	if (tls_verify_self_issued(v, last)) {
		cn = tls_verify_cn(in->certs[last].subject);
		tls_verify_add(&v->why, "unknown issuer: the chain ends at certificate "
		    "[%zu] (%s), a root CA that is not trusted here", last, cn);
	} else {
		cn = tls_verify_cn(in->certs[last].issuer);
		tls_verify_add(&v->why, "unknown issuer: certificate [%zu] (%s) was "
		    "issued by %s, which is not a trusted CA", last,
		    tls_verify_cn(in->certs[last].subject), in->certs[last].issuer);
	}
	tls_verify_fail_at(v, last);
	hint = explain_hint_cert_issuer(cn, v->t->cafile);
	tls_verify_add(&v->advice, "%s", hint);
	free(hint);
}

/* What is left: a chain built wrong, a weak signature, a revoked certificate, others. */
static void
tls_verify_rest(struct tls_verify *v)
{
	struct tls_info	*in = v->in;
	gnutls_datum_t	 out;
	unsigned	 rest;
	size_t		 i;

	if (v->status & GNUTLS_CERT_REVOKED) {
		in->problems |= TLS_P_REVOKED;
		tls_verify_add(&v->why, "a certificate in the chain has been revoked");
		tls_verify_add(&v->advice, "on the server's side: the server's "
		    "administrator must replace the certificate");
	}
	if (v->status & (GNUTLS_CERT_SIGNER_NOT_CA | GNUTLS_CERT_SIGNATURE_FAILURE |
	    GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE)) {
		in->problems |= TLS_P_OTHER;
		for (i = 1; i < in->ncerts && tls_verify_is_ca(v, i); i++)
			continue;
		if (v->status & GNUTLS_CERT_SIGNER_NOT_CA && i < in->ncerts) {
			tls_verify_add(&v->why, "a broken chain: certificate [%zu] (%s) "
			    "signs as a CA but is not one", i,
			    tls_verify_cn(in->certs[i].subject));
			tls_verify_fail_at(v, i);
		} else if (v->status & GNUTLS_CERT_SIGNATURE_FAILURE)
			tls_verify_add(&v->why, "a broken chain: a signature in it does "
			    "not verify");
		else
			tls_verify_add(&v->why, "a broken chain: a CA's constraints (path "
			    "length, names) do not allow a certificate under it");
		tls_verify_add(&v->advice, "on the server's side: the server's "
		    "administrator installs the certificate with its right chain");
	}
	if (v->status & GNUTLS_CERT_INSECURE_ALGORITHM) {
		in->problems |= TLS_P_OTHER;
		tls_verify_add(&v->why, "a certificate is signed with an algorithm "
		    "considered insecure");
		tls_verify_add(&v->advice, "on the server's side: reissue the certificate "
		    "with a current signature algorithm");
	}
	rest = v->status & ~TLS_VERIFY_KNOWN;
	if (rest != 0) {
		in->problems |= TLS_P_OTHER;
		if (gnutls_certificate_verification_status_print(rest, GNUTLS_CRT_X509,
		    &out, 0) >= 0) {
			tls_verify_add(&v->why, "%.*s", (int)out.size, out.data);
			gnutls_free(out.data);
		}
	}
}

/* The chain as GnuTLS certificates, for the checks the strings cannot answer. */
static gnutls_x509_crt_t *
tls_verify_import(struct tls *t, size_t ncerts)
{
	const gnutls_datum_t	*chain;
	gnutls_x509_crt_t	*crt;
	unsigned		 n = 0;
	size_t			 i;

	crt = xcalloc(ncerts, sizeof *crt);
	chain = gnutls_certificate_get_peers(t->session, &n);
	for (i = 0; chain != NULL && i < n && i < ncerts; i++) {
		if (gnutls_x509_crt_init(&crt[i]) < 0) {
			crt[i] = NULL;
			continue;
		}
		if (gnutls_x509_crt_import(crt[i], &chain[i], GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(crt[i]);
			crt[i] = NULL;
		}
	}
	return (crt);
}

void
tls_verify_chain(struct tls *t, struct tls_info *in)
{
	struct tls_verify	 v;
	size_t			 i;
	int			 ret;

	in->fail_index = -1;
	in->name = xstrdup(t->name);
	if (in->ncerts == 0) {
		in->problems = TLS_P_OTHER;
		in->verdict = xstrdup("NOT verified: the server sent no certificate");
		return;
	}
	memset(&v, 0, sizeof v);
	ret = gnutls_certificate_verify_peers3(t->session, t->name, &v.status);
	if (ret < 0) {
		in->problems = TLS_P_OTHER;
		in->verdict = xasprintf("NOT verified: %s", gnutls_strerror(ret));
		return;
	}
	if (v.status == 0) {
		in->verified = 1;
		in->verdict = xasprintf("verified: chain trusted, name %s matches",
		    t->name);
		return;
	}
	v.t = t;
	v.in = in;
	v.crt = tls_verify_import(t, in->ncerts);
	tls_verify_dates(&v);
	if (v.status & GNUTLS_CERT_UNEXPECTED_OWNER)
		tls_verify_name(&v);
	/* A self-signed certificate is also "not a CA" and outside its "constraints". */
	if (v.status & GNUTLS_CERT_SIGNER_NOT_FOUND || (v.status &
	    GNUTLS_CERT_SIGNER_NOT_CA && tls_verify_self_signed(&v, 0))) {
		tls_verify_issuer(&v);
		if (in->problems & TLS_P_SELF_SIGNED)
			v.status &= ~(GNUTLS_CERT_SIGNER_NOT_CA |
			    GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE);
	}
	tls_verify_rest(&v);
	if (v.why == NULL)
		v.why = xstrdup("the chain did not verify");
	in->verdict = xasprintf("NOT verified: %s", v.why);
	in->advice = v.advice;
	free(v.why);
	for (i = 0; i < in->ncerts; i++) {
		if (v.crt[i] != NULL)
			gnutls_x509_crt_deinit(v.crt[i]);
	}
	free(v.crt);
}
