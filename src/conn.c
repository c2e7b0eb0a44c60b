/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Resolving and connecting, non-blocking, with reasons for people. */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "explain-hint.h"
#include "xmalloc.h"

/*
 * A bare IPv6 literal whose last group could be a port ("::1:4465": the address ::1 on
 * port 4465, or the address ::0.1.68.101): only brackets can say which is meant.
 */
static int
conn_ambiguous_v6(const char *spec)
{
	struct in6_addr	 a;
	const char	*last = strrchr(spec, ':');
	char		*head;
	int		 ok;

	if (last[1] == '\0' || strspn(last + 1, "0123456789") != strlen(last + 1))
		return (0);
	head = xstrndup(spec, last - spec);
	ok = inet_pton(AF_INET6, head, &a) == 1;
	free(head);
	return (ok);
}

int
conn_parse_target(const char *spec, char **host, char **port, char **errstr)
{
	struct in6_addr	 a;
	const char	*last;
	const char	*end, *colon;

	*host = *port = NULL;
	if (*spec == '\0') {
		*errstr = xstrdup("no server given");
		return (-1);
	}
	if (*spec == '[') {
		if ((end = strchr(spec, ']')) == NULL || end == spec + 1) {
			*errstr = xasprintf("bad address \"%s\": an IPv6 literal is "
			    "written [2001:db8::1] or [2001:db8::1]:25", spec);
			return (-1);
		}
		if (end[1] != '\0' && (end[1] != ':' || end[2] == '\0')) {
			*errstr = xasprintf("bad address \"%s\": expected a port "
			    "after \"]:\"", spec);
			return (-1);
		}
		*host = xstrndup(spec + 1, end - spec - 1);
		if (end[1] == ':')
			*port = xstrdup(end + 2);
		return (0);
	}
	colon = strchr(spec, ':');
	if (colon != NULL && strchr(colon + 1, ':') != NULL) {
		/* Several colons and no brackets: a bare IPv6 literal, no port. */
		if (conn_ambiguous_v6(spec)) {
			last = strrchr(spec, ':');
			if (inet_pton(AF_INET6, spec, &a) == 1)
				*errstr = xasprintf("\"%s\" is ambiguous: an IPv6 "
				    "address with a port goes in brackets: [%.*s]:%s; "
				    "the address %s itself is written [%s]", spec,
				    (int)(last - spec), spec, last + 1, spec, spec);
			else
				*errstr = xasprintf("bad address \"%s\": an IPv6 "
				    "address with a port goes in brackets: [%.*s]:%s",
				    spec, (int)(last - spec), spec, last + 1);
			return (-1);
		}
		*host = xstrdup(spec);
		return (0);
	}
	if (colon == spec || (colon != NULL && colon[1] == '\0')) {
		*errstr = xasprintf("bad address \"%s\": use host or host:port",
		    spec);
		return (-1);
	}
	if (colon != NULL) {
		*host = xstrndup(spec, colon - spec);
		*port = xstrdup(colon + 1);
	} else
		*host = xstrdup(spec);
	return (0);
}

/* Whether host has an address of any family: asked when -4 or -6 found none. */
static int
conn_other_family(const char *host, const char *port)
{
	struct addrinfo	hints, *res;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return (0);
	freeaddrinfo(res);
	return (1);
}

/* host has addresses, but none of the family -4 or -6 asks for. */
static void
conn_family_hint(const char *host, int family, char **errstr, char **hint)
{
	struct in6_addr	a;
	int		literal, v6 = family == AF_INET6;

	literal = inet_pton(AF_INET6, host, &a) == 1 || inet_pton(AF_INET, host, &a) == 1;
	if (literal)
		*errstr = xasprintf("%s is an %s address, and %s asks for %s", host,
		    v6 ? "IPv4" : "IPv6", v6 ? "-6" : "-4", v6 ? "IPv6" : "IPv4");
	else
		*errstr = xasprintf("%s has no %s address (%s record)", host,
		    v6 ? "IPv6" : "IPv4", v6 ? "AAAA" : "A");
	*hint = explain_hint_family(host, v6, literal);
}

int
conn_resolve(const char *host, const char *port, int family, struct addrinfo **res,
    char **errstr, char **hint)
{
	struct addrinfo	hints;
	int		ret;

	*hint = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	ret = getaddrinfo(host, port, &hints, res);
	if (ret == 0)
		return (0);
	switch (ret) {
	case EAI_NONAME:
#ifdef EAI_NODATA
	case EAI_NODATA:
#endif
	case EAI_ADDRFAMILY:
	case EAI_FAMILY:
		if (family != AF_UNSPEC && conn_other_family(host, port)) {
			conn_family_hint(host, family, errstr, hint);
			break;
		}
		*errstr = xasprintf("name not found: %s", host);
		*hint = xasprintf("check the spelling; to find a domain's mail "
		    "server look up its MX record (host -t mx %s)", host);
		break;
	case EAI_SERVICE:
		*errstr = xasprintf("unknown port \"%s\"", port);
		*hint = xstrdup("give a number: 25 (plain/STARTTLS), 465 (implicit "
		    "TLS) or 587 (submission, STARTTLS)");
		break;
	case EAI_AGAIN:
		*errstr = xasprintf("cannot look up %s: the DNS server did not "
		    "answer", host);
		*hint = xstrdup("check the network and /etc/resolv.conf, or use an "
		    "IP address");
		break;
	default:
		*errstr = xasprintf("cannot look up %s: %s", host, gai_strerror(ret));
		break;
	}
	return (-1);
}

int
conn_start(const struct addrinfo *ai)
{
	int	fd, one = 1, flags, saved;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return (-1);
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		goto fail;
	/* Commands are small and typed one at a time: send them at once. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1 && errno != EINPROGRESS)
		goto fail;
	return (fd);
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return (-1);
}

int
conn_finish(int fd)
{
	int		err = 0;
	socklen_t	len = sizeof err;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		return (errno);
	return (err);
}

void
conn_numeric(const struct sockaddr *sa, socklen_t salen, char *buf, size_t len)
{
	if (getnameinfo(sa, salen, buf, len, NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(buf, len, "?");
}

void
conn_explain(int err, const char *host, const char *addr, const char *port,
    char **errstr, char **hint)
{
	*hint = NULL;
	switch (err) {
	case ECONNREFUSED:
		*errstr = xasprintf("connection refused by %s [%s] port %s", host,
		    addr, port);
		*hint = xstrdup("nothing listens on that port: check it (25 plain, "
		    "465 implicit TLS, 587 STARTTLS) and that the server runs");
		break;
	case ETIMEDOUT:
		*errstr = xasprintf("no answer from %s [%s] port %s: connection timed "
		    "out", host, addr, port);
		/* The advice depends on the port tried: 25 is the one networks block. */
		if (strcmp(port, "25") == 0)
			*hint = xstrdup("a firewall may drop the packets (many networks "
			    "block port 25), or the host is down; to send as a user, "
			    "try port 587 (or 465)");
		else
			*hint = xasprintf("a firewall may drop the packets to port %s, "
			    "or the host is down: check that the server listens on "
			    "it and that this network lets it through", port);
		break;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case EADDRNOTAVAIL:
		*errstr = xasprintf("cannot reach %s [%s]: %s", host, addr,
		    strerror(err));
		/* -4 helps a name with IPv4 addresses too, not an IPv6 literal. */
		if (strchr(addr, ':') == NULL)
			*hint = xstrdup("check the network and the address");
		else if (strchr(host, ':') != NULL)
			*hint = xstrdup("no route over IPv6 from here: use the "
			    "server's IPv4 address or its name");
		else
			*hint = xstrdup(explain_hint(EXPLAIN_HINT_NO_ROUTE_V6));
		break;
	default:
		*errstr = xasprintf("cannot connect to %s [%s] port %s: %s", host,
		    addr, port, strerror(err));
		break;
	}
}
