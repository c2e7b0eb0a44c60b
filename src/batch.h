/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Line mode: the engine with no curses, lines from standard input (batch.c). */
#ifndef BATCH_H
#define BATCH_H

#include "opts.h"
#include "outcome.h"

/* Run one session in line mode; *out says how it ended. */
void	batch_main(struct opts *, struct outcome *out);

#endif
