/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* A minimal unit-test harness: CHECK counts, reports failures with their line
 * (CHECK_STR compares strings, NULL equal only to NULL), and unit_done() prints the closing "N passed, N failed" line and the exit status. */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed;

#define CHECK(cond) do {						\
	if (cond)							\
		unit_passed++;						\
	else {								\
		unit_failed++;						\
		fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *unit_a = (a), *unit_b = (b);			\
	if ((unit_a == NULL && unit_b == NULL) ||			\
	    (unit_a != NULL && unit_b != NULL && strcmp(unit_a, unit_b) == 0)) \
		unit_passed++;						\
	else {								\
		unit_failed++;						\
		fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__,	\
		    __LINE__, unit_a ? unit_a : "(null)",		\
		    unit_b ? unit_b : "(null)");			\
	}								\
} while (0)

static inline int
unit_done(void)
{
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return (unit_failed != 0 || unit_passed == 0);
}

#endif
