/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* What a server check's report means: the result, where to go, what is wrong. */
#include "config.h"

#include <sys/socket.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "xmalloc.h"

#define CHECK_DAYS_WARN	14	/* a certificate this close to expiry is worth a line */

static const char *const check_result_texts[] = {
	"every mail server that answered takes mail over TLS with a verified "
	    "certificate",
	"a mail server answered without TLS and a verified certificate",
	"no mail server could be reached",
	"the domain takes no mail (null MX)"
};

const char *
check_port_mode(const struct check_port *p)
{
	if (p->implicit)
		return ("implicit TLS");
	if (p->tls_tried)
		return ("STARTTLS");
	return ("plain");
}

int
check_ptr_match(const struct check_addr *a, const struct check_port *p)
{
	if (a->ptr == NULL || p->greeting_name == NULL)
		return (-1);
	return (strcasecmp(a->ptr, p->greeting_name) == 0);
}

long
check_days_left(const struct check_port *p, int *known)
{
	*known = p->tls_info != NULL && p->tls_info->ncerts > 0;
	return (*known ? tls_days_left(p->tls_info->certs[0].not_after) : 0);
}

/* 0 unusable, 1 plain text only, 2 TLS but not verified, 3 verified TLS. */
static int
check_grade(const struct check_port *p)
{
	if (p->conn != CHECK_C_OK || p->greeting_code < 200 ||
	    p->greeting_code > 299)
		return (0);
	if (!p->tls_up)
		return (1);
	return (p->tls_info != NULL && p->tls_info->verified ? 3 : 2);
}

static void
check_problem(struct check_summary *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
check_problem(struct check_summary *s, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	s->problems = xreallocarray(s->problems, s->nproblems + 1,
	    sizeof *s->problems);
	s->problems[s->nproblems++] = xvasprintf(fmt, ap);
	va_end(ap);
}

static void
check_dns_problems(const struct check_report *r, struct check_summary *s)
{
	switch (r->mx_status) {
	case DNS_NXDOMAIN:
		check_problem(s, "%s does not exist (NXDOMAIN)", r->target);
		break;
	case DNS_NULLMX:
		check_problem(s, "%s has a null MX (RFC 7505): it says it takes no "
		    "mail", r->target);
		break;
	case DNS_NODATA:
		check_problem(s, "%s has no MX record: mail for it goes to its own "
		    "address (RFC 5321 5.1)", r->target);
		break;
	case DNS_FAIL:
		check_problem(s, "%s", r->dns_error != NULL ? r->dns_error :
		    "DNS lookup failed");
		break;
	default:
		break;
	}
	if (r->nmx > r->nhosts && r->mx_status == DNS_OK)
		check_problem(s, "only the first %zu of %zu MX hosts were checked "
		    "(--all-mx checks them all)", r->nhosts, r->nmx);
}

/* The TLS versions: only old ones, or old ones beside new ones. */
static void
check_version_problems(struct check_summary *s, const char *where,
    const struct check_port *p)
{
	char	 old[32] = "";
	int	 v, any = 0, modern = 0;

	for (v = 0; v < CHECK_NVERSIONS; v++) {
		if (p->versions[v].state != CHECK_TV_ACCEPTED)
			continue;
		any = 1;
		if (v >= 2)
			modern = 1;
		else
			snprintf(old + strlen(old), sizeof old - strlen(old), "%s%s",
			    old[0] ? " and " : "", check_version_name(v));
	}
	if (any && !modern)
		check_problem(s, "%s only accepts %s (obsolete, RFC 8996)", where,
		    old);
	else if (old[0] != '\0')
		check_problem(s, "%s still accepts %s (obsolete, RFC 8996)", where,
		    old);
}

static void
check_port_problems(struct check_summary *s, const struct check_host *h,
    const struct check_addr *a, const struct check_port *p)
{
	char	 where[600];
	long	 days;
	int	 known;

	snprintf(where, sizeof where, "%s [%s] port %d", h->name, a->addr.text,
	    p->port);
	if (p->conn == CHECK_C_TIMEOUT)
		check_problem(s, "port %d unreachable from here on %s [%s] (timed "
		    "out)%s", p->port, h->name, a->addr.text, p->port == 25 ?
		    ": many networks block port 25" : "");
	else if (p->conn == CHECK_C_REFUSED)
		check_problem(s, "port %d refused on %s [%s]", p->port, h->name,
		    a->addr.text);
	else if (p->conn_error != NULL)
		check_problem(s, "%s", p->conn_error);
	if (p->error != NULL)
		check_problem(s, "%s: %s", where, p->error);
	if (p->tls_error != NULL)
		check_problem(s, "%s: %s", where, p->tls_error);
	if (!p->implicit && p->plain.seen && !p->plain.starttls)
		check_problem(s, "%s offers no STARTTLS: mail would go in plain "
		    "text", where);
	if (!p->implicit && p->plain.auth != NULL)
		check_problem(s, "%s offers AUTH before TLS: a password could go "
		    "in plain text", where);
	if (p->tls_info != NULL && !p->tls_info->verified)
		check_problem(s, "%s: certificate %s", where,
		    p->tls_info->verdict != NULL ? p->tls_info->verdict :
		    "NOT verified");
	if (p->tls_info != NULL && p->tls_info->dane_state == TLS_DANE_NO_MATCH)
		check_problem(s, "a DANE sender will not deliver to %s: port %d [%s] "
		    "presents a chain that no validated TLSA record matches",
		    h->name, p->port, a->addr.text);
	else if (p->tls_info != NULL && p->tls_info->dane_state == TLS_DANE_BOGUS)
		check_problem(s, "a DANE sender will not deliver to %s: the TLSA "
		    "answer for port %d is BOGUS (DNSSEC validation failed)", h->name,
		    p->port);
	days = check_days_left(p, &known);
	if (p->tls_info != NULL && p->tls_info->verified && known &&
	    days < CHECK_DAYS_WARN)
		check_problem(s, "%s: the certificate expires in %ld days", where,
		    days);
	check_version_problems(s, where, p);
}

/* Per address, once: a PTR name that is missing or not the greeting's name. */
static void
check_ptr_problem(struct check_summary *s, const struct check_host *h,
    const struct check_addr *a, const struct check_report *r)
{
	size_t	k;

	for (k = 0; k < r->nports; k++) {
		if (a->ports[k].greeting_name == NULL)
			continue;
		if (a->ptr == NULL)
			check_problem(s, "%s [%s] has no PTR name (receivers may "
			    "distrust it)", h->name, a->addr.text);
		else if (check_ptr_match(a, &a->ports[k]) == 0)
			check_problem(s, "%s [%s]: its PTR name %s is not the "
			    "greeting's name %s", h->name, a->addr.text, a->ptr,
			    a->ports[k].greeting_name);
		return;
	}
}

/* MTA-STS: a policy announced but missing or broken, and the MX hosts it turns away. */
static void
check_sts_problems(const struct check_report *r, struct check_summary *s)
{
	const struct sts	*st = r->sts;
	const char		*pat, *mode, *reason;
	char			*why;
	size_t			 i;

	if (st == NULL)
		return;
	if (st->txt_error != NULL)
		check_problem(s, "MTA-STS: %s", st->txt_error);
	if (st->fetch_error != NULL)
		check_problem(s, "MTA-STS: _mta-sts.%s announces a policy (id %s), but "
		    "%s could not be fetched: %s; senders with no policy cached "
		    "deliver without one", r->target, st->id, st->url,
		    st->fetch_error);
	if (st->policy_error != NULL)
		check_problem(s, "MTA-STS: the policy at %s is not valid (%s): "
		    "senders ignore it", st->url, st->policy_error);
	mode = mtasts_mode_name(st->policy.mode);
	for (i = 0; i < r->nhosts; i++) {
		if (check_sts_host(r, &r->hosts[i], &pat, &why) != STS_REFUSE) {
			free(why);
			continue;
		}
		/* "refuses: why": the why alone. */
		reason = strncmp(why, "refuses: ", 9) == 0 ? why + 9 : why;
		if (st->policy.mode == MTASTS_M_ENFORCE)
			check_problem(s, "MTA-STS (enforce): a sender will not deliver "
			    "to %s: %s", r->hosts[i].name, reason);
		else
			check_problem(s, "MTA-STS (%s): %s fails the policy (%s): a "
			    "sender delivers anyway and reports it (TLS-RPT)", mode,
			    r->hosts[i].name, reason);
		free(why);
	}
	if (st->rpt_error != NULL)
		check_problem(s, "TLS-RPT: %s", st->rpt_error);
	else if (st->have_policy && st->nrua == 0)
		check_problem(s, "TLS-RPT: no _smtp._tls.%s record: senders cannot "
		    "report MTA-STS failures", r->target);
}

/* An argument for a shell: as it is, or in single quotes. */
static char *
check_shell_word(const char *w)
{
	char	*q, *t;
	size_t	 i;

	if (w[0] != '\0' && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
	    "OPQRSTUVWXYZ0123456789-_.,:/@%+=[]") == strlen(w))
		return (xstrdup(w));
	q = xstrdup("'");
	for (i = 0; w[i] != '\0'; i++) {
		t = w[i] == '\'' ? xasprintf("%s'\\''", q) :
		    xasprintf("%s%c", q, w[i]);
		free(q);
		q = t;
	}
	t = xasprintf("%s'", q);
	free(q);
	return (t);
}

static void
check_arg(char **cmd, const char *opt, const char *value)
{
	char	*w = check_shell_word(value), *t;

	t = xasprintf("%s %s %s", *cmd, opt, w);
	free(w);
	free(*cmd);
	*cmd = t;
}

static char *
check_command(const struct check_report *r, const struct check_summary *s)
{
	const struct check_port	*p = s->port;
	char			*cmd = xstrdup("smtpcon"), *t, *target, *w;

	if (r->family == AF_INET || r->family == AF_INET6) {
		t = xasprintf("%s %s", cmd, r->family == AF_INET ? "-4" : "-6");
		free(cmd);
		cmd = t;
	}
	if (!p->implicit && p->tls_up) {
		t = xasprintf("%s --starttls", cmd);
		free(cmd);
		cmd = t;
	}
	if (r->cafile != NULL)
		check_arg(&cmd, "--cafile", r->cafile);
	if (r->sni != NULL)
		check_arg(&cmd, "--sni", r->sni);
	if (r->priority != NULL)
		check_arg(&cmd, "--priority", r->priority);
	if (r->tls_version != 0)
		check_arg(&cmd, "--tls-version", r->tls_version == 12 ? "1.2" : "1.3");
	target = strchr(s->host->name, ':') != NULL ?
	    xasprintf("[%s]:%d", s->host->name, p->port) :
	    xasprintf("%s:%d", s->host->name, p->port);
	w = check_shell_word(target);
	t = xasprintf("%s %s", cmd, w);
	free(w);
	free(target);
	free(cmd);
	return (t);
}

/* Where to go: the best port, first in MX and port order among equals. */
static void
check_best(const struct check_report *r, struct check_summary *s, int *answered,
    int *all_verified)
{
	const struct check_host	*h;
	const struct check_addr	*a;
	size_t			 i, j, k;
	int			 g, best = 0, host_best;

	*answered = 0;
	*all_verified = 1;
	for (i = 0; i < r->nhosts; i++) {
		h = &r->hosts[i];
		host_best = 0;
		for (j = 0; j < h->naddrs; j++) {
			a = &h->addrs[j];
			for (k = 0; k < r->nports; k++) {
				g = check_grade(&a->ports[k]);
				if (g > host_best)
					host_best = g;
				if (g > best) {
					best = g;
					s->host = h;
					s->addr = a;
					s->port = &a->ports[k];
				}
			}
		}
		if (host_best > 0)
			(*answered)++;
		if (host_best > 0 && host_best < 3) {
			*all_verified = 0;
			check_problem(s, "%s answers, but on no port checked with TLS "
			    "and a verified certificate", h->name);
		}
	}
}

void
check_summarize(const struct check_report *r, struct check_summary *s)
{
	const struct check_host	*h;
	size_t			 i, j, k;
	int			 answered, all_verified;

	memset(s, 0, sizeof *s);
	check_dns_problems(r, s);
	for (i = 0; i < r->nhosts; i++) {
		h = &r->hosts[i];
		if (h->error != NULL)
			check_problem(s, "%s", h->error);
		for (j = 0; j < h->naddrs; j++) {
			for (k = 0; k < r->nports; k++)
				check_port_problems(s, h, &h->addrs[j],
				    &h->addrs[j].ports[k]);
			check_ptr_problem(s, h, &h->addrs[j], r);
		}
	}
	check_sts_problems(r, s);
	check_best(r, s, &answered, &all_verified);
	if (r->mx_status == DNS_NULLMX)
		s->result = CHECK_R_NOMAIL;
	else if (answered == 0)
		s->result = CHECK_R_UNREACHABLE;
	else if (!all_verified)
		s->result = CHECK_R_NOTLS;
	else
		s->result = CHECK_R_VERIFIED;
	s->result_text = check_result_texts[s->result];
	if (s->port == NULL)
		return;
	s->use = xasprintf("%s port %d with %s%s", s->host->name, s->port->port,
	    check_port_mode(s->port), !s->port->tls_up ? " (no TLS: plain text)" :
	    s->port->tls_info != NULL && s->port->tls_info->verified ?
	    " (certificate verified)" : " (certificate NOT verified)");
	s->command = check_command(r, s);
}

void
check_summary_free(struct check_summary *s)
{
	size_t	i;

	for (i = 0; i < s->nproblems; i++)
		free(s->problems[i]);
	free(s->problems);
	free(s->use);
	free(s->command);
	memset(s, 0, sizeof *s);
}
