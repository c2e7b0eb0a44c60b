/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/* Saving a console session: the transcript with the TLS details line mode prints (save.c). */
#ifndef SAVE_H
#define SAVE_H

#include "tls.h"
#include "transcript.h"

/*
 * Write tr to path as transcript_save() does, with the TLS details of in (NULL: none)
 * as "*" lines where TLS came up: after the last "... established" line and the
 * verdict and hints that follow it, as line mode prints them. in must be the TLS of
 * the last connection in tr. Return 0, or -1 with *errstr malloc'd.
 */
int	save_transcript(const struct transcript *tr, const struct tls_info *in,
	    const char *path, char **errstr);

#endif
