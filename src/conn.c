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
#include "xmalloc.h"

int
conn_parse_target(const char *spec, char **host, char **port, char **errstr)
{
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
		*errstr = xasprintf("name not found: %s%s", host,
		    family == AF_INET ? " has no IPv4 address" :
		    family == AF_INET6 ? " has no IPv6 address" : "");
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
	case EAI_ADDRFAMILY:
	case EAI_FAMILY:
		*errstr = xasprintf("%s has no address of the requested family", host);
		*hint = xstrdup("drop -4 / -6");
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
		*hint = xstrdup(strchr(addr, ':') != NULL ? "no route over IPv6 "
		    "from here: try -4" : "check the network and the address");
		break;
	default:
		*errstr = xasprintf("cannot connect to %s [%s] port %s: %s", host,
		    addr, port, strerror(err));
		break;
	}
}
