/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * Clock readings and time stamps for people. Shared by smtpcon and smtpcon-practice
 * (libcommon).
 */
#ifndef XTIME_H
#define XTIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Milliseconds on the monotonic clock: for deadlines and durations, never for dates. */
int64_t	 xtime_ms(void);

/*
 * Write t in buf (size bytes) with the strftime(3) format fmt, in local time, or in UTC
 * with xtime_utc. Returns the length written, 0 if it did not fit (buf is then "").
 */
size_t	 xtime_local(char *buf, size_t size, const char *fmt, time_t t)
	     __attribute__((format(strftime, 3, 0)));
size_t	 xtime_utc(char *buf, size_t size, const char *fmt, time_t t)
	     __attribute__((format(strftime, 3, 0)));

#endif
