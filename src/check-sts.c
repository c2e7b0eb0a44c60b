/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The server check's MTA-STS (RFC 8461) and TLS-RPT (RFC 8460): the TXT records and the
 * policy of a domain, looked up before the probes, and what a sender that applies the
 * policy does with each MX host, judged from the probes of port 25 after them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check-int.h"
#include "mtasts-fetch.h"
#include "vis.h"
#include "xmalloc.h"

#define CHECK_STS_TEXT_MAX	300	/* of a TXT record kept */

static const char *const check_sts_verdict_names[] = {
	NULL, "deliver", "refuse", "unknown"
};

const char *
check_sts_verdict_name(enum check_sts_verdict v)
{
	return ((unsigned)v < 4 ? check_sts_verdict_names[v] : NULL);
}

static char *
check_sts_safe(const char *s)
{
	return (vis_ascii(s, strlen(s), CHECK_STS_TEXT_MAX));
}

/* The _mta-sts record: exactly one TXT record starting v=STSv1 (RFC 8461 §3.1). */
static void
check_sts_txt(struct check_sts *st, const char *domain)
{
	char	**txt = NULL, *name, *id, *err = NULL, *safe;
	size_t	  n = 0, i, found = 0;
	int	  ret;

	name = xasprintf("_mta-sts.%s", domain);
	st->txt_status = dns_txt(name, &txt, &n, &st->txt_error);
	for (i = 0; i < n; i++) {
		id = NULL;
		err = NULL;
		if ((ret = mtasts_txt_parse(txt[i], &id, &err)) == 0)
			continue;
		if (found++ == 0 && ret == 1) {
			st->txt = check_sts_safe(txt[i]);
			st->id = id;
			continue;
		}
		if (found == 1) {
			safe = check_sts_safe(txt[i]);
			st->txt_error = xasprintf("the record \"%s\" at %s is malformed "
			    "(%s): a sender sees no policy", safe, name, err);
			free(safe);
		}
		free(id);
		free(err);
	}
	if (found > 1) {
		free(st->txt_error);
		free(st->txt);
		free(st->id);
		st->txt = st->id = NULL;
		st->txt_error = xasprintf("%zu records at %s start with v=STSv1: a "
		    "sender sees no policy (RFC 8461 §3.1 wants one)", found, name);
	}
	dns_txt_free(txt, n);
	free(name);
}

/* The _smtp._tls record: exactly one TXT record starting v=TLSRPTv1 (RFC 8460 §3). */
static void
check_sts_rpt(struct check_sts *st, const char *domain)
{
	char	**txt = NULL, **rua, *name, *err, *safe;
	size_t	  n = 0, i, nrua, found = 0;
	int	  ret;

	name = xasprintf("_smtp._tls.%s", domain);
	st->rpt_status = dns_txt(name, &txt, &n, &st->rpt_error);
	for (i = 0; i < n; i++) {
		err = NULL;
		if ((ret = mtasts_tlsrpt_parse(txt[i], &rua, &nrua, &err)) == 0)
			continue;
		if (found++ == 0 && ret == 1) {
			st->rpt_txt = check_sts_safe(txt[i]);
			st->rua = rua;
			st->nrua = nrua;
			continue;
		}
		if (found == 1) {
			safe = check_sts_safe(txt[i]);
			st->rpt_error = xasprintf("the record \"%s\" at %s is malformed "
			    "(%s)", safe, name, err);
			free(safe);
		}
		mtasts_rua_free(rua, nrua);
		free(err);
	}
	if (found > 1) {
		free(st->rpt_error);
		st->rpt_error = xasprintf("%zu records at %s start with v=TLSRPTv1 "
		    "(RFC 8460 §3 wants one)", found, name);
		free(st->rpt_txt);
		st->rpt_txt = NULL;
	}
	for (i = 0; i < st->nrua; i++) {
		safe = check_sts_safe(st->rua[i]);
		free(st->rua[i]);
		st->rua[i] = safe;
	}
	dns_txt_free(txt, n);
	free(name);
}

void
check_sts_lookup(struct check *c, const char *domain)
{
	struct check_sts	*st = xcalloc(1, sizeof *st);
	struct mtasts_fetch_opts fo;
	char			*body, *err = NULL;
	size_t			 len;

	c->rep.sts = st;
	check_sts_txt(st, domain);
	check_sts_rpt(st, domain);
	if (st->txt == NULL)
		return;
	fo.cafile = c->o->tls.cafile;
	fo.family = c->o->family;
	fo.connect_timeout = c->o->connect_timeout;
	fo.timeout = c->o->connect_timeout + c->o->reply_timeout;
	st->url = mtasts_fetch_url(domain);
	if (mtasts_fetch(domain, &fo, &body, &len, &st->fetch_error) != 0)
		return;
	if (mtasts_policy_parse(body, len, &st->policy, &err) == 0)
		st->have_policy = 1;
	else {
		st->policy_error = check_sts_safe(err);
		free(err);
	}
	free(body);
}

void
check_sts_free(struct check_sts *st)
{
	if (st == NULL)
		return;
	free(st->txt_error);
	free(st->txt);
	free(st->id);
	free(st->url);
	free(st->fetch_error);
	free(st->policy_error);
	mtasts_policy_free(&st->policy);
	free(st->rpt_txt);
	free(st->rpt_error);
	mtasts_rua_free(st->rua, st->nrua);
	free(st);
}

/* Why there was no TLS on a port that answered. */
static const char *
check_sts_notls(const struct check_port *p)
{
	if (p->tls_error != NULL)
		return (p->tls_error);
	if (p->plain.seen && !p->plain.starttls)
		return ("STARTTLS not offered");
	return (p->error != NULL ? p->error : "TLS not reached");
}

/* The port 25 probes of h, best first: verified TLS, then TLS, then an answer. */
static enum check_sts_verdict
check_sts_port25(const struct check_report *r, const struct check_host *h, char **why)
{
	const struct check_port	*p, *badcert = NULL, *notls = NULL;
	const char		*verdict;
	size_t			 j, k;

	for (k = 0; k < r->nports && r->ports[k] != 25; k++)
		;
	if (k == r->nports) {
		*why = xstrdup("port 25 was not checked (--ports): senders deliver "
		    "there");
		return (CHECK_STS_UNKNOWN);
	}
	for (j = 0; j < h->naddrs; j++) {
		p = &h->addrs[j].ports[k];
		if (p->tls_up && p->tls_info != NULL && p->tls_info->verified) {
			*why = xasprintf("delivers: STARTTLS on port 25 with a "
			    "certificate valid for %s", h->name);
			return (CHECK_STS_DELIVER);
		}
		if (p->tls_info != NULL && badcert == NULL)
			badcert = p;
		else if (p->conn == CHECK_C_OK && notls == NULL)
			notls = p;
	}
	if (badcert != NULL) {
		verdict = badcert->tls_info->verdict != NULL ?
		    badcert->tls_info->verdict : "not verified";
		if (strncmp(verdict, "NOT verified: ", 14) == 0)
			verdict += 14;
		*why = xasprintf("refuses: the certificate on port 25 is not valid for "
		    "%s (%s)", h->name, verdict);
	}
	else if (notls != NULL)
		*why = xasprintf("refuses: no TLS on port 25 (%s)",
		    check_sts_notls(notls));
	else {
		*why = xstrdup("port 25 could not be reached from here: not judged");
		return (CHECK_STS_UNKNOWN);
	}
	return (CHECK_STS_REFUSE);
}

enum check_sts_verdict
check_sts_host(const struct check_report *r, const struct check_host *h,
    const char **pattern, char **why)
{
	const struct check_sts	*st = r->sts;

	*pattern = NULL;
	*why = NULL;
	if (st == NULL || !st->have_policy || st->policy.mode == MTASTS_M_NONE)
		return (CHECK_STS_NA);
	if ((*pattern = mtasts_policy_match(&st->policy, h->name)) == NULL) {
		*why = xasprintf("refuses: %s is not in the policy (no mx pattern "
		    "matches it)", h->name);
		return (CHECK_STS_REFUSE);
	}
	return (check_sts_port25(r, h, why));
}
