/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The practice server's messages on standard error. */
#ifndef PLOG_H
#define PLOG_H

/* The program name that starts every message on standard error. */
#define PLOG_PROGNAME "smtpcon-practice"

/*
 * When set, plog_info is silent; plog_warn always prints.  Set once by
 * main before anything is logged.
 */
extern int plog_quiet;

/* Print "smtpcon-practice: " and the message with a newline on stderr. */
void	 plog_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 plog_warn(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
