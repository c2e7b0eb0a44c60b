/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Connection set-up: parsing host[:port], resolving, and non-blocking connect with the
 * reasons and hints a person needs when it fails. The caller drives the attempt from its
 * poll loop (see session.c).
 */
#ifndef CONN_H
#define CONN_H

#include <sys/socket.h>
#include <netdb.h>

/*
 * Split spec into host and port: "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6
 * literal. *port is NULL when spec has none. Return 0 with *host and *port malloc'd, or -1
 * with *errstr malloc'd.
 */
int	conn_parse_target(const char *spec, char **host, char **port, char **errstr);

/*
 * Resolve host and port (numeric or a service name) for a TCP connection; family is
 * AF_UNSPEC, AF_INET or AF_INET6. Return 0 with *res (free with freeaddrinfo) or -1 with
 * *errstr and *hint malloc'd (the hint may be NULL).
 */
int	conn_resolve(const char *host, const char *port, int family, struct addrinfo **res,
	    char **errstr, char **hint);

/*
 * Start a non-blocking connect to ai. Return the socket (connect in progress or done: wait
 * for POLLOUT and call conn_finish), or -1 with errno set.
 */
int	conn_start(const struct addrinfo *ai);

/* After POLLOUT: 0 if fd is connected, else the errno of the failure. */
int	conn_finish(int fd);

/* Numeric form of an address: "192.0.2.1" or "2001:db8::1". */
void	conn_numeric(const struct sockaddr *, socklen_t, char *buf, size_t len);

/* A reason and hint for a connect failure with errno err; both malloc'd. */
void	conn_explain(int err, const char *host, const char *addr, const char *port,
	    char **errstr, char **hint);

#endif
