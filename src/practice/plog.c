/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The practice server's messages on standard error. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "plog.h"
#include "xmalloc.h"

int plog_quiet;

static void __attribute__((format(printf, 1, 0)))
plog_vlog(const char *fmt, va_list ap)
{
	char	*msg;

	/* One write per line so lines of different sources do not mix. */
	msg = xvasprintf(fmt, ap);
	fprintf(stderr, "%s: %s\n", PLOG_PROGNAME, msg);
	free(msg);
}

void
plog_info(const char *fmt, ...)
{
	va_list	ap;

	if (plog_quiet)
		return;
	va_start(ap, fmt);
	plog_vlog(fmt, ap);
	va_end(ap);
}

void
plog_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	plog_vlog(fmt, ap);
	va_end(ap);
}
