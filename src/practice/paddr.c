/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* MAIL FROM and RCPT TO: paths, parameters, and the addresses that are ours. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paddr.h"
#include "pserver.h"
#include "vis.h"
#include "xmalloc.h"

char *
paddr_path(const char *p, int null_ok, int need_domain, long *at,
    const char **end)
{
	const char	*start, *q, *colon;
	char		*addr;
	int		 quoted = 0;
	long		 atpos = -1;
	size_t		 len, i;

	if (*p != '<')
		return (NULL);
	start = p + 1;
	for (q = start; *q != '\0'; q++) {
		if (quoted && *q == '\\' && q[1] != '\0')
			q++;
		else if (*q == '"')
			quoted = !quoted;
		else if (!quoted && *q == '>')
			break;
	}
	if (*q != '>')
		return (NULL);
	*end = q + 1;
	if (*start == '@') {
		/* An old source route, "<@relay:user@domain>": ignored. */
		if ((colon = memchr(start, ':', q - start)) == NULL)
			return (NULL);
		start = colon + 1;
	}
	len = q - start;
	if (len == 0) {
		if (!null_ok)
			return (NULL);
		*at = -1;
		return (xstrdup(""));
	}
	if (len > PADDR_MAX)
		return (NULL);
	quoted = 0;
	for (i = 0; i < len; i++) {
		unsigned char	c = start[i];

		if (c < 0x20 || c == 0x7f)
			return (NULL);
		if (quoted && c == '\\' && i + 1 < len) {
			i++;
			continue;
		}
		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		if (c == ' ' || c == '<' || c == '>' || c == ',' ||
		    c == ';' || c == ':')
			return (NULL);
		if (c == '@') {
			if (atpos != -1)
				return (NULL);
			atpos = i;
		}
	}
	if (quoted)
		return (NULL);
	if (atpos == 0 || (size_t)atpos == len - 1 ||
	    (atpos == -1 && need_domain))
		return (NULL);
	if (atpos != -1) {
		const char	*d = start + atpos + 1;
		size_t		 dlen = len - atpos - 1;

		if (d[0] == '[') {
			if (d[dlen - 1] != ']')
				return (NULL);
		} else {
			if (d[0] == '.' || d[dlen - 1] == '.')
				return (NULL);
			for (i = 0; i < dlen; i++) {
				if (!isalnum((unsigned char)d[i]) &&
				    d[i] != '-' && d[i] != '.' &&
				    (unsigned char)d[i] < 0x80)
					return (NULL);
				if (d[i] == '.' && d[i + 1] == '.')
					return (NULL);
			}
		}
	}
	addr = xstrndup(start, len);
	*at = atpos;
	return (addr);
}

const char *
paddr_keyword(const char *arg, const char *kw)
{
	size_t	len = strlen(kw);

	if (arg == NULL || strncasecmp(arg, kw, len) != 0)
		return (NULL);
	arg += len;
	while (*arg == ' ')
		arg++;
	return (arg);
}

int
paddr_size(const char *value, unsigned long long *size)
{
	char	*end;

	if (value == NULL || !isdigit((unsigned char)*value))
		return (-1);
	errno = 0;
	*size = strtoull(value, &end, 10);
	if (*end != '\0' || errno != 0)
		return (-1);
	return (0);
}

char *
paddr_params(const char *p)
{
	unsigned long long	 size;
	char			*copy, *word, *last, *eq, *vis, *reply = NULL;

	copy = xstrdup(p);
	for (word = strtok_r(copy, " ", &last); word != NULL && reply == NULL;
	    word = strtok_r(NULL, " ", &last)) {
		if ((eq = strchr(word, '=')) != NULL)
			*eq++ = '\0';
		if (strcasecmp(word, "SIZE") == 0) {
			if (paddr_size(eq, &size) == -1)
				reply = xstrdup("501 5.5.4 Bad SIZE parameter "
				    "(SIZE=octets)");
			else if (size > PSERVER_SIZE_MAX)
				reply = xasprintf("552 5.3.4 Message size "
				    "exceeds fixed limit of %d octets",
				    PSERVER_SIZE_MAX);
		} else if (strcasecmp(word, "BODY") == 0) {
			if (eq == NULL || (strcasecmp(eq, "7BIT") != 0 &&
			    strcasecmp(eq, "8BITMIME") != 0))
				reply = xstrdup("501 5.5.4 Bad BODY parameter "
				    "(BODY=7BIT or BODY=8BITMIME)");
		} else if (strcasecmp(word, "AUTH") == 0) {
			/* RFC 4954 AUTH=: accepted and ignored. */
		} else {
			vis = vis_ascii(word, strlen(word), PADDR_MAX);
			reply = xasprintf("555 5.5.4 Unsupported parameter %s",
			    vis);
			free(vis);
		}
	}
	free(copy);
	return (reply);
}

int
paddr_local_domain(const char *domain)
{
	static const char *const domains[] = {
		PSERVER_HOST, "localhost", "example.com"
	};
	size_t	i;

	for (i = 0; i < sizeof domains / sizeof domains[0]; i++) {
		if (strcasecmp(domain, domains[i]) == 0)
			return (1);
	}
	return (0);
}

int
paddr_local_user(const char *user, size_t len)
{
	static const char *const users[] = {
		"demo", "student", "postmaster", "alice", "bob"
	};
	size_t	i;

	for (i = 0; i < sizeof users / sizeof users[0]; i++) {
		if (strlen(users[i]) == len &&
		    strncasecmp(user, users[i], len) == 0)
			return (1);
	}
	return (0);
}
