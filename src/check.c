/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The server check: its targets, its probes and their scheduling in one poll loop. */
#include "config.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check-int.h"
#include "xmalloc.h"
#include "xtime.h"

static const char *const check_version_names[CHECK_NVERSIONS] = {
	"TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"
};

const char *
check_version_name(int i)
{
	return (i >= 0 && i < CHECK_NVERSIONS ? check_version_names[i] : "?");
}

int
check_ports_parse(const char *list, int **ports, size_t *n, char **errstr)
{
	const char	*s = list;
	char		*end;
	int		*out;
	size_t		 count = 0, i;
	long		 v;

	out = xcalloc(CHECK_PORTS_MAX, sizeof *out);
	for (;;) {
		errno = 0;
		v = strtol(s, &end, 10);
		if (end == s || *s < '0' || *s > '9' || errno != 0 || v < 1 ||
		    v > 65535 || (*end != ',' && *end != '\0')) {
			*errstr = xasprintf("--ports wants port numbers from 1 to "
			    "65535 separated by commas, not \"%s\"", list);
			goto fail;
		}
		for (i = 0; i < count; i++)
			if (out[i] == v) {
				*errstr = xasprintf("--ports: port %ld is given twice",
				    v);
				goto fail;
			}
		if (count == CHECK_PORTS_MAX) {
			*errstr = xasprintf("--ports: at most %d ports",
			    CHECK_PORTS_MAX);
			goto fail;
		}
		out[count++] = (int)v;
		if (*end == '\0')
			break;
		s = end + 1;
	}
	*ports = out;
	*n = count;
	return (0);
fail:
	free(out);
	return (-1);
}

static void
check_add_probe(struct check *c, struct check_host *h, struct check_addr *a,
    struct check_port *res, int version)
{
	struct check_probe	*p = xcalloc(1, sizeof *p);

	p->host = h;
	p->addr = a;
	p->res = res;
	p->version = version;
	p->fd = -1;
	p->step = CHECK_S_WAIT;
	c->probes = xreallocarray(c->probes, c->nprobes + 1, sizeof *c->probes);
	c->probes[c->nprobes++] = p;
}

/* A host to check: its addresses, their PTR names, a main probe per port. */
static void
check_add_host(struct check *c, const char *name, int pref)
{
	struct check_report	*r = &c->rep;
	struct check_host	*h;
	struct dns_addr		*addrs;
	struct check_addr	*a;
	size_t			 n, i, j;

	r->hosts = xreallocarray(r->hosts, r->nhosts + 1, sizeof *r->hosts);
	h = &r->hosts[r->nhosts++];
	memset(h, 0, sizeof *h);
	h->name = xstrdup(name);
	h->pref = pref;
	if (dns_addrs(name, c->o->family, &addrs, &n, &h->error) != 0)
		return;
	h->addrs = xcalloc(n, sizeof *h->addrs);
	h->naddrs = n;
	for (i = 0; i < n; i++) {
		a = &h->addrs[i];
		a->addr = addrs[i];
		a->ptr = dns_ptr(&a->addr);
		a->ports = xcalloc(r->nports, sizeof *a->ports);
		for (j = 0; j < r->nports; j++) {
			a->ports[j].port = r->ports[j];
			a->ports[j].implicit = r->ports[j] == 465;
		}
	}
	free(addrs);
}

/*
 * Probes added once every address is known: they point into fixed arrays. A host's
 * addresses take turns (port by port), so that an address family that drops packets
 * does not hold every slot of its host before the other gets one.
 */
static void
check_add_probes(struct check *c)
{
	struct check_report	*r = &c->rep;
	struct check_host	*h;
	size_t			 i, j, k;

	for (i = 0; i < r->nhosts; i++) {
		h = &r->hosts[i];
		for (k = 0; k < r->nports; k++)
			for (j = 0; j < h->naddrs; j++)
				check_add_probe(c, h, &h->addrs[j],
				    &h->addrs[j].ports[k], -1);
	}
}

/* MTA-STS and TLS-RPT of a domain, in the background beside the probes. */
static void
check_sts_start(struct check *c, const char *domain)
{
	struct mtasts_fetch_opts	fo;

	memset(&fo, 0, sizeof fo);
	fo.cafile = c->o->tls.cafile;
	fo.family = c->o->family;
	fo.connect_timeout = c->o->connect_timeout;
	fo.timeout = c->o->connect_timeout + c->o->reply_timeout;
	c->sts = sts_start(domain, &fo);
}

/* The MX lookup, and the hosts it gives. */
static void
check_domain(struct check *c, const char *name)
{
	struct check_report	*r = &c->rep;
	size_t			 i;

	r->mx_status = dns_mx(name, &r->mx, &r->nmx, &r->dns_error);
	switch (r->mx_status) {
	case DNS_OK:
		r->kind = CHECK_K_DOMAIN;
		for (i = 0; i < r->nmx; i++) {
			if (!c->o->all_mx && i >= CHECK_MX_DEFAULT)
				break;
			check_add_host(c, r->mx[i].host, r->mx[i].pref);
		}
		check_sts_start(c, name);
		break;
	case DNS_NODATA:
		/* No MX: mail goes to the name's own address (RFC 5321 5.1). */
		r->kind = CHECK_K_HOST;
		check_add_host(c, name, -1);
		break;
	default:
		r->kind = CHECK_K_DOMAIN;
		break;
	}
}

/* The target as given: an address literal ([v6] too) or a name. */
static int
check_target(struct check *c, const char *target, char **errstr)
{
	unsigned char	 buf[sizeof(struct in6_addr)];
	char		*lit = NULL;
	size_t		 len = strlen(target);

	if (len > 2 && target[0] == '[' && target[len - 1] == ']')
		lit = xstrndup(target + 1, len - 2);
	else
		lit = xstrdup(target);
	c->rep.target = xstrdup(lit);
	if (inet_pton(AF_INET, lit, buf) == 1 ||
	    inet_pton(AF_INET6, lit, buf) == 1) {
		c->rep.kind = CHECK_K_ADDRESS;
		c->rep.mx_status = -1;
		check_add_host(c, lit, -1);
		free(lit);
		return (0);
	}
	if (!dns_name_ok(lit)) {
		*errstr = xasprintf("--check wants a domain, a host name or an "
		    "address, not \"%s\"", target);
		free(lit);
		return (-1);
	}
	check_domain(c, lit);
	free(lit);
	return (0);
}

struct check *
check_new(const struct check_opts *o, const char *target, char **errstr)
{
	struct check	*c;
	char		*offered;

	/* A priority string or CA file that cannot work would fail every probe. */
	if ((offered = tls_offered(&o->tls)) == NULL) {
		*errstr = xasprintf("bad TLS priority string \"%s\"", o->tls.priority);
		return (NULL);
	}
	free(offered);
	if (o->tls.cafile != NULL && access(o->tls.cafile, R_OK) != 0) {
		*errstr = xasprintf("cannot read --cafile %s: %s", o->tls.cafile,
		    strerror(errno));
		return (NULL);
	}
	c = xcalloc(1, sizeof *c);
	c->o = o;
	c->start = xtime_ms();
	c->rep.ports = xreallocarray(NULL, o->nports, sizeof *c->rep.ports);
	memcpy(c->rep.ports, o->ports, o->nports * sizeof *o->ports);
	c->rep.nports = o->nports;
	c->rep.family = o->family;
	c->rep.cafile = o->tls.cafile;
	c->rep.sni = o->tls.sni;
	c->rep.priority = o->tls.priority;
	c->rep.tls_version = o->tls.version;
	if (check_target(c, target, errstr) != 0) {
		check_free(c);
		return (NULL);
	}
	check_add_probes(c);
	return (c);
}

/* A main probe that reached a TLS handshake: one probe per TLS version. */
static void
check_add_versions(struct check *c, struct check_probe *p)
{
	struct tls_config	 cf = c->o->tls;
	char			*offered;
	int			 v;

	for (v = 0; v < CHECK_NVERSIONS; v++) {
		cf.version = 10 + v;
		offered = tls_offered(&cf);
		if (offered == NULL || strcmp(offered, "none") == 0)
			p->res->versions[v].state = CHECK_TV_LOCAL;
		else
			check_add_probe(c, p->host, p->addr, p->res, v);
		free(offered);
	}
}

static int
check_active(const struct check_probe *p)
{
	return (p->step != CHECK_S_WAIT && p->step != CHECK_S_DONE);
}

/* Start waiting probes while their host has a free slot. */
static void
check_schedule(struct check *c)
{
	struct check_probe	*p;
	size_t			 i, j, busy;

	for (i = 0; i < c->nprobes; i++) {
		p = c->probes[i];
		if (p->step != CHECK_S_WAIT)
			continue;
		for (busy = 0, j = 0; j < c->nprobes; j++)
			if (c->probes[j]->host == p->host &&
			    check_active(c->probes[j]))
				busy++;
		if (busy < CHECK_PER_HOST)
			check_probe_start(c, p);
	}
}

/*
 * Whether a done main probe still waits for its TLSA answer; when it no longer does
 * (answered, past its deadline, or no TLS to judge), the verdict is made here.
 */
static int
check_dane_waits(struct check_probe *p, long long now)
{
	struct tls_info	*in = p->res->tls_info;

	if (p->dane == NULL || p->step != CHECK_S_DONE)
		return (0);
	if (in != NULL && tls_dane_fd(p->dane) != -1 && now < p->dane_deadline)
		return (1);
	if (in != NULL)
		tls_dane_finish(p->dane, in, 0);
	tls_dane_free(p->dane);
	p->dane = NULL;
	return (0);
}

static void
check_poll_add(struct check *c, int fd, short events, struct check_probe *p, int dane)
{
	c->pfd[c->npfd].fd = fd;
	c->pfd[c->npfd].events = events;
	c->pfd_dane[c->npfd] = dane;
	c->pfd_probe[c->npfd++] = p;
}

struct pollfd *
check_poll(struct check *c, size_t *n, int *timeout)
{
	struct check_probe	*p;
	long long		 now, wait = -1;
	size_t			 i;

	check_schedule(c);
	free(c->pfd);
	free(c->pfd_probe);
	free(c->pfd_dane);
	c->pfd = xcalloc(c->nprobes + 1, sizeof *c->pfd);
	c->pfd_probe = xcalloc(c->nprobes + 1, sizeof *c->pfd_probe);
	c->pfd_dane = xcalloc(c->nprobes + 1, 1);
	c->npfd = 0;
	now = xtime_ms();
	if (c->sts != NULL)
		check_poll_add(c, sts_fd(c->sts), POLLIN, NULL, 2);
	for (i = 0; i < c->nprobes; i++) {
		p = c->probes[i];
		if (check_dane_waits(p, now)) {
			check_poll_add(c, tls_dane_fd(p->dane), POLLIN, p, 1);
			if (wait == -1 || p->dane_deadline - now < wait)
				wait = p->dane_deadline - now;
			continue;
		}
		if (!check_active(p))
			continue;
		check_poll_add(c, p->fd, p->events, p, 0);
		if (p->tls != NULL && tls_pending(p->tls) > 0)
			wait = 0;
		else if (wait == -1 || p->deadline - now < wait)
			wait = p->deadline - now < 0 ? 0 : p->deadline - now;
	}
	if (c->npfd == 0 && !c->done) {
		c->done = 1;
		c->rep.elapsed_ms = now - c->start;
	}
	*n = c->npfd;
	*timeout = (int)wait;
	return (c->pfd);
}

void
check_io(struct check *c)
{
	struct check_probe	*p;
	short			 rev;
	size_t			 i, n;

	for (i = 0; i < c->npfd; i++) {
		p = c->pfd_probe[i];
		rev = c->pfd[i].revents;
		if (c->pfd_dane[i] == 2) {
			if (rev != 0 && sts_done(c->sts)) {
				c->rep.sts = sts_take(c->sts);
				sts_cancel(c->sts);
				c->sts = NULL;
			}
			continue;
		}
		if (c->pfd_dane[i]) {
			if (rev != 0)
				tls_dane_process(p->dane);
			continue;
		}
		if (p->tls != NULL && p->step != CHECK_S_HANDSHAKE &&
		    tls_pending(p->tls) > 0)
			rev |= POLLIN;
		if (rev != 0 && check_active(p))
			check_probe_io(c, p, rev);
		if (check_active(p) && xtime_ms() >= p->deadline)
			check_probe_timeout(c, p);
	}
	n = c->nprobes;
	for (i = 0; i < n; i++) {
		p = c->probes[i];
		if (p->step != CHECK_S_DONE || p->reaped)
			continue;
		p->reaped = 1;
		if (p->version < 0 && p->tls_worth)
			check_add_versions(c, p);
	}
}

int
check_done(const struct check *c)
{
	return (c->done);
}

void
check_run(struct check *c)
{
	struct pollfd	*fds;
	size_t		 n;
	int		 timeout;

	for (;;) {
		fds = check_poll(c, &n, &timeout);
		if (n == 0)
			break;
		if (poll(fds, n, timeout) == -1 && errno != EINTR)
			xfatal("poll: %s", strerror(errno));
		check_io(c);
	}
}

const struct check_report *
check_report(const struct check *c)
{
	return (&c->rep);
}

static void
check_port_free(struct check_port *p)
{
	int	v;

	free(p->conn_error);
	free(p->greeting);
	free(p->greeting_name);
	free(p->error);
	free(p->plain.auth);
	free(p->tls.auth);
	free(p->tls_error);
	tls_info_free(p->tls_info);
	for (v = 0; v < CHECK_NVERSIONS; v++) {
		free(p->versions[v].cipher);
		free(p->versions[v].error);
	}
}

void
check_free(struct check *c)
{
	struct check_report	*r;
	size_t			 i, j, k;

	if (c == NULL)
		return;
	r = &c->rep;
	for (i = 0; i < c->nprobes; i++) {
		check_probe_close(c->probes[i]);
		tls_dane_free(c->probes[i]->dane);
		free(c->probes[i]);
	}
	free(c->probes);
	free(c->pfd);
	free(c->pfd_probe);
	free(c->pfd_dane);
	sts_cancel(c->sts);
	for (i = 0; i < r->nhosts; i++) {
		for (j = 0; j < r->hosts[i].naddrs; j++) {
			for (k = 0; k < r->nports; k++)
				check_port_free(&r->hosts[i].addrs[j].ports[k]);
			free(r->hosts[i].addrs[j].ports);
			free(r->hosts[i].addrs[j].ptr);
		}
		free(r->hosts[i].addrs);
		free(r->hosts[i].name);
		free(r->hosts[i].error);
	}
	free(r->hosts);
	dns_mx_free(r->mx, r->nmx);
	sts_free(r->sts);
	free(r->ports);
	free(r->target);
	free(r->dns_error);
	free(c);
}
