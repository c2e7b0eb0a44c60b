/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * What the harnesses in tests/fuzz/ share: the libFuzzer entry point and a check that
 * text is safe to show on a terminal, the promise every display path makes.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vis.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A broken promise is a crash, so that libFuzzer keeps the input and replay fails. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/*
 * No C0 control or DEL, only valid UTF-8, no C1 control and no bidirectional override
 * or isolate: nothing in s can act on a terminal or reorder what is around it.
 */
static inline int
fuzz_display_safe(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i = 0, n;
	long			 cp;

	while (i < len) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return (0);
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((cp = vis_utf8(p + i, len - i, &n)) < 0)
			return (0);
		if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return (0);
		i += n;
	}
	return (1);
}

#endif
