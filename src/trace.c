/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The debug trace: one line per transition or command, never a secret. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trace.h"
#include "xmalloc.h"

static FILE	*trace_file;

int
trace_open(const char *path, char **errstr)
{
	int	fd;

	trace_close();
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1 || (trace_file = fdopen(fd, "a")) == NULL) {
		*errstr = xasprintf("cannot open the debug trace %s: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return (-1);
	}
	setvbuf(trace_file, NULL, _IOLBF, 0);
	return (0);
}

void
trace_close(void)
{
	if (trace_file != NULL)
		fclose(trace_file);
	trace_file = NULL;
}

void
trace_log(const char *fmt, ...)
{
	struct timespec	ts;
	va_list		ap;

	if (trace_file == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(trace_file, "%ld.%03ld ", (long)ts.tv_sec, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(trace_file, fmt, ap);
	va_end(ap);
	fputc('\n', trace_file);
}
