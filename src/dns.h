/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * DNS for the server check: a domain's MX and TXT records (libresolv), the addresses of a host
 * (getaddrinfo) and the PTR name of an address (libresolv). Lookups block: the check does
 * them before its probes start.
 */
#ifndef DNS_H
#define DNS_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <stddef.h>

enum dns_status {
	DNS_OK,			/* records found */
	DNS_NODATA,		/* the name exists but has no record of the type */
	DNS_NXDOMAIN,		/* the name does not exist */
	DNS_NULLMX,		/* RFC 7505: a single MX "." : the domain takes no mail */
	DNS_FAIL		/* no answer, server failure, malformed answer */
};

struct dns_mx {
	int		 pref;
	char		*host;		/* presentation form, no trailing dot */
};

struct dns_addr {
	struct sockaddr_storage ss;
	socklen_t	 len;
	int		 family;	/* AF_INET or AF_INET6 */
	char		 text[INET6_ADDRSTRLEN];
};

/*
 * The MX records of domain, sorted by preference (then name). Returns a dns_status; with
 * DNS_OK *mx (free with dns_mx_free) and *n are set; with DNS_FAIL *errstr is malloc'd.
 */
int	dns_mx(const char *domain, struct dns_mx **mx, size_t *n, char **errstr);
/*
 * The same from a DNS answer message of len bytes (what res_nquery returns): pure, for
 * tests. An answer with rcode NXDOMAIN gives DNS_NXDOMAIN, one with no MX record
 * DNS_NODATA.
 */
int	dns_mx_parse(const unsigned char *msg, int len, struct dns_mx **mx, size_t *n,
	    char **errstr);
void	dns_mx_free(struct dns_mx *, size_t);

/*
 * The addresses of host (a name or a literal) for family (AF_UNSPEC, AF_INET,
 * AF_INET6), duplicates removed, in getaddrinfo's order. Returns 0 with *addrs
 * (free()) and *n, or -1 with *errstr malloc'd.
 */
int	dns_addrs(const char *host, int family, struct dns_addr **addrs, size_t *n,
	    char **errstr);

/*
 * The TXT records of name (each record's strings joined, as RFC 8461 and RFC 8460 read
 * them; bytes outside printable ASCII become '?'). Returns a dns_status; with DNS_OK
 * *txt (free with dns_txt_free) and *n are set; with DNS_FAIL *errstr is malloc'd.
 */
int	dns_txt(const char *name, char ***txt, size_t *n, char **errstr);
/* The same from a DNS answer message: pure, for tests. */
int	dns_txt_parse(const unsigned char *msg, int len, char ***txt, size_t *n,
	    char **errstr);
void	dns_txt_free(char **, size_t);

/* Whether name can be a domain or host name: 1 to 253 letters, digits, '-', '.', '_'. */
int	dns_name_ok(const char *name);

/* The PTR name of a, without the trailing dot, malloc'd; NULL when there is none. */
char	*dns_ptr(const struct dns_addr *a);
/* The first PTR name in a DNS answer message, malloc'd, or NULL: pure, for tests. */
char	*dns_ptr_parse(const unsigned char *msg, int len);

#endif
