/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Clock readings and time stamps. */
#include "config.h"

#include <time.h>

#include "xtime.h"

int64_t
xtime_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * strftime leaves buf undefined when the result does not fit. fmt is checked where
 * xtime_local or xtime_utc is called (their format attribute), not here.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static size_t
xtime_format(char *buf, size_t size, const char *fmt, const struct tm *tm)
{
	size_t	n;

	if (size == 0)
		return (0);
	if ((n = strftime(buf, size, fmt, tm)) == 0)
		buf[0] = '\0';
	return (n);
}
#pragma GCC diagnostic pop

size_t
xtime_local(char *buf, size_t size, const char *fmt, time_t t)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	return (xtime_format(buf, size, fmt, &tm));
}

size_t
xtime_utc(char *buf, size_t size, const char *fmt, time_t t)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	return (xtime_format(buf, size, fmt, &tm));
}
