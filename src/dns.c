/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* MX, TXT, address and PTR lookups for the server check. */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>

#include <netdb.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns.h"
#include "xmalloc.h"

#define DNS_ANSWER_MAX	65536

static int	dns_query(const char *, int, unsigned char *, int, int *);
static int	dns_fetch(const char *, int, const char *, unsigned char **, int *,
		    char **);

/* A name in presentation form without its trailing dot; the root is "". */
static char *
dns_name(const char *name)
{
	size_t	len = strlen(name);

	if (len > 0 && name[len - 1] == '.' &&
	    (len < 2 || name[len - 2] != '\\'))
		len--;
	return (xstrndup(name, len));
}

static int
dns_mx_cmp(const void *a, const void *b)
{
	const struct dns_mx	*x = a, *y = b;

	if (x->pref != y->pref)
		return (x->pref < y->pref ? -1 : 1);
	return (strcasecmp(x->host, y->host));
}

/* Open an answer: DNS_OK with *h and the number of answer records, or what the rcode
 * says (DNS_NXDOMAIN; DNS_FAIL with *errstr). */
static int
dns_answer(const unsigned char *msg, int len, ns_msg *h, int *an, char **errstr)
{
	if (ns_initparse(msg, len, h) == -1) {
		*errstr = xstrdup("malformed DNS answer");
		return (DNS_FAIL);
	}
	if (ns_msg_getflag(*h, ns_f_rcode) == ns_r_nxdomain)
		return (DNS_NXDOMAIN);
	if (ns_msg_getflag(*h, ns_f_rcode) != ns_r_noerror) {
		*errstr = xasprintf("DNS server answered with error %d",
		    ns_msg_getflag(*h, ns_f_rcode));
		return (DNS_FAIL);
	}
	*an = ns_msg_count(*h, ns_s_an);
	return (DNS_OK);
}

int
dns_mx_parse(const unsigned char *msg, int len, struct dns_mx **mx, size_t *n,
    char **errstr)
{
	ns_msg		 h;
	ns_rr		 rr;
	char		 name[NS_MAXDNAME];
	struct dns_mx	*list = NULL;
	size_t		 count = 0;
	int		 i, an, status;

	*mx = NULL;
	*n = 0;
	if ((status = dns_answer(msg, len, &h, &an, errstr)) != DNS_OK)
		return (status);
	for (i = 0; i < an; i++) {
		if (ns_parserr(&h, ns_s_an, i, &rr) == -1)
			break;
		/* A CNAME may come first in the answer: keep the MX records only. */
		if (ns_rr_type(rr) != ns_t_mx || ns_rr_class(rr) != ns_c_in ||
		    ns_rr_rdlen(rr) < 3)
			continue;
		if (ns_name_uncompress(ns_msg_base(h), ns_msg_end(h),
		    ns_rr_rdata(rr) + 2, name, sizeof name) == -1)
			continue;
		list = xreallocarray(list, count + 1, sizeof *list);
		list[count].pref = ns_get16(ns_rr_rdata(rr));
		list[count].host = dns_name(name);
		count++;
	}
	if (count == 0) {
		free(list);
		return (DNS_NODATA);
	}
	if (count == 1 && list[0].host[0] == '\0') {
		dns_mx_free(list, count);
		return (DNS_NULLMX);
	}
	qsort(list, count, sizeof *list, dns_mx_cmp);
	*mx = list;
	*n = count;
	return (DNS_OK);
}

/* One TXT record's character-strings, joined; bytes outside printable ASCII as '?'. */
static char *
dns_txt_join(const unsigned char *rd, size_t len)
{
	char	*out = xmalloc(len + 1);
	size_t	 off = 0, o = 0, n, i;

	while (off < len) {
		n = rd[off++];
		if (n > len - off)
			n = len - off;
		for (i = 0; i < n; i++)
			out[o++] = rd[off + i] >= 0x20 && rd[off + i] < 0x7f ?
			    (char)rd[off + i] : '?';
		off += n;
	}
	out[o] = '\0';
	return (out);
}

int
dns_txt_parse(const unsigned char *msg, int len, char ***txt, size_t *n,
    char **errstr)
{
	ns_msg	 h;
	ns_rr	 rr;
	char	**list = NULL;
	size_t	 count = 0;
	int	 i, an, status;

	*txt = NULL;
	*n = 0;
	if ((status = dns_answer(msg, len, &h, &an, errstr)) != DNS_OK)
		return (status);
	for (i = 0; i < an; i++) {
		if (ns_parserr(&h, ns_s_an, i, &rr) == -1)
			break;
		/* A CNAME may come first: keep the TXT records only. */
		if (ns_rr_type(rr) != ns_t_txt || ns_rr_class(rr) != ns_c_in)
			continue;
		list = xreallocarray(list, count + 1, sizeof *list);
		list[count++] = dns_txt_join(ns_rr_rdata(rr), ns_rr_rdlen(rr));
	}
	if (count == 0)
		return (DNS_NODATA);
	*txt = list;
	*n = count;
	return (DNS_OK);
}

int
dns_txt(const char *name, char ***txt, size_t *n, char **errstr)
{
	unsigned char	*buf;
	int		 len, status;

	*txt = NULL;
	*n = 0;
	if ((status = dns_fetch(name, ns_t_txt, "TXT", &buf, &len, errstr)) != DNS_OK)
		return (status);
	status = dns_txt_parse(buf, len, txt, n, errstr);
	free(buf);
	return (status);
}

void
dns_txt_free(char **txt, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(txt[i]);
	free(txt);
}

/* Query name/type; the answer in buf. Returns its length, or -1 with *status set. */
static int
dns_query(const char *name, int type, unsigned char *buf, int size, int *status)
{
	struct __res_state	res;
	int			len;

	memset(&res, 0, sizeof res);
	if (res_ninit(&res) == -1) {
		*status = DNS_FAIL;
		return (-1);
	}
	len = res_nquery(&res, name, ns_c_in, type, buf, size);
	if (len == -1) {
		switch (res.res_h_errno) {
		case HOST_NOT_FOUND:
			*status = DNS_NXDOMAIN;
			break;
		case NO_DATA:
			*status = DNS_NODATA;
			break;
		default:
			*status = DNS_FAIL;
			break;
		}
	}
	res_nclose(&res);
	return (len);
}

/*
 * Query name for records of type (what: "MX", for the message). DNS_OK with *buf
 * malloc'd and *len its length, or the status (DNS_FAIL with *errstr).
 */
static int
dns_fetch(const char *name, int type, const char *what, unsigned char **buf, int *len,
    char **errstr)
{
	int	status;

	*buf = xmalloc(DNS_ANSWER_MAX);
	if ((*len = dns_query(name, type, *buf, DNS_ANSWER_MAX, &status)) == -1) {
		if (status == DNS_FAIL)
			*errstr = xasprintf("no answer from DNS for the %s records of "
			    "%s (server failure or timeout)", what, name);
		free(*buf);
		*buf = NULL;
		return (status);
	}
	/* res_nquery returns the whole answer's length, even one cut to the buffer. */
	if (*len > DNS_ANSWER_MAX)
		*len = DNS_ANSWER_MAX;
	return (DNS_OK);
}

int
dns_mx(const char *domain, struct dns_mx **mx, size_t *n, char **errstr)
{
	unsigned char	*buf;
	int		 len, status;

	*mx = NULL;
	*n = 0;
	if ((status = dns_fetch(domain, ns_t_mx, "MX", &buf, &len, errstr)) != DNS_OK)
		return (status);
	status = dns_mx_parse(buf, len, mx, n, errstr);
	free(buf);
	return (status);
}

void
dns_mx_free(struct dns_mx *mx, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(mx[i].host);
	free(mx);
}

int
dns_addrs(const char *host, int family, struct dns_addr **addrs, size_t *n,
    char **errstr)
{
	struct addrinfo	 hints, *res, *ai;
	struct dns_addr	*list = NULL, *a;
	size_t		 count = 0, i;
	int		 ret;

	*addrs = NULL;
	*n = 0;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	if ((ret = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		if (ret == EAI_NONAME || ret == EAI_NODATA)
			*errstr = xasprintf("%s has no %saddress", host,
			    family == AF_INET ? "IPv4 (A) " :
			    family == AF_INET6 ? "IPv6 (AAAA) " : "");
		else
			*errstr = xasprintf("cannot look up %s: %s", host,
			    gai_strerror(ret));
		return (-1);
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof list->ss)
			continue;
		for (i = 0; i < count; i++)
			if (list[i].len == ai->ai_addrlen &&
			    memcmp(&list[i].ss, ai->ai_addr, ai->ai_addrlen) == 0)
				break;
		if (i < count)
			continue;
		list = xreallocarray(list, count + 1, sizeof *list);
		a = &list[count++];
		memset(a, 0, sizeof *a);
		memcpy(&a->ss, ai->ai_addr, ai->ai_addrlen);
		a->len = ai->ai_addrlen;
		a->family = ai->ai_family;
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, a->text, sizeof a->text,
		    NULL, 0, NI_NUMERICHOST) != 0)
			snprintf(a->text, sizeof a->text, "?");
	}
	freeaddrinfo(res);
	if (count == 0) {
		*errstr = xasprintf("%s has no usable address", host);
		return (-1);
	}
	*addrs = list;
	*n = count;
	return (0);
}

char *
dns_ptr_parse(const unsigned char *msg, int len)
{
	ns_msg	 h;
	ns_rr	 rr;
	char	 name[NS_MAXDNAME];
	int	 i, an;

	if (ns_initparse(msg, len, &h) == -1)
		return (NULL);
	an = ns_msg_count(h, ns_s_an);
	for (i = 0; i < an; i++) {
		if (ns_parserr(&h, ns_s_an, i, &rr) == -1)
			return (NULL);
		if (ns_rr_type(rr) != ns_t_ptr || ns_rr_class(rr) != ns_c_in)
			continue;
		if (ns_name_uncompress(ns_msg_base(h), ns_msg_end(h),
		    ns_rr_rdata(rr), name, sizeof name) == -1)
			continue;
		return (dns_name(name));
	}
	return (NULL);
}

/* The in-addr.arpa or ip6.arpa name of a. */
static void
dns_reverse_name(const struct dns_addr *a, char *buf, size_t size)
{
	const unsigned char	*b;
	size_t			 off = 0;
	int			 i;

	if (a->family == AF_INET) {
		b = (const unsigned char *)
		    &((const struct sockaddr_in *)&a->ss)->sin_addr;
		snprintf(buf, size, "%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1],
		    b[0]);
		return;
	}
	b = ((const struct sockaddr_in6 *)&a->ss)->sin6_addr.s6_addr;
	for (i = 15; i >= 0 && off + 4 < size; i--)
		off += snprintf(buf + off, size - off, "%x.%x.", b[i] & 0xf,
		    b[i] >> 4);
	snprintf(buf + off, size - off, "ip6.arpa");
}

char *
dns_ptr(const struct dns_addr *a)
{
	unsigned char	*buf;
	char		 name[128];
	char		*ptr, *err = NULL;
	int		 len;

	dns_reverse_name(a, name, sizeof name);
	if (dns_fetch(name, ns_t_ptr, "PTR", &buf, &len, &err) != DNS_OK) {
		free(err);	/* no PTR name is all the report says */
		return (NULL);
	}
	ptr = dns_ptr_parse(buf, len);
	free(buf);
	return (ptr);
}

int
dns_name_ok(const char *name)
{
	size_t	len = strlen(name);

	return (len > 0 && len <= 253 && strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") == len);
}
