/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The smtpcon developers */
/*
 * A console session as a line-mode script (script.c): /save --script FILE writes the
 * lines of the last connection that the person sent, so that
 *
 *	smtpcon --batch OPTIONS HOST:PORT < FILE
 *
 * gives the server the same dialogue. The first line is that command, as a comment;
 * a few more comment lines say what is left out. Left out: AUTH answers and initial
 * responses (line mode answers from --user and --password-file, so no secret is
 * written), and the lines smtpcon sent by itself (--starttls's EHLO and STARTTLS, the
 * QUIT at the end of input): the options bring them back. Body lines are written as
 * typed (dot-stuffing is line mode's to do again); BDAT chunks as typed ("BDAT" alone,
 * the lines, "."; or "BDAT n" and its lines).
 */
#ifndef SCRIPT_H
#define SCRIPT_H

#include "opts.h"
#include "transcript.h"

/* What the script's command line names besides the options in struct opts. */
struct script_target {
	const char	*host;		/* the last connection's server */
	const char	*port;
	const char	*user;		/* for --user when the session used AUTH, or NULL */
	const char	*domain;	/* connected by domain (--mx), or NULL */
};

/*
 * Write the script of the last connection in tr to path (mode 0600, replacing it).
 * o gives the options that matter to the dialogue (--cafile, --sni, ...); the mode
 * (--starttls, --tls) and --ehlo are read from the transcript. Return 0, or -1 with
 * *errstr malloc'd (no connection in tr, its start dropped, a BDAT chunk that cannot
 * be told apart, the file not written).
 */
int	script_save(const struct transcript *tr, const struct opts *o,
	    const struct script_target *, const char *path, char **errstr);

#endif
