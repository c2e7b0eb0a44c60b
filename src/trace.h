/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * The debug trace (--debug FILE): every dialogue state transition and every command
 * queued, sent and paired with its reply, one timestamped line each. It never holds a
 * secret: callers pass verbs, states, sizes and codes, never a line's text.
 */
#ifndef TRACE_H
#define TRACE_H

/* Open path for the trace (mode 0600, appended). 0, or -1 with *errstr malloc'd. */
int	trace_open(const char *path, char **errstr);
void	trace_close(void);
/* Write one line when a trace is open; nothing otherwise. */
void	trace_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
