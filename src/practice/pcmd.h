/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* The commands of a practice session: one table, one handler a verb. */
#ifndef PCMD_H
#define PCMD_H

struct pserver;

/*
 * Run one command line (CRLF removed, no NUL in it; the line is changed):
 * log it with any AUTH initial response hidden, split verb and argument,
 * find the verb in the table and run its handler, which replies.  An
 * unknown verb gets 500, a verb that needs TLS first gets 530.
 */
void	 pcmd_line(struct pserver *, char *line);

#endif
