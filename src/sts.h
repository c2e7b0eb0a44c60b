/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * A mail domain's transport-security policy as a sender meets it: the MTA-STS record and
 * policy (RFC 8461) and the TLS-RPT record (RFC 8460), looked up and fetched in a thread
 * of its own so that no poll loop waits for them (the session's, the check's); and what a
 * sender that applies the policy does with one connection to one MX host.
 *
 * Nothing is cached: every lookup fetches the policy, as a sender that meets the domain
 * for the first time does (RFC 8461 §5); max_age is shown, not used.
 */
#ifndef STS_H
#define STS_H

#include <stddef.h>

#include "mtasts.h"
#include "mtasts-fetch.h"

/* What was found. Every string is display-safe. */
struct sts {
	int		 txt_status;	/* dns_status of the _mta-sts TXT lookup */
	char		*txt_error;	/* DNS failed, or the record is malformed or
					 * repeated: a sender sees no policy */
	char		*txt;		/* the one STS record, or NULL */
	char		*id;		/* its id */
	char		*url;		/* the policy's, when a fetch was tried */
	char		*fetch_error;	/* the fetch failed: why */
	char		*policy_error;	/* fetched, but not a valid policy */
	int		 have_policy;
	struct mtasts_policy policy;
	int		 rpt_status;	/* dns_status of the _smtp._tls TXT lookup */
	char		*rpt_txt;	/* the one TLS-RPT record, or NULL */
	char		*rpt_error;
	char		**rua;		/* where reports go */
	size_t		 nrua;
};

/* Free what st holds (st itself too). NULL is fine. */
void		 sts_free(struct sts *st);

/*
 * The lookup, in the background: the TXT records, then (when there is an STS record)
 * the policy over HTTPS, bounded by o's timeouts. The options are copied.
 */
struct sts_job;
struct sts_job	*sts_start(const char *domain, const struct mtasts_fetch_opts *o);
/* A descriptor that is readable once the job is done; -1 when it is done. */
int		 sts_fd(const struct sts_job *);
/* After the descriptor was readable: 1 when done (then sts_take), 0 not yet. */
int		 sts_done(struct sts_job *);
/* The result of a done job, handed over (free with sts_free); NULL before. */
struct sts	*sts_take(struct sts_job *);
/*
 * Give the job up (or free a done one). A fetch under way is told to stop and waited for
 * briefly; a job still in its DNS lookups ends on its own and frees itself.
 */
void		 sts_cancel(struct sts_job *);

/* The policy is in force: fetched, valid, mode enforce or testing. */
int		 sts_in_force(const struct sts *);
/* "604800 s (7 days)" for a max_age; malloc'd. */
char		*sts_age_text(long max_age);

/* How a connection to port 25 of an MX host went, as far as the policy cares. */
enum sts_tls {
	STS_TLS_UNKNOWN,	/* not judged yet, or not reached */
	STS_TLS_VERIFIED,	/* TLS with a certificate valid for the MX host's name */
	STS_TLS_BADCERT,	/* TLS, but the certificate is not valid for that name */
	STS_TLS_NONE		/* no TLS: not offered, refused, failed */
};

/* What a sender that applies the policy does with an MX host. */
enum sts_verdict {
	STS_NA,			/* no policy in force (none, or mode none) */
	STS_DELIVER,
	STS_REFUSE,		/* (in mode testing: it delivers, and reports) */
	STS_UNKNOWN		/* not judged: the connection says too little */
};

/*
 * The verdict for host, whose port 25 connection went as tls says; detail is the
 * certificate's verdict (BADCERT) or why there was no TLS (NONE). *pattern: the mx
 * pattern host matches (NULL: none). *why (malloc'd; NULL with STS_NA and, when
 * tls is UNKNOWN, with STS_UNKNOWN) in words: "delivers: ...", "refuses: ...".
 */
enum sts_verdict sts_judge(const struct sts *, const char *host, enum sts_tls tls,
		    const char *detail, const char **pattern, char **why);

#endif
