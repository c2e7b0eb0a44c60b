/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * MTA-STS (RFC 8461) and TLS-RPT (RFC 8460), the pure parts: the _mta-sts TXT record, the
 * policy file, MX patterns, and the _smtp._tls TXT record. No I/O here (mtasts-fetch.c
 * fetches the policy); tests/unit-mtasts checks every function.
 */
#ifndef MTASTS_H
#define MTASTS_H

#include <stddef.h>

#define MTASTS_POLICY_MAX	65536	/* bytes of a policy file read at most */
#define MTASTS_MAX_AGE_MAX	31557600L	/* RFC 8461 §3.2: about a year */

enum mtasts_mode {
	MTASTS_M_NONE,		/* "none": no policy in force */
	MTASTS_M_TESTING,	/* failures reported (TLS-RPT), mail delivered */
	MTASTS_M_ENFORCE	/* failures: mail not delivered */
};

struct mtasts_policy {
	enum mtasts_mode mode;
	long		 max_age;	/* seconds */
	char		**mx;		/* patterns: "mx1.example.net", "*.example.net" */
	size_t		 nmx;
};

/*
 * One TXT record of _mta-sts.DOMAIN (RFC 8461 §3.1): "v=STSv1; id=20261201;". Returns 1
 * with *id malloc'd when it is a valid STS record; 0 when it is not an STS record at all
 * (it does not start with v=STSv1: other TXT records are ignored); -1 when it starts so
 * but is malformed (no id, a bad id, a bad field), with *errstr malloc'd.
 */
int	mtasts_txt_parse(const char *txt, char **id, char **errstr);

/*
 * A policy file of len bytes (RFC 8461 §3.2): "key: value" lines ending in CRLF or LF,
 * version STSv1, mode, max_age and (unless mode none) at least one mx. Unknown keys are
 * ignored; of a key given twice (but mx) the first counts. Returns 0 with *p filled
 * (free with mtasts_policy_free), or -1 with *errstr malloc'd ("line 3: no colon").
 */
int	mtasts_policy_parse(const char *text, size_t len, struct mtasts_policy *p,
	    char **errstr);
void	mtasts_policy_free(struct mtasts_policy *);

/* "none", "testing", "enforce". */
const char *mtasts_mode_name(enum mtasts_mode);

/*
 * Whether host (a trailing dot ignored, any case) matches pattern: the same name, or
 * for "*.example.net" a name that is one label more than example.net (RFC 8461 §4.1:
 * the wildcard stands for exactly one leftmost label).
 */
int	mtasts_mx_match(const char *pattern, const char *host);
/* The first of p's patterns host matches, or NULL. */
const char *mtasts_policy_match(const struct mtasts_policy *p, const char *host);

/*
 * One TXT record of _smtp._tls.DOMAIN (RFC 8460 §3): "v=TLSRPTv1; rua=mailto:a@b,https://...".
 * Returns 1 with *rua (malloc'd array of malloc'd URIs, free with mtasts_rua_free) and
 * *n when valid; 0 when not a TLS-RPT record; -1 when malformed, with *errstr malloc'd.
 */
int	mtasts_tlsrpt_parse(const char *txt, char ***rua, size_t *n, char **errstr);
void	mtasts_rua_free(char **, size_t);

#endif
