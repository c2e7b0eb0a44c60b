/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The server check's MTA-STS (RFC 8461): what a sender that applies the policy does with
 * each MX host, judged from the probes of port 25 (sts.c looks the policy up, beside
 * the probes, and holds the judgement's words).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check-int.h"
#include "xmalloc.h"

static const char *const check_sts_verdict_names[] = {
	NULL, "deliver", "refuse", "unknown"
};

const char *
check_sts_verdict_name(enum sts_verdict v)
{
	return ((unsigned)v < 4 ? check_sts_verdict_names[v] : NULL);
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

/*
 * How port 25 of h went, from its probes, best first: verified TLS, then TLS, then an
 * answer; *detail is the certificate's verdict or why there was no TLS.
 */
static enum sts_tls
check_sts_port25(const struct check_report *r, const struct check_host *h,
    const char **detail)
{
	const struct check_port	*p, *badcert = NULL, *notls = NULL;
	size_t			 j, k;

	for (k = 0; k < r->nports && r->ports[k] != 25; k++)
		;
	if (k == r->nports) {
		*detail = "port 25 was not checked (--ports): senders deliver there";
		return (STS_TLS_UNKNOWN);
	}
	for (j = 0; j < h->naddrs; j++) {
		p = &h->addrs[j].ports[k];
		if (p->tls_up && p->tls_info != NULL && p->tls_info->verified)
			return (STS_TLS_VERIFIED);
		if (p->tls_info != NULL && badcert == NULL)
			badcert = p;
		else if (p->conn == CHECK_C_OK && notls == NULL)
			notls = p;
	}
	if (badcert != NULL) {
		*detail = badcert->tls_info->verdict;
		return (STS_TLS_BADCERT);
	}
	if (notls != NULL) {
		*detail = check_sts_notls(notls);
		return (STS_TLS_NONE);
	}
	*detail = "port 25 could not be reached from here: not judged";
	return (STS_TLS_UNKNOWN);
}

enum sts_verdict
check_sts_host(const struct check_report *r, const struct check_host *h,
    const char **pattern, char **why)
{
	const char	*detail = NULL;
	enum sts_tls	 tls;

	tls = check_sts_port25(r, h, &detail);
	return (sts_judge(r->sts, h->name, tls, detail, pattern, why));
}
