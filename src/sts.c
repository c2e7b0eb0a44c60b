/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * A domain's MTA-STS and TLS-RPT (RFC 8461, RFC 8460): the lookup, in a thread; and what
 * a sender that applies the policy does with one MX host.
 *
 * The thread only looks up and fetches: it blocks every signal, shares nothing with the
 * caller but the job (under its lock) and says it is done by writing to a pipe the caller
 * polls. Given up while it runs, it is told to stop (libcurl asks a progress callback);
 * the last of the two to let go of the job frees it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dns.h"
#include "sts.h"
#include "vis.h"
#include "xmalloc.h"

#define STS_TEXT_MAX	300	/* of a TXT record kept */
#define STS_JOIN_MS	1500	/* a fetch given up is waited for this long */

struct sts_job {
	pthread_mutex_t		 lock;
	pthread_t		 thread;
	int			 refs;		/* the caller and the thread */
	int			 cancel;	/* atomic: give up */
	int			 fetching;	/* atomic: in libcurl */
	int			 finished;	/* atomic: the thread's work is over */
	int			 pipe[2];	/* the thread writes a byte when done */
	int			 done;		/* the caller read it */
	char			*domain;
	char			*cafile;
	struct mtasts_fetch_opts o;
	struct sts		*res;
};

static char *
sts_safe(const char *s)
{
	return (vis_ascii(s, strlen(s), STS_TEXT_MAX));
}

/* The _mta-sts record: exactly one TXT record starting v=STSv1 (RFC 8461 §3.1). */
static void
sts_txt(struct sts *st, const char *domain)
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
			st->txt = sts_safe(txt[i]);
			st->id = id;
			continue;
		}
		if (found == 1) {
			safe = sts_safe(txt[i]);
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
sts_rpt(struct sts *st, const char *domain)
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
			st->rpt_txt = sts_safe(txt[i]);
			st->rua = rua;
			st->nrua = nrua;
			continue;
		}
		if (found == 1) {
			safe = sts_safe(txt[i]);
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
		safe = sts_safe(st->rua[i]);
		free(st->rua[i]);
		st->rua[i] = safe;
	}
	dns_txt_free(txt, n);
	free(name);
}

/* The policy over HTTPS, when the record says there is one. */
static void
sts_policy(struct sts_job *j, struct sts *st)
{
	char	*body, *err = NULL;
	size_t	 len;

	st->url = mtasts_fetch_url(j->domain);
	__atomic_store_n(&j->fetching, 1, __ATOMIC_RELEASE);
	if (mtasts_fetch(j->domain, &j->o, &body, &len, &st->fetch_error) != 0)
		return;
	if (mtasts_policy_parse(body, len, &st->policy, &err) == 0)
		st->have_policy = 1;
	else {
		st->policy_error = sts_safe(err);
		free(err);
	}
	free(body);
}

void
sts_free(struct sts *st)
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

/* Let go of j: the last one out frees it. */
static void
sts_release(struct sts_job *j)
{
	int	last;

	pthread_mutex_lock(&j->lock);
	last = --j->refs == 0;
	pthread_mutex_unlock(&j->lock);
	if (!last)
		return;
	close(j->pipe[0]);
	close(j->pipe[1]);
	pthread_mutex_destroy(&j->lock);
	sts_free(j->res);
	free(j->domain);
	free(j->cafile);
	free(j);
}

static void *
sts_thread(void *arg)
{
	struct sts_job	*j = arg;
	struct sts	*st = xcalloc(1, sizeof *st);
	char		 c = 'd';

	sts_txt(st, j->domain);
	sts_rpt(st, j->domain);
	if (st->txt != NULL && !__atomic_load_n(&j->cancel, __ATOMIC_ACQUIRE))
		sts_policy(j, st);
	pthread_mutex_lock(&j->lock);
	j->res = st;
	pthread_mutex_unlock(&j->lock);
	__atomic_store_n(&j->finished, 1, __ATOMIC_RELEASE);
	while (write(j->pipe[1], &c, 1) == -1 && errno == EINTR)
		;
	sts_release(j);
	return (NULL);
}

struct sts_job *
sts_start(const char *domain, const struct mtasts_fetch_opts *o)
{
	struct sts_job	*j = xcalloc(1, sizeof *j);
	sigset_t	 all, old;
	int		 err;

	j->domain = xstrdup(domain);
	j->o = *o;
	j->cafile = o->cafile != NULL ? xstrdup(o->cafile) : NULL;
	j->o.cafile = j->cafile;
	j->o.cancel = &j->cancel;
	if (pipe(j->pipe) == -1)
		xfatal("pipe: %s", strerror(errno));
	fcntl(j->pipe[0], F_SETFL, fcntl(j->pipe[0], F_GETFL) | O_NONBLOCK);
	fcntl(j->pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(j->pipe[1], F_SETFD, FD_CLOEXEC);
	pthread_mutex_init(&j->lock, NULL);
	j->refs = 2;
	mtasts_fetch_init();
	/* Signals are the main thread's: its handlers write to its own pipe. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&j->thread, NULL, sts_thread, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0)
		xfatal("cannot start a thread: %s", strerror(err));
	return (j);
}

int
sts_fd(const struct sts_job *j)
{
	return (j == NULL || j->done ? -1 : j->pipe[0]);
}

int
sts_done(struct sts_job *j)
{
	char	c;

	if (j->done)
		return (1);
	if (read(j->pipe[0], &c, 1) != 1)
		return (0);
	pthread_join(j->thread, NULL);
	j->done = 1;
	return (1);
}

struct sts *
sts_take(struct sts_job *j)
{
	struct sts	*st;

	if (!j->done)
		return (NULL);
	pthread_mutex_lock(&j->lock);
	st = j->res;
	j->res = NULL;
	pthread_mutex_unlock(&j->lock);
	return (st);
}

/* Wait up to ms for the thread to finish: 1 when it did (and was joined). */
static int
sts_join(struct sts_job *j, int ms)
{
	struct timespec	t = { 0, 10 * 1000 * 1000 };
	int		waited;

	for (waited = 0; waited < ms; waited += 10) {
		if (__atomic_load_n(&j->finished, __ATOMIC_ACQUIRE))
			break;
		nanosleep(&t, NULL);
	}
	if (!__atomic_load_n(&j->finished, __ATOMIC_ACQUIRE))
		return (0);
	pthread_join(j->thread, NULL);
	return (1);
}

void
sts_cancel(struct sts_job *j)
{
	if (j == NULL)
		return;
	__atomic_store_n(&j->cancel, 1, __ATOMIC_RELEASE);
	/*
	 * In libcurl (and so in GnuTLS) it stops within a second: wait, so that no
	 * exit tears the TLS library down under it. In its DNS lookups it will not
	 * fetch; it ends on its own.
	 */
	if (!j->done && !(__atomic_load_n(&j->fetching, __ATOMIC_ACQUIRE) ?
	    sts_join(j, STS_JOIN_MS) : sts_join(j, 0)))
		pthread_detach(j->thread);
	sts_release(j);
}

int
sts_in_force(const struct sts *st)
{
	return (st != NULL && st->have_policy && st->policy.mode != MTASTS_M_NONE);
}

char *
sts_age_text(long max_age)
{
	if (max_age >= 86400)
		return (xasprintf("%ld s (%ld day%s)", max_age, max_age / 86400,
		    max_age / 86400 == 1 ? "" : "s"));
	return (xasprintf("%ld s", max_age));
}

enum sts_verdict
sts_judge(const struct sts *st, const char *host, enum sts_tls tls, const char *detail,
    const char **pattern, char **why)
{
	*pattern = NULL;
	*why = NULL;
	if (!sts_in_force(st))
		return (STS_NA);
	if ((*pattern = mtasts_policy_match(&st->policy, host)) == NULL) {
		*why = xasprintf("refuses: %s is not in the policy (no mx pattern "
		    "matches it)", host);
		return (STS_REFUSE);
	}
	switch (tls) {
	case STS_TLS_VERIFIED:
		*why = xasprintf("delivers: STARTTLS on port 25 with a certificate "
		    "valid for %s", host);
		return (STS_DELIVER);
	case STS_TLS_BADCERT:
		if (detail == NULL)
			detail = "not verified";
		if (strncmp(detail, "NOT verified: ", 14) == 0)
			detail += 14;
		*why = xasprintf("refuses: the certificate on port 25 is not valid for "
		    "%s (%s)", host, detail);
		return (STS_REFUSE);
	case STS_TLS_NONE:
		*why = xasprintf("refuses: no TLS on port 25 (%s)", detail != NULL ?
		    detail : "TLS not reached");
		return (STS_REFUSE);
	case STS_TLS_UNKNOWN:
		break;
	}
	if (detail != NULL)
		*why = xstrdup(detail);
	return (STS_UNKNOWN);
}
