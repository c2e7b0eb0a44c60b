/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * DANE for SMTP (RFC 7672): the TLSA records at _PORT._tcp.HOST, looked up with libunbound
 * and validated with DNSSEC (the system's root trust anchor, or --dnssec-anchor), then
 * matched against the chain the server presented, record by record, in words. The
 * records are read with GnuTLS's DANE library; the hashes and the DANE-TA chain check
 * are GnuTLS's too.
 *
 * The lookup starts with the connection and runs in libunbound's thread; the end of the
 * handshake waits for it a bounded time, so a slow or broken resolver costs seconds, not
 * the session.
 */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/abstract.h>
#include <gnutls/dane.h>
#include <unbound.h>

#include "tls.h"
#include "tls-int.h"
#include "vis.h"
#include "xmalloc.h"
#include "xtime.h"

#define TLS_DANE_ROOT_KEY	"/usr/share/dns/root.key"
#define TLS_DANE_RR_TLSA	52
#define TLS_DANE_RR_MX		15
#define TLS_DANE_RECORDS_MAX	16	/* records looked at; more are counted */

struct tls_dane {
	struct ub_ctx		*ctx;
	char			*qname;		/* _25._tcp.mx.example.com */
	char			*host;
	char			*skip;		/* why it is not looked up, or NULL */
	int			 anchored;	/* a trust anchor is loaded */
	int			 root;		/* it is the root's (no --dnssec-anchor) */
	int			 done;
	int			 err;		/* libunbound's error, 0 */
	struct ub_result	*res;
	int64_t			 started;	/* xtime_ms() at the start */
	/* Reached through a domain's MX records: were they validated (RFC 7672 §2.2.1)? */
	char			*mx_domain;
	int			 mx_done;
	int			 mx_err;
	struct ub_result	*mx_res;
};

static char *
tls_dane_vis(const char *s)
{
	return (vis_bytes(s, strlen(s)));
}

static void
tls_dane_answer(void *arg, int err, struct ub_result *res)
{
	struct tls_dane	*d = arg;

	d->done = 1;
	d->err = err;
	d->res = res;
}

static void
tls_dane_answer_mx(void *arg, int err, struct ub_result *res)
{
	struct tls_dane	*d = arg;

	d->mx_done = 1;
	d->mx_err = err;
	d->mx_res = res;
}

/* An answer is still to come. */
static int
tls_dane_pending(const struct tls_dane *d)
{
	return (!d->done || (d->mx_domain != NULL && !d->mx_done));
}

static int
tls_dane_is_address(const char *host)
{
	unsigned char	buf[sizeof(struct in6_addr)];

	return (inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1);
}

struct tls_dane *
tls_dane_start(const struct tls_config *cfg, const char *host, const char *port)
{
	struct tls_dane	*d = xcalloc(1, sizeof *d);
	const char	*anchor = cfg->dnssec_anchor;
	char		*end;
	long		 p;
	int		 e, id;

	d->host = xstrdup(host);
	d->started = xtime_ms();
	p = strtol(port, &end, 10);
	if (tls_dane_is_address(host)) {
		d->skip = xstrdup("not looked up: TLSA records are found by name, and "
		    "the target is an address");
		return (d);
	}
	if (*port == '\0' || *end != '\0' || p <= 0 || p > 65535) {
		d->skip = xasprintf("not looked up: port %s is not a number", port);
		return (d);
	}
	d->qname = xasprintf("_%ld._tcp.%s", p, host);
	if ((d->ctx = ub_ctx_create()) == NULL) {
		d->skip = xstrdup("not looked up: libunbound could not start");
		return (d);
	}
	/* Its own thread, not a forked process under the console. */
	ub_ctx_async(d->ctx, 1);
	if (anchor == NULL && access(TLS_DANE_ROOT_KEY, R_OK) == 0)
		anchor = TLS_DANE_ROOT_KEY;
	if (anchor != NULL) {
		if ((e = ub_ctx_add_ta_file(d->ctx, anchor)) != 0) {
			d->skip = xasprintf("not looked up: cannot use the trust anchor "
			    "%s: %s", anchor, e == UB_READFILE ? strerror(errno) :
			    ub_strerror(e));
			return (d);
		}
		d->anchored = 1;
		d->root = cfg->dnssec_anchor == NULL;
	}
	if ((e = ub_ctx_resolvconf(d->ctx, NULL)) != 0 ||
	    (e = ub_resolve_async(d->ctx, d->qname, TLS_DANE_RR_TLSA, 1, d,
	    tls_dane_answer, &id)) != 0) {
		/* The anchor file is read here, at the first query. */
		d->skip = e == UB_INITFAIL && cfg->dnssec_anchor != NULL ?
		    xasprintf("not looked up: cannot use the trust anchor %s (not a "
		    "DS or DNSKEY record?)", cfg->dnssec_anchor) :
		    xasprintf("not looked up: %s", ub_strerror(e));
		return (d);
	}
	return (d);
}

void
tls_dane_via_mx(struct tls_dane *d, const char *domain)
{
	int	e, id;

	if (d == NULL || d->skip != NULL || d->ctx == NULL || d->mx_domain != NULL)
		return;
	d->mx_domain = xstrdup(domain);
	if ((e = ub_resolve_async(d->ctx, domain, TLS_DANE_RR_MX, 1, d,
	    tls_dane_answer_mx, &id)) != 0) {
		d->mx_done = 1;
		d->mx_err = e;
	}
}

/* Wait for the answers, at most ms. */
static void
tls_dane_wait(struct tls_dane *d, int ms)
{
	struct pollfd	pfd;
	int64_t		end = xtime_ms() + ms;
	int		left;

	pfd.fd = ub_fd(d->ctx);
	pfd.events = POLLIN;
	while (tls_dane_pending(d) && (left = (int)(end - xtime_ms())) > 0) {
		if (poll(&pfd, 1, left) < 0 && errno != EINTR)
			break;
		if (ub_process(d->ctx) != 0)
			break;
	}
}

int
tls_dane_fd(const struct tls_dane *d)
{
	if (d == NULL || d->skip != NULL || !tls_dane_pending(d) || d->ctx == NULL)
		return (-1);
	return (ub_fd(d->ctx));
}

void
tls_dane_process(struct tls_dane *d)
{
	if (tls_dane_fd(d) != -1)
		ub_process(d->ctx);
}

static const char *
tls_dane_usage(unsigned u)
{
	static const char *const names[] = { "PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE" };

	return (u < 4 ? names[u] : "unknown usage");
}

static const char *
tls_dane_selector(unsigned s)
{
	return (s == DANE_CERT_X509 ? "whole certificate" : s == DANE_CERT_PK ?
	    "public key" : "unknown selector");
}

static const char *
tls_dane_matching(unsigned m)
{
	return (m == DANE_MATCH_EXACT ? "exact" : m == DANE_MATCH_SHA2_256 ? "SHA-256" :
	    m == DANE_MATCH_SHA2_512 ? "SHA-512" : "unknown matching type");
}

/* Whether certificate crt matches the record's selector, matching type and data. */
static int
tls_dane_match(gnutls_x509_crt_t crt, unsigned sel, unsigned mtype,
    const gnutls_datum_t *data)
{
	gnutls_datum_t	 der = { NULL, 0 };
	gnutls_pubkey_t	 pub = NULL;
	unsigned char	 h[64];
	size_t		 hn;
	int		 ok = 0;

	if (sel == DANE_CERT_X509)
		ok = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) == 0;
	else if (sel == DANE_CERT_PK)
		ok = gnutls_pubkey_init(&pub) == 0 &&
		    gnutls_pubkey_import_x509(pub, crt, 0) == 0 &&
		    gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &der) == 0;
	if (ok && mtype == DANE_MATCH_EXACT)
		ok = der.size == data->size && memcmp(der.data, data->data, der.size) == 0;
	else if (ok && (mtype == DANE_MATCH_SHA2_256 || mtype == DANE_MATCH_SHA2_512)) {
		hn = mtype == DANE_MATCH_SHA2_256 ? 32 : 64;
		ok = gnutls_hash_fast(mtype == DANE_MATCH_SHA2_256 ? GNUTLS_DIG_SHA256 :
		    GNUTLS_DIG_SHA512, der.data, der.size, h) == 0 && data->size == hn &&
		    memcmp(h, data->data, hn) == 0;
	} else
		ok = 0;
	gnutls_free(der.data);
	if (pub != NULL)
		gnutls_pubkey_deinit(pub);
	return (ok);
}

/*
 * DANE-TA (RFC 7672 §3.1.1): certificate ta of the chain is the trust anchor; the chain
 * from the server's certificate up to it must verify and name the host.
 */
static int
tls_dane_ta_chain(gnutls_x509_crt_t *crt, size_t ta, const char *host)
{
	gnutls_x509_trust_list_t	list;
	gnutls_typed_vdata_st		vd;
	unsigned			status = 1;

	memset(&vd, 0, sizeof vd);
	vd.type = GNUTLS_DT_DNS_HOSTNAME;
	vd.data = (unsigned char *)host;
	if (gnutls_x509_trust_list_init(&list, 0) != 0)
		return (0);
	/* Deinitialised with all = 0 below: the certificate stays ours. */
	if (gnutls_x509_trust_list_add_cas(list, &crt[ta], 1, 0) != 1 ||
	    gnutls_x509_trust_list_verify_crt2(list, crt, ta, &vd, 1, 0, &status,
	    NULL) != 0)
		status = 1;
	gnutls_x509_trust_list_deinit(list, 0);
	return (status == 0);
}

/* Import the chain's certificates; n of them imported (all or none). */
static gnutls_x509_crt_t *
tls_dane_chain(const struct tls_info *in)
{
	gnutls_x509_crt_t	*crt = xcalloc(in->ncerts + 1, sizeof *crt);
	gnutls_datum_t		 pem;
	size_t			 i;

	for (i = 0; i < in->ncerts; i++) {
		pem.data = (unsigned char *)in->certs[i].pem;
		pem.size = strlen(in->certs[i].pem);
		if (gnutls_x509_crt_init(&crt[i]) != 0 ||
		    gnutls_x509_crt_import(crt[i], &pem, GNUTLS_X509_FMT_PEM) != 0) {
			if (crt[i] != NULL)
				gnutls_x509_crt_deinit(crt[i]);
			crt[i] = NULL;
			while (i-- > 0)
				gnutls_x509_crt_deinit(crt[i]);
			free(crt);
			return (NULL);
		}
	}
	return (crt);
}

static void
tls_dane_why(struct tls_info *in, char *line)
{
	in->dane_why = xreallocarray(in->dane_why, in->ndane_why + 1,
	    sizeof *in->dane_why);
	in->dane_why[in->ndane_why++] = line;
}

/* Each record in words and whether it matches; the number of usable records matched. */
static int
tls_dane_records(struct tls_info *in, dane_query_t q, const char *host, int *usable)
{
	gnutls_x509_crt_t	*crt = tls_dane_chain(in);
	gnutls_datum_t		 data;
	unsigned		 i, n = dane_query_entries(q), u, sel, mt;
	size_t			 c, hit;
	int			 matched = 0;

	*usable = 0;
	for (i = 0; i < n && i < TLS_DANE_RECORDS_MAX; i++) {
		if (dane_query_data(q, i, &u, &sel, &mt, &data) != 0)
			continue;
		hit = (size_t)-1;
		if (u == DANE_CERT_USAGE_LOCAL_EE && crt != NULL && in->ncerts > 0 &&
		    tls_dane_match(crt[0], sel, mt, &data))
			hit = 0;
		for (c = 1; u == DANE_CERT_USAGE_LOCAL_CA && crt != NULL &&
		    c < in->ncerts && hit == (size_t)-1; c++)
			if (tls_dane_match(crt[c], sel, mt, &data) &&
			    tls_dane_ta_chain(crt, c, host))
				hit = c;
		if (u == DANE_CERT_USAGE_CA || u == DANE_CERT_USAGE_EE || u > 3 ||
		    sel > 1 || mt > 2) {
			tls_dane_why(in, xasprintf("TLSA %u %u %u (%s, %s, %s): unusable "
			    "for SMTP (RFC 7672 §3.1.3), ignored", u, sel, mt,
			    tls_dane_usage(u), tls_dane_selector(sel),
			    tls_dane_matching(mt)));
			continue;
		}
		(*usable)++;
		if (hit != (size_t)-1)
			matched++;
		tls_dane_why(in, hit != (size_t)-1 ?
		    xasprintf("TLSA %u %u %u (%s, %s, %s) matches certificate [%zu]%s",
		    u, sel, mt, tls_dane_usage(u), tls_dane_selector(sel),
		    tls_dane_matching(mt), hit, hit > 0 ? ", the trust anchor" : "") :
		    xasprintf("TLSA %u %u %u (%s, %s, %s) matches no certificate of "
		    "the chain", u, sel, mt, tls_dane_usage(u), tls_dane_selector(sel),
		    tls_dane_matching(mt)));
	}
	if (n > TLS_DANE_RECORDS_MAX)
		tls_dane_why(in, xasprintf("and %u more records, not looked at",
		    n - TLS_DANE_RECORDS_MAX));
	for (c = 0; crt != NULL && c < in->ncerts; c++)
		gnutls_x509_crt_deinit(crt[c]);
	free(crt);
	return (matched);
}

/*
 * A BOGUS answer under the root's anchor: is the root's own key set bogus too? Then the
 * resolver (or a middlebox) strips or breaks DNSSEC for every name, and the answer says
 * nothing about the domain. The resolver just answered, so this is quick.
 */
static int
tls_dane_root_fails(struct tls_dane *d)
{
	struct ub_result	*r = NULL;
	int			 fails;

	fails = ub_resolve(d->ctx, ".", 48 /* DNSKEY */, 1, &r) != 0 || r == NULL ||
	    r->bogus || !r->secure;
	if (r != NULL)
		ub_resolve_free(r);
	return (fails);
}

/* The verdict from the validated answer. */
static void
tls_dane_judge(struct tls_dane *d, struct tls_info *in)
{
	struct ub_result	*r = d->res;
	dane_state_t		 st = NULL;
	dane_query_t		 q = NULL;
	int			 usable, matched;
	char			*name = tls_dane_vis(d->qname);

	if (r->bogus && d->root && tls_dane_root_fails(d)) {
		/* Not the domain's fault: DNSSEC does not get through here. */
		in->dane_state = TLS_DANE_FAILED;
		in->dane = xasprintf("DANE: not judged: the DNS resolver here passes no "
		    "DNSSEC the root's key validates (it fails for the root itself), so "
		    "the TLSA answer for %s cannot be checked from this machine", name);
	} else if (r->bogus) {
		in->dane_state = TLS_DANE_BOGUS;
		in->dane = xasprintf("DANE: the TLSA answer for %s is BOGUS (DNSSEC "
		    "validation failed): a DANE sender will not deliver; the domain's "
		    "DNS admin must fix the signatures", name);
		if (r->why_bogus != NULL)
			tls_dane_why(in, tls_dane_vis(r->why_bogus));
	} else if (!r->havedata) {
		in->dane_state = TLS_DANE_NONE_FOUND;
		in->dane = xasprintf("DANE: no TLSA record at %s%s", name, r->secure ?
		    " (DNSSEC proves there is none)" : "");
	} else if (dane_state_init(&st, DANE_F_IGNORE_LOCAL_RESOLVER |
	    DANE_F_IGNORE_DNSSEC | DANE_F_INSECURE) != 0 ||
	    dane_raw_tlsa(st, &q, r->data, r->len, r->secure, r->bogus) != 0) {
		/* (INSECURE: unsigned records are read too, and said to be unsigned.) */
		in->dane_state = TLS_DANE_FAILED;
		in->dane = xasprintf("DANE: the TLSA records at %s could not be read",
		    name);
	} else {
		matched = tls_dane_records(in, q, d->host, &usable);
		if (!r->secure) {
			in->dane_state = TLS_DANE_UNSIGNED;
			in->dane = xasprintf("DANE: TLSA records at %s, NOT DNSSEC-validated%s: "
			    "a DANE sender ignores them", name, d->anchored ? "" :
			    " (no trust anchor: install dns-root-data or give "
			    "--dnssec-anchor)");
		} else if (usable == 0) {
			in->dane_state = TLS_DANE_UNUSABLE;
			in->dane = xasprintf("DANE: validated TLSA records at %s, none usable "
			    "for SMTP: a DANE sender still insists on TLS, unauthenticated",
			    name);
		} else if (matched > 0) {
			in->dane_state = TLS_DANE_MATCH;
			in->dane = xasprintf("DANE: validated TLSA at %s, and the chain "
			    "matches: a DANE sender delivers", name);
		} else {
			in->dane_state = TLS_DANE_NO_MATCH;
			in->dane = xasprintf("DANE: validated TLSA at %s, but NO record "
			    "matches the chain: a DANE sender will not deliver (RFC 7672 "
			    "§2.2); the server's admin must publish records for the "
			    "certificate in use", name);
		}
	}
	if (q != NULL)
		dane_query_deinit(q);
	if (st != NULL)
		dane_state_deinit(st);
	free(name);
}

/* The verdict old becomes the first of the reasons, without its "DANE: ". */
static void
tls_dane_why_first(struct tls_info *in, char *old)
{
	char	*line = xstrdup(strncmp(old, "DANE: ", 6) == 0 ? old + 6 : old);

	in->dane_why = xreallocarray(in->dane_why, in->ndane_why + 1,
	    sizeof *in->dane_why);
	memmove(in->dane_why + 1, in->dane_why, in->ndane_why * sizeof *in->dane_why);
	in->dane_why[0] = line;
	in->ndane_why++;
	free(old);
}

/*
 * Reached through MX records: a DANE sender uses TLSA records only for MX hosts named
 * by validated MX records, and defers on a BOGUS MX answer (RFC 7672 §2.2.1). Only a
 * verdict that would count (validated records, or BOGUS ones) is changed.
 */
static void
tls_dane_mx_judge(struct tls_dane *d, struct tls_info *in)
{
	struct ub_result	*r = d->mx_res;
	char			*dom, *old = in->dane;

	if (d->mx_domain == NULL || (in->dane_state != TLS_DANE_MATCH &&
	    in->dane_state != TLS_DANE_NO_MATCH && in->dane_state != TLS_DANE_UNUSABLE &&
	    in->dane_state != TLS_DANE_BOGUS))
		return;
	dom = tls_dane_vis(d->mx_domain);
	if (!d->mx_done || d->mx_err != 0 || r == NULL) {
		in->dane_state = TLS_DANE_FAILED;
		in->dane = xasprintf("DANE: not judged: the MX records of %s could not be "
		    "looked up with DNSSEC (%s)", dom, !d->mx_done ? "no answer in time" :
		    ub_strerror(d->mx_err));
	} else if (r->bogus && in->dane_state != TLS_DANE_BOGUS) {
		in->dane_state = TLS_DANE_BOGUS;
		in->dane = xasprintf("DANE: the MX answer for %s is BOGUS (DNSSEC "
		    "validation failed): a DANE sender will not deliver; the domain's "
		    "DNS admin must fix the signatures", dom);
	} else if (!r->secure && !r->bogus) {
		in->dane_state = TLS_DANE_UNSIGNED;
		in->dane = xasprintf("DANE: not used: the MX records of %s are NOT "
		    "DNSSEC-validated, and a DANE sender uses TLSA records only for MX "
		    "hosts that validated MX records name (RFC 7672 §2.2.1)", dom);
	}
	if (in->dane != old)
		tls_dane_why_first(in, old);
	free(dom);
}

void
tls_dane_finish(struct tls_dane *d, struct tls_info *in, int ms)
{
	char	*name;

	if (d == NULL || in == NULL || in->dane != NULL)
		return;
	if (d->skip != NULL) {
		in->dane_state = TLS_DANE_SKIPPED;
		in->dane = xasprintf("DANE: %s", d->skip);
		return;
	}
	tls_dane_wait(d, ms);
	name = tls_dane_vis(d->qname);
	if (!d->done) {
		in->dane_state = TLS_DANE_FAILED;
		in->dane = xasprintf("DANE: no answer for %s within %d s: not checked",
		    name, (int)((xtime_ms() - d->started + 500) / 1000));
	} else if (d->err != 0 || d->res == NULL) {
		in->dane_state = TLS_DANE_FAILED;
		in->dane = xasprintf("DANE: the lookup of %s failed: %s", name,
		    ub_strerror(d->err));
	} else {
		tls_dane_judge(d, in);
		tls_dane_mx_judge(d, in);
	}
	free(name);
}

void
tls_dane_free(struct tls_dane *d)
{
	if (d == NULL)
		return;
	if (d->res != NULL)
		ub_resolve_free(d->res);
	if (d->mx_res != NULL)
		ub_resolve_free(d->mx_res);
	free(d->mx_domain);
	if (d->ctx != NULL)
		ub_ctx_delete(d->ctx);
	free(d->qname);
	free(d->host);
	free(d->skip);
	free(d);
}
