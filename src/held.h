/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The person's lines that are not sent yet: typed, pasted or read ahead of the reply they
 * depend on. A FIFO of copies; every copy is wiped when it leaves (it may be an AUTH
 * answer or a body line nobody else should see).
 */
#ifndef HELD_H
#define HELD_H

#include <stddef.h>

#define HELD_CONSENT	0x1	/* the person accepted a risky AUTH for this line */
#define HELD_TOOLONG	0x2	/* the line was longer than the input could take */
#define HELD_AUTO	0x4	/* smtpcon's own line (the QUIT after a refusal) */

struct held_line {
	char	*text;		/* NUL-terminated copy; may hold further NULs */
	size_t	 len;		/* bytes in text, without the terminator */
	int	 flags;		/* HELD_* */
};

struct held {
	struct held_line *v;
	size_t		  head, n, cap;	/* a ring */
	size_t		  bytes;	/* text held, for back-pressure */
};

void			 held_init(struct held *);
/* Wipe and free every line. */
void			 held_clear(struct held *);
/* Append a copy of len bytes of text. */
void			 held_push(struct held *, const char *text, size_t len, int flags);
/* The oldest line, or NULL; i-th oldest with held_at. Valid until the next change. */
struct held_line	*held_peek(struct held *);
struct held_line	*held_at(struct held *, size_t i);
/* Wipe and drop the oldest line. */
void			 held_drop(struct held *);
/* Drop the oldest line, wiping it only if wipe (a body line needs none). */
void			 held_take(struct held *, int wipe);
size_t			 held_count(const struct held *);
size_t			 held_bytes(const struct held *);

#endif
