/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The greylist scenario's memory of (sender, recipient) pairs. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pgrey.h"
#include "xmalloc.h"

#define PGREY_MAX	10000	/* pairs kept before all are forgotten */

struct pgrey_entry {
	char			*key;
	struct pgrey_entry	*next;
};

struct pgrey {
	struct pgrey_entry	*head;
	size_t			 n;
};

struct pgrey *
pgrey_new(void)
{
	return (xcalloc(1, sizeof(struct pgrey)));
}

static void
pgrey_clear(struct pgrey *gl)
{
	struct pgrey_entry	*e, *next;

	for (e = gl->head; e != NULL; e = next) {
		next = e->next;
		free(e->key);
		free(e);
	}
	gl->head = NULL;
	gl->n = 0;
}

void
pgrey_free(struct pgrey *gl)
{
	if (gl == NULL)
		return;
	pgrey_clear(gl);
	free(gl);
}

int
pgrey_defer(struct pgrey *gl, const char *from,
    const char *rcpt)
{
	struct pgrey_entry	*e;
	char				*key, *p;

	key = xasprintf("%s\n%s", from, rcpt);
	for (p = key; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	for (e = gl->head; e != NULL; e = e->next) {
		if (strcmp(e->key, key) == 0) {
			free(key);
			return (0);
		}
	}
	/* A bounded memory: forgetting everything only means one more 451. */
	if (gl->n >= PGREY_MAX)
		pgrey_clear(gl);
	e = xmalloc(sizeof *e);
	e->key = key;
	e->next = gl->head;
	gl->head = e;
	gl->n++;
	return (1);
}
