/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Line mode's front end of the server check (smtpcon --check): the only part of it
 * that prints. */
#ifndef CHECK_LINE_H
#define CHECK_LINE_H

#include "opts.h"

/* Run the check o asks for, print the report (text or JSON) on standard output, and
 * return the exit status (outcome_check(), or EXIT_USAGE when it could not start). */
int	check_line_main(const struct opts *o);

#endif
