/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The server check's report as text for people. Every server string in the report is
 * already display-safe (reply.c and tls-cert.c run it through vis). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xmalloc.h"

struct check_text {
	char	*s;
	size_t	 len;
};

static void
check_out(struct check_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
check_out(struct check_text *t, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;
	size_t	 n;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	n = strlen(line);
	t->s = xreallocarray(t->s, t->len + n + 1, 1);
	memcpy(t->s + t->len, line, n + 1);
	t->len += n;
	free(line);
}

static void
check_text_dns(struct check_text *t, const struct check_report *r)
{
	size_t	i, j;

	if (r->kind == CHECK_K_ADDRESS) {
		check_out(t, "%s is an address: no DNS lookup\n", r->target);
		return;
	}
	switch (r->mx_status) {
	case DNS_OK:
		check_out(t, "MX records of %s, by preference:\n", r->target);
		for (i = 0; i < r->nmx; i++) {
			check_out(t, "  %5d %s", r->mx[i].pref, r->mx[i].host);
			for (j = 0; j < r->nhosts; j++)
				if (strcmp(r->hosts[j].name, r->mx[i].host) == 0)
					break;
			if (j == r->nhosts)
				check_out(t, "  (not checked)");
			check_out(t, "\n");
		}
		break;
	case DNS_NODATA:
		check_out(t, "%s has no MX record: mail goes to its own address "
		    "(RFC 5321 5.1)\n", r->target);
		break;
	case DNS_NXDOMAIN:
		check_out(t, "%s: no such domain (NXDOMAIN)\n", r->target);
		break;
	case DNS_NULLMX:
		check_out(t, "%s has a null MX (RFC 7505): it takes no mail\n",
		    r->target);
		break;
	default:
		check_out(t, "%s: %s\n", r->target, r->dns_error != NULL ?
		    r->dns_error : "DNS lookup failed");
		break;
	}
}

static void
check_text_caps(struct check_text *t, const char *label, const struct check_caps *k)
{
	if (!k->seen)
		return;
	check_out(t, "      %s:", label);
	if (k->size && k->size_max > 0)
		check_out(t, " SIZE %lld,", k->size_max);
	else if (k->size)
		check_out(t, " SIZE,");
	check_out(t, "%s%s%s%s%s%s AUTH %s\n", k->starttls ? " STARTTLS," : "",
	    k->pipelining ? " PIPELINING," : "", k->chunking ? " CHUNKING," : "",
	    k->smtputf8 ? " SMTPUTF8," : "", k->eightbitmime ? " 8BITMIME," : "",
	    k->dsn ? " DSN," : "", k->auth != NULL ? k->auth : "none");
}

static void
check_text_versions(struct check_text *t, const struct check_port *p)
{
	const struct check_version	*v;
	int				 i;

	if (!p->tls_tried)
		return;
	for (i = 0; i < CHECK_NVERSIONS; i++) {
		v = &p->versions[i];
		check_out(t, "      %s: ", check_version_name(i));
		switch (v->state) {
		case CHECK_TV_ACCEPTED:
			check_out(t, "accepted (%s)\n", v->cipher);
			break;
		case CHECK_TV_REFUSED:
			check_out(t, "refused\n");
			break;
		case CHECK_TV_LOCAL:
			check_out(t, "not tried (disabled in this client)\n");
			break;
		case CHECK_TV_ERROR:
			check_out(t, "unknown (%s)\n", v->error);
			break;
		default:
			check_out(t, "not tried\n");
			break;
		}
	}
}

static void
check_text_tls(struct check_text *t, const struct check_port *p)
{
	const struct tls_info	*in = p->tls_info;
	long			 days;
	int			 known;
	size_t			 i;

	if (p->tls_error != NULL)
		check_out(t, "      TLS failed: %s\n", p->tls_error);
	if (in == NULL)
		return;
	check_out(t, "      %s, %s\n", in->protocol, in->cipher);
	days = check_days_left(p, &known);
	check_out(t, "      certificate %s", in->verdict);
	if (known && days >= 0)
		check_out(t, "; %ld days left\n", days);
	else if (known && !(in->problems & TLS_P_EXPIRED))
		check_out(t, "; expired %ld days ago\n", -days);
	else
		check_out(t, "\n");
	check_out(t, "      covers %s: %s\n", in->name != NULL ? in->name : "?",
	    (in->problems & TLS_P_NAME) || !known ? "no" : "yes");
	if (in->dane != NULL)
		check_out(t, "      %s\n", in->dane);
	for (i = 0; i < in->ndane_why; i++)
		check_out(t, "        %s\n", in->dane_why[i]);
}

static void
check_text_port(struct check_text *t, const struct check_addr *a,
    const struct check_port *p)
{
	int	m;

	check_out(t, "    port %d (%s): ", p->port, p->implicit ? "implicit TLS" :
	    "plain, STARTTLS if offered");
	switch (p->conn) {
	case CHECK_C_OK:
		check_out(t, "connected in %ld ms\n", p->connect_ms);
		break;
	case CHECK_C_REFUSED:
		check_out(t, "refused after %ld ms\n", p->connect_ms);
		return;
	case CHECK_C_TIMEOUT:
		check_out(t, "timed out after %ld ms\n", p->connect_ms);
		return;
	default:
		check_out(t, "%s\n", p->conn_error != NULL ? p->conn_error :
		    "not tried");
		return;
	}
	if (p->greeting != NULL) {
		check_out(t, "      greeting after %ld ms: %s\n", p->greeting_ms,
		    p->greeting);
		m = check_ptr_match(a, p);
		if (m >= 0)
			check_out(t, "      PTR %s the greeting's name\n",
			    m ? "matches" : "differs from");
	}
	if (p->error != NULL)
		check_out(t, "      error: %s\n", p->error);
	check_text_caps(t, p->implicit ? "EHLO" : "EHLO before TLS", &p->plain);
	if (!p->implicit && p->plain.seen)
		check_out(t, "      STARTTLS: %s%s\n", p->plain.starttls ?
		    "offered" : "not offered", p->starttls_required ?
		    ", required (the server said 530)" : "");
	check_text_tls(t, p);
	check_text_caps(t, p->implicit ? "EHLO under TLS" : "EHLO after TLS",
	    &p->tls);
	if (!p->implicit && p->plain.seen && p->tls.seen &&
	    p->plain.auth == NULL && p->tls.auth != NULL)
		check_out(t, "      AUTH only after STARTTLS\n");
	check_text_versions(t, p);
}

static void
check_text_host(struct check_text *t, const struct check_report *r,
    const struct check_host *h)
{
	const struct check_addr	*a;
	size_t			 j, k;

	check_out(t, "\n%s", h->name);
	if (h->pref >= 0)
		check_out(t, " (MX %d)", h->pref);
	check_out(t, "\n");
	if (h->error != NULL)
		check_out(t, "  %s\n", h->error);
	for (j = 0; j < h->naddrs; j++) {
		a = &h->addrs[j];
		check_out(t, "  %s  PTR %s\n", a->addr.text,
		    a->ptr != NULL ? a->ptr : "(none)");
		for (k = 0; k < r->nports; k++)
			check_text_port(t, a, &a->ports[k]);
	}
}

static void
check_text_sts_hosts(struct check_text *t, const struct check_report *r)
{
	const struct sts	*st = r->sts;
	const struct check_host	*h;
	const char		*pat;
	char			*why;
	size_t			 i;
	int			 v;

	for (i = 0; i < r->nhosts; i++) {
		h = &r->hosts[i];
		v = check_sts_host(r, h, &pat, &why);
		if (v == STS_NA)
			continue;
		if (pat != NULL)
			check_out(t, "  %s: matches mx %s\n", h->name, pat);
		else
			check_out(t, "  %s: NOT in the policy\n", h->name);
		if (st->policy.mode == MTASTS_M_ENFORCE)
			check_out(t, "    a sender enforcing the policy %s\n", why);
		else if (v == STS_REFUSE)
			check_out(t, "    mode testing: a sender delivers anyway and "
			    "reports the failure (TLS-RPT); under enforce it %s\n",
			    why);
		else
			check_out(t, "    mode testing: a sender %s\n", why);
		free(why);
	}
}

/* MTA-STS and TLS-RPT of a domain. */
static void
check_text_sts(struct check_text *t, const struct check_report *r)
{
	const struct sts	*st = r->sts;
	size_t			 i;
	char			*age;

	if (st == NULL)
		return;
	check_out(t, "\nMTA-STS (RFC 8461) of %s:\n", r->target);
	if (st->txt_error != NULL)
		check_out(t, "  %s\n", st->txt_error);
	else if (st->txt == NULL)
		check_out(t, "  no MTA-STS: no v=STSv1 TXT record at _mta-sts.%s\n",
		    r->target);
	else
		check_out(t, "  TXT _mta-sts.%s: %s (policy id %s)\n", r->target,
		    st->txt, st->id);
	if (st->url != NULL && st->fetch_error != NULL)
		check_out(t, "  policy %s NOT fetched: %s\n", st->url, st->fetch_error);
	else if (st->url != NULL && st->policy_error != NULL)
		check_out(t, "  policy %s fetched, but NOT valid: %s: senders ignore "
		    "it\n", st->url, st->policy_error);
	else if (st->have_policy) {
		age = sts_age_text(st->policy.max_age);
		check_out(t, "  policy %s: mode %s, max_age %s\n", st->url,
		    mtasts_mode_name(st->policy.mode), age);
		free(age);
		for (i = 0; i < st->policy.nmx; i++)
			check_out(t, "    mx: %s\n", st->policy.mx[i]);
		if (st->policy.mode == MTASTS_M_NONE)
			check_out(t, "  mode none: senders apply no policy\n");
	}
	check_text_sts_hosts(t, r);
	if (st->rpt_error != NULL)
		check_out(t, "TLS-RPT (RFC 8460): %s\n", st->rpt_error);
	else if (st->nrua == 0)
		check_out(t, "TLS-RPT (RFC 8460): no v=TLSRPTv1 TXT record at "
		    "_smtp._tls.%s: senders report failures nowhere\n", r->target);
	else {
		check_out(t, "TLS-RPT (RFC 8460): senders report TLS failures to");
		for (i = 0; i < st->nrua; i++)
			check_out(t, "%s %s", i > 0 ? "," : "", st->rua[i]);
		check_out(t, "\n");
	}
}

char *
check_report_text(const struct check_report *r, const struct check_summary *s)
{
	struct check_text	 t = { NULL, 0 };
	size_t			 i;

	check_out(&t, "Server check of %s, ports", r->target);
	for (i = 0; i < r->nports; i++)
		check_out(&t, "%s %d", i > 0 ? "," : "", r->ports[i]);
	check_out(&t, "\n");
	check_text_dns(&t, r);
	for (i = 0; i < r->nhosts; i++)
		check_text_host(&t, r, &r->hosts[i]);
	check_text_sts(&t, r);

	check_out(&t, "\nSummary (%ld ms):\n", r->elapsed_ms);
	for (i = 0; i < s->nproblems; i++)
		check_out(&t, "  - %s\n", s->problems[i]);
	if (s->use != NULL) {
		check_out(&t, "  Use %s.\n", s->use);
		check_out(&t, "  To open a session: %s\n", s->command);
	}
	check_out(&t, "Result: %s.\n", s->result_text);
	return (t.s);
}
