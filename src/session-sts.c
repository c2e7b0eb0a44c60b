/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * A session connected by domain (session_open_mx): the domain's MX records, the host
 * chosen among them, and its MTA-STS policy (RFC 8461), looked up in the background
 * (sts.c) from the connect on. When the policy is known it is said in the transcript;
 * what a sender that applies it does with this connection is said as soon as the
 * connection shows it: at once for an MX host the policy does not name, else when TLS
 * is up (or is known not to come: no STARTTLS offered, STARTTLS refused).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns.h"
#include "session-int.h"
#include "xmalloc.h"

/* Say a line, and keep it for the TLS pane. */
static void session_sts_say(struct session *, int warn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
session_sts_say(struct session *s, int warn, const char *fmt, ...)
{
	struct session_sts	*t = &s->sts;
	va_list			 ap;
	char			*text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		xfatal("out of memory");
	va_end(ap);
	transcript_add(s->tr, warn ? TR_WARN : TR_LOCAL, text, NULL);
	t->lines = xreallocarray(t->lines, t->nlines + 1, sizeof *t->lines);
	t->lines[t->nlines].warn = warn;
	t->lines[t->nlines++].text = text;
	session_changed(s);
}

void
session_sts_reset(struct session *s, const char *domain)
{
	struct session_sts	*t = &s->sts;
	size_t			 i;

	sts_cancel(t->job);
	sts_free(t->res);
	free(t->domain);
	free(t->detail);
	for (i = 0; i < t->nlines; i++)
		free(t->lines[i].text);
	free(t->lines);
	memset(t, 0, sizeof *t);
	t->domain = domain != NULL ? xstrdup(domain) : NULL;
}

void
session_sts_start(struct session *s)
{
	struct mtasts_fetch_opts	fo;

	if (s->sts.domain == NULL || s->sts.job != NULL || s->sts.res != NULL)
		return;
	memset(&fo, 0, sizeof fo);
	fo.cafile = s->opts.tls.cafile;
	fo.family = s->opts.family;
	fo.connect_timeout = s->opts.connect_timeout;
	fo.timeout = s->opts.connect_timeout + s->opts.reply_timeout;
	s->sts.job = sts_start(s->sts.domain, &fo);
}

int
session_sts_fd(const struct session *s)
{
	return (sts_fd(s->sts.job));
}

/* The MX host's name against the policy: said once, first. */
static void
session_sts_host(struct session *s, const char *pattern)
{
	const char	*mode = mtasts_mode_name(s->sts.res->policy.mode);

	if (s->sts.host_said)
		return;
	s->sts.host_said = 1;
	if (pattern != NULL)
		session_sts_say(s, 0, "MTA-STS (%s): %s matches mx %s", mode, s->host,
		    pattern);
	else
		session_sts_say(s, 1, "MTA-STS (%s): %s is NOT in the policy", mode,
		    s->host);
}

/* What a sender that applies the policy does here, once the connection shows it. */
static void
session_sts_judge(struct session *s)
{
	struct session_sts	*t = &s->sts;
	const char		*mode, *pattern, *sni = s->opts.tls.sni;
	enum sts_verdict	 v;
	char			*why;

	if (t->res == NULL || t->judged || !sts_in_force(t->res))
		return;
	mode = mtasts_mode_name(t->res->policy.mode);
	if (strcmp(s->port, "25") != 0 && strcmp(s->port, "smtp") != 0) {
		t->judged = 1;
		session_sts_say(s, 0, "MTA-STS (%s): not judged on port %s: senders "
		    "deliver on port 25", mode, s->port);
		return;
	}
	v = sts_judge(t->res, s->host, t->tls, t->detail, &pattern, &why);
	session_sts_host(s, pattern);
	if (v == STS_UNKNOWN && sni != NULL && strcasecmp(sni, s->host) != 0) {
		t->judged = 1;
		session_sts_say(s, 0, "MTA-STS (%s): not judged: --sni %s has the "
		    "certificate checked for %s, not for %s", mode, sni, sni, s->host);
	} else if (v == STS_UNKNOWN) {
		if (!t->waiting_said)
			session_sts_say(s, 0, "MTA-STS (%s): a sender enforcing the "
			    "policy delivers only after STARTTLS with a certificate "
			    "valid for %s: judged when TLS is up", mode, s->host);
		t->waiting_said = 1;
	} else if (t->res->policy.mode == MTASTS_M_TESTING) {
		t->judged = 1;
		if (v == STS_REFUSE)
			session_sts_say(s, 1, "MTA-STS (testing): a sender delivers "
			    "anyway and reports the failure (TLS-RPT); under enforce it "
			    "%s", why);
		else
			session_sts_say(s, 0, "MTA-STS (testing): a sender delivers; "
			    "under enforce it %s", why);
	} else {
		t->judged = 1;
		session_sts_say(s, v == STS_REFUSE, "MTA-STS (enforce): a sender "
		    "enforcing the policy %s", why);
	}
	free(why);
}

void
session_sts_tls(struct session *s, enum sts_tls tls, const char *detail)
{
	struct session_sts	*t = &s->sts;

	if (t->domain == NULL || t->tls != STS_TLS_UNKNOWN)
		return;
	/* A certificate checked for another name (--sni) says nothing of the MX
	 * host's: session_sts_judge says it is not judged. */
	if (tls != STS_TLS_NONE && s->opts.tls.sni != NULL &&
	    strcasecmp(s->opts.tls.sni, s->host) != 0)
		return;
	t->tls = tls;
	free(t->detail);
	t->detail = detail != NULL ? xstrdup(detail) : NULL;
	session_sts_judge(s);
}

/* The policy as found: the record, the fetch, the policy, the reporting address. */
static void
session_sts_found(struct session *s)
{
	const struct sts	*st = s->sts.res;
	const char		*d = s->sts.domain;
	char			*age, *mx = NULL, *p;
	size_t			 i;

	if (st->txt == NULL && st->txt_error != NULL)
		session_sts_say(s, 1, "MTA-STS for %s: %s", d, st->txt_error);
	else if (st->txt == NULL)
		session_sts_say(s, 0, "MTA-STS for %s: no policy (no v=STSv1 TXT "
		    "record at _mta-sts.%s)", d, d);
	else if (!st->have_policy)
		session_sts_say(s, 1, "MTA-STS for %s: policy id %s announced, but NOT "
		    "%s: %s; a sender with no cached policy delivers as if there "
		    "were none", d, st->id, st->fetch_error != NULL ? "fetched" :
		    "valid", st->fetch_error != NULL ? st->fetch_error :
		    st->policy_error);
	else {
		for (i = 0; i < st->policy.nmx; i++) {
			p = xasprintf("%s%s%s", mx != NULL ? mx : "", mx != NULL ?
			    ", " : "", st->policy.mx[i]);
			free(mx);
			mx = p;
		}
		age = sts_age_text(st->policy.max_age);
		session_sts_say(s, 0, "MTA-STS for %s: policy id %s, mode %s, max_age "
		    "%s%s%s", d, st->id, mtasts_mode_name(st->policy.mode), age,
		    mx != NULL ? ", mx " : "", mx != NULL ? mx : "");
		free(age);
		free(mx);
	}
	if (st->nrua > 0) {
		for (i = 0, mx = NULL; i < st->nrua; i++) {
			p = xasprintf("%s%s%s", mx != NULL ? mx : "", mx != NULL ?
			    ", " : "", st->rua[i]);
			free(mx);
			mx = p;
		}
		session_sts_say(s, 0, "TLS-RPT for %s: failures are reported to %s", d,
		    mx);
		free(mx);
	} else if (st->rpt_error != NULL)
		session_sts_say(s, 1, "TLS-RPT for %s: %s", d, st->rpt_error);
	else if (sts_in_force(st))
		session_sts_say(s, 0, "TLS-RPT for %s: no v=TLSRPTv1 TXT record at "
		    "_smtp._tls.%s: senders report failures nowhere", d, d);
}

void
session_sts_io(struct session *s)
{
	if (s->sts.job == NULL || !sts_done(s->sts.job))
		return;
	s->sts.res = sts_take(s->sts.job);
	sts_cancel(s->sts.job);
	s->sts.job = NULL;
	if (s->sts.res == NULL)
		return;
	session_sts_found(s);
	session_sts_judge(s);
}

/* "10 mx1.example.com, 20 mx2.example.com", malloc'd. */
static char *
session_sts_mxlist(const struct dns_mx *mx, size_t n)
{
	char	*list = NULL, *p;
	size_t	 i;

	for (i = 0; i < n; i++) {
		p = xasprintf("%s%s%d %s", list != NULL ? list : "", list != NULL ?
		    ", " : "", mx[i].pref, mx[i].host);
		free(list);
		list = p;
	}
	return (list);
}

/* The MX records of domain: *to (malloc'd) the host to connect to, and 1 (found by the
 * MX records) or 0 (no MX: the domain itself); or -1. */
static int
session_sts_mx(struct session *s, const char *domain, const char *host, char **to)
{
	struct dns_mx	*mx = NULL;
	size_t		 n = 0, i;
	char		*err = NULL, *list, *why;
	int		 st;

	switch ((st = dns_mx(domain, &mx, &n, &err))) {
	case DNS_OK:
		list = session_sts_mxlist(mx, n);
		transcript_addf(s->tr, TR_LOCAL, "MX of %s: %s", domain, list);
		free(list);
		for (i = 0; host != NULL && i < n; i++)
			if (strcasecmp(mx[i].host, host) == 0)
				break;
		if (host == NULL)
			transcript_addf(s->tr, TR_LOCAL, "connecting to %s, its most "
			    "preferred MX", mx[0].host);
		else if (i < n)
			transcript_addf(s->tr, TR_LOCAL, "%s is MX %d of %s", host,
			    mx[i].pref, domain);
		else
			transcript_addf(s->tr, TR_WARN, "%s is NOT an MX of %s: senders "
			    "never deliver there", host, domain);
		*to = xstrdup(host != NULL ? host : mx[0].host);
		dns_mx_free(mx, n);
		return (1);
	case DNS_NODATA:
		transcript_addf(s->tr, TR_LOCAL, "%s has no MX record: mail goes to %s "
		    "itself (RFC 5321 5.1)", domain, domain);
		*to = xstrdup(host != NULL ? host : domain);
		return (0);
	case DNS_NULLMX:
		why = xasprintf("%s takes no mail: its MX is \".\" (null MX, RFC 7505)",
		    domain);
		session_fail(s, SESSION_F_CONNECT, why, "nothing to connect to: mail "
		    "to this domain bounces by design");
		break;
	case DNS_NXDOMAIN:
		why = xasprintf("name not found: %s", domain);
		session_fail(s, SESSION_F_CONNECT, why, "check the spelling of the "
		    "domain");
		break;
	default:
		why = xasprintf("cannot look up the MX of %s: %s", domain, err != NULL ?
		    err : "no answer");
		session_fail(s, SESSION_F_CONNECT, why, "check the network and "
		    "/etc/resolv.conf, or connect to a host by name");
		break;
	}
	free(why);
	free(err);
	dns_mx_free(mx, n);
	return (-1);
}

int
session_open_mx(struct session *s, const char *domain, const char *host,
    const char *port, enum session_mode mode)
{
	char	*to = NULL;
	int	 ret, via;

	session_forget(s);
	session_sts_reset(s, NULL);
	if ((via = session_sts_mx(s, domain, host, &to)) == -1)
		return (-1);
	session_sts_reset(s, domain);
	ret = session_dial(s, to, port, mode);
	free(to);
	if (ret == 0)
		session_sts_start(s);
	/* DANE counts only when the MX records that named the host validate. */
	if (ret == 0 && via)
		tls_dane_via_mx(s->dane, domain);
	return (ret);
}

const char *
session_sts_domain(const struct session *s, int *pending)
{
	*pending = s->sts.job != NULL;
	return (s->sts.domain);
}

const char *
session_sts_line(const struct session *s, size_t i, int *warn)
{
	if (i >= s->sts.nlines)
		return (NULL);
	*warn = s->sts.lines[i].warn;
	return (s->sts.lines[i].text);
}

int
session_sts_pending(const struct session *s)
{
	return (s->sts.job != NULL);
}
