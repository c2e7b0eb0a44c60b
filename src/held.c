/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Lines held until the dialogue can take them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "held.h"
#include "xmalloc.h"

void
held_init(struct held *h)
{
	memset(h, 0, sizeof *h);
}

void
held_clear(struct held *h)
{
	while (h->n > 0)
		held_drop(h);
	free(h->v);
	held_init(h);
}

void
held_push(struct held *h, const char *text, size_t len, int flags)
{
	struct held_line	*v;
	size_t			 i, cap;

	if (h->n == h->cap) {
		cap = h->cap ? h->cap * 2 : 64;
		v = xreallocarray(NULL, cap, sizeof *v);
		for (i = 0; i < h->n; i++)
			v[i] = h->v[(h->head + i) % h->cap];
		free(h->v);
		h->v = v;
		h->cap = cap;
		h->head = 0;
	}
	i = (h->head + h->n) % h->cap;
	h->v[i].text = xmalloc(len + 1);
	memcpy(h->v[i].text, text, len);
	h->v[i].text[len] = '\0';
	h->v[i].len = len;
	h->v[i].flags = flags;
	h->n++;
	h->bytes += len;
}

struct held_line *
held_at(struct held *h, size_t i)
{
	if (i >= h->n)
		return (NULL);
	return (&h->v[(h->head + i) % h->cap]);
}

struct held_line *
held_peek(struct held *h)
{
	return (held_at(h, 0));
}

void
held_drop(struct held *h)
{
	held_take(h, 1);
}

void
held_take(struct held *h, int wipe)
{
	struct held_line	*l;

	if (h->n == 0)
		return;
	l = &h->v[h->head];
	h->bytes -= l->len;
	if (wipe)
		xfree_secret(l->text, l->len + 1);
	else
		free(l->text);
	l->text = NULL;
	h->head = (h->head + 1) % h->cap;
	h->n--;
}

size_t
held_count(const struct held *h)
{
	return (h->n);
}

size_t
held_bytes(const struct held *h)
{
	return (h->bytes);
}
